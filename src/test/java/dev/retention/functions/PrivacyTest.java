package dev.retention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.config.ConfiguredSettings;
import dev.retention.config.RetentionConfig;
import dev.retention.data.OrdersDialect;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.score.CustomerLookup;
import dev.retention.service.score.HttpResult;
import dev.retention.service.score.ModelCache;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.score.ScoreSettings;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * No customer's value leaves the shop's rows: distinctive ids and values are planted in a feature
 * export and an orders export (an extreme value, a rejected cell), the exports go through training,
 * batch scoring and {@code GET /model} on a real S3-compatible server, and every published object
 * and every log line is searched for them. Batch scores carry the shop's own customer ids by
 * design, so there only the planted values are searched for.
 */
class PrivacyTest {

  private static String gunzip(byte[] bytes) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static final String BUCKET = "retention-data";
  // Long digit runs: a published number could not contain one by chance.
  private static final String PLANTED_ID = "ZZ-PLANTED-ID-4242";
  private static final String PLANTED_VALUE = "9133579137";
  private static final String PLANTED_ORDER_CUSTOMER = "ZZ-PLANTED-ORD-7";
  private static final String PLANTED_AMOUNT = "7713377133";
  private static final String SECRET_CELL = "SECRET-CELL-777";
  private static final String SECRET_AMOUNT = "SECRET-AMOUNT-31";

  /** Every log record's message and structured fields while it runs. */
  private static final class Capture extends Handler {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      String fields = record instanceof ExtLogRecord ext ? ext.getMdcCopy().toString() : "";
      lines.add(record.getMessage() + " " + fields + " " + record.getThrown());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static SmallRyeConfig config() throws java.io.IOException {
    return new SmallRyeConfigBuilder()
        .withMapping(RetentionConfig.class)
        .withConverter(Duration.class, 200, new DurationConverter())
        .withSources(
            new PropertiesConfigSource(PrivacyTest.class.getResource("/application.properties")))
        .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
        .build();
  }

  private static String featuresExport() {
    String csv = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(csv);
    // An extreme monetary value of a planted customer, and a row rejected for a text cell.
    out.append(PLANTED_ID + ",3,40," + PLANTED_VALUE + ".25,300,10,5,0.02,1\n");
    out.append("C999998,3," + SECRET_CELL + ",50,300,10,5,0.02,0\n");
    return out.toString();
  }

  private static String ordersExport() throws Exception {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 30_000, 3_000, LocalDate.of(2026, 10, 31), 9L);
    orders.write(PLANTED_ORDER_CUSTOMER + ",PO1,2026-03-02," + PLANTED_AMOUNT + ".5,1,paid,web\n");
    orders.write(PLANTED_ORDER_CUSTOMER + ",PO2,2026-04-02,12.5,1,paid,web\n");
    orders.write("C77,PO3,2026-04-02," + SECRET_AMOUNT + ",1,paid,web\n");
    return orders.toString();
  }

