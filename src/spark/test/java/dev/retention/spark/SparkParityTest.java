package dev.retention.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.retention.data.ExportFormat;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadResult;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.train.TrainSettings;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.CanonicalOrder;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer against the train function's path, through the real Spark engine ({@code
 * local[2]}, files split into several parts): on the bundled reference table and on a seeded orders
 * export of over a million rows, the same derived features (exactly), the same K, held-out AUC
 * within 0.005, inertia within 1 %, coefficients within 1e-4 (Newton's method on the same objective
 * and C, only the summation order differs), the same rejected rows with their lines; the model JSON
 * validates against the schema and the scorer reads it.
 */
class SparkParityTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static SparkSession spark;
  private static JavaSparkContext sc;
  private static TrainSettings settings;

  @TempDir static Path work;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .config(
                new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("parity")
                    .set("spark.ui.enabled", "false")
                    .set("spark.sql.shuffle.partitions", "4")
                    .set("spark.default.parallelism", "4"))
            .getOrCreate();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    settings = JobSettings.of(Map.of()).train();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Splits files into parts of at most {@code bytes} (several tasks even for small files). */
  private static void splitEvery(long bytes) {
    sc.hadoopConfiguration().setLong("mapreduce.input.fileinputformat.split.maxsize", bytes);
  }

  private static final Trainer.Identity IDENTITY =
      new Trainer.Identity("default", "parity", Instant.parse("2026-11-28T00:00:00Z"));

  private static RetentionModel sparkTrain(Path file, boolean orders, LocalDate latestAllowed)
      throws IOException {
    ExportFormat format = ExportFormat.of(file.getFileName().toString()).orElseThrow();
    try (InputStream head = Files.newInputStream(file)) {
      return SparkTrainJob.train(
          sc,
          file.toUri().toString(),
          head,
          format,
          orders,
          settings,
          "parity",
          latestAllowed,
          IDENTITY,
          null);
    }
  }

  private static void assertSameModel(RetentionModel lambda, RetentionModel spark, double[] row)
      throws IOException {
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    byte[] json = ModelJson.write(spark);
    assertEquals(java.util.Set.of(), schema.validate(MAPPER.readTree(json)));
    RetentionModel read = ModelJson.read(json);
    assertEquals(lambda.segmentation().k(), read.segmentation().k(), "K");
    assertEquals(lambda.featureNames(), read.featureNames());
    assertEquals(
        lambda.evaluation().rocAuc(), read.evaluation().rocAuc(), 0.005, "held-out ROC AUC");
    assertEquals(
        lambda.segmentation().inertia(),
        read.segmentation().inertia(),
        0.01 * lambda.segmentation().inertia(),
        "inertia");
    assertEquals(lambda.classifier().terms(), read.classifier().terms());
    assertArrayEquals(
        lambda.classifier().coefficients(), read.classifier().coefficients(), 1e-4, "coefficients");
    assertEquals(lambda.classifier().intercept(), read.classifier().intercept(), 1e-4);
    assertEquals(lambda.evaluation().validationRows(), read.evaluation().validationRows());
    for (int c = 0; c < lambda.features().size(); c++) {
      RetentionModel.Feature a = lambda.features().get(c);
      RetentionModel.Feature b = read.features().get(c);
      assertEquals(a.mean(), b.mean(), 1e-9 * Math.max(1, Math.abs(a.mean())), a.name());
      assertEquals(a.std(), b.std(), 1e-9 * Math.max(1, a.std()), a.name());
      assertEquals(a.low(), b.low(), 1e-9 * Math.max(1, Math.abs(a.low())), a.name());
      assertEquals(a.high(), b.high(), 1e-9 * Math.max(1, Math.abs(a.high())), a.name());
    }
    for (int j = 0; j < lambda.segments().size(); j++) {
      assertEquals(lambda.segments().get(j).size(), read.segments().get(j).size(), "segment " + j);
      assertEquals(lambda.segments().get(j).name(), read.segments().get(j).name());
    }
    assertEquals(lambda.provenance().rowsRead(), read.provenance().rowsRead());
    assertEquals(lambda.provenance().rowsRejected(), read.provenance().rowsRejected());
    assertEquals(lambda.provenance().rejections(), read.provenance().rejections());
    // The scorer reads the Spark model and agrees with the Lambda model on a customer.
    assertEquals(
        Scorer.of(lambda).score(row).probability(), Scorer.of(read).score(row).probability(), 1e-4);
  }

  @Test
  void theReferenceTableGivesTheSameModelWithTheSameRejectedRows() throws IOException {
    List<String> lines =
        new java.util.ArrayList<>(
            Files.readAllLines(Path.of("src/test/resources/reference/customers.csv")));
    // Two bad rows, far apart (in different parts): named by their lines on both paths.
    lines.set(1200, lines.get(1200).replaceFirst(",[0-9.]+,", ",abc,"));
    lines.set(5000, lines.get(5000) + ",extra");
    Path file = work.resolve("customers.csv");
    Files.write(file, lines);
    splitEvery(64 * 1024);
    RetentionModel spark = sparkTrain(file, false, null);
    ReadResult read;
    try (InputStream in = Files.newInputStream(file)) {
      read =
          FeatureExportReader.read(in, ExportFormat.of("c.csv").orElseThrow(), settings.schema());
    }
    // The train function's rows: in canonical order, as TrainingService puts them.
    RetentionModel lambda =
        new Trainer(settings.options(), settings.segments(), settings.playbook())
            .train(
                CanonicalOrder.sort(
                    new Trainer.Input(
                        read.features(),
                        read.labels(),
                        null,
                        new Trainer.About(
                            settings.schema().labelColumn(),
                            read.rowsRead(),
                            read.rowsRejected(),
                            read.rejections(),
                            "parity",
                            Map.of(),
                            null))),
                IDENTITY);
    assertEquals(2, spark.provenance().rowsRejected());
    assertTrue(spark.provenance().rejections().get(0).startsWith("line 1201, column"));
    assertSameModel(lambda, spark, read.features().row(0));
  }

  /** The model body without what describes the run (timings). */
  private static String body(RetentionModel model) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(ModelJson.write(model));
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("provenance")).remove("timingsMs");
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
  }

  @Test
  void anExportInAnyRowOrderAndAnySplitTrainsAByteIdenticalSparkModel() throws IOException {
    List<String> lines =
        new java.util.ArrayList<>(
            Files.readAllLines(Path.of("src/test/resources/reference/customers.csv")));
    Path original = work.resolve("ordered.csv");
    Files.write(original, lines);
    splitEvery(64 * 1024);
    String first = body(sparkTrain(original, false, null));
    String header = lines.remove(0);
    for (long seed : new long[] {3, 11}) {
      List<String> shuffled = new java.util.ArrayList<>(lines);
      java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
      shuffled.add(0, header);
      Path file = work.resolve("shuffled-" + seed + ".csv");
      Files.write(file, shuffled);
      splitEvery(seed == 3 ? 40 * 1024 : 100 * 1024); // other parts, too
      assertEquals(first, body(sparkTrain(file, false, null)), "seed " + seed);
    }
  }

  @Test
  void theHandComputedOrdersFixtureDerivesTheSameFeatures() throws IOException {
    Path file = work.resolve("fixture.csv");
    Files.copy(Path.of("src/test/resources/orders/fixture.csv"), file);
    splitEvery(256); // several parts of a few lines each
    LocalDate asOf = LocalDate.of(2026, 11, 28);
    OrdersSchema schema =
        new OrdersSchema(
            "customer_id",
            "order_id",
            "order_date",
            "amount",
            "items",
            "status",
            "channel",
            OrdersSchema.defaults().refundStatuses(),
            OrderBook.Grain.ORDER,
            0.5);
    assertSameDerivation(file, schema, asOf, RfmOptions.defaults());
  }

  @Test
  void aMillionOrdersDeriveTheSameFeaturesAndTrainTheSameModel() throws IOException {
    Path file = work.resolve("orders.csv");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      SyntheticOrders.write(out, 1_100_000, 110_000, LocalDate.of(2026, 10, 31), 20261202L);
    }
    splitEvery(16L << 20); // about five parts
    assertSameDerivation(file, settings.ordersSchema(), null, settings.rfm());
    RetentionModel spark = sparkTrain(file, true, null);
    OrderExportReader.Result read;
    try (InputStream in = Files.newInputStream(file)) {
      read =
          OrderExportReader.read(
              in, ExportFormat.of("o.csv").orElseThrow(), settings.ordersSchema(), null);
    }
    RfmFeatures.Derived derived =
        CanonicalOrder.sort(RfmFeatures.forTraining(read.book(), read.columns(), settings.rfm()));
    RetentionModel lambda =
        new Trainer(settings.options(), settings.segments(), settings.playbook())
            .train(
                OrdersDerivation.input(
                    derived,
                    read.book().grain(),
                    new OrdersDerivation.Reading(
                        new dev.retention.data.OrdersDialect(
                                settings.ordersSchema(), settings.text())
                            .describe(),
                        read.guestRows(),
                        read.customerIdsMerged()),
                    read.rowsRead(),
                    read.rowsRejected(),
                    read.rejections(),
                    "parity",
                    Map.of()),
                IDENTITY);
    assertSameModel(lambda, spark, derived.features().row(0));
    assertEquals(lambda.derivation(), spark.derivation());
    assertEquals(lambda.customerValue().bgNbd().r(), spark.customerValue().bgNbd().r(), 1e-9);
    assertEquals(
        lambda.customerValue().usedInClassifier(), spark.customerValue().usedInClassifier());
  }

  /** An export's text, as a file of several parts (a gzip would be one). */
  private static Path plainCopy(String text, String name) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void realExportsInTheirDialectsDeriveTheSameFeaturesInParts() throws IOException {
    splitEvery(1L << 20);
    for (var export :
        List.of(
            Map.entry(
                dev.retention.testing.RealExports.text(
                    dev.retention.testing.RealExports.ONLINE_RETAIL),
                dev.retention.testing.RealExports.ONLINE_RETAIL_SETTINGS),
            Map.entry(
                dev.retention.testing.RealExports.text(dev.retention.testing.RealExports.CDNOW),
                dev.retention.testing.RealExports.CDNOW_SETTINGS),
            Map.entry(
                dev.retention.testing.RealExports.text(dev.retention.testing.RealExports.GROCERIES),
                dev.retention.testing.RealExports.GROCERIES_SETTINGS),
            Map.entry(
                dev.retention.testing.EuropeanLocaleExports.superstore(),
                dev.retention.testing.RealExports.SUPERSTORE_SETTINGS))) {
      TrainSettings dialect = JobSettings.of(export.getValue()).train();
      Path file =
          plainCopy(export.getKey(), "real-" + Math.abs(export.getKey().hashCode()) + ".csv");
      assertSameDerivation(
          file,
          dialect.ordersSchema(),
          LocalDate.of(2026, 12, 1),
          dialect.rfm(),
          ExportFormat.of("x.csv").orElseThrow().withText(dialect.text()));
    }
  }

  /**
   * Shopify's shape ({@code ShopifyExports}: an order's total and status on its first line only,
   * retention.orders.order-cells=ONE_ROW), split into parts that cut orders between their lines:
   * the same reading, at order and at line grain, as the function's.
   */
  @Test
  void orderCellsOnOneRowReadTheSameInPartsThatCutOrders() throws IOException {
    Path file = work.resolve("shopify-shaped.csv");
    Files.writeString(file, dev.retention.testing.ShopifyExports.orders());
    splitEvery(8 << 10);
    Map<String, String> orderGrain = dev.retention.testing.RealExports.SHOPIFY_SETTINGS;
    Map<String, String> lineGrain = new java.util.HashMap<>(orderGrain);
    lineGrain.remove("retention.orders.amount-column");
    lineGrain.put("retention.orders.quantity-column", "Lineitem quantity");
    lineGrain.put("retention.orders.unit-price-column", "Lineitem price");
    lineGrain.put("retention.orders.grain", "LINE");
    for (Map<String, String> settings : List.of(orderGrain, lineGrain)) {
      TrainSettings dialect = JobSettings.of(settings).train();
      assertSameDerivation(
          file,
          dialect.ordersSchema(),
          LocalDate.of(2026, 12, 1),
          dialect.rfm(),
          ExportFormat.of("x.csv").orElseThrow().withText(dialect.text()));
    }
  }

  @Test
  void jsonLinesKeysFirstSeenLateAndMergedIdsCountInEveryPart() throws IOException {
    Path file = work.resolve("late.jsonl");
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      String id = (i % 3 == 0 ? " " : "") + "c" + (i % 400) + (i % 5 == 0 ? " " : "");
      jsonl
          .append("{\"customer_id\":\"")
          .append(id)
          .append("\",\"order_id\":\"o")
          .append(i)
          .append("\",\"order_date\":\"2026-0")
          .append(1 + i % 9)
          .append("-1")
          .append(i % 9)
          .append("\",\"amount\":")
          .append(5 + i % 13);
      if (i > 2000 && i % 4 == 0) {
        jsonl.append(",\"status\":\"refunded\"");
      }
      jsonl.append("}\n");
    }
    Files.writeString(file, jsonl);
    splitEvery(32L << 10);
    OrdersSchema trimmed =
        settings
            .ordersSchema()
            .withIds(
                new dev.retention.data.IdRules(
                    dev.retention.data.IdRules.GuestRows.SKIP,
                    dev.retention.data.IdRules.Normalisation.TRIM));
    assertSameDerivation(file, trimmed, null, new RfmOptions(60, LocalDate.of(2026, 6, 30)));
  }

  @Test
  void repeatedCustomerIdsAreRefusedOrAveragedAsTheFunctionDoes() throws IOException {
    Path file = work.resolve("repeats.csv");
    StringBuilder csv = new StringBuilder("customer_id,a,b,repurchased\n");
    for (int i = 0; i < 4000; i++) {
      csv.append("C").append(i % 3000).append(',').append(i % 17).append(',').append(i % 5);
      csv.append(',').append(i % 2).append('\n');
    }
    Files.writeString(file, csv);
    splitEvery(16L << 10);
    ExportFormat format = ExportFormat.of("repeats.csv").orElseThrow();
    dev.retention.data.ExportSchema refuse = dev.retention.data.ExportSchema.defaults();
    String java =
        org.junit.jupiter.api.Assertions.assertThrows(
                dev.retention.data.ExportException.class,
                () -> FeatureExportReader.read(Files.newInputStream(file), format, refuse))
            .getMessage();
    String distributed =
        org.junit.jupiter.api.Assertions.assertThrows(
                dev.retention.data.ExportException.class,
                () -> {
                  try (InputStream head = Files.newInputStream(file)) {
                    SparkExports.features(sc, file.toUri().toString(), head, format, refuse);
                  }
                })
            .getMessage();
    assertEquals(java, distributed);
    dev.retention.data.ExportSchema mean =
        refuse.withDuplicateIds(dev.retention.data.ExportSchema.DuplicateIds.MEAN);
    ReadResult read = FeatureExportReader.read(Files.newInputStream(file), format, mean);
    SparkExports.Loaded loaded;
    try (InputStream head = Files.newInputStream(file)) {
      loaded = SparkExports.features(sc, file.toUri().toString(), head, format, mean);
    }
    assertEquals(read.features().rows(), loaded.rows());
    List<Block> blocks = new java.util.ArrayList<>(loaded.blocks().collect());
    blocks.sort((a, b) -> Long.compare(a.firstRow, b.firstRow));
    int d = loaded.columns().size();
    double[] values = new double[loaded.rows() * d];
    int[] labels = new int[loaded.rows()];
    for (Block b : blocks) {
      System.arraycopy(b.raw, 0, values, (int) b.firstRow * d, b.rows * d);
      System.arraycopy(b.labels, 0, labels, (int) b.firstRow, b.rows);
    }
    assertArrayEquals(read.features().data(), values);
    assertArrayEquals(read.labels(), labels);
  }

  /** The Spark derivation equals the Java one: counts, customers in order, every value. */
  private static void assertSameDerivation(
      Path file, OrdersSchema schema, LocalDate latestAllowed, RfmOptions rfm) throws IOException {
    assertSameDerivation(
        file,
        schema,
        latestAllowed,
        rfm,
        ExportFormat.of(file.getFileName().toString()).orElseThrow());
  }

  private static void assertSameDerivation(
      Path file, OrdersSchema schema, LocalDate latestAllowed, RfmOptions rfm, ExportFormat format)
      throws IOException {
    SparkExports.Loaded loaded;
    try (InputStream head = Files.newInputStream(file)) {
      loaded =
          SparkExports.orders(
              sc, file.toUri().toString(), head, format, schema, rfm, latestAllowed);
    }
    OrderExportReader.Result read;
    try (InputStream in = Files.newInputStream(file)) {
      read = OrderExportReader.read(in, format, schema, latestAllowed);
    }
    RfmFeatures.Derived derived = RfmFeatures.forTraining(read.book(), read.columns(), rfm);
    assertEquals(read.guestRows(), loaded.guestRows());
    assertEquals(read.furtherLines(), loaded.furtherLines());
    assertEquals(read.customerIdsMerged(), loaded.customerIdsMerged());
    assertEquals(read.columns(), loaded.optional());
    assertEquals(derived.warnings(), loaded.warnings());
    assertEquals(read.rowsRead(), loaded.rowsRead());
    assertEquals(read.rowsRejected(), loaded.rowsRejected());
    assertEquals(read.rejections(), loaded.rejections());
    assertEquals(derived.counts(), loaded.counts());
    assertEquals(derived.cutoff(), loaded.cutoff());
    assertEquals(derived.features().columns(), loaded.columns());
    assertEquals(derived.features().rows(), loaded.rows());
    List<Block> blocks = new java.util.ArrayList<>(loaded.blocks().collect());
    blocks.sort((a, b) -> Long.compare(a.firstRow, b.firstRow));
    int d = loaded.columns().size();
    double[] values = new double[loaded.rows() * d];
    int[] labels = new int[loaded.rows()];
    int[] window = new int[loaded.rows()];
    for (Block b : blocks) {
      System.arraycopy(b.raw, 0, values, (int) b.firstRow * d, b.rows * d);
      System.arraycopy(b.labels, 0, labels, (int) b.firstRow, b.rows);
      System.arraycopy(b.windowPurchases, 0, window, (int) b.firstRow, b.rows);
    }
    assertArrayEquals(derived.features().data(), values, "derived features, exactly");
    assertArrayEquals(derived.labels(), labels);
    assertArrayEquals(derived.windowPurchases(), window);
  }
}
