package dev.retention.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.retention.data.CsvTokenizer;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.testing.Events;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The three functions as the one native executable ({@code ./mvnw -B verify -Pnative}): the {@code
 * bootstrap} of target/function.zip run as Lambda's custom runtime runs it ({@link
 * LambdaRuntimeApi}), against s3proxy. Train on the sample export and on an orders export (the
 * customer-value records), score one customer and a batch with the trained model (the same numbers
 * the JVM's scorer gives for that model), a bad request, GET /model, batch-score an export, and a
 * misspelt setting at start, whose own message must reach Lambda's init error. Run by the native
 * profile only (failsafe includes it there; the JVM build excludes it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeFunctionIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  private static Path work;
  private static S3ProxyServer s3;
  private static NativeFunction function;
  private static RetentionModel model;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("native-it");
    function = NativeFunction.unpack(Path.of("target/function.zip"), work.resolve("function"));
    s3 = S3ProxyServer.start(work.resolve("s3"));
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static S3Client client() {
    return s3.client();
  }

  private static byte[] download(String key) {
    try (S3Client c = client()) {
      return c.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }
  }

  private static void upload(String key, byte[] bytes) {
    try (S3Client c = client()) {
      c.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }
  }

  /** The S3 event file as S3 sends it for the object as it now is. */
  private static byte[] s3Event(String event) {
    try (S3Client c = client()) {
      return Events.asS3Sends(event, c).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Runs the function on the events; returns each answer's body, failing on an error answer. */
  private static List<LambdaRuntimeApi.Outcome> invoke(
      String name, Map<String, String> environment, List<byte[]> events) throws Exception {
    Path log = work.resolve(name + "-" + System.nanoTime() + ".log");
    try (NativeFunction.Run run =
        function.start(name, s3.endpoint(), BUCKET, environment, events, log)) {
      assertTrue(run.api().awaitAll(TIMEOUT), "no answer in time; output: " + run.output());
      assertNull(run.api().initError(), "the start failed: " + run.output());
      List<LambdaRuntimeApi.Outcome> outcomes = run.api().outcomes();
      for (LambdaRuntimeApi.Outcome outcome : outcomes) {
        assertNotNull(outcome, run.output());
      }
      return outcomes;
    }
  }

  @Test
  @Order(1)
  void trainsOnTheSampleExportAndPublishesAModelThatValidates() throws Exception {
    upload("exports/features/customers.csv", ReferenceData.csvBytes());
    LambdaRuntimeApi.Outcome outcome =
        invoke("train", Map.of(), List.of(s3Event(Events.text("s3-put-csv.json")))).get(0);
    assertTrue(!outcome.error(), outcome.body());
    JsonNode summary = MAPPER.readTree(outcome.body()).get("results").get(0);
    assertEquals("TRAINED", summary.get("status").asText(), outcome.body());
    assertEquals(6000, summary.get("rowsUsed").asLong());
    assertTrue(summary.get("auc").asDouble() > 0.85, summary.toString());
    byte[] json = download(summary.get("modelKey").asText());
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    assertEquals(java.util.Set.of(), schema.validate(MAPPER.readTree(json)));
    model = ModelJson.read(json);
    assertEquals(summary.get("k").asInt(), model.segmentation().k());
    JsonNode latest = MAPPER.readTree(download("models/default/latest.json"));
    assertEquals(summary.get("modelKey").asText(), latest.get("key").asText());
    assertTrue(download("models/default/" + model.version() + "/report.html").length > 10_000);
  }

  @Test
  @Order(2)
  void scoresOneCustomerAndABatchAsTheJvmScorerDoesAndAnswersABadRequestWith400() throws Exception {
    assertNotNull(model, "the train test publishes the model scored here");
    List<LambdaRuntimeApi.Outcome> outcomes =
        invoke(
            "score",
            Map.of(),
            List.of(
                Events.text("score-single.json").getBytes(StandardCharsets.UTF_8),
                Events.text("score-batch.json").getBytes(StandardCharsets.UTF_8),
                Events.text("score-bad-request.json").getBytes(StandardCharsets.UTF_8),
                Events.text("get-model.json").getBytes(StandardCharsets.UTF_8)));
    Scorer scorer = Scorer.of(model);

    JsonNode single = MAPPER.readTree(outcomes.get(0).body());
    assertEquals(200, single.get("statusCode").asInt(), single.toString());
    JsonNode answer = MAPPER.readTree(single.get("body").asText());
    JsonNode request =
        MAPPER.readTree(Events.json("score-single.json").get("body").asText()).get("features");
    assertEquals(model.version(), answer.get("modelVersion").asText());
    assertEquals(
        scorer.score(row(request)).probability(), answer.get("probability").asDouble(), 1e-12);

    JsonNode batch = MAPPER.readTree(outcomes.get(1).body());
    assertEquals(200, batch.get("statusCode").asInt(), batch.toString());
    JsonNode results = MAPPER.readTree(batch.get("body").asText()).get("results");
    JsonNode customers =
        MAPPER.readTree(Events.json("score-batch.json").get("body").asText()).get("customers");
    assertEquals(customers.size(), results.size());
    for (int i = 0; i < customers.size(); i++) {
      assertEquals(
          scorer.score(row(customers.get(i).get("features"))).probability(),
          results.get(i).get("probability").asDouble(),
          1e-12,
          "customer " + i);
    }

    JsonNode bad = MAPPER.readTree(outcomes.get(2).body());
    assertEquals(400, bad.get("statusCode").asInt(), bad.toString());
    JsonNode error = MAPPER.readTree(bad.get("body").asText()).get("error");
    assertEquals("invalid_feature", error.get("code").asText(), error.toString());

    JsonNode got = MAPPER.readTree(outcomes.get(3).body());
    assertEquals(200, got.get("statusCode").asInt(), got.toString());
    assertEquals(
        model.version(), MAPPER.readTree(got.get("body").asText()).get("version").asText());
  }

  /** A request's features in the model's feature order. */
  private static double[] row(JsonNode features) {
    double[] row = new double[model.featureNames().size()];
    for (int c = 0; c < row.length; c++) {
      row[c] = features.get(model.featureNames().get(c)).asDouble();
    }
    return row;
  }

  @Test
  @Order(3)
  void batchScoresAnExportIntoTheScoresFile() throws Exception {
    assertNotNull(model, "the train test publishes the model used here");
    List<String> reference =
        new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8).lines().toList();
    String today = String.join("\n", reference.subList(0, 501)) + "\n";
    upload("exports/score/customers-today.csv", today.getBytes(StandardCharsets.UTF_8));
    LambdaRuntimeApi.Outcome outcome =
        invoke("batch-score", Map.of(), List.of(s3Event(Events.text("s3-put-score-csv.json"))))
            .get(0);
    assertTrue(!outcome.error(), outcome.body());
    JsonNode summary = MAPPER.readTree(outcome.body()).get("results").get(0);
    assertEquals("SCORED", summary.get("status").asText(), outcome.body());
    String scores =
        new String(
            download("scores/" + model.version() + "/customers-today.csv"), StandardCharsets.UTF_8);
    List<String> lines = scores.lines().toList();
    assertEquals(501, lines.size(), "a header and 500 customers");
    assertTrue(lines.get(0).startsWith("customer_id,segment,segment_name,probability"));
  }

  @Test
  @Order(4)
  void trainsOnAnOrdersExportWithCustomerValue() throws Exception {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 40_000, 4_000, LocalDate.of(2026, 11, 1), 11L);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(orders.toString().getBytes(StandardCharsets.UTF_8));
    }
    upload("exports/orders/orders-2026-11.csv.gz", gz.toByteArray());
    LambdaRuntimeApi.Outcome outcome =
        invoke("train", Map.of(), List.of(s3Event(Events.text("s3-put-orders-csv-gz.json"))))
            .get(0);
    assertTrue(!outcome.error(), outcome.body());
    JsonNode summary = MAPPER.readTree(outcome.body()).get("results").get(0);
    assertEquals("TRAINED", summary.get("status").asText(), outcome.body());
    RetentionModel orderModel = ModelJson.read(download(summary.get("modelKey").asText()));
    assertNotNull(orderModel.customerValue(), "BG/NBD and Gamma-Gamma were fitted natively");
    assertNotNull(orderModel.derivation());
  }

  /**
   * The serving paths of issue 20 natively, on a model of their own (another model name, so the
   * feature model above stays live for its tests): an orders model trained and an orders export
   * batch-scored (with its lookup index), then the bundled requests: a customer sent as orders (the
   * same probability as the JVM's scorer on the features the answer says it derived) and a customer
   * looked up by id (the batch's own row).
   */
  @Test
  @Order(6)
  void scoresACustomerFromOrdersAndByIdFromTheLookupIndex() throws Exception {
    Map<String, String> env = Map.of("RETENTION_MODEL_NAME", "serving");
    StringWriter history = new StringWriter();
    SyntheticOrders.write(history, 40_000, 4_000, LocalDate.of(2026, 11, 1), 11L);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(history.toString().getBytes(StandardCharsets.UTF_8));
    }
    upload("exports/orders/orders-2026-11.csv.gz", gz.toByteArray());
    LambdaRuntimeApi.Outcome trained =
        invoke("train", env, List.of(s3Event(Events.text("s3-put-orders-csv-gz.json")))).get(0);
    JsonNode summary = MAPPER.readTree(trained.body()).get("results").get(0);
    assertEquals("MOVED", summary.get("latest").asText(), trained.body());
    RetentionModel orders = ModelJson.read(download(summary.get("modelKey").asText()));

    // The local run's "today" export: the customer of events/get-customer.json is in it.
    StringWriter today = new StringWriter();
    SyntheticOrders.write(
        today, 30_000, 3_000, LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1), 20261129L);
    upload("exports/score/customers-today.csv", today.toString().getBytes(StandardCharsets.UTF_8));
    LambdaRuntimeApi.Outcome batched =
        invoke("batch-score", env, List.of(s3Event(Events.text("s3-put-score-csv.json")))).get(0);
    JsonNode batch = MAPPER.readTree(batched.body()).get("results").get(0);
    assertEquals("SCORED", batch.get("status").asText(), batched.body());
    assertEquals("MOVED", batch.get("lookupIndex").asText(), batched.body());

    List<LambdaRuntimeApi.Outcome> answers =
        invoke(
            "score",
            env,
            List.of(
                Events.text("score-orders.json").getBytes(StandardCharsets.UTF_8),
                Events.text("get-customer.json").getBytes(StandardCharsets.UTF_8)));
    JsonNode fromOrders = MAPPER.readTree(answers.get(0).body());
    assertEquals(200, fromOrders.get("statusCode").asInt(), fromOrders.toString());
    JsonNode scored = MAPPER.readTree(fromOrders.get("body").asText());
    assertEquals(orders.version(), scored.get("modelVersion").asText());
    double[] x = new double[orders.featureNames().size()];
    for (int f = 0; f < x.length; f++) {
      x[f] = scored.get("derivedFeatures").get(orders.featureNames().get(f)).asDouble();
    }
    assertEquals(
        Scorer.of(orders).score(x).probability(), scored.get("probability").asDouble(), 1e-12);

    JsonNode byId = MAPPER.readTree(answers.get(1).body());
    assertEquals(200, byId.get("statusCode").asInt(), byId.toString());
    JsonNode found = MAPPER.readTree(byId.get("body").asText());
    String id = Events.json("get-customer.json").get("rawPath").asText().substring(11);
    assertEquals(id, found.get("customerId").asText());
    String scores = new String(download(batch.get("outputKey").asText()), StandardCharsets.UTF_8);
    String probability = null;
    CsvTokenizer csv = new CsvTokenizer(new StringReader(scores));
    csv.next();
    for (String[] cells = csv.next(); cells != null; cells = csv.next()) {
      if (cells[0].equals(id)) {
        probability = cells[3]; // after customer_id, segment, segment_name (text, perhaps quoted)
      }
    }
    assertEquals(
        probability,
        String.format(java.util.Locale.ROOT, "%.6f", found.get("probability").asDouble()),
        "the batch's probability for " + id);
  }

  @Test
  @Order(5)
  void aMisspeltSettingFailsTheStartWithItsOwnMessage() throws Exception {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("RETENTION_SEGMNETS_MIN_SIZE", "60");
    Path log = work.resolve("bad-setting.log");
    try (NativeFunction.Run run =
        function.start(
            "score",
            s3.endpoint(),
            BUCKET,
            environment,
            List.of(Events.text("score-single.json").getBytes(StandardCharsets.UTF_8)),
            log)) {
      assertTrue(run.api().awaitAll(TIMEOUT), run.output());
      String initError = run.api().initError();
      assertNotNull(initError, "the start must fail; output: " + run.output());
      JsonNode error = MAPPER.readTree(initError);
      assertTrue(
          error.get("errorMessage").asText().contains("RETENTION_SEGMNETS_MIN_SIZE (environment)"),
          initError);
      assertTrue(
          error.get("errorMessage").asText().contains("retention.segments.min-size"),
          "the known settings are listed: " + initError);
      assertNull(run.api().outcome(0), "no event is handled after a failed start");
    }
  }
}
