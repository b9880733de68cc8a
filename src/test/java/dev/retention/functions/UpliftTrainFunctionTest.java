package dev.retention.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.retention.core.UpliftMetrics;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.UpliftModel;
import dev.retention.testing.Events;
import dev.retention.testing.UpliftExports;
import dev.retention.testing.UpliftSimulation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 21: a past campaign's feature export with its treatment column, through the train
 * function's real Lambda event path against a real S3-compatible server, trains an uplift model
 * besides the repurchase model; a campaign too small for one still publishes and says why; a bad
 * treatment cell is rejected by line and column, never by value.
 */
@QuarkusTest
@TestProfile(UpliftTrainProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class UpliftTrainFunctionTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = LocalS3Resource.BUCKET;

  private static void upload(String key, byte[] bytes) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }
  }

  private static byte[] download(String key) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }
  }

  private static JsonNode train(String key, byte[] export) throws Exception {
    upload(key, export);
    Response response;
    try (S3Client s3 = LocalS3Resource.server.client()) {
      response =
          given()
              .contentType("application/json")
              .body(Events.asS3Sends(Events.s3WithKey("s3-put-csv.json", key), s3))
              .when()
              .post();
    }
    response.then().statusCode(200).body("results[0].status", equalTo("TRAINED"));
    return MAPPER.readTree(response.asString()).get("results").get(0);
  }

  @Test
  void aRandomizedCampaignTrainsAnUpliftModelThatRanksNearTheOracle() throws Exception {
    UpliftExports.Export export = UpliftExports.of(21, 30_000, 0.5);
    JsonNode summary = train("exports/features/campaign.csv", export.bytes());
    byte[] json = download(summary.get("modelKey").asText());
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    assertTrue(schema.validate(MAPPER.readTree(json)).isEmpty());
    RetentionModel model = ModelJson.read(json);
    assertEquals(RetentionModel.SCHEMA_VERSION, model.schemaVersion());
    // The treatment is never a feature of either model.
    assertFalse(model.featureNames().contains("treated"));
    RetentionModel.Uplift uplift = model.uplift();
    assertNotNull(uplift, model.provenance().warnings().toString());
    assertEquals("treated", uplift.treatmentColumn());
    assertEquals(30_000, uplift.customers());
    assertEquals(3, uplift.candidates().size());
    assertEquals(1, uplift.candidates().stream().filter(c -> c.chosen()).count());
    assertTrue(uplift.heldOut().qini() > 0, "held-out Qini " + uplift.heldOut().qini());
    assertTrue(uplift.deciles().size() >= 2);
    for (RetentionModel.UpliftDecile d : uplift.deciles()) {
      assertTrue(d.treated() >= 50 && d.control() >= 50, "a decile below the minimum size");
    }

    // New customers of the same shop, never seen in training: the stored model's ranking against
    // the oracle's (the true effect), on the noise-free expected outcomes.
    UpliftModel scoring = UpliftModel.of(uplift, 50);
    UpliftSimulation.Customers fresh =
        UpliftSimulation.customers(4242, 20_000, UpliftSimulation.Parameters.defaults());
    double[] predicted = new double[fresh.size()];
    int[] treatment = new int[2 * fresh.size()];
    double[] expected = new double[2 * fresh.size()];
    double[] scores = new double[2 * fresh.size()];
    double[] oracle = new double[2 * fresh.size()];
    for (int i = 0; i < fresh.size(); i++) {
      predicted[i] = scoring.uplift(fresh.features().row(i));
      // Each customer once contacted and once left alone, with the expected outcome of each.
      for (int arm = 0; arm < 2; arm++) {
        treatment[2 * i + arm] = arm;
        expected[2 * i + arm] = arm == 1 ? fresh.buyIfContacted(i) : fresh.buyIfLeftAlone(i);
        scores[2 * i + arm] = predicted[i];
        oracle[2 * i + arm] = fresh.tau(i);
      }
    }
    double ratio =
        UpliftMetrics.qini(scores, treatment, expected)
            / UpliftMetrics.qini(oracle, treatment, expected);
    System.out.println("uplift-oracle: Qini ratio to the oracle's " + ratio);
    assertTrue(ratio > 0.8, "Qini against the oracle's: " + ratio);
  }

  @Test
  void tooFewHeldOutCustomersPublishTheRepurchaseModelAndSayWhy() throws Exception {
    // 2 % held out of 4,000: about 24 control customers in the validation part, below 50.
    UpliftExports.Export export = UpliftExports.of(7, 4_000, 0.98);
    JsonNode summary = train("exports/features/small-holdout.csv", export.bytes());
    RetentionModel model = ModelJson.read(download(summary.get("modelKey").asText()));
    assertNull(model.uplift());
    assertTrue(
        model.provenance().warnings().stream()
            .anyMatch(w -> w.startsWith("no uplift model: ") && w.contains("control")),
        model.provenance().warnings().toString());
    assertTrue(summary.get("warnings").toString().contains("no uplift model"));
  }

  @Test
  void aBadTreatmentCellIsRejectedByLineAndColumnNeverByValue() throws Exception {
    String csv = UpliftExports.of(9, 3_000, 0.5).csv();
    // Line 3 (the second customer) says "maybe" where the campaign said 1 or 0.
    String[] lines = csv.split("\n", -1);
    String[] cells = lines[2].split(",");
    cells[cells.length - 2] = "maybe-secret-7";
    lines[2] = String.join(",", cells);
    JsonNode summary =
        train(
            "exports/features/bad-cell.csv",
            String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    assertEquals(1, summary.get("rowsRejected").asLong());
    RetentionModel model = ModelJson.read(download(summary.get("modelKey").asText()));
    String reason = model.provenance().rejections().get(0);
    assertTrue(reason.contains("line 3") && reason.contains("treated"), reason);
    String everything = summary.toString() + ModelJson.writeString(model);
    assertFalse(everything.contains("maybe-secret-7"), "the bad value is printed");
    assertNotNull(model.uplift());
  }
}
