package dev.retention.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.testing.StepFunctionsStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkRuns} through the real SDK client against a local Step Functions stand-in: the wire
 * format of StartExecution and DescribeExecution, and the rules that make a redelivered start the
 * same run.
 */
class SparkRunsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MACHINE =
      "arn:aws:states:us-east-1:123456789012:stateMachine:retention-spark-train";
  private static StepFunctionsStandIn standIn;
  private static SparkRuns runs;

  @BeforeAll
  static void start() {
    standIn = StepFunctionsStandIn.start();
    runs =
        SparkRuns.open(
            new SparkRuns.Settings(
                MACHINE, Optional.of(standIn.endpoint()), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() {
    runs.close();
    standIn.close();
  }

  @BeforeEach
  void reset() {
    standIn.reset();
  }

  @Test
  void startsAnExecutionNamedAsAskedWithTheInputAsJson() throws Exception {
    Map<String, Object> input =
        Map.of("arguments", List.of("--bucket", "b", "--key", "k"), "modelVersion", "v1");
    SparkRuns.Run run = runs.start("20261128-abcdef0123456789", input);

    String expectedArn =
        "arn:aws:states:us-east-1:123456789012:execution:retention-spark-train:"
            + "20261128-abcdef0123456789";
    assertEquals(new SparkRuns.Run(expectedArn, "STARTED"), run);
    List<StepFunctionsStandIn.Request> requests = standIn.requests();
    assertEquals(1, requests.size());
    StepFunctionsStandIn.Request request = requests.get(0);
    assertEquals("AWSStepFunctions.StartExecution", request.target());
    assertEquals("application/x-amz-json-1.0", request.contentType());
    // Signed with the default credentials chain (the build's aws.accessKeyId) in the ARN's region.
    assertTrue(
        request.authorization().startsWith("AWS4-HMAC-SHA256 Credential=local/")
            && request.authorization().contains("/us-east-1/states/aws4_request"),
        request.authorization());
    assertEquals(MACHINE, request.body().get("stateMachineArn").asText());
    assertEquals("20261128-abcdef0123456789", request.body().get("name").asText());
    assertEquals(MAPPER.valueToTree(input), MAPPER.readTree(request.body().get("input").asText()));
  }

  @Test
  void theSameStartWhileTheRunIsRunningIsThatRun() {
    SparkRuns.Run first = runs.start("v-running", Map.of("a", "1"));
    SparkRuns.Run again = runs.start("v-running", Map.of("a", "1"));
    assertEquals(first, again);
    assertEquals(1, standIn.executions().size());
    assertEquals(0, standIn.requests("DescribeExecution").size());
  }

  @Test
  void aStartAfterTheRunClosedFindsThatRunInsteadOfFailing() {
    SparkRuns.Run first = runs.start("v-closed", Map.of("a", "1"));
    standIn.finish(first.id(), "SUCCEEDED");

    SparkRuns.Run again = runs.start("v-closed", Map.of("a", "1"));

    assertEquals(new SparkRuns.Run(first.id(), "SUCCEEDED"), again);
    assertTrue(!again.failed());
    standIn.finish(first.id(), "TIMED_OUT");
    assertTrue(runs.start("v-closed", Map.of("a", "1")).failed());
    assertEquals(1, standIn.executions().size(), "no second run");
    List<StepFunctionsStandIn.Request> describe = standIn.requests("DescribeExecution");
    assertEquals(2, describe.size());
    assertEquals(first.id(), describe.get(0).body().get("executionArn").asText());
  }

  @Test
  void aStartWithOtherInputUnderARunningNameFindsTheRunningRun() {
    SparkRuns.Run first = runs.start("v-other-input", Map.of("a", "1"));
    SparkRuns.Run again = runs.start("v-other-input", Map.of("a", "2"));
    assertEquals(new SparkRuns.Run(first.id(), "RUNNING"), again);
    assertEquals(1, standIn.executions().size());
  }

  @Test
  void aServiceFaultIsRetriedAndAPersistentOneIsAStorageException() {
    standIn.failNext(1);
    SparkRuns.Run run = runs.start("v-retried", Map.of());
    assertEquals("STARTED", run.status());
    assertEquals(2, standIn.requests("StartExecution").size(), "one retry");
    assertEquals(1, standIn.executions().size());

    standIn.reset();
    standIn.failNext(100);
    StorageException e =
        assertThrows(StorageException.class, () -> runs.start("v-failing", Map.of()));
    assertTrue(e.getMessage().startsWith("StartExecution v-failing on " + MACHINE), e.getMessage());
    assertEquals(3, standIn.requests("StartExecution").size(), "the standard retry's 3 attempts");
    assertEquals(0, standIn.executions().size());
  }

  @Test
  void anExecutionNameIsOneTo80LettersDigitsHyphensOrUnderscores() {
    runs.start("a".repeat(80), Map.of());
    for (String bad : new String[] {"", "a".repeat(81), "with space", "a:b", "été", "x/y"}) {
      assertThrows(IllegalArgumentException.class, () -> runs.start(bad, Map.of()), bad);
    }
    assertEquals(1, standIn.requests().size(), "a bad name is never sent");
  }

  @Test
  void settingsTakeOnlyAStateMachineArnAndDeriveRegionAndExecutionArns() {
    SparkRuns.Settings china =
        new SparkRuns.Settings(
            "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Train-AbC_1",
            Optional.empty(),
            Duration.ofSeconds(1));
    assertEquals("cn-north-1", china.region());
    assertEquals(
        "arn:aws-cn:states:cn-north-1:123456789012:execution:Train-AbC_1:v1",
        china.executionArn("v1"));
    for (String bad :
        new String[] {
          MACHINE + ":1",
          MACHINE + ":live",
          "arn:aws:states:us-east-1:123456789012:execution:retention-spark-train:x",
          "arn:aws:lambda:us-east-1:123456789012:function:f",
          "retention-spark-train",
          ""
        }) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new SparkRuns.Settings(bad, Optional.empty(), Duration.ofSeconds(1)),
          bad);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new SparkRuns.Settings(MACHINE, Optional.empty(), Duration.ZERO));
  }
}
