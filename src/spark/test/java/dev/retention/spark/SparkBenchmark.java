package dev.retention.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.data.ExportFormat;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.OrderExportReader;
import dev.retention.data.ReadResult;
import dev.retention.features.RfmFeatures;
import dev.retention.model.RetentionModel;
import dev.retention.service.train.TrainSettings;
import dev.retention.testing.Synthetic;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark trainer at scale, beside the train function's in-process path on the same file (issue
 * 13's benchmark; a benchmark, never a test). One case per JVM, so each peak memory is its own:
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package test-compile          # job jar, spark-lib, test classes
 * CP="target/test-classes:target/retention-spark-job.jar:target/spark-lib/*"
 * B=dev.retention.spark.SparkBenchmark; OUT=target/spark-bench
 * java -Xmx8g -cp "$CP" $B generate orders 10000000 1000000 $OUT/orders-10M.csv
 * java -Xmx8g -cp "$CP" $B generate features 10000000 $OUT/features-10M.csv
 * java @target/spark/jvm.options -Xmx12g -cp "$CP" $B spark orders $OUT/orders-10M.csv
 * java -Xmx12g -cp "$CP" $B lambda orders $OUT/orders-10M.csv
 * </pre>
 *
 * <p>{@code spark} runs {@link SparkTrainJob#train} with a {@code local[2]} master (driver and
 * executors are one JVM here, so their memory is reported together), {@code lambda} runs the train
 * function's readers and {@link Trainer} in-process. Each prints one JSON line: wall time, the
 * model's stage timings, rows per second per core, the peak heap in use (sampled every 50 ms) and
 * the process's peak resident set (VmHWM). Plain CSV, because a gzip file is one part for Spark.
 */
