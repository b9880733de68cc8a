package dev.retention.functions;

import static dev.retention.functions.LocalS3Resource.download;
import static dev.retention.functions.LocalS3Resource.invoke;
import static dev.retention.functions.LocalS3Resource.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.testing.Events;
import dev.retention.testing.SyntheticOrders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The campaign pointer {@code scores/campaigns/<id>.json} never moves away from the batch that
 * planned the campaign: a second, different batch of the same campaign id (here an older export
 * delivered after a newer one, as a late redelivery or a forgotten setting would) is refused naming
 * {@code retention.campaign.id} before anything is written, and a redelivery of the campaign's own
 * batch leaves the pointer as it was. Through the real Lambda event path and a real S3-compatible
 * server.
 */
@QuarkusTest
@TestProfile(CampaignBatchProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class CampaignPointerFunctionTest {

  private static final String BUCKET = LocalS3Resource.BUCKET;
  private static final String POINTER = "scores/campaigns/winter-2026.json";
  private static final String NEWER = "exports/score/week-48.csv";
  private static final String OLDER = "exports/score/week-47.csv";

  @Inject TrainingService training;

  private static boolean exists(String key) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      s3.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static Response invokeScore(String key) {
    return invoke(Events.s3WithKey("s3-put-score-csv.json", key));
  }

  private static byte[] orders(long rows, int customers, LocalDate last, long seed)
      throws Exception {
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, rows, customers, last, seed);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anOlderBatchOfTheSameCampaignIsRefusedAndThePointerNeverMovesBack() throws Exception {
    upload("exports/orders/history.csv", orders(30_000, 3_000, LocalDate.of(2026, 9, 30), 5L));
    TrainSummary trained =
        training.handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/history.csv"))).get(0);
    assertEquals(TrainSummary.Status.TRAINED, trained.status(), trained.toString());

    upload(NEWER, orders(20_000, 2_000, LocalDate.of(2026, 11, 27), 6L));
    Response planned = invokeScore(NEWER);
    planned.then().statusCode(200);
    String newerScores = planned.jsonPath().getString("results[0].outputKey");
    byte[] pointer = download(POINTER);
    JsonNode named = new ObjectMapper().readTree(pointer);
    assertEquals(newerScores, named.get("scores").asText());
    LocalDate plannedAsOf = LocalDate.parse(named.get("asOf").asText());

    // An older export of the same campaign arrives afterwards: refused, naming the setting.
    upload(OLDER, orders(20_000, 2_000, LocalDate.of(2026, 11, 20), 7L));
    Response older = invokeScore(OLDER);
    assertNotEquals(200, older.statusCode(), older.asString());
    String message = older.asString();
    assertTrue(message.contains("retention.campaign.id"), message);
    assertTrue(message.contains(newerScores), "names the campaign's batch: " + message);
    assertArrayEquals(pointer, download(POINTER), "the pointer moved back");
    assertTrue(plannedAsOf.isAfter(LocalDate.of(2026, 11, 20)), "the refused batch was older");
    String olderScores = newerScores.replace("week-48", "week-47");
    assertFalse(exists(olderScores), "scores written for a refused batch");
    assertFalse(exists(olderScores.replaceFirst("\\.csv$", ".campaign.json")), "a manifest");
    assertFalse(exists(olderScores.replaceFirst("\\.csv$", ".report.html")), "a report");

    // A redelivery of the campaign's own batch: scored again, the pointer as it was.
    byte[] manifest = download(newerScores.replaceFirst("\\.csv$", ".campaign.json"));
    invokeScore(NEWER).then().statusCode(200);
    assertArrayEquals(pointer, download(POINTER));
    assertArrayEquals(manifest, download(newerScores.replaceFirst("\\.csv$", ".campaign.json")));
  }
}
