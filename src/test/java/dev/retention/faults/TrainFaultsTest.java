package dev.retention.faults;

import static dev.retention.faults.Bucketed.event;
import static dev.retention.faults.Bucketed.invoke;
import static dev.retention.faults.Bucketed.json;
import static dev.retention.faults.Bucketed.keys;
import static dev.retention.faults.Bucketed.live;
import static dev.retention.faults.Bucketed.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.testing.FaultProxy;
import dev.retention.testing.ReferenceData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The train function through the real Lambda event path against the real s3proxy, with the faults
 * S3 has in the field injected between them. Each test asserts what was published and what
 * latest.json points to afterwards: nothing lost, nothing half-published, never backwards.
 */
@QuarkusTest
@TestProfile(TrainFaultProfile.class)
@QuarkusTestResource(value = FaultyS3Resource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainFaultsTest {

  private static final String TEMPLATE = "s3-put-csv.json";
  private static final byte[] EXPORT = ReferenceData.csvBytes();

  @Inject TrainingService training;

  private static FaultProxy proxy() {
    return FaultyS3Resource.proxy;
  }

  @BeforeEach
  void passEverything() {
    proxy().pass();
    proxy().clearLog();
  }

  @AfterEach
  void heal() {
    proxy().pass();
  }

  private static boolean failed(Response response) {
    return response.statusCode() != 200 || response.asString().contains("errorMessage");
  }

  /** A model becomes live first, so the faults below have a live model to keep. */
  @Test
  @Order(1)
  void aBaselineTrainsAndBecomesLive() {
    upload("exports/features/baseline.csv", EXPORT);
    JsonNode result =
        json(invoke(event(TEMPLATE, "exports/features/baseline.csv")).asString())
            .get("results")
            .get(0);
    assertEquals("TRAINED", result.get("status").asText());
    assertEquals("MOVED", result.get("latest").asText());
    assertEquals(Optional.of(result.get("version").asText()), live());
  }

  @Test
  @Order(2)
  void aBodyCutShortIsAFailedReadNotAShorterExport() {
    upload("exports/features/cut.csv", EXPORT);
    Optional<String> before = live();
    List<String> modelsBefore = keys("models/");
    proxy()
        .rule(
            r ->
                r.method().equals("GET") && r.path().contains("cut.csv")
                    ? new FaultProxy.CutBody(100_000)
                    : new FaultProxy.Pass());
    Response response = invoke(event(TEMPLATE, "exports/features/cut.csv"));
    assertTrue(failed(response), response.asString());
    assertTrue(response.asString().contains("the connection ended early"), response.asString());
    assertEquals(modelsBefore, keys("models/"), "nothing published");
    assertEquals(before, live());
  }

  @Test
  @Order(3)
  void aConnectionResetOnEveryAttemptFailsAndPublishesNothing() {
    upload("exports/features/reset.csv", EXPORT);
    Optional<String> before = live();
    List<String> modelsBefore = keys("models/");
    proxy()
        .rule(
            r ->
                r.method().equals("GET") && r.path().contains("reset.csv")
                    ? new FaultProxy.Reset()
                    : new FaultProxy.Pass());
    Response response = invoke(event(TEMPLATE, "exports/features/reset.csv"));
    assertTrue(failed(response), response.asString());
    assertEquals(modelsBefore, keys("models/"));
    assertEquals(before, live());
  }

  /**
   * A PUT of the publish fails on every attempt; the invocation fails and leaves a state a reader
   * can never see as inconsistent; the retry of the same event then finishes the publish.
   */
  private void failingPutThenRetry(String name, String failingPath) {
    String key = "exports/features/" + name + ".csv";
    upload(key, EXPORT);
    String event = event(TEMPLATE, key);
    Optional<String> before = live();
    proxy()
        .rule(
            r ->
                r.method().equals("PUT") && r.path().contains(failingPath)
                    ? new FaultProxy.Status(500)
                    : new FaultProxy.Pass());
    Response failed = invoke(event);
    assertTrue(failed(failed), name + ": " + failed.asString());
    for (String k : keys("models/default/")) {
      if (k.endsWith("/report.html")) {
        String version = k.substring("models/default/".length(), k.length() - 12);
        assertTrue(
            keys("models/default/" + version + ".json").size() == 1 || !failingPath.equals(".json"),
            name + ": a report without its version: " + k);
      }
    }
    assertEquals(before, live(), name + ": latest.json moved although the publish failed");

    proxy().pass();
    JsonNode retried = json(invoke(event).asString()).get("results").get(0);
    String version = retried.get("version").asText();
    assertEquals("MOVED", retried.get("latest").asText(), name + ": " + retried);
    assertEquals(Optional.of(version), live(), name);
    assertEquals(1, keys("models/default/" + version + "/report.html").size(), name);
    assertEquals(1, keys("models/default/" + version + ".json").size(), name);
  }

  @Test
  @Order(4)
  void aFailedReportPutPublishesNothingAndTheRetryPublishes() {
    failingPutThenRetry("put-report", "/report.html");
    // Nothing at all was written by the failed attempt: the retry trained (not a redelivery).
  }

  @Test
  @Order(5)
  void aFailedModelPutLeavesNoOrphanReportAndTheRetryPublishes() {
    upload("exports/features/put-model.csv", EXPORT);
    List<String> before = keys("models/");
    proxy()
        .rule(
            r ->
                r.method().equals("PUT")
                        && r.path().startsWith("/retention-data/models/default/2")
                        && r.path().endsWith(".json")
                    ? new FaultProxy.Status(500)
                    : new FaultProxy.Pass());
    Response failed = invoke(event(TEMPLATE, "exports/features/put-model.csv"));
    assertTrue(failed(failed), failed.asString());
    assertEquals(before, keys("models/"), "the report written before the model was removed");
    proxy().pass();
    JsonNode retried =
        json(invoke(event(TEMPLATE, "exports/features/put-model.csv")).asString())
            .get("results")
            .get(0);
    assertEquals("TRAINED", retried.get("status").asText());
    assertEquals(Optional.of(retried.get("version").asText()), live());
  }

  @Test
  @Order(6)
  void aFailedPointerPutLeavesACompleteVersionThatTheRetryMakesLive() {
    upload("exports/features/put-pointer.csv", EXPORT);
    Optional<String> before = live();
    proxy()
        .rule(
            r ->
                r.method().equals("PUT") && r.path().endsWith("latest.json")
                    ? new FaultProxy.Status(500)
                    : new FaultProxy.Pass());
    Response failed = invoke(event(TEMPLATE, "exports/features/put-pointer.csv"));
    assertTrue(failed(failed), failed.asString());
    assertEquals(before, live());
    proxy().pass();
    JsonNode retried =
        json(invoke(event(TEMPLATE, "exports/features/put-pointer.csv")).asString())
            .get("results")
            .get(0);
    // The version was published by the failed attempt; the retry finishes it.
    assertEquals("ALREADY_PUBLISHED", retried.get("status").asText(), retried.toString());
    assertEquals("MOVED", retried.get("latest").asText());
    assertEquals(Optional.of(retried.get("version").asText()), live());
  }

  @Test
  @Order(7)
  void oneServerErrorOnEachPutIsRetriedByTheClient() {
    upload("exports/features/flaky.csv", EXPORT);
    java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    proxy()
        .rule(
            r ->
                r.method().equals("PUT") && failedOnce.add(r.path())
                    ? new FaultProxy.Status(503)
                    : new FaultProxy.Pass());
    JsonNode result =
        json(invoke(event(TEMPLATE, "exports/features/flaky.csv")).asString())
            .get("results")
            .get(0);
    assertEquals("TRAINED", result.get("status").asText(), result.toString());
    assertEquals(Optional.of(result.get("version").asText()), live());
    assertEquals(
        4, failedOnce.size(), "report, held-out customers, model and pointer each failed once");
  }

  /** Two exports written a second apart: the later one is the newer model. */
  private static String[] twoExports(String a, String b) throws InterruptedException {
    upload("exports/features/" + a + ".csv", EXPORT);
    Thread.sleep(1100); // S3 last-modified times have one-second resolution
    upload("exports/features/" + b + ".csv", EXPORT);
    return new String[] {"exports/features/" + a + ".csv", "exports/features/" + b + ".csv"};
  }

  @Test
  @Order(8)
  void anOlderExportTrainedLastIsPublishedButNeverRollsTheLiveModelBack() throws Exception {
    String[] keys = twoExports("older", "newer");
    JsonNode newer = json(invoke(event(TEMPLATE, keys[1])).asString()).get("results").get(0);
    assertEquals("MOVED", newer.get("latest").asText());
    JsonNode older = json(invoke(event(TEMPLATE, keys[0])).asString()).get("results").get(0);
    assertEquals("TRAINED", older.get("status").asText());
    assertEquals("NEWER_IS_LIVE", older.get("latest").asText());
    assertEquals(newer.get("version").asText(), older.get("liveVersion").asText());
    assertEquals(Optional.of(newer.get("version").asText()), live());
    // A retried (redelivered) older export finds its version and still leaves the pointer.
    JsonNode retried = json(invoke(event(TEMPLATE, keys[0])).asString()).get("results").get(0);
    assertEquals("ALREADY_PUBLISHED", retried.get("status").asText());
    assertEquals("NEWER_IS_LIVE", retried.get("latest").asText());
    assertEquals(Optional.of(newer.get("version").asText()), live());
  }

  @Test
  @Order(9)
  void concurrentTrainingsEndWithTheNewerModelLive() throws Exception {
    String[] keys = twoExports("race-old", "race-new");
    // Hold back the newer model's pointer write so the older one gets there first.
    AtomicInteger pointerWrites = new AtomicInteger();
    proxy()
        .rule(
            r ->
                r.method().equals("PUT") && r.path().endsWith("latest.json")
                    ? (pointerWrites.incrementAndGet() == 1
                        ? new FaultProxy.Delay(1500)
                        : new FaultProxy.Pass())
                    : new FaultProxy.Pass());
    CompletableFuture<List<TrainSummary>> a =
        CompletableFuture.supplyAsync(
            () -> training.handle(List.of(S3ObjectRef.current("retention-data", keys[0]))));
    CompletableFuture<List<TrainSummary>> b =
        CompletableFuture.supplyAsync(
            () -> training.handle(List.of(S3ObjectRef.current("retention-data", keys[1]))));
    TrainSummary older = a.get().get(0);
    TrainSummary newer = b.get().get(0);
    assertNotEquals(older.version(), newer.version());
    assertEquals(Optional.of(newer.version()), live(), older + " / " + newer);
    assertTrue(
        List.of("MOVED", "NEWER_IS_LIVE").contains(older.latest()),
        "the older one either went first or saw the newer live: " + older);
  }

  @Test
  @Order(10)
  void anEventForAnObjectThatWasOverwrittenSinceIsSkippedAsSuperseded() {
    upload("exports/features/overwritten.csv", EXPORT);
    String staleEvent = event(TEMPLATE, "exports/features/overwritten.csv");
    byte[] changed =
        new String(EXPORT, java.nio.charset.StandardCharsets.UTF_8)
            .replace("C100000,", "C100000x,")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    upload("exports/features/overwritten.csv", changed);
    JsonNode result = json(invoke(staleEvent).asString()).get("results").get(0);
    assertEquals("SKIPPED", result.get("status").asText());
    assertTrue(result.get("reason").asText().startsWith("superseded"), result.toString());
  }
}
