package dev.retention.functions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.model.ContactEconomics;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.UpliftModel;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.score.HttpResult;
import dev.retention.service.score.ModelCache;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.score.ScoreSettings;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.Events;
import dev.retention.testing.UpliftExports;
import dev.retention.testing.UpliftSimulation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Issue 21: a model with an uplift part serves what a contact changes. Trained on a past campaign's
 * export, it batch-scores fresh customers through the real Lambda event path: the file carries each
 * customer's uplift, sleeping-dog flag, expected incremental revenue and profit and the contact
 * decision, is ordered by expected incremental profit, and the campaign planned over it never
 * contacts a sleeping dog. The score API answers the same numbers for one customer.
 */
@QuarkusTest
@TestProfile(UpliftCampaignProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class UpliftCampaignFunctionTest {

  private static final String BUCKET = LocalS3Resource.BUCKET;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ContactEconomics ECONOMICS = new ContactEconomics(0.50, 0.40);

  @Inject TrainingService training;

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

  @Test
  void aCampaignRanksByExpectedIncrementalProfitAndNeverContactsASleepingDog() throws Exception {
    upload("exports/features/past-campaign.csv", UpliftExports.of(31, 20_000, 0.5).bytes());
    TrainSummary trained =
        training
            .handle(List.of(S3ObjectRef.current(BUCKET, "exports/features/past-campaign.csv")))
            .get(0);
    assertEquals(TrainSummary.Status.TRAINED, trained.status(), trained.toString());
    RetentionModel model = ModelJson.read(download(trained.modelKey()));
    assertNotNull(model.uplift(), model.provenance().warnings().toString());
    assertEquals("monetary", model.uplift().orderValueFeature());
    UpliftModel uplift = UpliftModel.of(model.uplift(), 50);

    UpliftExports.Export fresh = UpliftExports.of(77, 5_000, 0.5);
    upload("exports/score/spring.csv", fresh.bytes());
    Response response;
    try (S3Client s3 = LocalS3Resource.server.client()) {
      response =
          given()
              .contentType("application/json")
              .body(
                  Events.asS3Sends(
                      Events.s3WithKey("s3-put-score-csv.json", "exports/score/spring.csv"), s3))
              .when()
              .post();
    }
    response.then().statusCode(200);
    String outputKey = response.jsonPath().getString("results[0].outputKey");
    try (S3Client s3 = LocalS3Resource.server.client()) {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(outputKey));
      assertEquals("expected-incremental-profit", head.metadata().get("priority-by"));
    }
    List<String> lines = new String(download(outputKey), StandardCharsets.UTF_8).lines().toList();
    List<String> header = List.of(lines.get(0).split(","));
    int upliftColumn = header.indexOf("uplift");
    int dog = header.indexOf("sleeping_dog");
    int revenue = header.indexOf("expected_incremental_revenue");
    int profit = header.indexOf("expected_incremental_profit");
    int contact = header.indexOf("contact");
    int group = header.indexOf("group");
    assertTrue(
        upliftColumn > 0 && dog > 0 && revenue > 0 && profit > 0 && contact > 0, header.toString());

    Map<String, Integer> row = new HashMap<>();
    for (int i = 0; i < fresh.customers().size(); i++) {
      row.put(fresh.customers().ids()[i], i);
    }
    int monetary = UpliftSimulation.FEATURES.indexOf("monetary");
    boolean worthSeen = true;
    double previous = Double.POSITIVE_INFINITY;
    int dogs = 0;
    int contacted = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      double[] raw = fresh.customers().features().row(row.get(cells[0]));
      double expected = uplift.uplift(raw);
      assertEquals(expected, Double.parseDouble(cells[upliftColumn]), 1e-6, cells[0]);
      ContactEconomics.Decision d = ECONOMICS.decide(expected, raw[monetary]);
      assertEquals(d.sleepingDog(), Boolean.parseBoolean(cells[dog]));
      assertEquals(d.worthContacting(), Boolean.parseBoolean(cells[contact]));
      assertEquals(d.expectedIncrementalProfit(), Double.parseDouble(cells[profit]), 0.006);
      // The one ordering: worth contacting first, each tier by expected incremental profit.
      boolean worth = d.worthContacting();
      assertFalse(worth && !worthSeen, "a customer worth contacting after one who is not");
      if (worth != worthSeen) {
        previous = Double.POSITIVE_INFINITY;
        worthSeen = worth;
      }
      assertTrue(d.expectedIncrementalProfit() <= previous + 1e-12, "not in profit order");
      previous = d.expectedIncrementalProfit();
      if (d.sleepingDog()) {
        dogs++;
        assertEquals("skip", cells[group], "a sleeping dog in the campaign: " + cells[0]);
      }
      if (cells[group].equals("contact")) {
        contacted++;
        assertTrue(worth, "contacted without a positive expected profit");
      }
    }
    assertTrue(dogs > 100, "the simulator puts off a third of its customers: " + dogs);
    assertTrue(contacted > 1000, "the budget of 1,500 less the holdout: " + contacted);
    JsonNode manifest =
        MAPPER.readTree(download(outputKey.replaceFirst("\\.csv$", ".campaign.json")));
    assertEquals("expected-incremental-profit", manifest.at("/rule/ranking").asText());

    // The first screen: the expected incremental revenue with its interval, the sleeping dogs.
    String report =
        new String(
            download(outputKey.replaceFirst("\\.csv$", ".report.html")), StandardCharsets.UTF_8);
    assertTrue(report.contains("expected incremental revenue <b>"), "the revenue");
    assertTrue(report.contains("(95 % interval "), "its interval");
    assertTrue(report.contains("whom a contact is expected to hurt"), "the sleeping dogs");
    assertFalse(report.contains("ranks by propensity"), "an uplift model ranks by uplift");
    assertContactTableFollowsTheOneOrdering(report, header, lines, model);
    // The training report has the uplift section.
    String training =
        new String(
            download("models/default/" + model.version() + "/report.html"), StandardCharsets.UTF_8);
    assertTrue(training.contains("<section id=\"uplift\">"), "the uplift section");
    assertTrue(training.contains("Qini coefficient"), "the learners' measures");
    // Its contact table counts the past campaign's customers by churn risk, and says where the
    // groups are ranked by profit (the model file keeps no contact decisions per group).
    assertTrue(
        training.contains("ranks its groups by expected incremental profit"),
        "the training table says where the one ordering is");

    // The score API (the class the score function serves) answers the same for one customer.
    try (S3Client s3 = LocalS3Resource.server.client()) {
      ModelStore store = new ModelStore(new Bucket(s3, BUCKET), "models/", "default");
      ScoreApi api =
          new ScoreApi(
              new ModelCache(
                  store, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
              new ScoreSettings(
                  Duration.ofSeconds(60),
                  Duration.ofSeconds(2),
                  10,
                  100_000,
                  ScoreSettings.DEFAULT_MAX_ORDERS_PER_CUSTOMER,
                  ScoreSettings.DEFAULT_MAX_ORDERS_PER_REQUEST,
                  ECONOMICS));
      for (int i = 0; i < 40; i++) {
        double[] raw = fresh.customers().features().row(i);
        StringBuilder features = new StringBuilder("{");
        for (int c = 0; c < raw.length; c++) {
          features.append(c == 0 ? "" : ",").append('"');
          features.append(UpliftSimulation.FEATURES.get(c)).append("\":").append(raw[c]);
        }
        HttpResult r =
            api.handle("POST", "/score", "{\"customerId\":\"x\",\"features\":" + features + "}}");
        assertEquals(200, r.status(), r.body());
        JsonNode answer = MAPPER.readTree(r.body());
        double expected = uplift.uplift(raw);
        ContactEconomics.Decision d = ECONOMICS.decide(expected, raw[monetary]);
        assertEquals(expected, answer.get("uplift").asDouble(), 1e-12);
        assertEquals(d.sleepingDog(), answer.get("sleepingDog").asBoolean());
        assertEquals(d.worthContacting(), answer.get("contact").asBoolean());
        assertEquals(
            d.expectedIncrementalRevenue(),
            answer.get("expectedIncrementalRevenue").asDouble(),
            1e-9);
        JsonNode priority = answer.get("priority");
        assertEquals("expected-incremental-profit", priority.get("by").asText());
        assertEquals("uplift", priority.get("ranks").asText());
        assertEquals(d.worthContacting(), priority.get("worthContacting").asBoolean());
        assertEquals(d.expectedIncrementalProfit(), priority.get("value").asDouble(), 1e-9);
      }
    }
  }

  /** One segment × band group of the scores file, summed as the report's contact table sums it. */
  private static final class Group {
    long customers;
    long worth;
    long dogs;
    double profit;
    double revenue;
  }

  /**
   * Issue 21's one ordering in the report: with an uplift model, the contact table's groups are
   * ranked by the expected incremental profit of their customers worth contacting (groups with some
   * first), and each carries how many are worth contacting, that profit and revenue, and how many
   * are sleeping dogs; a group below the minimum size shows none of them and says how many
   * customers it hides. Summed here from the scores file itself.
   */
  private static void assertContactTableFollowsTheOneOrdering(
      String report, List<String> header, List<String> lines, RetentionModel model) {
    int name = header.indexOf("segment_name");
    int band = header.indexOf("churn_risk_band");
    int dog = header.indexOf("sleeping_dog");
    int revenue = header.indexOf("expected_incremental_revenue");
    int profit = header.indexOf("expected_incremental_profit");
    int contact = header.indexOf("contact");
    Map<String, Group> groups = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      Group g =
          groups.computeIfAbsent(
              cells[name].replace("\"", "") + " / " + cells[band], k -> new Group());
      g.customers++;
      g.dogs += Boolean.parseBoolean(cells[dog]) ? 1 : 0;
      if (Boolean.parseBoolean(cells[contact])) {
        g.worth++;
        g.profit += Double.parseDouble(cells[profit]);
        g.revenue += Double.parseDouble(cells[revenue]);
      }
    }
    int minSize = model.segmentation().minSize();
    String best = null;
    for (Map.Entry<String, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      if (g.customers >= minSize
          && g.worth > 0
          && (best == null || g.profit > groups.get(best).profit)) {
        best = e.getKey();
      }
    }
    assertNotNull(best, "some group is worth contacting");
    String table = report.substring(report.indexOf("id=\"contact-table\""));
    table = table.substring(table.indexOf("<tbody>"), table.indexOf("</tbody>"));
    List<Map<String, String>> rows = new java.util.ArrayList<>();
    for (String tr : table.split("<tr")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("data-label=\"([^\"]+)\">([^<]*)</td>").matcher(tr);
      Map<String, String> row = new HashMap<>();
      while (m.find()) {
        row.put(m.group(1), m.group(2).replace("&amp;", "&"));
      }
      if (!row.isEmpty() && !row.get("Segment").equals("All segments")) {
        rows.add(row);
      }
    }
    assertEquals(groups.size(), rows.size(), "one row per non-empty group");
    Map<String, String> first = rows.get(0);
    assertEquals(
        best,
        first.get("Segment") + " / " + first.get("Churn risk"),
        "the first row is the group with the most expected incremental profit: " + first);
    double previous = Double.POSITIVE_INFINITY;
    boolean worthTier = true;
    for (Map<String, String> row : rows) {
      Group g = groups.get(row.get("Segment") + " / " + row.get("Churn risk"));
      assertNotNull(g, row.toString());
      if (g.customers < minSize) {
        String hides =
            String.format(
                java.util.Locale.ROOT,
                g.customers == 1 ? "withheld (%,d customer)" : "withheld (%,d customers)",
                g.customers);
        assertEquals(hides, row.get("Worth contacting"), row.toString());
        assertEquals("–", row.get("Expected incremental profit"), row.toString());
        assertEquals("–", row.get("Sleeping dogs"), row.toString());
        worthTier = false;
        continue;
      }
      assertEquals(
          String.format(java.util.Locale.ROOT, "%,d", g.worth), row.get("Worth contacting"));
      assertEquals(String.format(java.util.Locale.ROOT, "%,d", g.dogs), row.get("Sleeping dogs"));
      double shown = Double.parseDouble(row.get("Expected incremental profit").replace(",", ""));
      assertEquals(g.profit, shown, 0.5 + 0.006 * g.worth, row.toString());
      double shownRevenue =
          Double.parseDouble(row.get("Expected incremental revenue").replace(",", ""));
      assertEquals(g.revenue, shownRevenue, 0.5 + 0.006 * g.worth, row.toString());
      assertFalse(g.worth > 0 && !worthTier, "a group worth contacting after one that is not");
      if (g.worth == 0 && worthTier) {
        worthTier = false;
        previous = Double.POSITIVE_INFINITY;
      }
      assertTrue(g.profit <= previous + 1e-6, "groups not in profit order at " + row);
      previous = g.profit;
    }
  }
}
