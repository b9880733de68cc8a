package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersDialect;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.OrdersModels;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code POST /score} through the score API over models published on a real S3-compatible server:
 * strict request reading (issues 18, 20, 24), customers sent as their orders, and customers with no
 * purchase or one.
 */
class ScoreRequestsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "requests";
  private static final String OK =
      "{\"recency_days\":12,\"frequency\":9,\"monetary\":64.5,\"tenure_days\":410,"
          + "\"avg_gap_days\":38,\"sessions_30d\":7,\"returns_rate\":0.04}";
  private static final Clock TODAY =
      Clock.fixed(Instant.parse("2026-11-05T10:00:00Z"), ZoneOffset.UTC);

  private static S3ProxyServer server;
  private static S3Client s3;
  private static ScoreApi features;
  private static ScoreApi orders;
  private static RetentionModel ordersModel;

  @BeforeAll
  static void publish() throws Exception {
    server = S3ProxyServer.start(Files.createTempDirectory("score-requests"));
    server.createBucket(BUCKET);
    s3 = server.client();
    ReferenceData reference = ReferenceData.load();
    RetentionModel featureModel =
        new Trainer(TrainingOptions.defaults().withK(3))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("features", "features-v1", Instant.EPOCH));
    ordersModel = OrdersModels.synthetic().model();
    features = api(featureModel, "features", new ScoreSettings(ttl(), ttl(), 10, 100_000));
    orders = api(ordersModel, "orders", new ScoreSettings(ttl(), ttl(), 10, 1_000_000, 40, 60));
  }

  private static Duration ttl() {
    return Duration.ofSeconds(60);
  }

  private static ScoreApi api(RetentionModel model, String name, ScoreSettings settings) {
    ModelStore store = new ModelStore(new Bucket(s3, BUCKET), "models/", name);
    store.publish(model, ReportHtml.render(model));
    return new ScoreApi(
        new ModelCache(store, ttl(), Duration.ofSeconds(2), System::nanoTime),
        settings,
        TODAY,
        dev.retention.service.EmfMetrics.disabled(),
        OrdersDialect.defaults(),
        null);
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static JsonNode ok(ScoreApi api, String body) throws Exception {
    HttpResult r = api.handle("POST", "/score", body);
    assertEquals(200, r.status(), r.body());
    return MAPPER.readTree(r.body());
  }

  private static JsonNode refused(ScoreApi api, String body, String code, String field)
      throws Exception {
    HttpResult r = api.handle("POST", "/score", body);
    assertEquals(400, r.status(), r.body());
    JsonNode error = MAPPER.readTree(r.body()).get("error");
    assertEquals(code, error.get("code").asText(), r.body());
    assertEquals(field, error.path("field").asText(null), r.body());
    return error;
  }

  // ------------------------------------------------------------------ strict reading

  @Test
  void malformedJsonNamesLineAndColumnInTheProjectsWordsNeverTheText() throws Exception {
    JsonNode error =
        refused(
            features,
            "{\"features\": {\"recency_days\": 12,\n \"monetary\": lots}}",
            "malformed_json",
            null);
    String message = error.get("message").asText();
    assertTrue(message.contains("line 2, column"), message);
    for (String leak :
        List.of("lots", "Unrecognized", "token", "fasterxml", "Source", "REDACTED")) {
      assertFalse(message.contains(leak), "no parser internals or sent text: " + message);
    }
    String cut =
        refused(features, "{\"features\":", "malformed_json", null).get("message").asText();
    assertTrue(cut.contains("ends before its JSON is complete"), cut);
  }

  @Test
  void aFieldNamedTwiceIsRefusedNamingIt() throws Exception {
    refused(
        features,
        "{\"customerId\":\"a\",\"customerId\":\"b\",\"features\":" + OK + "}",
        "duplicate_field",
        "customerId");
    refused(
        features,
        "{\"customers\":[{\"features\":" + OK + ",\"features\":" + OK + "}]}",
        "duplicate_field",
        "customers[0].features");
  }

  @Test
  void theSameFeatureTwiceIsRefusedNotTheLastValueScored() throws Exception {
    JsonNode error =
        refused(
            features,
            "{\"features\":" + OK.replace("}", ",\"monetary\":1e5}") + "}",
            "duplicate_field",
            "features.monetary");
    assertFalse(error.get("message").asText().contains("1e5"));
  }

  @Test
  void unknownFieldsAreRefusedNamingThemAndTheKnownOnes() throws Exception {
    JsonNode error =
        refused(
            features, "{\"features\":" + OK + ",\"asof\":\"2026-11-01\"}", "invalid_field", "asof");
    assertTrue(error.get("message").asText().contains("asOf"), error.toString());
    refused(
        features,
        "{\"customers\":[{\"features\":" + OK + "},{\"features\":" + OK + ",\"segment\":2}]}",
        "invalid_field",
        "customers[1].segment");
  }

  @Test
  void wrongTypesNameTheFieldAndTheTypeNeverTheValue() throws Exception {
    JsonNode error =
        refused(
            features,
            "{\"customerId\":[\"x\"],\"features\":" + OK + "}",
            "invalid_field",
            "customerId");
    assertTrue(error.get("message").asText().endsWith("got array"), error.toString());
    refused(features, "{\"customers\":{}}", "invalid_field", "customers");
    refused(features, "{\"features\":" + OK + ",\"asOf\":\"5 Nov 2026\"}", "invalid_field", "asOf");
    refused(features, "{\"features\":" + OK + ",\"asOf\":\"2026-02-30\"}", "invalid_field", "asOf");
  }

  @Test
  void featuresAndOrdersForOneCustomerAreRefused() throws Exception {
    refused(
        orders,
        "{\"features\":" + orderFeatures(3, 10, 30) + ",\"orders\":[]}",
        "invalid_field",
        "orders");
  }

  @Test
  void ordersSentToAModelTrainedOnFeaturesAreRefused() throws Exception {
    refused(features, "{\"orders\":[]}", "invalid_field", "orders");
  }

  // ------------------------------------------------------------------ derived features

  /** Features as the derivation gives them for a customer with these purchase days and recency. */
  private static String orderFeatures(int days, int recency, int tenure) {
    return "{\"recency_days\":"
        + recency
        + ",\"frequency\":"
        + days
        + ",\"monetary\":40,\"total_spend\":"
        + 40 * days
        + ",\"tenure_days\":"
        + tenure
        + ",\"mean_days_between\":"
        + (days > 1 ? (tenure - recency) / (days - 1.0) : recency)
        + ",\"std_days_between\":3,\"orders_30d\":1,\"orders_90d\":1,\"items\":4,"
        + "\"refund_share\":0.1,\"channels\":2}";
  }

  @Test
  void impossibleDerivedValuesAreRefusedAsTheDerivationWouldRefuseThem() throws Exception {
    String good = orderFeatures(3, 10, 30);
    ok(orders, "{\"features\":" + good + "}");
    refused(
        orders,
        "{\"features\":" + good.replace("\"items\":4", "\"items\":-2") + "}",
        "invalid_feature",
        "features.items");
    refused(
        orders,
        "{\"features\":" + good.replace("\"refund_share\":0.1", "\"refund_share\":7") + "}",
        "invalid_feature",
        "features.refund_share");
    refused(
        orders,
        "{\"features\":" + good.replace("\"frequency\":3", "\"frequency\":2.5") + "}",
        "invalid_feature",
        "features.frequency");
    JsonNode overflow =
        refused(
            orders,
            "{\"features\":" + good.replace("\"monetary\":40", "\"monetary\":1e999") + "}",
            "invalid_feature",
            "features.monetary");
    assertTrue(overflow.get("message").asText().endsWith("must be a finite number"));
    refused(
        orders,
        "{\"features\":" + good.replace("\"orders_90d\":1", "\"orders_90d\":0") + "}",
        "invalid_feature",
        "features.orders_90d");
    JsonNode error =
        refused(
            orders,
            "{\"features\":" + good.replace("\"recency_days\":10", "\"recency_days\":31") + "}",
            "invalid_feature",
            "features.tenure_days");
    assertTrue(error.get("message").asText().contains("recency_days"), error.toString());
  }

  // ------------------------------------------------------------------ new and one-time customers

  @Test
  void aCustomerWithoutAPurchaseGetsTheBaseRateANewcomersValueAndSaysSo() throws Exception {
    JsonNode r = ok(orders, "{\"customerId\":\"N-1\",\"features\":" + orderFeatures(0, 0, 0) + "}");
    assertEquals("new-customer", r.get("basis").asText());
    assertTrue(r.get("segment").isNull());
    assertEquals("new", r.get("segmentName").asText());
    Scorer scorer = Scorer.of(ordersModel);
    assertEquals(scorer.baseRate(), r.get("probability").asDouble(), 0);
    assertTrue(scorer.baseRate() > 0.05 && scorer.baseRate() < 0.95, "a base rate");
    assertEquals(0, r.get("topContributions").size());
    assertTrue(r.get("suggestedAction").asText().startsWith("Welcome series"), r.toString());
    JsonNode value = r.get("customerValue");
    assertEquals(1.0, value.get("pAlive").asDouble());
    assertEquals(0.0, value.get("historicClv").asDouble());
    assertTrue(value.get("expectedPurchases90d").asDouble() > 0);
    assertTrue(value.get("predictedClv365d").asDouble() > 0);
    // The same answer from an order history with nothing bought: empty, refunds only, zero amounts.
    for (String history :
        List.of(
            "[]",
            "[{\"order_id\":\"r1\",\"order_date\":\"2026-10-01\",\"amount\":-20}]",
            "[{\"order_id\":\"z1\",\"order_date\":\"2026-10-01\",\"amount\":0}]",
            "[{\"order_id\":\"s1\",\"order_date\":\"2026-10-01\",\"amount\":30,\"status\":\"refunded\"}]")) {
      JsonNode fromOrders = ok(orders, "{\"customerId\":\"N-1\",\"orders\":" + history + "}");
      assertEquals("new-customer", fromOrders.get("basis").asText(), history);
      assertTrue(fromOrders.get("derivedFeatures").isNull(), history);
      assertEquals(r.get("probability"), fromOrders.get("probability"));
      assertEquals(r.get("customerValue"), fromOrders.get("customerValue"));
    }
  }

  @Test
  void aOneTimeCustomerIsScoredByTheModelAndSaysSo() throws Exception {
    JsonNode r =
        ok(
            orders,
            "{\"asOf\":\"2026-11-01\",\"orders\":[{\"order_id\":\"o1\",\"order_date\":"
                + "\"2026-10-20\",\"amount\":55.5,\"items\":2,\"status\":\"paid\",\"channel\":\"web\"}]}");
    assertEquals("one-purchase", r.get("basis").asText());
    assertTrue(r.get("segment").isInt());
    JsonNode derived = r.get("derivedFeatures");
    assertEquals(12, derived.get("recency_days").asDouble());
    assertEquals(1, derived.get("frequency").asDouble());
    assertEquals(12, derived.get("mean_days_between").asDouble());
    assertEquals("2026-11-01", r.get("asOf").asText());
    assertTrue(r.get("customerValue").get("pAlive").asDouble() <= 1.0);
  }

  // ------------------------------------------------------------------ orders

  @Test
  void ordersAreDerivedByTheTrainersCodeAndScoredAsTheBatchWouldScoreThem() throws Exception {
    String csv = OrdersModels.synthetic().csv();
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("o.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived batch =
        RfmFeatures.forScoring(read.book(), read.columns(), RfmOptions.defaults());
    Scorer scorer = Scorer.of(ordersModel);
    List<String> lines = csv.lines().skip(1).toList();
    int checked = 0;
    for (int row = 0; checked < 6; row++) {
      String id = batch.customerIds().get(row);
      if (lines.stream().filter(l -> l.startsWith(id + ",")).count() > 40) {
        continue; // over this API's order limit
      }
      checked++;
      StringBuilder history = new StringBuilder("[");
      for (String line : lines) {
        String[] c = line.split(",");
        if (c[0].equals(id)) {
          history.append(history.length() > 1 ? "," : "");
          history.append(
              String.format(
                  "{\"order_id\":\"%s\",\"order_date\":\"%s\",\"amount\":%s,\"items\":%s,"
                      + "\"status\":\"%s\",\"channel\":\"%s\"}",
                  c[1], c[2], c[3], c[4], c[5], c[6]));
        }
      }
      JsonNode r =
          ok(
              orders,
              "{\"customerId\":\""
                  + id
                  + "\",\"asOf\":\""
                  + batch.cutoff()
                  + "\",\"orders\":"
                  + history
                  + "]}");
      double[] expected = new double[ordersModel.featureNames().size()];
      for (int f = 0; f < expected.length; f++) {
        String name = ordersModel.featureNames().get(f);
        expected[f] = batch.features().get(row, batch.features().columns().indexOf(name));
        assertEquals(expected[f], r.get("derivedFeatures").get(name).asDouble(), 0, name);
      }
      assertEquals(scorer.score(expected).probability(), r.get("probability").asDouble(), 0);
      assertEquals(batch.cutoff().toString(), r.get("asOf").asText());
    }
  }

  @Test
  void aBadOrderIsRefusedByTheOrdersReadersRuleNamingTheOrderAndColumn() throws Exception {
    String good = "{\"order_id\":\"o1\",\"order_date\":\"2026-10-01\",\"amount\":10}";
    String batch =
        "{\"customers\":[{\"orders\":["
            + good
            + "]},{\"orders\":["
            + good
            + ","
            + good.replace("o1", "o2")
            + ","
            + good.replace("o1", "o3").replace("10}", "\"ten\"}")
            + "]}]}";
    JsonNode error = refused(orders, batch, "invalid_order", "customers[1].orders[2].amount");
    assertEquals(1, error.get("customerIndex").asInt());
    assertTrue(error.get("message").asText().endsWith("not a number"), error.toString());
    assertFalse(error.get("message").asText().contains("ten"), error.toString());
    refused(
        orders,
        "{\"orders\":[" + good.replace("2026-10-01", "2026-10-41") + "]}",
        "invalid_order",
        "orders[0].order_date");
    JsonNode future =
        refused(
            orders,
            "{\"orders\":[" + good.replace("2026-10-01", "2026-11-09") + "]}",
            "invalid_order",
            "orders[0].order_date");
    assertTrue(future.get("message").asText().contains("a future date"), future.toString());
    refused(
        orders,
        "{\"orders\":[" + good.replace("\"o1\"", "\"\"") + "]}",
        "invalid_order",
        "orders[0].order_id");
    refused(
        orders,
        "{\"orders\":[" + good.replace("10}", "10,\"items\":-2}") + "]}",
        "invalid_order",
        "orders[0].items");
  }

  @Test
  void anOrderWithAnUnknownDuplicateOrNestedFieldIsRefused() throws Exception {
    String good = "{\"order_id\":\"o1\",\"order_date\":\"2026-10-01\",\"amount\":10";
    refused(
        orders,
        "{\"orders\":[" + good + ",\"customer_id\":\"c1\"}]}",
        "invalid_order",
        "orders[0].customer_id");
    refused(
        orders,
        "{\"orders\":[" + good + ",\"amount\":-10}]}",
        "duplicate_field",
        "orders[0].amount");
    refused(
        orders,
        "{\"orders\":[" + good + ",\"channel\":{\"x\":1}}]}",
        "invalid_order",
        "orders[0].channel");
    refused(orders, "{\"orders\":[1]}", "invalid_order", "orders[0]");
  }

  @Test
  void ordersAboveTheLimitsAreRefusedNamingTheSetting() throws Exception {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 41; i++) {
      many.add("{\"order_id\":\"o" + i + "\",\"order_date\":\"2026-10-01\",\"amount\":10}");
    }
    JsonNode perCustomer =
        refused(
            orders, "{\"orders\":[" + String.join(",", many) + "]}", "too_many_orders", "orders");
    assertTrue(
        perCustomer.get("message").asText().contains("retention.score.max-orders-per-customer"));
    String thirty = String.join(",", many.subList(0, 30));
    JsonNode perRequest =
        refused(
            orders,
            "{\"customers\":[{\"orders\":["
                + thirty
                + "]},{\"orders\":["
                + thirty
                + ","
                + thirty.substring(0, thirty.indexOf('}') + 1)
                + "]}]}",
            "too_many_orders",
            "customers[1].orders");
    assertTrue(
        perRequest.get("message").asText().contains("retention.score.max-orders-per-request"));
  }

  @Test
  void anAsOfPastTomorrowIsRefused() throws Exception {
    refused(orders, "{\"asOf\":\"2026-11-07\",\"orders\":[]}", "invalid_field", "asOf");
    assertEquals(
        "2026-11-06", ok(orders, "{\"asOf\":\"2026-11-06\",\"orders\":[]}").get("asOf").asText());
    assertEquals(
        LocalDate.of(2026, 11, 5).toString(), ok(orders, "{\"orders\":[]}").get("asOf").asText());
  }
}
