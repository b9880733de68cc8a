package dev.retention.bench;

import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.testing.SyntheticOrders;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Orders export → customer features: read and derive 5,000,000 order rows (seeded synthetic CSV on
 * local disk), then the heap the orders hold, for two exports with the same customers and twice the
 * rows to show what memory grows with.
 *
 * <p>{@code ./mvnw -B -Pbench test-compile exec:exec
 * -Dbench.main=dev.retention.bench.OrdersBenchmark}
 */
public final class OrdersBenchmark {

  private OrdersBenchmark() {}

  public static void main(String[] args) throws IOException {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
    int customers = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
    Path dir = Files.createTempDirectory("orders-bench");
    try {
      Path file = dir.resolve("orders.csv");
      long written;
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        written = SyntheticOrders.write(out, rows, customers, LocalDate.of(2026, 11, 1), 20261128L);
      }
      System.out.printf(
          "orders export: %,d rows, %,d customers, %.0f MB%n",
          written, customers, Files.size(file) / 1e6);
      stages(file);
      RfmFeatures.Derived derived =
          CoreBenchmark.report(
              "read + derive features (" + written + " order rows)",
              5,
              () -> {
                OrderExportReader.Result read = read(file);
                return RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
              });
      System.out.printf(
          "customers with features: %,d, positives %,d, cutoff %s%n",
          derived.features().rows(), CoreBenchmark.sum(derived.labels()), derived.cutoff());
      retained(file, written);

      Path gz = dir.resolve("orders.csv.gz");
      try (InputStream in = Files.newInputStream(file);
          java.io.OutputStream out =
              new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
        in.transferTo(out);
      }
      System.out.printf("gzip export: %.0f MB%n", Files.size(gz) / 1e6);
      CoreBenchmark.report(
          "read + derive features, gzip CSV",
          3,
          () -> {
            OrderExportReader.Result read = read(gz);
            return RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
          });

      Path half = dir.resolve("half.csv");
      try (Writer out = Files.newBufferedWriter(half, StandardCharsets.UTF_8)) {
        long n =
            SyntheticOrders.write(out, rows / 2, customers, LocalDate.of(2026, 11, 1), 20261128L);
        retained(half, n);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void stages(Path file) {
    OrderExportReader.Result once =
        CoreBenchmark.report("read only (streamed into the order book)", 5, () -> read(file));
    CoreBenchmark.report(
        "derive only (features and labels at the default cutoff)",
        5,
        () -> RfmFeatures.forTraining(once.book(), once.columns(), RfmOptions.defaults()));
  }

  private static OrderExportReader.Result read(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return OrderExportReader.read(
          in, ExportFormat.of(file.toString()).orElseThrow(), OrdersSchema.defaults(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Heap held by the order book after a full GC. */
  private static void retained(Path file, long rows) {
    long before = used();
    OrderExportReader.Result read = read(file);
    long after = used();
    System.out.printf(
        "heap held by the orders of %,d rows (%,d customers, %,d orders): %.0f MB%n",
        rows, read.book().customers(), read.book().orders(), (after - before) / 1e6);
  }

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
