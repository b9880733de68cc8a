package dev.retention.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.StratifiedSplit;
import dev.retention.data.ExportFormat;
import dev.retention.data.ExportSchema;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.OrderExportReader;
import dev.retention.data.ReadResult;
import dev.retention.features.RfmFeatures;
import dev.retention.model.RetentionModel;
import dev.retention.service.train.TrainSettings;
import dev.retention.testing.RealExports;
import dev.retention.training.CanonicalOrder;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The product against a plain scikit-learn logistic regression on real public exports, side by
 * side: for each export, the product trains as the train function does (its reader with the
 * export's settings, canonical order, default options) and reports its held-out ROC AUC and Brier;
 * then the same customers' features and labels, split exactly as the product split them (the same
 * stratified, seeded split of the same canonical rows), go to {@code
 * src/bench/python/real_exports_peer.py} (StandardScaler + LogisticRegression C=1), which reports
 * the same two numbers on the same held-out customers.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.retention.bench.RealExportsPeerBenchmark}. Arguments: {@code python} (default:
 * the first of {@code python3}, {@code /usr/bin/python3} that imports sklearn), {@code out}
 * (default {@code target/real-exports-peer}).
 *
 * <p>Exports: Kevin Hillstrom's e-mail test ({@code real/hillstrom}, a feature-level table: label a
 * website visit, features recency, history, mens, womens, newbie; spend and conversion left out as
 * outcomes), and the order exports under {@code src/test/resources/real/} (UCI Online Retail line
 * items, CDNOW's order log, the Groceries purchase log), each read with the dialect settings the
 * README documents for it ({@link RealExports}), derived and trained as the train function does;
 * the peer gets the same customers' derived features and labels.
 */
public final class RealExportsPeerBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RealExportsPeerBenchmark() {}

  /** One export's result on both sides. */
  record Row(String export, int customers, int heldOut, double auc, double brier, JsonNode peer) {}

  public static void main(String[] args) throws Exception {
    String python = null;
    Path out = Path.of("target", "real-exports-peer");
    for (String arg : args) {
      if (arg.startsWith("python=")) {
        python = arg.substring(7);
      } else if (arg.startsWith("out=")) {
        out = Path.of(arg.substring(4));
      }
    }
    python = python != null ? python : SklearnPeerBenchmark.findPython();
    Files.createDirectories(out);
    List<Row> rows = new ArrayList<>();
    rows.add(
        features(
            "Hillstrom e-mail test (64,000 customers, label visit)",
            "/real/hillstrom/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv.gz",
            "hillstrom.csv.gz",
            new ExportSchema(
                "customer_id", "visit", List.of(), List.of("conversion", "spend"), 0.01),
            python,
            out));
    rows.add(
        orders(
            "UCI Online Retail sample (line items, label: an order in 90 days)",
            RealExports.ONLINE_RETAIL,
            RealExports.ONLINE_RETAIL_SETTINGS,
            python,
            out));
    rows.add(
        orders(
            "CDNOW order log (label: an order in 90 days)",
            RealExports.CDNOW,
            RealExports.CDNOW_SETTINGS,
            python,
            out));
    rows.add(
        orders(
            "Groceries purchase log (no money; label: a purchase in 90 days)",
            RealExports.GROCERIES,
            RealExports.GROCERIES_SETTINGS,
            python,
            out));
    System.out.println();
    System.out.println(
        "| export | customers | held out | product AUC | sklearn AUC | product Brier | sklearn"
            + " Brier | base rate |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %,d | %.4f | %.4f | %.4f | %.4f | %.3f |%n",
          r.export,
          r.customers,
          r.heldOut,
          r.auc,
          r.peer.get("auc").asDouble(),
          r.brier,
          r.peer.get("brier").asDouble(),
          r.peer.get("baseRate").asDouble());
    }
    System.out.println("sklearn " + rows.get(0).peer.get("sklearn").asText() + ", " + python);
  }

  /**
   * An orders export: read with its documented dialect, derived and put in canonical order as the
   * train function does, trained with the defaults.
   */
  private static Row orders(
      String name, String resource, Map<String, String> dialect, String python, Path out)
      throws Exception {
    TrainSettings settings = RealExports.trainSettings(dialect);
    String file = resource.substring(resource.lastIndexOf('/') + 1);
    OrderExportReader.Result read;
    try (InputStream in = RealExportsPeerBenchmark.class.getResourceAsStream(resource)) {
      read =
          OrderExportReader.read(
              in,
              ExportFormat.of(file).orElseThrow().withText(settings.text()),
              settings.ordersSchema(),
              null);
    }
    RfmFeatures.Derived derived =
        CanonicalOrder.sort(RfmFeatures.forTraining(read.book(), read.columns(), settings.rfm()));
    Trainer.Input input =
        OrdersDerivation.input(
            derived,
            settings.ordersSchema().grain(),
            read.rowsRead(),
            read.rowsRejected(),
            read.rejections(),
            file,
            Map.of());
    return train(name, file, input, python, out);
  }

  /** A feature export: read as the train function reads it, trained with the defaults. */
  private static Row features(
      String name, String resource, String file, ExportSchema schema, String python, Path out)
      throws Exception {
    ReadResult read;
    try (InputStream in = RealExportsPeerBenchmark.class.getResourceAsStream(resource)) {
      read = FeatureExportReader.read(in, ExportFormat.of(file).orElseThrow(), schema);
    }
    Trainer.Input input =
        CanonicalOrder.sort(Trainer.Input.of(read.features(), read.labels(), schema.labelColumn()));
    return train(name, file, input, python, out);
  }

  /** Trains {@code input} with the defaults; the peer gets the same split. */
  private static Row train(String name, String file, Trainer.Input input, String python, Path out)
      throws Exception {
    TrainingOptions options = TrainingOptions.defaults();
    long start = System.nanoTime();
    RetentionModel model =
        new Trainer(options).train(input, new Trainer.Identity("bench", "bench", Instant.EPOCH));
    long trainMs = (System.nanoTime() - start) / 1_000_000;
    StratifiedSplit split =
        StratifiedSplit.of(
            input.labels(), options.evaluation().validationFraction(), options.seed());
    String base = file.substring(0, file.indexOf('.'));
    Path train = out.resolve(base + "-train.csv");
    Path held = out.resolve(base + "-held-out.csv");
    write(train, input.features(), input.labels(), split.train());
    write(held, input.features(), input.labels(), split.validation());
    JsonNode peer = peer(python, train, held);
    System.out.printf(
        Locale.ROOT,
        "%s: product trained in %d ms (K = %d, %s); %s%n",
        name,
        trainMs,
        model.segmentation().k(),
        model.classifier().nonLinear().used() ? "squares and interactions" : "linear",
        peer);
    return new Row(
        name,
        input.features().rows(),
        split.validation().length,
        model.evaluation().rocAuc(),
        model.evaluation().brier(),
        peer);
  }

  private static void write(Path file, FeatureMatrix features, int[] labels, int[] rows)
      throws IOException {
    int d = features.cols();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", features.columns()) + ",label\n");
      StringBuilder line = new StringBuilder();
      for (int r : rows) {
        line.setLength(0);
        for (int c = 0; c < d; c++) {
          line.append(features.data()[r * d + c]).append(',');
        }
        line.append(labels[r]).append('\n');
        w.write(line.toString());
      }
    }
  }

  private static JsonNode peer(String python, Path train, Path held) throws Exception {
    Process p =
        new ProcessBuilder(
                python,
                Path.of("src", "bench", "python", "real_exports_peer.py").toString(),
                train.toString(),
                held.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the peer failed: " + text);
    }
    String[] lines = text.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }
}
