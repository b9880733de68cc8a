package dev.retention.faults;

import static dev.retention.faults.Bucketed.event;
import static dev.retention.faults.Bucketed.invoke;
import static dev.retention.faults.Bucketed.json;
import static dev.retention.faults.Bucketed.keys;
import static dev.retention.faults.Bucketed.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.FaultProxy;
import dev.retention.testing.ReferenceData;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The batch-score function behind the fault proxy: a cut export or a cut model is a failed
 * invocation that writes no scores; formula-like ids are neutralised; two exports of the same name
 * under different paths never share an output key.
 */
@QuarkusTest
@TestProfile(BatchFaultProfile.class)
@QuarkusTestResource(value = FaultyS3Resource.class, restrictToAnnotatedClass = true)
class BatchFaultsTest {

  private static final String TEMPLATE = "s3-put-score-csv.json";

  @BeforeAll
  static void publishAModel() {
    ReferenceData reference = ReferenceData.load();
    RetentionModel model =
        new Trainer(TrainingOptions.defaults().withK(3))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", "batch-v1", Instant.parse("2026-11-28T00:00:00Z")));
    try (S3Client s3 = FaultyS3Resource.server.client()) {
      new ModelStore(new Bucket(s3, FaultyS3Resource.BUCKET), "models/", "default")
          .publish(model, ReportHtml.render(model));
    }
  }

  @AfterEach
  void heal() {
    FaultyS3Resource.proxy.pass();
  }

  private static byte[] export(String firstId) {
    String csv = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8);
    return csv.replaceFirst("\nC100000,", "\n" + firstId + ",").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCutExportWritesNoScores() {
    upload("exports/score/cut.csv", export("C100000"));
    FaultyS3Resource.proxy.rule(
        r ->
            r.method().equals("GET") && r.path().endsWith("/exports/score/cut.csv")
                ? new FaultProxy.CutBody(100_000)
                : new FaultProxy.Pass());
    Response response = invoke(event(TEMPLATE, "exports/score/cut.csv"));
    assertTrue(response.asString().contains("the connection ended early"), response.asString());
    assertEquals(List.of(), keys("scores/batch-v1/cut"), "no partial scores");
  }

  @Test
  void aCutModelDownloadWritesNoScores() {
    upload("exports/score/model-cut.csv", export("C100000"));
    FaultyS3Resource.proxy.rule(
        r ->
            r.method().equals("GET") && r.path().endsWith("/models/default/batch-v1.json")
                ? new FaultProxy.CutBody(2_000)
                : new FaultProxy.Pass());
    Response response = invoke(event(TEMPLATE, "exports/score/model-cut.csv"));
    assertTrue(response.asString().contains("ended early"), response.asString());
    assertEquals(List.of(), keys("scores/batch-v1/model-cut"));
  }

  @Test
  void sameNamesUnderDifferentPathsNeverShareAKeyAndFormulasAreNeutralised() {
    upload("exports/score/shopA/today.csv", export("=HYPERLINK(\"http://x\")"));
    upload("exports/score/shopB/today.csv", export("+1+cmd|' /C calc'!A0"));
    JsonNode a =
        json(invoke(event(TEMPLATE, "exports/score/shopA/today.csv")).asString())
            .get("results")
            .get(0);
    JsonNode b =
        json(invoke(event(TEMPLATE, "exports/score/shopB/today.csv")).asString())
            .get("results")
            .get(0);
    assertEquals("scores/batch-v1/shopA/today.csv", a.get("outputKey").asText());
    assertEquals("scores/batch-v1/shopB/today.csv", b.get("outputKey").asText());
    String scoresA =
        new String(
            Bucketed.download(a.get("outputKey").asText()).orElseThrow(), StandardCharsets.UTF_8);
    String scoresB =
        new String(
            Bucketed.download(b.get("outputKey").asText()).orElseThrow(), StandardCharsets.UTF_8);
    assertTrue(scoresA.contains("\n\"'=HYPERLINK(\"\"http://x\"\")\","), scoresA.substring(0, 300));
    assertTrue(scoresB.contains("\n'+1+cmd|' /C calc'!A0,"), scoresB.substring(0, 300));
  }

  @Test
  void aKeyThatTriesToLeaveItsPrefixIsRefused() {
    // (s3proxy itself refuses to store such a key; a hostile event can still name it.)
    JsonNode r =
        json(invoke(event(TEMPLATE, "exports/score/../models/default/latest.csv")).asString())
            .get("results")
            .get(0);
    assertEquals("SKIPPED", r.get("status").asText());
    assertTrue(r.get("reason").asText().startsWith("refused"), r.toString());
  }
}
