package dev.retention.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.EmfCapture;
import dev.retention.testing.Events;
import dev.retention.testing.ReferenceData;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The score function through the real Lambda path (mock event server) with API Gateway HTTP API v2
 * events, reading models from a real S3-compatible server.
 */
@QuarkusTest
@TestProfile(ScoreProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoreFunctionTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ReferenceData REFERENCE = ReferenceData.load();

  private static Response invoke(String event) {
    Response response = given().contentType("application/json").body(event).when().post();
    response.then().statusCode(200); // the Lambda invocation itself succeeds; HTTP status is inside
    return response;
  }

  private static JsonNode body(Response lambdaResponse) throws Exception {
    return MAPPER.readTree(lambdaResponse.jsonPath().getString("body"));
  }

  private static RetentionModel publish(String version, TrainingOptions options) {
    RetentionModel model =
        new Trainer(options)
            .train(
                Trainer.Input.of(REFERENCE.features, REFERENCE.labels, "repurchased"),
                new Trainer.Identity("default", version, Instant.parse("2026-11-28T00:00:00Z")));
    try (S3Client s3 = LocalS3Resource.server.client()) {
      new ModelStore(new Bucket(s3, LocalS3Resource.BUCKET), "models/", "default")
          .publish(model, ReportHtml.render(model));
    }
    return model;
  }

  @Test
  @Order(1)
  void withoutAPublishedModelTheApiAnswers503() throws Exception {
    Response r = invoke(Events.text("score-single.json"));
    r.then()
        .body("statusCode", equalTo(503))
        .body("headers.content-type", equalTo("application/json"));
    JsonNode error = body(r).get("error");
    assertEquals("no_model", error.get("code").asText());
    assertTrue(error.get("message").asText().startsWith("no model is published yet"));
  }

  @Test
  @Order(2)
  void singleCustomerGetsSegmentProbabilityBandAndTopContributions() throws Exception {
    RetentionModel model = publish("v1", TrainingOptions.defaults().withK(4));
    JsonNode result = body(invoke(Events.text("score-single.json")));
    // The answer equals the model's own scorer on the event's features.
    JsonNode features =
        MAPPER.readTree(Events.json("score-single.json").get("body").asText()).get("features");
    Scorer scorer = Scorer.of(model);
    double[] raw = new double[scorer.featureNames().size()];
    features
        .properties()
        .forEach(e -> raw[scorer.featureIndex(e.getKey())] = e.getValue().asDouble());
    Scorer.Score expected = scorer.score(raw);
    assertEquals("C-1001", result.get("customerId").asText());
    assertEquals(expected.segment(), result.get("segment").asInt());
    assertEquals(expected.segmentName(), result.get("segmentName").asText());
    assertEquals(expected.probability(), result.get("probability").asDouble(), 1e-15);
    String band =
        expected.probability() < 0.33 ? "high" : expected.probability() < 0.66 ? "medium" : "low";
    assertEquals(band, result.get("churnRiskBand").asText());
    assertEquals(3, result.get("topContributions").size());
    assertEquals(
        expected.topContributions().get(0).feature(),
        result.get("topContributions").get(0).get("feature").asText());
    assertEquals("v1", result.get("modelVersion").asText());
  }

  @Test
  @Order(3)
  void batchIsScoredInOrderAndEachRequestEmitsItsMetrics() throws Exception {
    JsonNode out;
    List<JsonNode> records;
    List<JsonNode> errors;
    try (EmfCapture emf = EmfCapture.start()) {
      out = body(invoke(Events.text("score-batch.json")));
      invoke(Events.text("score-bad-request.json"));
      records = emf.records("score", "Latency");
      errors = emf.records("score", "ClientErrors");
    }
    assertEquals(2, records.size(), records.toString());
    JsonNode ok = records.get(0);
    assertEquals(3, ok.get("CustomersScored").asInt());
    assertEquals(0, ok.get("ClientErrors").asInt());
    assertEquals("200", ok.get("status").asText());
    assertTrue(ok.get("Latency").asDouble() > 0);
    assertEquals(1, errors.get(1).get("ClientErrors").asInt());
    assertEquals(0, errors.get(1).get("CustomersScored").asInt(), "nothing scored on a 400");
    // Powertools' convention: every line of a warm invocation says ColdStart 0 (requests of the
    // tests before ran in this process) and names its own invocation's request id.
    for (JsonNode record : records) {
      assertEquals(0, record.get("ColdStart").asInt(), record.toString());
      assertFalse(record.path("function_request_id").asText().isBlank(), record.toString());
    }
    assertFalse(
        records
            .get(0)
            .get("function_request_id")
            .asText()
            .equals(records.get(1).get("function_request_id").asText()),
        "two invocations, two request ids");
    assertEquals(3, out.get("count").asInt());
    assertEquals("C-1002", out.get("results").get(1).get("customerId").asText());
    // A customer seen 240 days ago with 2 orders is a churn risk; one seen 12 days ago is not.
    assertEquals("high", out.get("results").get(1).get("churnRiskBand").asText());
    assertEquals("low", out.get("results").get(0).get("churnRiskBand").asText());
  }

  @Test
  @Order(4)
  void badRequestNamesTheFieldAndTheCustomerIndex() throws Exception {
    Response r = invoke(Events.text("score-bad-request.json"));
    r.then().body("statusCode", equalTo(400));
    JsonNode error = body(r).get("error");
    assertEquals("invalid_feature", error.get("code").asText());
    assertEquals("customers[1].features.monetary", error.get("field").asText());
    assertEquals(1, error.get("customerIndex").asInt());
    assertEquals("feature 'monetary' must be a number, got string", error.get("message").asText());
  }

  @Test
  @Order(5)
  void everyClientErrorIsA400WithAClearMessageAndNoStackTrace() throws Exception {
    String okFeatures =
        MAPPER
            .readTree(Events.json("score-single.json").get("body").asText())
            .get("features")
            .toString();
    assertError("{\"features\":", 400, "malformed_json", null);
    assertError("[1,2]", 400, "malformed_json", null);
    assertError("", 400, "empty_body", null);
    assertError("{\"customers\":[]}", 400, "empty_batch", "customers");
    assertError("{\"nothing\":1}", 400, "invalid_field", null);
    assertError(
        "{\"features\":" + okFeatures.replace("\"monetary\":64.5,", "") + "}",
        400,
        "invalid_feature",
        "features.monetary");
    assertError(
        "{\"features\":" + okFeatures.replace("}", ",\"shoe_size\":42}") + "}",
        400,
        "invalid_feature",
        "features.shoe_size");
    assertError(
        "{\"customers\":[{\"features\":"
            + okFeatures
            + "},{\"features\":"
            + okFeatures.replace("64.5", "null")
            + "}]}",
        400,
        "invalid_feature",
        "customers[1].features.monetary");
    StringBuilder big = new StringBuilder("{\"customers\":[");
    for (int i = 0; i < 1001; i++) {
      big.append(i == 0 ? "" : ",").append("{\"features\":").append(okFeatures).append('}');
    }
    assertError(big.append("]}").toString(), 400, "batch_too_large", "customers");
    String padding = "x".repeat(1_100_000);
    assertError(
        "{\"features\":" + okFeatures + ",\"pad\":\"" + padding + "\"}",
        400,
        "body_too_large",
        null);
  }

  @Test
  @Order(6)
  void unknownRouteIs404AndWrongMethodIs405() throws Exception {
    Response notFound = invoke(Events.http("GET", "/segments", null));
    notFound.then().body("statusCode", equalTo(404));
    assertEquals("not_found", body(notFound).get("error").get("code").asText());
    Response wrongMethod = invoke(Events.http("GET", "/score", null));
    wrongMethod.then().body("statusCode", equalTo(405)).body("headers.allow", equalTo("POST"));
    invoke(Events.http("DELETE", "/model", null)).then().body("statusCode", equalTo(405));
  }

  @Test
  @Order(7)
  void getModelReturnsMetadataAndMetrics() throws Exception {
    Response r = invoke(Events.text("get-model.json"));
    r.then().body("statusCode", equalTo(200));
    JsonNode model = body(r);
    assertEquals("v1", model.get("version").asText());
    assertTrue(model.get("evaluation").get("rocAuc").asDouble() > 0.85);
    assertEquals(4, model.get("segments").size());
    assertFalse(r.asString().contains("C100000"), "no customer ids");
  }

  @Test
  @Order(8)
  void aNewModelIsPickedUpAfterTheCacheTtlWhileWarm() throws Exception {
    publish("v2", TrainingOptions.defaults().withK(3));
    // TTL is 1 s in this profile: poll until the warm function serves v2 (bounded wait).
    long deadline = System.nanoTime() + 15_000_000_000L;
    String served = "v1";
    while (!served.equals("v2") && System.nanoTime() < deadline) {
      served = body(invoke(Events.text("score-single.json"))).get("modelVersion").asText();
      if (!served.equals("v2")) {
        Thread.sleep(200);
      }
    }
    assertEquals("v2", served);
  }

  @Test
  @Order(9)
  void aCorruptLatestPointerNeverReplacesTheLastGoodModel() throws Exception {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      s3.putObject(
          b -> b.bucket(LocalS3Resource.BUCKET).key("models/default/latest.json"),
          RequestBody.fromString("{\"key\": \"models/default/v3.json\", \"trunc"));
    }
    Thread.sleep(1200); // let the 1 s TTL pass so the corrupt pointer is read
    for (int i = 0; i < 3; i++) {
      Response r = invoke(Events.text("score-single.json"));
      r.then().body("statusCode", equalTo(200));
      assertEquals("v2", body(r).get("modelVersion").asText());
    }
    // A pointer to a model file that fails validation is refused the same way.
    try (S3Client s3 = LocalS3Resource.server.client()) {
      s3.putObject(
          b -> b.bucket(LocalS3Resource.BUCKET).key("models/default/v4.json"),
          RequestBody.fromString("{\"schemaVersion\": \"9.0\"}"));
      s3.putObject(
          b -> b.bucket(LocalS3Resource.BUCKET).key("models/default/latest.json"),
          RequestBody.fromString("{\"key\": \"models/default/v4.json\"}"));
    }
    Thread.sleep(1200);
    Response r = invoke(Events.text("get-model.json"));
    r.then().body("statusCode", equalTo(200));
    assertEquals("v2", body(r).get("version").asText());
  }

  private static void assertError(String requestBody, int status, String code, String field)
      throws Exception {
    Response r = invoke(Events.http("POST", "/score", requestBody));
    r.then().body("statusCode", equalTo(status));
    JsonNode error = body(r).get("error");
    assertEquals(code, error.get("code").asText(), error.toString());
    if (field != null) {
      assertEquals(field, error.get("field").asText(), error.toString());
    }
    assertFalse(
        r.asString().contains("Exception"), "no stack trace or exception name: " + r.asString());
  }
}
