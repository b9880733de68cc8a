package dev.retention.functions;

import static dev.retention.functions.LocalS3Resource.download;
import static dev.retention.functions.LocalS3Resource.invoke;
import static dev.retention.functions.LocalS3Resource.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, measured lift end to end through the real Lambda event path against a real
 * S3-compatible server: a campaign batch, then an outcomes export under {@code
 * exports/score/outcomes/<campaign id>/} in which contacted customers buy more than held-out ones,
 * measured into {@code scores/campaigns/<campaign id>/result.json} and its report.
 */
@QuarkusTest
@TestProfile(CampaignOutcomesProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class CampaignOutcomesFunctionTest {

  private static final String BUCKET = LocalS3Resource.BUCKET;
  private static final String OUTCOMES = "exports/score/outcomes/spring-2027/december.csv";

  @Inject TrainingService training;

  private static byte[] orders(long rows, int customers, LocalDate last, long seed)
      throws Exception {
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, rows, customers, last, seed);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Orders after the campaign (as of 2026-11-20): contacted customers buy with probability 0.45,
   * everyone else 0.25, amounts 20 to 80; plus an order before the window (ignored) and a customer
   * the campaign never saw.
   */
  private static byte[] outcomes(List<String[]> customers, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder(SyntheticOrders.HEADER).append('\n');
    int order = 0;
    for (String[] c : customers) {
      String id = c[0];
      boolean contacted = c[1].equals("contact");
      if (random.nextDouble() < (contacted ? 0.45 : 0.25)) {
        LocalDate day = LocalDate.of(2026, 11, 21).plusDays(random.nextInt(12));
        csv.append(id).append(",x").append(order++).append(',').append(day).append(',');
        csv.append(String.format(Locale.ROOT, "%.2f", 20 + 60 * random.nextDouble()));
        csv.append(",1,paid,web\n");
      }
      if (random.nextInt(10) == 0) {
        csv.append(id).append(",x").append(order++).append(",2026-11-10,500.00,1,paid,web\n");
      }
    }
    csv.append("newcomer-1,x").append(order).append(",2026-12-01,30.00,1,paid,web\n");
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anOutcomesExportIsMeasuredAgainstTheCampaignsGroups() throws Exception {
    upload("exports/orders/history.csv", orders(30_000, 3_000, LocalDate.of(2026, 9, 30), 5L));
    TrainSummary trained =
        training.handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/history.csv"))).get(0);
    assertEquals(TrainSummary.Status.TRAINED, trained.status(), trained.toString());
    upload(
        "exports/score/customers-today.csv", orders(20_000, 2_000, LocalDate.of(2026, 11, 20), 6L));
    Response scored = invoke(Events.text("s3-put-score-csv.json"));
    scored.then().statusCode(200);
    String scoresKey = scored.jsonPath().getString("results[0].outputKey");
    String manifestKey = scored.jsonPath().getString("results[0].campaignKey");
    JsonNode pointer = new ObjectMapper().readTree(download("scores/campaigns/spring-2027.json"));
    assertEquals(scoresKey, pointer.get("scores").asText());
    assertEquals(manifestKey, pointer.get("manifest").asText());

    List<String> lines = new String(download(scoresKey), StandardCharsets.UTF_8).lines().toList();
    List<String> header = List.of(lines.get(0).split(","));
    int group = header.indexOf("group");
    List<String[]> customers = new ArrayList<>();
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      customers.add(new String[] {cells[0], cells[group]});
      counts.merge(cells[group], 1L, Long::sum);
    }
    // Some campaign customers are missing from the outcomes: they bought nothing.
    upload(OUTCOMES, outcomes(customers.subList(0, customers.size() - 100), 11L));

    Response measured = invoke(Events.s3WithKey("s3-put-score-csv.json", OUTCOMES));
    measured.then().statusCode(200);
    assertEquals("MEASURED", measured.jsonPath().getString("results[0].status"));
    String resultKey = measured.jsonPath().getString("results[0].outputKey");
    assertEquals("scores/campaigns/spring-2027/result.json", resultKey);
    assertEquals(manifestKey, measured.jsonPath().getString("results[0].campaignKey"));
    String reportKey = measured.jsonPath().getString("results[0].reportKey");
    byte[] resultBytes = download(resultKey);
    JsonNode result = new ObjectMapper().readTree(resultBytes);

    // Counts: the scores file's groups, whoever is missing from the outcomes.
    assertEquals("campaign-result/1", result.get("schema").asText());
    LocalDate asOf =
        LocalDate.parse(new ObjectMapper().readTree(download(manifestKey)).get("asOf").asText());
    assertEquals(asOf.plusDays(1).toString(), result.at("/window/from").asText());
    JsonNode overall = result.get("overall");
    assertEquals((long) counts.get("contact"), overall.at("/contact/customers").asLong());
    assertEquals((long) counts.get("holdout"), overall.at("/holdout/customers").asLong());
    assertEquals((long) counts.get("skip"), result.get("skipped").asLong());
    assertEquals(1, result.get("outcomeCustomersNotInCampaign").asLong());
    long contact = 0;
    long holdout = 0;
    for (JsonNode s : result.get("strata")) {
      contact += s.get("contactCustomers").asLong();
      holdout += s.get("holdoutCustomers").asLong();
    }
    assertEquals((long) counts.get("contact"), contact);
    assertEquals((long) counts.get("holdout"), holdout);

    // The effect: about +20 points of repurchase and +10 of revenue per customer; both intervals
    // exclude 0 and contain the truth's neighbourhood.
    double lower = overall.at("/rateDifference/lower").asDouble();
    double upper = overall.at("/rateDifference/upper").asDouble();
    assertTrue(lower > 0.05 && upper < 0.40 && lower < 0.2 && upper > 0.2, overall.toString());
    assertTrue(overall.at("/incrementalRevenue/lower").asDouble() > 0, overall.toString());
    assertTrue(overall.at("/revenueDifferenceBootstrap/lower").asDouble() > 0, overall.toString());
    assertTrue(overall.get("minimumDetectableRateDifference").asDouble() > 0);

    // Aggregates only: no customer id in the result or its report.
    String text = new String(resultBytes, StandardCharsets.UTF_8);
    String report = new String(download(reportKey), StandardCharsets.UTF_8);
    assertTrue(report.contains("<section id=\"lift\">"), "the report's lift section");
    for (String[] c : customers) {
      assertFalse(text.contains("\"" + c[0] + "\""), "a customer id in the result");
      assertFalse(report.contains(">" + c[0] + "<"), "a customer id in the report");
    }
    assertFalse(text.contains("newcomer-1") || report.contains("newcomer-1"));

    // A redelivery measures the same result, byte for byte.
    invoke(Events.s3WithKey("s3-put-score-csv.json", OUTCOMES)).then().statusCode(200);
    assertArrayEquals(resultBytes, download(resultKey));
  }
}
