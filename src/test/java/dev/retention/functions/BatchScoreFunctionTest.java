package dev.retention.functions;

import static dev.retention.functions.LocalS3Resource.download;
import static dev.retention.functions.LocalS3Resource.invoke;
import static dev.retention.functions.LocalS3Resource.upload;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.testing.EmfCapture;
import dev.retention.testing.Events;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.SyntheticOrders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The batch-score function through the real Lambda path, against a real S3-compatible server. The
 * model it uses is trained by the real training service of the same artifact.
 */
@QuarkusTest
@TestProfile(BatchProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class BatchScoreFunctionTest {

  private static final String BUCKET = LocalS3Resource.BUCKET;

  @Inject TrainingService training;

  private static HeadObjectResponse head(String key) {
    try (S3Client s3 = LocalS3Resource.server.client()) {
      return s3.headObject(b -> b.bucket(BUCKET).key(key));
    }
  }

  private RetentionModel train(String key, byte[] export) {
    upload(key, export);
    TrainSummary summary = training.handle(List.of(S3ObjectRef.current(BUCKET, key))).get(0);
    assertEquals(TrainSummary.Status.TRAINED, summary.status(), summary.toString());
    return ModelJson.read(download(summary.modelKey()));
  }

  private static String orders(long rows, int customers, LocalDate last, long seed)
      throws IOException {
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, rows, customers, last, seed);
    return out.toString();
  }

  @Test
  void anOrdersExportIsScoredAsOfItsLatestOrderWithTheModelDerivedFromOrders() throws Exception {
    RetentionModel model =
        train(
            "exports/orders/history.csv",
            orders(30_000, 3_000, LocalDate.of(2026, 9, 30), 5L).getBytes(StandardCharsets.UTF_8));
    String today = orders(20_000, 2_000, LocalDate.of(2026, 11, 20), 6L);
    upload("exports/score/customers-today.csv", today.getBytes(StandardCharsets.UTF_8));

    // The expected scores: the same features derived here, scored by the same model.
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(today.getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("x.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived now =
        RfmFeatures.forScoring(read.book(), read.columns(), RfmOptions.defaults());
    String asOf = now.cutoff().toString();

    Response response;
    List<JsonNode> metrics;
    try (EmfCapture emf = EmfCapture.start()) {
      response = invoke(Events.text("s3-put-score-csv.json"));
      metrics = emf.records("batch-score", "CustomersScored");
    }
    assertEquals(1, metrics.size());
    assertEquals(now.features().rows(), metrics.get(0).get("CustomersScored").asLong());
    assertEquals(read.rowsRead(), metrics.get(0).get("RowsRead").asLong());
    response
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SCORED"))
        .body("results[0].modelVersion", equalTo(model.version()))
        .body("results[0].featuresAsOf", equalTo(asOf))
        .body("results[0].lookupIndex", equalTo("MOVED"));
    // The lookup index of the batch: its pointer names it, for the model that scored it.
    JsonNode pointer =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(download("lookup/" + model.version() + "/latest.json"));
    assertEquals(now.features().rows(), pointer.get("customers").asLong());
    assertEquals(asOf, pointer.get("asOf").asText());
    assertTrue(pointer.get("source").asText().endsWith("exports/score/customers-today.csv"));
    String outputKey = response.jsonPath().getString("results[0].outputKey");
    assertEquals("scores/" + model.version() + "/customers-today.csv", outputKey);
    assertEquals(asOf, head(outputKey).metadata().get("features-as-of"));
    Scorer scorer = Scorer.of(model);
    List<String> lines = new String(download(outputKey), StandardCharsets.UTF_8).lines().toList();
    assertEquals(
        "customer_id,segment,segment_name,probability,churn_risk_band,suggested_action,p_alive,"
            + "expected_purchases_90d,p_purchase_90d,expected_next_order_date,predicted_clv_365d,"
            + "value_at_risk,historic_clv,model_version,as_of",
        lines.get(0));
    assertEquals(now.features().rows() + 1, lines.size());
    // Priority order: customers likely to lapse (high or medium churn risk) first, each tier by
    // value at risk, the most first.
    double previousRisk = Double.POSITIVE_INFINITY;
    boolean previousLapsing = true;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      double risk = Double.parseDouble(cells[11]);
      boolean lapsing = !cells[4].equals("low");
      assertTrue(previousLapsing || !lapsing, "a customer likely to lapse after a low-risk one");
      if (lapsing == previousLapsing) {
        assertTrue(risk <= previousRisk + 1e-9, "rows not in value-at-risk order: " + line);
      }
      previousLapsing = lapsing;
      previousRisk = risk;
      assertEquals(model.version(), cells[13]);
      assertEquals(asOf, cells[14]);
    }
    Map<String, String[]> byId = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      byId.put(cells[0], cells);
    }
    int d = now.features().cols();
    for (int i = 0; i < now.features().rows(); i += 97) {
      double[] row = new double[d];
      System.arraycopy(now.features().data(), i * d, row, 0, d);
      Scorer.Score expected = scorer.score(row);
      String[] cells = byId.get(now.customerIds().get(i));
      assertNotNull(cells, now.customerIds().get(i));
      assertEquals(expected.segment(), Integer.parseInt(cells[1]));
      assertEquals(expected.probability(), Double.parseDouble(cells[3]), 1e-6);
      assertEquals(model.playbook().band(expected.probability()), cells[4]);
      assertEquals(expected.suggestedAction(), cells[5].replace("\"", ""));
      assertEquals(expected.value().pAlive(), Double.parseDouble(cells[6]), 1e-6);
      assertEquals(expected.value().expectedPurchases(), Double.parseDouble(cells[7]), 1e-6);
      assertEquals(expected.value().pPurchase(), Double.parseDouble(cells[8]), 1e-6);
      assertEquals(expected.value().predictedClv(), Double.parseDouble(cells[10]), 0.006);
      assertEquals(expected.value().historicClv(), Double.parseDouble(cells[12]), 0.006);
    }
    // Next to the scores: the batch report, who to contact among these customers, aggregates
    // only. Its counts are the scores file's, cell by cell.
    String reportKey = response.jsonPath().getString("results[0].reportKey");
    assertEquals("scores/" + model.version() + "/customers-today.report.html", reportKey);
    String report = new String(download(reportKey), StandardCharsets.UTF_8);
    assertTrue(report.contains("id=\"contact-table\""), "the batch report's first screen");
    assertFalse(report.contains("<script"), "no script in the report");
    // The header dates the scored customers by the scoring day, not by the training cutoff.
    assertTrue(
        report.contains("the scored customers' features are as of <time>" + asOf + "</time>"),
        "the batch report names the day its customers' features describe");
    assertFalse(
        report.contains("features as of " + model.derivation().cutoff()),
        "the batch report dates its customers by the training cutoff");
    Map<String, Integer> cellCounts = new HashMap<>();
    for (String[] cells : byId.values()) {
      cellCounts.merge(cells[2].replace("\"", "") + "|" + cells[4], 1, Integer::sum);
    }
    for (Map.Entry<String, Integer> cell : cellCounts.entrySet()) {
      String[] key = cell.getKey().split("\\|");
      String row =
          "data-label=\"Segment\">"
              + key[0]
              + "</td><td class=\"text\" data-label=\"Churn risk\">"
              + key[1]
              + "</td><td data-label=\"Customers\">"
              + String.format(java.util.Locale.ROOT, "%,d", cell.getValue())
              + "</td>";
      assertTrue(report.contains(row), "the report's cell " + cell + " matches the scores");
    }
    for (String id : byId.keySet().stream().limit(200).toList()) {
      assertFalse(report.contains(id), "a customer id in the batch report");
    }
    // Issue 21: the two probabilities of buying in the window, per segment, from the file's rows.
    Map<String, double[]> means = new HashMap<>();
    for (String[] cells : byId.values()) {
      double[] m = means.computeIfAbsent(cells[2].replace("\"", ""), k -> new double[3]);
      m[0]++;
      m[1] += Double.parseDouble(cells[3]);
      m[2] += Double.parseDouble(cells[8]);
    }
    assertTrue(report.contains("<section id=\"window\">"), "the reconciliation section");
    for (Map.Entry<String, double[]> segment : means.entrySet()) {
      double[] m = segment.getValue();
      boolean shown = m[0] >= model.segmentation().minSize();
      String row =
          "data-label=\"Segment\">"
              + segment.getKey()
              + "</td><td data-label=\"Customers\">"
              + String.format(java.util.Locale.ROOT, "%,d", (long) m[0])
              + "</td><td data-label=\"Repurchase probability\">"
              + (shown ? String.format(java.util.Locale.ROOT, "%.1f%%", 100 * m[1] / m[0]) : "–")
              + "</td><td data-label=\"BG/NBD P(at least one purchase)\">"
              + (shown ? String.format(java.util.Locale.ROOT, "%.1f%%", 100 * m[2] / m[0]) : "–")
              + "</td>";
      assertTrue(report.contains(row), "the window row of " + segment.getKey() + ": " + row);
    }
  }

  @Test
  void aFeatureExportIsScoredWithAFeatureModelAndBadRowsAreCounted() {
    RetentionModel model =
        train("exports/features/customers-for-scoring.csv", ReferenceData.csvBytes());
    String[] lines = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8).split("\n");
    lines[3] = lines[3].replaceFirst(",[0-9.]+,", ",oops,"); // line 4
    upload(
        "exports/score/customers-today.csv",
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    Response response = invoke(Events.text("s3-put-score-csv.json"));
    response
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SCORED"))
        .body("results[0].rowsRead", equalTo(6000))
        .body("results[0].rowsRejected", equalTo(1))
        .body("results[0].customersScored", equalTo(5999));
    List<String> out =
        new String(
                download("scores/" + model.version() + "/customers-today.csv"),
                StandardCharsets.UTF_8)
            .lines()
            .toList();
    assertEquals(6000, out.size());
    double[] first = new double[ReferenceData.FEATURES.size()];
    ReferenceData data = ReferenceData.load();
    for (int c = 0; c < first.length; c++) {
      first[c] = data.features.get(0, c);
    }
    double expected = Scorer.of(model).score(first).probability();
    String[] row =
        out.stream().filter(l -> l.startsWith("C100000,")).findFirst().orElseThrow().split(",");
    assertEquals(expected, Double.parseDouble(row[3]), 1e-6);
    // Without customer value: the lowest repurchase probability first.
    double previous = -1;
    for (String line : out.subList(1, out.size())) {
      double p = Double.parseDouble(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)[3]);
      assertTrue(p >= previous, line);
      previous = p;
    }
    assertTrue(out.get(0).endsWith(",model_version,as_of"), out.get(0));
  }

  @Test
  void anExportTheModelCannotScoreWritesNothingAndKeysOutsideThePrefixAreSkipped()
      throws IOException {
    // Its own key, so that this model is trained now and becomes the latest.
    train("exports/features/customers-for-errors.csv", ReferenceData.csvBytes());
    upload(
        "exports/score/broken.csv",
        "customer_id,recency_days\nC1,?\nC2,3\n".getBytes(StandardCharsets.UTF_8));
    Response response =
        invoke(Events.s3WithKey("s3-put-score-csv.json", "exports/score/broken.csv"));
    assertFalse(response.statusCode() == 200, "a failed export must fail the invocation");
    assertTrue(response.asString().contains("the model needs feature"), response.asString());
    String version =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(download("models/default/latest.json"))
            .get("version")
            .asText();
    assertTrue(version.matches("[0-9]{8}-[0-9a-f]{16}"), version);
    assertThrows(NoSuchKeyException.class, () -> head("scores/" + version + "/broken.csv"));
    assertThrows(NoSuchKeyException.class, () -> head("scores/" + version + "/broken.report.html"));

    invoke(Events.s3WithKey("s3-put-score-csv.json", "exports/features/customers.csv"))
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SKIPPED"))
        .body("results[0].reason", containsString("outside the scoring prefix"));
  }

  /**
   * Issue 18: exports whose names differ only by their suffix ({@code today.csv}, {@code
   * today.jsonl}, {@code today.csv.gz}, {@code today.CSV}) never write the same scores key.
   */
  @Test
  void exportsThatDifferOnlyBySuffixNeverShareAScoresKey() throws Exception {
    RetentionModel model = train("exports/features/suffixes.csv", ReferenceData.csvBytes());
    String csv = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8);
    List<String> lines = csv.lines().toList();
    String[] header = lines.get(0).split(",");
    StringBuilder jsonl = new StringBuilder();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      jsonl.append('{');
      for (int c = 0; c < header.length; c++) {
        jsonl.append(c == 0 ? "" : ",").append('"').append(header[c]).append("\":");
        jsonl.append(c == 0 ? "\"" + cells[c] + "\"" : cells[c]);
      }
      jsonl.append("}\n");
    }
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(ReferenceData.csvBytes());
    }
    Map<String, byte[]> exports = new java.util.LinkedHashMap<>();
    exports.put("today.csv", ReferenceData.csvBytes());
    exports.put("today.jsonl", jsonl.toString().getBytes(StandardCharsets.UTF_8));
    exports.put("today.csv.gz", gz.toByteArray());
    exports.put("today.CSV", ReferenceData.csvBytes());
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (Map.Entry<String, byte[]> export : exports.entrySet()) {
      upload("exports/score/" + export.getKey(), export.getValue());
      Response response =
          invoke(Events.s3WithKey("s3-put-score-csv.json", "exports/score/" + export.getKey()));
      response.then().statusCode(200).body("results[0].status", equalTo("SCORED"));
      String outputKey = response.jsonPath().getString("results[0].outputKey");
      assertTrue(keys.add(outputKey), export.getKey() + " wrote the key of another export");
      assertEquals(6000, response.jsonPath().getLong("results[0].customersScored"));
    }
    assertEquals(
        java.util.Set.of(
            "scores/" + model.version() + "/today.csv",
            "scores/" + model.version() + "/today.jsonl.csv",
            "scores/" + model.version() + "/today.csv.gz.csv",
            "scores/" + model.version() + "/today.CSV.csv"),
        keys);
  }
}
