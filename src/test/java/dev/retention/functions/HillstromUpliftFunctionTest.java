package dev.retention.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.testing.Events;
import dev.retention.testing.Hillstrom;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Kevin Hillstrom's real e-mail test (src/test/resources/real/hillstrom/SOURCE.md), uploaded as it
 * ships (gzip, no id column, the arm in its {@code segment} column as text) and trained through the
 * train function's Lambda event path with settings only: it trains an uplift model of a website
 * visit for the women's e-mail against no e-mail, whose held-out Qini is positive.
 */
@QuarkusTest
@TestProfile(HillstromUpliftProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class HillstromUpliftFunctionTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KEY = "exports/features/hillstrom.csv.gz";

  @Test
  void theWomensEmailArmTrainsAnUpliftModelThatBeatsRandomOrder() throws Exception {
    Response response;
    try (S3Client s3 = LocalS3Resource.server.client()) {
      s3.putObject(
          b -> b.bucket(LocalS3Resource.BUCKET).key(KEY),
          RequestBody.fromBytes(Files.readAllBytes(Hillstrom.FILE)));
      response =
          given()
              .contentType("application/json")
              .body(Events.asS3Sends(Events.s3WithKey("s3-put-csv.json", KEY), s3))
              .when()
              .post();
    }
    response.then().statusCode(200).body("results[0].status", equalTo("TRAINED"));
    JsonNode summary = MAPPER.readTree(response.asString()).get("results").get(0);
    assertEquals(64_000, summary.get("rowsUsed").asLong(), "every customer trains the model");
    byte[] json;
    try (S3Client s3 = LocalS3Resource.server.client()) {
      json =
          s3.getObjectAsBytes(
                  b -> b.bucket(LocalS3Resource.BUCKET).key(summary.get("modelKey").asText()))
              .asByteArray();
    }
    RetentionModel model = ModelJson.read(json);
    assertFalse(model.featureNames().contains("segment"));
    RetentionModel.Uplift uplift = model.uplift();
    assertNotNull(uplift, model.provenance().warnings().toString());
    // The men's arm is outside this comparison: women's e-mail (21,387) and no e-mail (21,306).
    assertEquals(21_387, uplift.treated());
    assertEquals(21_306, uplift.control());
    assertTrue(uplift.heldOut().qini() > 0, "held-out Qini " + uplift.heldOut().qini());
    System.out.println(
        "hillstrom-uplift: learner="
            + uplift.learner()
            + " heldOutQini="
            + uplift.heldOut().qini()
            + " auuc="
            + uplift.heldOut().auuc()
            + " normalizedQini="
            + uplift.heldOut().normalizedQini()
            + " averageEffect="
            + uplift.heldOut().averageEffect()
            + " candidates="
            + uplift.candidates());
  }
}
