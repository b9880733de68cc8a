package dev.retention.faults;

import static dev.retention.faults.Bucketed.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.Events;
import dev.retention.testing.FaultProxy;
import dev.retention.testing.ReferenceData;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The score function behind the fault proxy: while S3 hangs or cuts the model short, a warm
 * function keeps answering with its last good model within the refresh budget (1 s here).
 */
@QuarkusTest
@TestProfile(ScoreFaultProfile.class)
@QuarkusTestResource(value = FaultyS3Resource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoreFaultsTest {

  private static void publish(String version) {
    ReferenceData reference = ReferenceData.load();
    RetentionModel model =
        new Trainer(TrainingOptions.defaults().withK(3))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", version, Instant.parse("2026-11-28T00:00:00Z")));
    try (S3Client s3 = FaultyS3Resource.server.client()) {
      new ModelStore(new Bucket(s3, FaultyS3Resource.BUCKET), "models/", "default")
          .publish(model, ReportHtml.render(model));
    }
  }

  /** Scores one customer; returns the served model version and the wall time in ms. */
  private static long[] scoreOnce(String[] version) {
    long start = System.nanoTime();
    Response response = Bucketed.invoke(Events.text("score-single.json"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.jsonPath().getInt("statusCode"), response.asString());
    version[0] = json(response.jsonPath().getString("body")).get("modelVersion").asText();
    return new long[] {ms};
  }

  @Test
  @Order(1)
  void aHangingStoreNeverHoldsARequestPastTheRefreshBudget() throws Exception {
    publish("v1");
    String[] served = new String[1];
    scoreOnce(served);
    assertEquals("v1", served[0]);
    FaultyS3Resource.proxy.rule(r -> new FaultProxy.Hang());
    Thread.sleep(1100); // the TTL passes: the next request re-checks latest.json
    long worst = 0;
    for (int i = 0; i < 5; i++) {
      worst = Math.max(worst, scoreOnce(served)[0]);
      assertEquals("v1", served[0], "the last good model keeps serving");
    }
    // One re-check per TTL may wait the 1 s budget; no request waits longer.
    assertTrue(worst < 2_500, "a request waited " + worst + " ms while S3 hung");
    FaultyS3Resource.proxy.pass();
  }

  @Test
  @Order(2)
  void aModelCutShortNeverReplacesTheLastGoodOne() throws Exception {
    publish("v2");
    FaultyS3Resource.proxy.rule(
        r ->
            r.method().equals("GET") && r.path().endsWith("/models/default/v2.json")
                ? new FaultProxy.CutBody(5_000)
                : new FaultProxy.Pass());
    Thread.sleep(1100);
    String[] served = new String[1];
    for (int i = 0; i < 3; i++) {
      scoreOnce(served);
      assertEquals("v1", served[0], "a truncated model file must not be loaded");
    }
    FaultyS3Resource.proxy.pass();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!served[0].equals("v2") && System.nanoTime() < deadline) {
      Thread.sleep(300);
      scoreOnce(served);
    }
    assertEquals("v2", served[0], "once S3 is whole again the new model loads");
  }
}
