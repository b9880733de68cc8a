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
import dev.retention.campaign.HoldoutRule;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 phase 2: batch scoring with a campaign id, through the real Lambda event path against a
 * real S3-compatible server, writes each customer's group and a manifest of aggregates, and a
 * redelivered event assigns the same customers.
 */
@QuarkusTest
@TestProfile(CampaignBatchProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class CampaignBatchFunctionTest {

  private static final String BUCKET = LocalS3Resource.BUCKET;

  @Inject TrainingService training;

  private static byte[] orders(long rows, int customers, LocalDate last, long seed)
      throws Exception {
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, rows, customers, last, seed);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCampaignBatchWritesGroupsAndAManifestAndARedeliveryAssignsTheSameCustomers()
      throws Exception {
    upload("exports/orders/history.csv", orders(30_000, 3_000, LocalDate.of(2026, 9, 30), 5L));
    TrainSummary trained =
        training.handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/history.csv"))).get(0);
    assertEquals(TrainSummary.Status.TRAINED, trained.status(), trained.toString());
    RetentionModel model = ModelJson.read(download(trained.modelKey()));
    upload(
        "exports/score/customers-today.csv", orders(20_000, 2_000, LocalDate.of(2026, 11, 20), 6L));

    Response first = invoke(Events.text("s3-put-score-csv.json"));
    first.then().statusCode(200);
    String outputKey = first.jsonPath().getString("results[0].outputKey");
    String manifestKey = outputKey.replaceFirst("\\.csv$", ".campaign.json");
    assertEquals(manifestKey, first.jsonPath().getString("results[0].campaignKey"));
    byte[] scores = download(outputKey);
    byte[] manifest = download(manifestKey);

    List<String> lines = new String(scores, StandardCharsets.UTF_8).lines().toList();
    List<String> header = List.of(lines.get(0).split(","));
    int band = header.indexOf("churn_risk_band");
    int group = header.indexOf("group");
    int value = header.indexOf("expected_incremental_value");
    assertTrue(group > 0 && value == group + 1, lines.get(0));
    assertEquals(List.of("model_version", "as_of"), header.subList(value + 1, header.size()));
    HoldoutRule rule = new HoldoutRule("winter-2026", 0.10);
    Map<String, Long> counts = new HashMap<>();
    boolean budgetSpent = false;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      String g = cells[group];
      counts.merge(g, 1L, Long::sum);
      assertEquals("", cells[value], "no uplift model: no expected increment");
      boolean lapsing = !cells[band].equals("low");
      if (!lapsing) {
        assertEquals("skip", g, "a low-risk customer is not selected: " + cells[0]);
      } else if (!g.equals("skip")) {
        // Selected: held out exactly when the rule says, whoever else is in the export.
        assertFalse(budgetSpent, "selected after the budget was spent: rows follow the ranking");
        assertEquals(rule.holdsOut(cells[0]) ? "holdout" : "contact", g, cells[0]);
      } else {
        budgetSpent = true;
      }
    }
    assertEquals(400L, counts.get("contact"), counts.toString());
    assertTrue(counts.get("holdout") > 20 && counts.get("holdout") < 80, counts.toString());

    // The manifest: the same counts, aggregates only (no customer id anywhere in it).
    JsonNode m = new ObjectMapper().readTree(manifest);
    assertEquals("winter-2026", m.get("campaignId").asText());
    assertEquals(model.version(), m.get("modelVersion").asText());
    assertEquals(outputKey, m.get("scores").asText());
    assertEquals("value-at-risk", m.at("/rule/ranking").asText());
    assertEquals(400, m.at("/rule/maxContacts").asLong());
    assertEquals((long) counts.get("contact"), m.at("/totals/contact").asLong());
    assertEquals((long) counts.get("holdout"), m.at("/totals/holdout").asLong());
    assertEquals((long) counts.get("skip"), m.at("/totals/skip").asLong());
    assertTrue(m.at("/totals/expectedIncrementalRevenue").isNull(), "no money without uplift");
    long participants = 0;
    for (JsonNode s : m.get("strata")) {
      long p = s.get("contact").asLong() + s.get("holdout").asLong();
      assertTrue(p == 0 || p >= m.get("minimumSize").asLong(), "a small stratum: " + s);
      participants += p;
    }
    assertEquals(counts.get("contact") + counts.get("holdout"), participants);
    String text = new String(manifest, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String id = line.substring(0, line.indexOf(','));
      assertFalse(text.contains("\"" + id + "\""), "a customer id in the manifest");
    }

    // The batch report's first screen is the campaign: whom to contact, skip and hold out.
    String report =
        new String(
            download(outputKey.replaceFirst("\\.csv$", ".report.html")), StandardCharsets.UTF_8);
    int campaign = report.indexOf("<section id=\"campaign\">");
    assertTrue(campaign > 0 && campaign < report.indexOf("<section id=\"contact\">"), "first");
    assertTrue(report.contains("Contact these <b>400</b>"), "the contact count");
    assertTrue(
        report.contains(
            String.format(java.util.Locale.ROOT, "Keep the <b>%,d</b>", counts.get("holdout"))),
        "the holdout count");
    assertTrue(report.contains("ranks by propensity"), "no uplift model: says so");

    // A redelivery of the same event: the same file and manifest, byte for byte.
    invoke(Events.text("s3-put-score-csv.json")).then().statusCode(200);
    assertArrayEquals(scores, download(outputKey));
    assertArrayEquals(manifest, download(manifestKey));
  }
}
