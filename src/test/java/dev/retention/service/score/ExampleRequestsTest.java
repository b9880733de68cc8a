package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.data.CsvTokenizer;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersDialect;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ScoreIndex;
import dev.retention.storage.ScoreIndexWriter;
import dev.retention.testing.Events;
import dev.retention.testing.OrdersModels;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bundled example requests match the bundled models: the sample events in {@code events/} and
 * every request of the README are answered as the README says by the model they are written for
 * (the sample feature export's, or one trained on orders as the local run trains it), and the
 * README's answers have the fields real answers have.
 */
class ExampleRequestsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "examples";
  private static final Clock README_DAY =
      Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
  private static S3ProxyServer server;
  private static S3Client s3;
  private static ScoreApi features;
  private static ScoreApi orders;

  @BeforeAll
  static void publish() throws Exception {
    server = S3ProxyServer.start(Files.createTempDirectory("examples"));
    server.createBucket(BUCKET);
    s3 = server.client();
    Bucket bucket = new Bucket(s3, BUCKET);
    ReferenceData reference = ReferenceData.load();
    RetentionModel sample =
        new Trainer(TrainingOptions.defaults())
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", "sample-v1", Instant.EPOCH));
    RetentionModel ordersModel = OrdersModels.synthetic().model();
    // The lookup index of a batch holding the customer events/get-customer.json asks for.
    try (ScoreIndexWriter index = new ScoreIndexWriter(1, 2048)) {
      index.add(
          customerOfTheGetEvent(),
          CsvTokenizer.joinRecord(List.of("1", "promising", "0.5", "medium", "")));
      index.publish(
          bucket,
          "lookup/",
          new ScoreIndex.Pointer(
              ordersModel.version(),
              "b",
              1,
              1,
              List.of(
                  "segment", "segment_name", "probability", "churn_risk_band", "suggested_action"),
              "2026-12-02",
              "s3://" + BUCKET + "/exports/score/orders-today.csv",
              "scores/x/orders-today.csv",
              "2026-12-04T00:00:00Z",
              new ModelOrder("2026-12-04T00:00:00Z", "exports/score/orders-today.csv", null, "b"),
              null,
              0),
          1);
    }
    features = api(bucket, sample, "sample");
    orders = api(bucket, ordersModel, "orders");
  }

  private static ScoreApi api(Bucket bucket, RetentionModel model, String name) {
    ModelStore store = new ModelStore(bucket, "models/", name);
    store.publish(model, ReportHtml.render(model));
    Duration ttl = Duration.ofSeconds(60);
    return new ScoreApi(
        new ModelCache(store, ttl, Duration.ofSeconds(2), System::nanoTime),
        new ScoreSettings(ttl, Duration.ofSeconds(2), 1000, 1 << 20),
        README_DAY,
        dev.retention.service.EmfMetrics.disabled(),
        OrdersDialect.defaults(),
        new CustomerLookup(
            bucket, "lookup/", ttl, Duration.ofSeconds(2), 1 << 20, System::nanoTime));
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static String customerOfTheGetEvent() {
    String path = Events.json("get-customer.json").get("rawPath").asText();
    return path.substring("/customers/".length());
  }

  private static HttpResult handle(ScoreApi api, String event) {
    JsonNode e = Events.json(event);
    return api.handle(
        e.get("requestContext").get("http").get("method").asText(),
        e.get("rawPath").asText(),
        e.path("body").asText(null));
  }

  @Test
  void theFeatureEventsAreForTheSampleFeatureExportsModel() throws Exception {
    assertEquals(200, handle(features, "score-single.json").status());
    HttpResult batch = handle(features, "score-batch.json");
    assertEquals(200, batch.status(), batch.body());
    assertEquals(
        "features", MAPPER.readTree(batch.body()).get("results").get(0).get("basis").asText());
    HttpResult bad = handle(features, "score-bad-request.json");
    assertEquals(400, bad.status(), "the deliberately bad request");
    assertEquals(
        "customers[1].features.monetary",
        MAPPER.readTree(bad.body()).get("error").get("field").asText());
    // An orders model refuses the sample's features: they are not its own.
    assertEquals(400, handle(orders, "score-single.json").status());
  }

  @Test
  void theOrdersEventsAreForAModelTrainedOnOrders() throws Exception {
    HttpResult scored = handle(orders, "score-orders.json");
    assertEquals(200, scored.status(), scored.body());
    assertEquals("history", MAPPER.readTree(scored.body()).get("basis").asText());
    HttpResult found = handle(orders, "get-customer.json");
    assertEquals(200, found.status(), found.body());
    assertEquals(customerOfTheGetEvent(), MAPPER.readTree(found.body()).get("customerId").asText());
  }

  @Test
  void theCustomerOfTheGetEventIsInTheBatchTheLocalRunScores() throws Exception {
    // LocalRun's synthetic "today" export: 30,000 orders of 3,000 customers, seed 20261129, ending
    // yesterday; whichever day that is, this customer has a purchase and is scored.
    StringWriter today = new StringWriter();
    SyntheticOrders.write(
        today, 30_000, 3_000, LocalDate.now(ZoneOffset.UTC).minusDays(1), 20261129L);
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(today.toString().getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("orders-today.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived scored =
        RfmFeatures.forScoring(read.book(), read.columns(), RfmOptions.defaults());
    assertTrue(scored.customerIds().contains(customerOfTheGetEvent()));
    assertTrue(
        Files.readString(Path.of("src/test/java/dev/retention/local/LocalRun.java"))
            .contains("SyntheticOrders.write(out, 30_000, 3_000, yesterday, 20261129L, header)"),
        "the local run's today export is the one generated here");
  }

  /** A README request: its method, path and body, and the answer the README shows after it. */
  private record Example(String method, String path, String body, JsonNode answer) {}

  private static final Pattern TARGET =
      Pattern.compile("(?:\\$API|http://127\\.0\\.0\\.1:8080)(/score|/customers/[^\\s\"']+)");

  /** Every curl command of the README's code blocks, with the answer shown after its block. */
  private static List<Example> readmeExamples() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    List<Example> examples = new ArrayList<>();
    for (int at = readme.indexOf("curl "); at >= 0; at = readme.indexOf("curl ", at + 1)) {
      int blockEnd = readme.indexOf("\n```", at);
      int next = readme.indexOf("curl ", at + 1);
      String command = readme.substring(at, next >= 0 && next < blockEnd ? next : blockEnd);
      Matcher target = TARGET.matcher(command);
      if (!target.find()) {
        continue; // not a request to the score API (a download, say)
      }
      String body = null;
      int data = command.indexOf("-d '");
      if (data >= 0) {
        body = command.substring(data + 4, command.indexOf('\'', data + 4));
      }
      JsonNode answer = null;
      String after = readme.substring(blockEnd + 4);
      if ((next < 0 || next > blockEnd) && after.startsWith("\n\n```json\n")) {
        answer = MAPPER.readTree(after.substring(10, after.indexOf("\n```", 10)));
      }
      examples.add(new Example(body == null ? "GET" : "POST", target.group(1), body, answer));
    }
    return examples;
  }

  @Test
  void everyReadmeRequestIsAnsweredByTheOrdersModelWithTheFieldsTheReadmeShows() throws Exception {
    List<Example> examples = readmeExamples();
    assertTrue(examples.size() >= 5, "the README's requests: " + examples.size());
    int withAnswers = 0;
    for (Example example : examples) {
      if (example.path().startsWith("/customers/")) {
        assertEquals(
            ScoreApi.CUSTOMER_ROUTE,
            ScoreApi.route(example.path()),
            "a customer route: " + example);
        continue;
      }
      HttpResult r = orders.handle(example.method(), example.path(), example.body());
      assertEquals(200, r.status(), example.body() + " -> " + r.body());
      if (example.answer() != null) {
        withAnswers++;
        assertEquals(fields(MAPPER.readTree(r.body())), fields(example.answer()), example.body());
      }
    }
    assertTrue(withAnswers >= 3, "the README shows answers: " + withAnswers);
  }

  /** Every field path of a JSON answer (arrays by their first element). */
  private static TreeSet<String> fields(JsonNode node) {
    TreeSet<String> out = new TreeSet<>();
    collect(node, "", out);
    return out;
  }

  private static void collect(JsonNode node, String at, TreeSet<String> out) {
    if (node.isObject()) {
      for (var field : node.properties()) {
        out.add(at + field.getKey());
        collect(field.getValue(), at + field.getKey() + ".", out);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      for (JsonNode element : node) {
        collect(element, at + "[].", out);
      }
    }
  }
}
