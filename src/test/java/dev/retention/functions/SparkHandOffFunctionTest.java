package dev.retention.functions;

import static dev.retention.functions.LocalS3Resource.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.config.KnownSettings;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import dev.retention.testing.EmfCapture;
import dev.retention.testing.Events;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.StepFunctionsStandIn;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The hand-off of large exports to the Spark job, through the real Lambda path: S3 events posted to
 * Quarkus' mock event server, exports on s3proxy, and Step Functions played by a local stand-in
 * that speaks its JSON protocol and keeps executions by name as Standard workflows do. What this
 * cannot prove: that AWS answers as the stand-in does, and what the state machine and the Spark job
 * then do (see InfraTemplateTest for the state machine's definition and permissions).
 */
@QuarkusTest
@TestProfile(SparkHandOffProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StepFunctionsResource.class, restrictToAnnotatedClass = true)
class SparkHandOffFunctionTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = LocalS3Resource.BUCKET;

  /** The sequencer of events/s3-put-csv.json. */
  private static final String SEQUENCER = "0055AED6DCD90281E5";

  private static StepFunctionsStandIn standIn() {
    return StepFunctionsResource.standIn;
  }

  @BeforeEach
  void forgetEarlierRuns() {
    standIn().reset();
  }

  /** The object as the function sees it. */
  private static ObjectInfo head(String key) {
    try (Bucket bucket = new Bucket(LocalS3Resource.server.client(), BUCKET)) {
      return bucket.head(key).orElseThrow();
    }
  }

  private static List<String> keysUnder(String prefix) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .toList();
    }
  }

  private static Response invoke(String key) {
    return LocalS3Resource.invokeCsvEvent(key);
  }

  private static String executionArn(String version) {
    return SparkHandOffProfile.STATE_MACHINE.replace(":stateMachine:", ":execution:")
        + ":"
        + version;
  }

  @Test
  void aLargeExportStartsOneRunWithTheJobsCommandLineAndPublishesNothingItself()
      throws IOException {
    String key = "exports/features/large.csv";
    byte[] csv = ReferenceData.csvBytes();
    assertTrue(csv.length >= SparkHandOffProfile.THRESHOLD, "the sample is large here");
    upload(key, csv);
    ObjectInfo info = head(key);
    String version = TrainingService.version(info);

    Response response;
    List<JsonNode> handedOff;
    try (EmfCapture emf = EmfCapture.start()) {
      response = invoke(key);
      handedOff = emf.records("train", "HandedOff");
    }

    response
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("HANDED_OFF"))
        .body("results[0].source", equalTo("s3://" + BUCKET + "/" + key))
        .body("results[0].version", equalTo(version))
        .body("results[0].runId", equalTo(executionArn(version)));
    assertEquals(1, handedOff.size(), "one HandedOff metric");
    assertEquals(1, handedOff.get(0).get("HandedOff").asInt());
    assertEquals(version, handedOff.get(0).get("modelVersion").asText());

    List<StepFunctionsStandIn.Request> starts = standIn().requests("StartExecution");
    assertEquals(1, starts.size(), "exactly one StartExecution");
    assertEquals(1, standIn().requests().size(), "and nothing else");
    JsonNode body = starts.get(0).body();
    assertEquals(SparkHandOffProfile.STATE_MACHINE, body.get("stateMachineArn").asText());
    assertEquals(version, body.get("name").asText());
    JsonNode input = MAPPER.readTree(body.get("input").asText());
    assertEquals("s3://" + BUCKET + "/" + key, input.get("source").asText());
    assertEquals(version, input.get("modelVersion").asText());

    List<String> arguments = new ArrayList<>();
    input.get("arguments").forEach(a -> arguments.add(a.asText()));
    List<String> identity =
        new ArrayList<>(List.of("--bucket", BUCKET, "--key", key, "--etag", info.etag()));
    if (info.versionId() != null) {
      identity.addAll(List.of("--version-id", info.versionId()));
    }
    identity.addAll(
        List.of(
            "--sequencer",
            SEQUENCER,
            "--last-modified",
            info.lastModified().toString(),
            "--model-version",
            version));
    assertEquals(identity, arguments.subList(0, identity.size()));
    assertTrue(
        info.lastModified().toString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
        "ISO-8601 UTC, as the job's contract shows: " + info.lastModified());

    // Then one --setting key=value per effective setting, in key order, the hand-off's own left
    // out.
    List<String> settings = new ArrayList<>();
    List<String> rest = arguments.subList(identity.size(), arguments.size());
    for (int i = 0; i < rest.size(); i += 2) {
      assertEquals("--setting", rest.get(i), rest.toString());
      settings.add(rest.get(i + 1));
    }
    assertTrue(settings.contains("retention.train.kmeans.n-init=4"), "the profile's own value");
    assertTrue(settings.contains("retention.s3.bucket=" + BUCKET), settings.toString());
    assertTrue(settings.contains("retention.model.name=default"), settings.toString());
    assertTrue(settings.contains("retention.orders.grain=ORDER"), settings.toString());
    assertTrue(
        settings.contains(
            "retention.s3.endpoint-override=" + LocalS3Resource.server.endpoint().toString()),
        settings.toString());
    assertFalse(settings.stream().anyMatch(s -> s.startsWith("retention.spark.")), "not passed on");
    Config config = ConfigProvider.getConfig();
    List<String> expected = new ArrayList<>();
    for (String known : KnownSettings.keys()) {
      if (!known.startsWith("retention.spark.")) {
        config.getOptionalValue(known, String.class).ifPresent(v -> expected.add(known + "=" + v));
      }
    }
    assertEquals(expected, settings, "every known setting that has a value, in key order");
    assertTrue(settings.size() > 60, "settings: " + settings.size());

    assertFalse(
        keysUnder("models/").stream().anyMatch(k -> k.contains(version)),
        "the function publishes nothing for a handed-off export: " + keysUnder("models/"));
  }

  @Test
  void aRedeliveredEventIsTheSameRunWhileItRunsAfterItEndedAndOnceItPublished() {
    String key = "exports/features/redelivered.csv";
    upload(key, ReferenceData.csvBytes());
    String version = TrainingService.version(head(key));
    String runId = executionArn(version);

    invoke(key).then().statusCode(200).body("results[0].runId", equalTo(runId));
    // S3 delivers again while the run is running: Step Functions returns the running execution.
    invoke(key)
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("HANDED_OFF"))
        .body("results[0].runId", equalTo(runId));
    assertEquals(2, standIn().requests("StartExecution").size());
    assertEquals(0, standIn().requests("DescribeExecution").size());
    assertEquals(1, standIn().executions().size(), "no second run");

    // Again after the run failed (its failure went to the queue): ExecutionAlreadyExists, found by
    // DescribeExecution; still the same run, not a new one.
    standIn().finish(runId, "FAILED");
    invoke(key)
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("HANDED_OFF"))
        .body("results[0].runId", equalTo(runId));
    List<StepFunctionsStandIn.Request> describe = standIn().requests("DescribeExecution");
    assertEquals(1, describe.size());
    assertEquals(runId, describe.get(0).body().get("executionArn").asText());
    assertEquals(1, standIn().executions().size(), "no second run");

    // Once the job has published the version (played here by publishing a model of that version),
    // a redelivery completes it like any published version and starts nothing.
    ReferenceData reference = ReferenceData.load();
    RetentionModel model =
        new Trainer(
                TrainingOptions.defaults()
                    .withK(3)
                    .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", version, Instant.now()));
    try (Bucket bucket = new Bucket(LocalS3Resource.server.client(), BUCKET)) {
      new ModelStore(bucket, "models/", "default").publish(model, ReportHtml.render(model));
    }
    int startsBefore = standIn().requests("StartExecution").size();
    invoke(key)
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("ALREADY_PUBLISHED"))
        .body("results[0].version", equalTo(version));
    assertEquals(startsBefore, standIn().requests("StartExecution").size());
  }

  @Test
  void aGzipExportCountsItsExpansionAndASmallExportTrainsInProcess() throws IOException {
    byte[] csv = ReferenceData.csvBytes();
    byte[] gz = gzip(csv);
    assertTrue(
        gz.length < SparkHandOffProfile.THRESHOLD
            && gz.length * 5L >= SparkHandOffProfile.THRESHOLD,
        "stored below the threshold, counted (x5) above it: " + gz.length);
    upload("exports/features/large.csv.gz", gz);
    invoke("exports/features/large.csv.gz")
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("HANDED_OFF"));
    assertEquals(1, standIn().requests("StartExecution").size());

    // 1,500 of the 6,000 customers: below the threshold, trained here as before.
    String text = new String(csv, StandardCharsets.UTF_8);
    String small = String.join("\n", Arrays.asList(text.split("\n")).subList(0, 1501)) + "\n";
    assertTrue(small.length() < SparkHandOffProfile.THRESHOLD, "small: " + small.length());
    upload("exports/features/small.csv", small.getBytes(StandardCharsets.UTF_8));
    Response trained = invoke("exports/features/small.csv");
    trained
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("TRAINED"))
        .body("results[0].rowsUsed", equalTo(1500))
        .body("results[0].runId", equalTo(null));
    assertEquals(1, standIn().requests().size(), "no run for the small export");
    String modelKey = trained.jsonPath().getString("results[0].modelKey");
    assertTrue(keysUnder("models/").contains(modelKey), modelKey);
  }

  @Test
  void theChecksBeforeReadingStillComeFirst() {
    upload("exports/features/moved.csv", ReferenceData.csvBytes());
    // An event whose ETag is no longer the object's (it was overwritten since): superseded.
    String stale =
        Events.s3WithKey("s3-put-csv.json", "exports/features/moved.csv")
            .replace("9b2cf535f27731c974343645a3985328", "00000000000000000000000000000000");
    given()
        .contentType("application/json")
        .body(stale)
        .when()
        .post()
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SKIPPED"))
        .body("results[0].reason", containsString("superseded"));
    invoke("reports/large.csv")
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SKIPPED"))
        .body("results[0].reason", containsString("outside the export prefix"));
    assertEquals(0, standIn().requests().size(), "nothing handed off");
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