public final class SparkBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Trainer.Identity IDENTITY =
      new Trainer.Identity("bench", "bench", Instant.parse("2026-12-02T00:00:00Z"));

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: generate orders ROWS CUSTOMERS FILE | generate features ROWS FILE"
              + " | spark orders|features FILE [MASTER] | lambda orders|features FILE");
    }
    boolean orders =
        switch (args[1]) {
          case "orders" -> true;
          case "features" -> false;
          default -> throw new IllegalArgumentException("orders or features, not " + args[1]);
        };
    switch (args[0]) {
      case "generate" -> generate(orders, args);
      case "spark" ->
          measure("spark", orders, Path.of(args[2]), args.length > 3 ? args[3] : "local[2]");
      case "lambda" -> measure("lambda", orders, Path.of(args[2]), null);
      default -> throw new IllegalArgumentException("generate, spark or lambda, not " + args[0]);
    }
  }

  private static void generate(boolean orders, String[] args) throws IOException {
    long rows = Long.parseLong(args[2]);
    Path file = Path.of(args[orders ? 4 : 3]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    long start = System.nanoTime();
    long written;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (orders) {
        written =
            SyntheticOrders.write(
                out, rows, Integer.parseInt(args[3]), LocalDate.of(2026, 10, 31), 20261202L);
      } else {
        written = writeFeatures(out, Math.toIntExact(rows));
      }
    }
    System.out.printf(
        "wrote %,d rows, %.0f MB to %s in %.1f s%n",
        written, Files.size(file) / 1e6, file, (System.nanoTime() - start) / 1e9);
  }

  /** The 8-feature blobs of the scikit-learn peer benchmark, written in chunks of 1M rows. */
  private static long writeFeatures(BufferedWriter out, int rows) throws IOException {
    out.write("customer_id,f0,f1,f2,f3,f4,f5,f6,f7,repurchased\n");
    StringBuilder line = new StringBuilder(128);
    int chunk = 1_000_000;
    for (int from = 0; from < rows; from += chunk) {
      int n = Math.min(chunk, rows - from);
      Synthetic data = Synthetic.blobs(n, 8, 5, 1.2, 2026 + from);
      for (int i = 0; i < n; i++) {
        line.setLength(0);
        line.append('C').append(from + i);
        for (int c = 0; c < 8; c++) {
          line.append(',').append((float) data.features.get(i, c));
        }
        line.append(',').append(data.labels[i]).append('\n');
        out.append(line);
      }
    }
    return rows;
  }

  private static void measure(String path, boolean orders, Path file, String master)
      throws Exception {
    AtomicLong peakHeap = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              var memory = ManagementFactory.getMemoryMXBean();
              while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    TrainSettings settings = JobSettings.of(Map.of()).train();
    long start = System.nanoTime();
    RetentionModel model;
    long sessionMs = 0;
    if (master != null) {
      long sessionStart = System.nanoTime();
      try (SparkSession spark =
          SparkSession.builder()
              .config(
                  new SparkConf()
                      .setMaster(master)
                      .setAppName("bench")
                      .set("spark.ui.enabled", "false"))
              .getOrCreate()) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sessionMs = (System.nanoTime() - sessionStart) / 1_000_000;
        try (InputStream head = Files.newInputStream(file)) {
          model =
              SparkTrainJob.train(
                  sc,
                  file.toAbsolutePath().toUri().toString(),
                  head,
                  ExportFormat.of(file.getFileName().toString()).orElseThrow(),
                  orders,
                  settings,
                  "bench",
                  null,
                  IDENTITY,
                  null);
        }
      }
    } else {
      model = lambdaPath(orders, file, settings);
    }
    long wallMs = (System.nanoTime() - start) / 1_000_000;
    sampler.interrupt();
    ObjectNode out = MAPPER.createObjectNode();
    out.put("path", path);
    out.put("master", master);
    out.put("input", orders ? "orders" : "features");
    out.put("file", file.toString());
    out.put("fileMB", Files.size(file) / 1_000_000);
    out.put("rowsRead", model.provenance().rowsRead());
    out.put("customers", model.provenance().rowsUsed());
    out.put("k", model.segmentation().k());
    out.put("auc", model.evaluation().rocAuc());
    out.put("terms", model.classifier().terms().size());
    out.put("wallMs", wallMs);
    out.put("sessionStartMs", sessionMs);
    out.set("stageMs", MAPPER.valueToTree(model.provenance().timingsMs()));
    int cores = master == null ? Runtime.getRuntime().availableProcessors() : cores(master);
    out.put("cores", cores);
    out.put(
        "rowsPerSecondPerCore",
        Math.round(model.provenance().rowsRead() * 1000.0 / wallMs / cores));
    out.put("peakHeapMB", peakHeap.get() >> 20);
    out.put("maxHeapMB", Runtime.getRuntime().maxMemory() >> 20);
    out.put("peakRssMB", peakRssKb() >> 10);
    System.out.println(MAPPER.writeValueAsString(out));
  }

  /** The train function's path without S3: its readers, its derivation and the one trainer. */
  private static RetentionModel lambdaPath(boolean orders, Path file, TrainSettings settings)
      throws IOException {
    ExportFormat format = ExportFormat.of(file.getFileName().toString()).orElseThrow();
    Map<String, Long> timings = new LinkedHashMap<>();
    long start = System.nanoTime();
    Trainer.Input input;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      if (orders) {
        OrderExportReader.Result read =
            OrderExportReader.read(in, format, settings.ordersSchema(), null);
        timings.put("read", (System.nanoTime() - start) / 1_000_000);
        long deriveStart = System.nanoTime();
        RfmFeatures.Derived derived =
            RfmFeatures.forTraining(read.book(), read.columns(), settings.rfm());
        timings.put("derive", (System.nanoTime() - deriveStart) / 1_000_000);
        input =
            OrdersDerivation.input(
                derived,
                read.book().grain(),
                read.rowsRead(),
                read.rowsRejected(),
                read.rejections(),
                "bench",
                timings);
      } else {
        ReadResult read = FeatureExportReader.read(in, format, settings.schema());
        timings.put("read", (System.nanoTime() - start) / 1_000_000);
        input =
            new Trainer.Input(
                read.features(),
                read.labels(),
                null,
                new Trainer.About(
                    settings.schema().labelColumn(),
                    read.rowsRead(),
                    read.rowsRejected(),
                    read.rejections(),
                    "bench",
                    timings,
                    null));
      }
    }
    return new Trainer(settings.options(), settings.segments(), settings.playbook())
        .train(input, IDENTITY);
  }

  private static int cores(String master) {
    String inside = master.replaceAll("^local\\[(.*)]$", "$1");
    return inside.equals("*") || inside.equals(master)
        ? Runtime.getRuntime().availableProcessors()
        : Integer.parseInt(inside);
  }

  private static long peakRssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
