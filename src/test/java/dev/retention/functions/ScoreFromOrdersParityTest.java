package dev.retention.functions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.data.CsvTokenizer;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.batch.BatchSummary;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.Events;
import dev.retention.testing.RealExports;
import dev.retention.testing.SyntheticOrders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scoring a customer from their orders over the API gives the batch score of that customer as of
 * the same day, to the last digit, and {@code GET /customers/{id}} gives the batch's own row: the
 * score function through the real Lambda path (API Gateway v2 events), batch scoring and training
 * by the same artifact's services, on a real S3-compatible server.
 */
@QuarkusTest
@TestProfile(ScoreProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoreFromOrdersParityTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = LocalS3Resource.BUCKET;
  private static final int PER_REQUEST = 50;

  @Inject TrainingService training;
  @Inject BatchScoringService batch;

  private static void upload(String key, String text) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text));
    }
  }

  private static String download(String key) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }
  }

  private static JsonNode call(String method, String path, String body) throws Exception {
    Response response =
        given().contentType("application/json").body(Events.http(method, path, body)).post();
    response.then().statusCode(200);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("status", response.jsonPath().getInt("statusCode"));
    out.set("body", MAPPER.readTree(response.jsonPath().getString("body")));
    return out;
  }

  private static String orders(long rows, int customers, LocalDate last, long seed)
      throws Exception {
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, rows, customers, last, seed);
    return out.toString();
  }

  @Test
  @Order(1)
  void everyCustomerScoredFromOrdersEqualsTheirBatchScoreAndTheirLookup() throws Exception {
    upload("exports/orders/history.csv", orders(30_000, 3_000, LocalDate.of(2026, 9, 30), 5L));
    TrainSummary trained =
        training.handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/history.csv"))).get(0);
    assertEquals(TrainSummary.Status.TRAINED, trained.status(), trained.toString());
    RetentionModel model =
        ModelJson.read(download(trained.modelKey()).getBytes(StandardCharsets.UTF_8));

    // Before any batch: the route says why it has nothing.
    JsonNode none = call("GET", "/customers/c1", null);
    assertEquals(404, none.get("status").asInt());
    assertEquals("no_batch_scores", none.get("body").get("error").get("code").asText());

    String today = orders(20_000, 2_000, LocalDate.of(2026, 11, 20), 6L);
    upload("exports/score/today.csv", today);
    BatchSummary scored =
        batch.handle(List.of(S3ObjectRef.current(BUCKET, "exports/score/today.csv"))).get(0);
    assertEquals("MOVED", scored.lookupIndex());
    String asOf = scored.featuresAsOf();

    // The batch's rows, by customer.
    Map<String, String[]> rows = new LinkedHashMap<>();
    CsvTokenizer csv = new CsvTokenizer(new StringReader(download(scored.outputKey())));
    String[] header = csv.next();
    for (String[] row = csv.next(); row != null; row = csv.next()) {
      rows.put(row[0], row);
    }
    assertEquals(scored.customersScored(), rows.size());

    Map<String, ArrayNode> histories = histories(today, "customer_id");

    // The whole export's derivation, full precision: what the batch scored.
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(today.getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("today.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived derived =
        RfmFeatures.forScoring(read.book(), read.columns(), RfmOptions.defaults());
    assertEquals(asOf, derived.cutoff().toString());
    Scorer scorer = Scorer.of(model);

    List<String> ids = new ArrayList<>(histories.keySet());
    int compared = 0;
    int newCustomers = 0;
    for (int from = 0; from < ids.size(); from += PER_REQUEST) {
      ObjectNode body = MAPPER.createObjectNode();
      body.put("asOf", asOf);
      ArrayNode customers = body.putArray("customers");
      List<String> sent = ids.subList(from, Math.min(ids.size(), from + PER_REQUEST));
      for (String id : sent) {
        customers.addObject().put("customerId", id).set("orders", histories.get(id));
      }
      JsonNode answer = call("POST", "/score", body.toString());
      assertEquals(200, answer.get("status").asInt(), answer.toString());
      JsonNode results = answer.get("body").get("results");
      for (int i = 0; i < sent.size(); i++) {
        JsonNode r = results.get(i);
        String id = sent.get(i);
        assertEquals(id, r.get("customerId").asText());
        String[] row = rows.get(id);
        if (row == null) {
          // Not in the batch (no purchase on or before the as-of day): a new customer.
          assertEquals("new-customer", r.get("basis").asText(), id);
          newCustomers++;
          continue;
        }
        int at = derived.customerIds().indexOf(id);
        double[] x = new double[model.featureNames().size()];
        for (int f = 0; f < x.length; f++) {
          String name = model.featureNames().get(f);
          x[f] = derived.features().get(at, derived.features().columns().indexOf(name));
          assertEquals(
              Double.doubleToLongBits(x[f]),
              Double.doubleToLongBits(r.get("derivedFeatures").get(name).asDouble()),
              id + " " + name);
        }
        Scorer.Score expected = scorer.score(x);
        assertEquals(
            Double.doubleToLongBits(expected.probability()),
            Double.doubleToLongBits(r.get("probability").asDouble()),
            id);
        assertEquals(cellsOf(r, header), List.of(row).subList(1, header.length - 2), id);
        assertEquals(asOf, r.get("asOf").asText());
        compared++;
        if (compared % 4 != 1) {
          continue; // GET /customers/{id} for a quarter of them: the same index for all
        }
        JsonNode byId = call("GET", "/customers/" + id, null);
        assertEquals(200, byId.get("status").asInt(), byId.toString());
        assertEquals(cellsOf(byId.get("body"), header), List.of(row).subList(1, header.length - 2));
        assertEquals(asOf, byId.get("body").get("asOf").asText());
        assertEquals(model.version(), byId.get("body").get("modelVersion").asText());
      }
    }
    assertEquals(rows.size(), compared, "every batch customer compared");
    assertEquals(histories.size(), compared + newCustomers);

    JsonNode missing = call("GET", "/customers/c-not-a-customer", null);
    assertEquals(404, missing.get("status").asInt());
    JsonNode error = missing.get("body").get("error");
    assertEquals("customer_not_found", error.get("code").asText());
    assertTrue(error.get("message").asText().contains("exports/score/today.csv"), error.toString());
    assertTrue(error.get("message").asText().contains("as of " + asOf), error.toString());
    assertFalse(error.toString().contains("c-not-a-customer"), "the id is not echoed");
  }

  /**
   * A real public order export (CDNOW's order log: no order id, dates {@code 19970101}), trained
   * with the dialect the README documents for it: every customer sent as their orders over the API,
   * in the model's dialect (as the storefront keeps them), gets the batch's probability bit for bit
   * and its scores-file cells. Runs after the synthetic test (its model is then live): the CDNOW
   * model replaces it deliberately (another feature set), as an operator would with
   * allow-dropped-features and force.
   */
  @Test
  @Order(2)
  void aRealOrderExportScoredFromOrdersEqualsItsBatchScore() throws Exception {
    String cdnow = RealExports.text(RealExports.CDNOW);
    upload("exports/orders/cdnow.csv", cdnow);
    Map<String, String> settings = new HashMap<>(RealExports.CDNOW_SETTINGS);
    settings.put("retention.quality-gate.allow-dropped-features", "true");
    settings.put("retention.quality-gate.force", "true");
    TrainSummary trained;
    try (S3Client s3 = LocalS3Resource.server.client()) {
      TrainingService cdnowTraining =
          new TrainingService(
              new ModelStore(new Bucket(s3, BUCKET), "models/", "default"),
              RealExports.trainSettings(settings),
              Clock.systemUTC());
      trained =
          cdnowTraining
              .handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/cdnow.csv")))
              .get(0);
    }
    assertEquals("MOVED", trained.latest(), trained.toString());
    RetentionModel model =
        ModelJson.read(download(trained.modelKey()).getBytes(StandardCharsets.UTF_8));

    // Batch scoring with the function's default settings: it reads the model's recorded dialect.
    upload("exports/score/cdnow.csv", cdnow);
    BatchSummary scored =
        batch.handle(List.of(S3ObjectRef.current(BUCKET, "exports/score/cdnow.csv"))).get(0);
    assertEquals(0, scored.rowsRejected(), scored.toString());
    Map<String, String[]> rows = new LinkedHashMap<>();
    CsvTokenizer csv = new CsvTokenizer(new StringReader(download(scored.outputKey())));
    String[] header = csv.next();
    for (String[] row = csv.next(); row != null; row = csv.next()) {
      rows.put(row[0], row);
    }
    String asOf = scored.featuresAsOf();
    // The score function serves the live model it has for up to its cache TTL (1 s here): wait
    // until it serves the CDNOW model, as a client would see after the TTL.
    long until = System.nanoTime() + 30_000_000_000L;
    while (!model
        .version()
        .equals(call("GET", "/model", null).get("body").get("version").asText())) {
      assertTrue(System.nanoTime() < until, "the score function serves the new model");
      Thread.sleep(200);
    }
    // The order fields of the model's dialect: the storefront's orders, not the export's extras.
    Map<String, ArrayNode> histories =
        histories(cdnow, "sampleid", List.of("date", "cds", "sales"));
    Scorer scorer = Scorer.of(model);
    int compared = 0;
    int newCustomers = 0;
    List<String> ids = new ArrayList<>(histories.keySet());
    for (int from = 0; from < ids.size(); from += PER_REQUEST) {
      ObjectNode body = MAPPER.createObjectNode();
      body.put("asOf", asOf);
      ArrayNode customers = body.putArray("customers");
      List<String> sent = ids.subList(from, Math.min(ids.size(), from + PER_REQUEST));
      for (String id : sent) {
        customers.addObject().put("customerId", id).set("orders", histories.get(id));
      }
      JsonNode answer = call("POST", "/score", body.toString());
      assertEquals(200, answer.get("status").asInt(), answer.toString());
      JsonNode results = answer.get("body").get("results");
      for (int i = 0; i < sent.size(); i++) {
        JsonNode r = results.get(i);
        String[] row = rows.get(sent.get(i));
        if (row == null) {
          // Zero-amount orders only (8 of CDNOW's customers): no purchase, as in the batch.
          assertEquals("new-customer", r.get("basis").asText(), sent.get(i));
          newCustomers++;
          continue;
        }
        double[] x = new double[model.featureNames().size()];
        for (int f = 0; f < x.length; f++) {
          x[f] = r.get("derivedFeatures").get(model.featureNames().get(f)).asDouble();
        }
        assertEquals(
            Double.doubleToLongBits(scorer.score(x).probability()),
            Double.doubleToLongBits(r.get("probability").asDouble()),
            sent.get(i));
        assertEquals(List.of(row).subList(1, header.length - 2), cellsOf(r, header), sent.get(i));
        compared++;
      }
    }
    assertEquals(rows.size(), compared, "every batch customer of the real export compared");
    assertEquals(2_349, compared, "CDNOW's customers with a purchase");
    assertEquals(2_357, compared + newCustomers, "CDNOW's customers");
  }

  /**
   * Each customer's orders, as the export has them (its text cells, in file order), as the JSON
   * objects a storefront sends: every column but the customer id's.
   */
  static Map<String, ArrayNode> histories(String csv, String idColumn) throws Exception {
    return histories(csv, idColumn, null);
  }

  /** {@link #histories(String, String)} with only the columns {@code fields} (null: all). */
  static Map<String, ArrayNode> histories(String csv, String idColumn, List<String> fields)
      throws Exception {
    Map<String, ArrayNode> histories = new LinkedHashMap<>();
    CsvTokenizer rows = new CsvTokenizer(new StringReader(csv));
    List<String> columns = List.of(rows.next());
    int id = columns.indexOf(idColumn);
    for (String[] cells = rows.next(); cells != null; cells = rows.next()) {
      ObjectNode order = MAPPER.createObjectNode();
      for (int c = 0; c < columns.size(); c++) {
        if (c != id && (fields == null || fields.contains(columns.get(c)))) {
          order.put(columns.get(c), cells[c]);
        }
      }
      histories.computeIfAbsent(cells[id], k -> MAPPER.createArrayNode()).add(order);
    }
    return histories;
  }

  /**
   * An answer's values in the scores file's columns, formatted as batch scoring formats them: the
   * scores file and the API agree to its last printed digit.
   */
  private static List<String> cellsOf(JsonNode r, String[] header) {
    List<String> cells = new ArrayList<>();
    JsonNode value = r.path("customerValue");
    for (int c = 1; c < header.length - 2; c++) {
      String column = header[c];
      JsonNode node =
          switch (column) {
            case "segment" -> r.get("segment");
            case "segment_name" -> r.get("segmentName");
            case "probability" -> r.get("probability");
            case "churn_risk_band" -> r.get("churnRiskBand");
            case "suggested_action" -> r.get("suggestedAction");
            case "p_alive" -> value.get("pAlive");
            case "expected_next_order_date" -> value.get("expectedNextOrderDate");
            case "historic_clv" -> value.get("historicClv");
            case "value_at_risk" -> value.has("valueAtRisk") ? value.get("valueAtRisk") : null;
            default ->
                column.startsWith("p_purchase_")
                    ? value.get("pPurchase" + column.substring(11))
                    : column.startsWith("expected_purchases_")
                        ? value.get(
                            "expectedPurchases" + column.substring(19).replace("d", "") + "d")
                        : value.get("predictedClv" + column.substring(14).replace("d", "") + "d");
          };
      if (column.equals("value_at_risk") && node == null) {
        // The API gives the parts: CLV × (1 − probability), the one definition batch uses.
        double v = value.get("predictedClv365d").asDouble() * (1 - r.get("probability").asDouble());
        cells.add(String.format(Locale.ROOT, "%.2f", v));
      } else if (node.isTextual() || node.isInt()) {
        cells.add(node.asText());
      } else if (node.isNumber() && node.isBigDecimal()) {
        cells.add(node.asText());
      } else if (column.equals("probability")
          || column.equals("p_alive")
          || column.startsWith("p_purchase_")
          || column.startsWith("expected_purchases_")) {
        cells.add(String.format(Locale.ROOT, "%.6f", node.asDouble()));
      } else {
        cells.add(String.format(Locale.ROOT, "%.2f", node.asDouble()));
      }
    }
    return cells;
  }
}