  @Test
  void plantedIdsAndValuesAppearInNoPublishedObjectAndNoLogLine() throws Exception {
    Capture capture = new Capture();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    List<String> published = new ArrayList<>();
    List<String> scores = new ArrayList<>();
    List<String> derivedFeatures = new ArrayList<>();
    List<String> holdouts = new ArrayList<>();
    try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("privacy"))) {
      server.createBucket(BUCKET);
      try (S3Client s3 = server.client()) {
        s3.putObject(
            b -> b.bucket(BUCKET).key("exports/features/planted.csv"),
            RequestBody.fromString(featuresExport()));
        s3.putObject(
            b -> b.bucket(BUCKET).key("exports/orders/planted.csv"),
            RequestBody.fromString(ordersExport()));
        s3.putObject(
            b -> b.bucket(BUCKET).key("exports/score/planted.csv"),
            RequestBody.fromString(featuresExport()));
        SmallRyeConfig config = config();
        RetentionConfig mapping = config.getConfigMapping(RetentionConfig.class);
        ModelStore store = new ModelStore(new Bucket(s3, BUCKET), "models/", "default");
        TrainingService training =
            new TrainingService(
                store, ConfiguredSettings.train(mapping, config), Clock.systemUTC());
        TrainSummary features =
            training
                .handle(List.of(S3ObjectRef.current(BUCKET, "exports/features/planted.csv")))
                .get(0);
        assertEquals(1, features.rowsRejected(), "the secret cell's row was rejected");
        // The feature model scores the feature export in batch; GET /model serves it.
        BatchScoringService batch =
            new BatchScoringService(store, Services.batchSettings(mapping, config));
        assertEquals(
            "SCORED",
            batch
                .handle(List.of(S3ObjectRef.current(BUCKET, "exports/score/planted.csv")))
                .get(0)
                .status()
                .name());
        ScoreSettings scoreSettings = Services.scoreSettings(mapping);
        ScoreApi api =
            new ScoreApi(
                new ModelCache(
                    store, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
                scoreSettings,
                Clock.systemUTC(),
                dev.retention.service.EmfMetrics.disabled(),
                OrdersDialect.defaults(),
                new CustomerLookup(
                    new Bucket(s3, BUCKET),
                    mapping.lookup().prefix(),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(2),
                    1 << 20,
                    System::nanoTime));
        HttpResult model = api.handle("GET", "/model", null);
        assertEquals(200, model.status());
        published.add(model.body());
        // By id: the batch's row of the shop's own customer (the caller's id), never a value.
        HttpResult row = api.handle("GET", "/customers/" + PLANTED_ID, null);
        assertEquals(200, row.status(), row.body());
        assertFalse(row.body().contains(PLANTED_VALUE), "a feature value in the lookup's answer");
        HttpResult missing = api.handle("GET", "/customers/" + PLANTED_ORDER_CUSTOMER, null);
        assertEquals(404, missing.status());
        published.add(missing.body());
        TrainSummary orders =
            training
                .handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/planted.csv")))
                .get(0);
        assertEquals(1, orders.rowsRejected(), "the secret amount's row was rejected");

        for (S3Object object : s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()) {
          if (object.key().startsWith("exports/")) {
            continue;
          }
          byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asByteArray();
          if (object.key().endsWith("/holdout.csv.gz")) {
            // A model's held-out customers: shop-private values for the next quality gate,
            // never an id or a rejected cell.
            holdouts.add(object.key() + "\n" + gunzip(bytes));
            continue;
          } else if (object.key().startsWith("lookup/") && object.key().endsWith(".gz")) {
            // The lookup index of the batch scores: the same customer list, partitioned.
            scores.add(object.key() + "\n" + gunzip(bytes));
            continue;
          }
          if (object.key().endsWith("/features.csv.gz")) {
            // The derived features of an orders model: the shop's own customers, in its bucket.
            derivedFeatures.add(object.key() + "\n" + gunzip(bytes));
            continue;
          }
          String text = new String(bytes, StandardCharsets.UTF_8);
          // The scores list the shop's own customers; everything else, the batch report included,
          // is published aggregates.
          boolean customerList =
              object.key().startsWith("scores/") && object.key().endsWith(".csv");
          (customerList ? scores : published).add(object.key() + "\n" + text);
        }
      }
    } finally {
      root.removeHandler(capture);
    }
    assertTrue(
        published.size() >= 6, "models, reports, pointer and GET /model: " + published.size());
    assertFalse(scores.isEmpty());
    for (String object : published) {
      String name = object.substring(0, Math.min(80, object.indexOf('\n') + 1));
      for (String planted :
          List.of(PLANTED_ID, PLANTED_VALUE, PLANTED_ORDER_CUSTOMER, PLANTED_AMOUNT, "SECRET")) {
        assertFalse(object.contains(planted), planted + " published in " + name);
      }
    }
    assertTrue(
        scores.stream().anyMatch(o -> o.startsWith("lookup/")), "the batch's lookup index read");
    for (String object : scores) {
      for (String planted : List.of(PLANTED_VALUE, PLANTED_AMOUNT, "SECRET")) {
        assertFalse(object.contains(planted), planted + " in the batch scores");
      }
    }
    assertTrue(holdouts.size() >= 2, "every trained model keeps its held-out customers");
    for (String object : holdouts) {
      for (String planted : List.of(PLANTED_ID, PLANTED_ORDER_CUSTOMER, "SECRET")) {
        assertFalse(object.contains(planted), planted + " in held-out customers");
      }
    }
    assertTrue(
        scores.stream().filter(o -> o.startsWith("scores/")).allMatch(o -> o.contains(PLANTED_ID)),
        "batch scores name the shop's own customers");
    assertTrue(
        scores.stream().filter(o -> o.startsWith("lookup/")).anyMatch(o -> o.contains(PLANTED_ID)),
        "so does their lookup index");
    assertEquals(1, derivedFeatures.size(), "the orders model's features file");
    for (String object : derivedFeatures) {
      // The shop's own customers with their derived features (the planted customer among them);
      // the rejected row's secret cell is in none of them.
      assertTrue(object.contains(PLANTED_ORDER_CUSTOMER + ","), "the features name the customers");
      assertFalse(object.contains("SECRET"), "a rejected row's cell in the derived features");
      assertTrue(object.lines().count() > 1000, "one row per customer");
    }
    assertTrue(capture.lines.size() > 5, "the services logged: " + capture.lines.size());
    for (String line : capture.lines) {
      for (String planted :
          List.of(PLANTED_ID, PLANTED_VALUE, PLANTED_ORDER_CUSTOMER, PLANTED_AMOUNT, "SECRET")) {
        assertFalse(line.contains(planted), planted + " logged: " + line);
      }
    }
    assertTrue(
        capture.lines.stream().anyMatch(l -> l.contains("train.published")),
        "the capture saw the services' events");
  }

  /**
   * Issue 18: a header-less export (features, orders, batch) and a customer repeated on many rows
   * fail with messages that name lines, columns and settings: the planted ids and values are in no
   * log line and in no failure message (what reaches the failure queue).
   */
  @Test
  void headerlessExportsAndRepeatedIdsFailWithoutAnyValue() throws Exception {
    Capture capture = new Capture();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    List<String> failures = new ArrayList<>();
    String headerlessFeatures =
        PLANTED_ID + ",3,40," + PLANTED_VALUE + ".25,300,10,5,0.02,1\n" + featuresExport();
    String headerlessOrders =
        PLANTED_ORDER_CUSTOMER + ",PO1,2026-03-02," + PLANTED_AMOUNT + ".5,1,paid,web\n";
    StringBuilder repeated = new StringBuilder(featuresExport());
    for (int i = 0; i < 60; i++) {
      repeated.append(PLANTED_ID + ",3,40," + PLANTED_VALUE + ".25,300,10,5,0.02,1\n");
    }
    try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("privacy"))) {
      server.createBucket(BUCKET);
      try (S3Client s3 = server.client()) {
        java.util.function.BiConsumer<String, String> put =
            (key, text) ->
                s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text));
        put.accept(
            "exports/features/good.csv",
            new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8));
        put.accept("exports/features/headerless.csv", headerlessFeatures);
        put.accept("exports/orders/headerless.csv", headerlessOrders);
        put.accept("exports/features/repeated.csv", repeated.toString());
        put.accept("exports/score/headerless.csv", headerlessFeatures);
        SmallRyeConfig config = config();
        RetentionConfig mapping = config.getConfigMapping(RetentionConfig.class);
        ModelStore store = new ModelStore(new Bucket(s3, BUCKET), "models/", "default");
        TrainingService training =
            new TrainingService(
                store, ConfiguredSettings.train(mapping, config), Clock.systemUTC());
        training.handle(List.of(S3ObjectRef.current(BUCKET, "exports/features/good.csv")));
        for (String key :
            List.of(
                "exports/features/headerless.csv",
                "exports/orders/headerless.csv",
                "exports/features/repeated.csv")) {
          failures.add(
              org.junit.jupiter.api.Assertions.assertThrows(
                      RuntimeException.class,
                      () -> training.handle(List.of(S3ObjectRef.current(BUCKET, key))))
                  .getMessage());
        }
        BatchScoringService batch =
            new BatchScoringService(store, Services.batchSettings(mapping, config));
        failures.add(
            org.junit.jupiter.api.Assertions.assertThrows(
                    RuntimeException.class,
                    () ->
                        batch.handle(
                            List.of(S3ObjectRef.current(BUCKET, "exports/score/headerless.csv"))))
                .getMessage());
      }
    } finally {
      root.removeHandler(capture);
    }
    assertEquals(4, failures.size());
    for (int f = 0; f < 4; f++) {
      String expected = f == 2 ? "repeat a customer id" : "the first line looks like data";
      assertTrue(failures.get(f).contains(expected), failures.get(f));
    }
    List<String> lines = new ArrayList<>(capture.lines);
    lines.addAll(failures);
    assertTrue(
        capture.lines.stream().filter(l -> l.contains("train.failed")).count() >= 3,
        "the failures were logged");
    assertTrue(capture.lines.stream().anyMatch(l -> l.contains("batch.failed")));
    for (String line : lines) {
      for (String planted :
          List.of(PLANTED_ID, PLANTED_VALUE, PLANTED_ORDER_CUSTOMER, PLANTED_AMOUNT, "SECRET")) {
        assertFalse(line.contains(planted), planted + " in: " + line);
      }
    }
  }
}
