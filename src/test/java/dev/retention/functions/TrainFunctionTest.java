package dev.retention.functions;

import static dev.retention.functions.LocalS3Resource.download;
import static dev.retention.functions.LocalS3Resource.invoke;
import static dev.retention.functions.LocalS3Resource.upload;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.testing.Events;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.SyntheticOrders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The train function through the real Lambda path: the event JSON is posted to Quarkus' mock Lambda
 * event server, Funqy binds it and calls the function, which reads and writes a real S3-compatible
 * server.
 */
@QuarkusTest
@TestProfile(TrainProfile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class TrainFunctionTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = LocalS3Resource.BUCKET;

  private static S3Client s3() {
    return LocalS3Resource.server.client();
  }

  @Test
  void csvExportTrainsAndPublishesAVersionedModelThenARedeliveryReusesIt() throws Exception {
    upload("exports/features/customers.csv", ReferenceData.csvBytes());
    Response first = invoke(Events.text("s3-put-csv.json"));
    first.then().statusCode(200).body("results[0].status", equalTo("TRAINED"));
    JsonNode summary = MAPPER.readTree(first.asString()).get("results").get(0);
    assertEquals(6000, summary.get("rowsUsed").asLong());
    assertEquals(0, summary.get("rowsRejected").asLong());
    assertTrue(summary.get("auc").asDouble() > 0.85, summary.toString());
    String modelKey = summary.get("modelKey").asText();
    String version = summary.get("version").asText();
    assertEquals("models/default/" + version + ".json", modelKey);

    byte[] json = download(modelKey);
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    assertTrue(schema.validate(MAPPER.readTree(json)).isEmpty());
    RetentionModel model = ModelJson.read(json);
    assertEquals(summary.get("k").asInt(), model.segmentation().k());
    assertTrue(model.provenance().timingsMs().containsKey("readAndParse"));
    JsonNode latest = MAPPER.readTree(download("models/default/latest.json"));
    assertEquals(modelKey, latest.get("key").asText());

    // S3 delivers at least once: the same event again finds the published version.
    invoke(Events.text("s3-put-csv.json"))
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("ALREADY_PUBLISHED"))
        .body("results[0].version", equalTo(version));
  }

  @Test
  void ordersExportTrainsAModelThatRecordsItsDerivationNextToItsReport() throws Exception {
    StringWriter orders = new StringWriter();
    long rows = SyntheticOrders.write(orders, 40_000, 4_000, LocalDate.of(2026, 11, 1), 11L);
    byte[] csv = orders.toString().getBytes(StandardCharsets.UTF_8);
    upload("exports/orders/orders-2026-11.csv.gz", gzip(orders.toString()));
    Response response = invoke(Events.text("s3-put-orders-csv-gz.json"));
    response.then().statusCode(200).body("results[0].status", equalTo("TRAINED"));
    JsonNode summary = MAPPER.readTree(response.asString()).get("results").get(0);
    assertEquals(rows, summary.get("rowsRead").asLong());

    byte[] json = download(summary.get("modelKey").asText());
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    assertEquals(Set.of(), schema.validate(MAPPER.readTree(json)));
    RetentionModel model = ModelJson.read(json);
    // The same derivation, computed here from the same bytes, fixes what the model must record.
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(csv),
            ExportFormat.of("o.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived expected =
        RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
    assertEquals(expected.cutoff().toString(), model.derivation().cutoff());
    assertEquals(expected.features().columns(), model.featureNames());
    assertEquals(expected.features().rows(), model.provenance().rowsUsed());
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>(expected.counts().asMap());
    counts.put("guestRowsSkipped", 0L);
    counts.put("customerIdsMerged", 0L);
    assertEquals(counts, model.derivation().counts());
    // The dialect it was read in, so every other path reads orders exactly so.
    assertEquals("customer_id", model.derivation().dialect().get("customerIdColumn"));
    assertEquals(",", model.derivation().dialect().get("delimiter"));
    assertEquals(Boolean.TRUE, model.derivation().money());
    assertEquals("bought_again_within_90_days", model.labelColumn());
    assertTrue(model.evaluation().rocAuc() > 0.7, "AUC " + model.evaluation().rocAuc());
    Set<String> rfm =
        Set.of("champions", "loyal", "promising", "needs attention", "at risk", "hibernating");
    for (RetentionModel.Segment segment : model.segments()) {
      assertTrue(rfm.contains(segment.kind()), segment.kind());
      assertTrue(segment.size() >= 50, "a profile never describes fewer than 50 customers");
      assertEquals(3, segment.actions().size());
    }

    // Next to the model: the derived features, one row per customer, as the derivation made them.
    String featuresKey = summary.get("featuresKey").asText();
    assertEquals("models/default/" + model.version() + "/features.csv.gz", featuresKey);
    List<String> lines;
    try (var in =
        new java.util.zip.GZIPInputStream(new ByteArrayInputStream(download(featuresKey)))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertEquals(
        "customer_id," + String.join(",", model.featureNames()) + ",bought_again_within_90_days",
        lines.get(0));
    assertEquals(expected.features().rows() + 1, lines.size());
    // The rows are in the training's canonical order; each customer's by its id.
    java.util.Map<String, String[]> byId = new java.util.HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      byId.put(cells[0], cells);
    }
    int d = expected.features().cols();
    for (int i = 0; i < expected.features().rows(); i += 151) {
      String[] cells = byId.get(expected.customerIds().get(i));
      for (int c = 0; c < d; c++) {
        assertEquals(
            expected.features().data()[i * d + c],
            Double.parseDouble(cells[c + 1]),
            5e-7 * Math.max(1, Math.abs(expected.features().data()[i * d + c])),
            "customer " + i + " " + model.featureNames().get(c));
      }
      assertEquals(expected.labels()[i], Integer.parseInt(cells[d + 1]));
    }

    String report =
        new String(
            download("models/default/" + model.version() + "/report.html"), StandardCharsets.UTF_8);
    for (String chart :
        List.of(
            "elbow",
            "silhouette",
            "segment-sizes",
            "segment-repurchase",
            "roc",
            "precision-recall",
            "calibration",
            "lift",
            "feature-effects",
            "p-alive",
            "back-test")) {
      assertTrue(report.contains("data-chart=\"" + chart + "\""), chart);
    }
    assertFalse(report.contains("<script"), "no script in the report");
    assertFalse(report.contains("src="), "nothing loaded from elsewhere");
  }

  @Test
  void gzipJsonLinesExportWithAnEncodedKeyIsDecodedAndTrained() throws IOException {
    // events/s3-put-jsonl-gz.json names "spring+sale+%C3%A9t%C3%A9.jsonl.gz": spaces and UTF-8.
    upload("exports/features/spring sale été.jsonl.gz", gzip(jsonLines(ReferenceData.load())));
    invoke(Events.text("s3-put-jsonl-gz.json"))
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("TRAINED"))
        .body(
            "results[0].source",
            equalTo("s3://retention-data/exports/features/spring sale été.jsonl.gz"))
        .body("results[0].rowsUsed", equalTo(6000));
  }

  @Test
  void someBadRowsArePublishedWithTheirRejectionsRecorded() throws IOException {
    String csv = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8);
    String[] lines = csv.split("\n");
    lines[10] = lines[10].replaceFirst(",[0-9.]+,", ",n/a,"); // line 11: recency_days
    lines[500] = lines[500].substring(0, lines[500].lastIndexOf(',')) + ",maybe"; // line 501: label
    upload("exports/features/dirty.csv", String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    Response response = invoke(Events.s3WithKey("s3-put-csv.json", "exports/features/dirty.csv"));
    response.then().statusCode(200).body("results[0].rowsRejected", equalTo(2));
    RetentionModel model =
        ModelJson.read(download(response.jsonPath().getString("results[0].modelKey")));
    assertEquals(2, model.provenance().rowsRejected());
    assertEquals(5998, model.provenance().rowsUsed());
    assertEquals(
        List.of(
            "line 11, column 'recency_days': not a number",
            "line 501, column 'repurchased': label must be 1/0, true/false or yes/no"),
        model.provenance().rejections());
  }

  @Test
  void tooManyBadRowsFailTheInvocationAndPublishNothing() {
    StringBuilder csv = new StringBuilder("customer_id,recency_days,frequency,repurchased\n");
    for (int i = 0; i < 100; i++) {
      csv.append("C")
          .append(i)
          .append(',')
          .append(i % 7 == 0 ? "?" : String.valueOf(i))
          .append(",2,")
          .append(i % 2)
          .append('\n');
    }
    upload("exports/features/broken.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    byte[] latestBefore = latestOrEmpty();
    Response response = invoke(Events.s3WithKey("s3-put-csv.json", "exports/features/broken.csv"));
    assertFalse(response.statusCode() == 200, "a failed training must fail the invocation");
    assertTrue(
        response.asString().contains("15 of 100 rows (15.00%) were rejected"), response.asString());
    assertFalse(response.asString().contains("at dev.retention"), "no stack trace in the error");
    assertEquals(
        new String(latestBefore, StandardCharsets.UTF_8),
        new String(latestOrEmpty(), StandardCharsets.UTF_8));
  }

  @Test
  void keysOutsideThePrefixOrWithOtherSuffixesAreSkipped() {
    invoke(Events.s3WithKey("s3-put-csv.json", "reports/customers.csv"))
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SKIPPED"))
        .body("results[0].reason", containsString("outside the export prefix"));
    invoke(Events.s3WithKey("s3-put-csv.json", "exports/features/customers.parquet"))
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SKIPPED"))
        .body("results[0].reason", containsString("unsupported suffix"));
  }

  @Test
  void anObjectDeletedBeforeTheEventIsHandledIsSkippedNotAnError() {
    invoke(Events.s3WithKey("s3-put-csv.json", "exports/features/already-deleted.csv"))
        .then()
        .statusCode(200)
        .body("results[0].status", equalTo("SKIPPED"))
        .body("results[0].reason", equalTo("the object no longer exists"));
  }

  private static byte[] latestOrEmpty() {
    try {
      return download("models/default/latest.json");
    } catch (NoSuchKeyException e) {
      return new byte[0];
    }
  }

  static String jsonLines(ReferenceData data) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < data.features.rows(); i++) {
      var row = MAPPER.createObjectNode();
      row.put("customer_id", "C" + (100000 + i));
      for (int c = 0; c < ReferenceData.FEATURES.size(); c++) {
        row.put(ReferenceData.FEATURES.get(c), data.features.get(i, c));
      }
      row.put("repurchased", data.labels[i] == 1);
      out.append(row).append('\n');
    }
    return out.toString();
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
