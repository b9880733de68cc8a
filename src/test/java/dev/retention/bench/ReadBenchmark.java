package dev.retention.bench;

import dev.retention.data.ExportFormat;
import dev.retention.data.ExportSchema;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.ReadResult;
import dev.retention.testing.Synthetic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reading speed of a feature export from memory: the seeded 1,000,000 x 8 table written as CSV
 * (floats as Java prints them, as the function benchmark does), read by {@link FeatureExportReader}
 * from a byte array. Run: {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.retention.bench.ReadBenchmark -Dbench.args="rows=1000000 repeats=7"}.
 */
public final class ReadBenchmark {

  private ReadBenchmark() {}

  /** The benchmark CSV: {@code customer_id,f0..f7,repurchased}. */
  public static byte[] csv(int rows) {
    Synthetic data = Synthetic.blobs(rows, 8, 5, 1.2, 2026);
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 90);
    StringBuilder line = new StringBuilder(128);
    out.writeBytes(
        "customer_id,f0,f1,f2,f3,f4,f5,f6,f7,repurchased\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < rows; i++) {
      line.setLength(0);
      line.append('C').append(i);
      for (int c = 0; c < 8; c++) {
        line.append(',').append((float) data.features.get(i, c));
      }
      line.append(',').append(data.labels[i]).append('\n');
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  public static void main(String[] args) throws Exception {
    int rows = 1_000_000;
    int repeats = 7;
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      switch (kv[0]) {
        case "rows" -> rows = Integer.parseInt(kv[1]);
        case "repeats" -> repeats = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    byte[] csv = csv(rows);
    System.out.printf("CSV: %d rows, %.1f MB%n", rows, csv.length / 1e6);
    ExportFormat format = ExportFormat.of("x.csv").orElseThrow();
    double[] seconds = new double[repeats];
    double[] cpuSeconds = new double[repeats];
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ReadResult last = null;
    for (int r = -2; r < repeats; r++) {
      long start = System.nanoTime();
      long cpu = os.getProcessCpuTime();
      last =
          FeatureExportReader.read(new ByteArrayInputStream(csv), format, ExportSchema.defaults());
      double s = (System.nanoTime() - start) / 1e9;
      if (r >= 0) {
        seconds[r] = s;
        cpuSeconds[r] = (os.getProcessCpuTime() - cpu) / 1e9;
      }
    }
    Arrays.sort(seconds);
    Arrays.sort(cpuSeconds);
    // Process CPU time (all threads, the JIT and GC included): on a shared machine it moves less
    // than the wall time; MB per CPU-second is the per-core rate.
    System.out.printf(
        "process CPU per read: median %.3f s, %.0f MB per CPU-second%n",
        cpuSeconds[repeats / 2], csv.length / 1e6 / cpuSeconds[repeats / 2]);
    double median = seconds[repeats / 2];
    System.out.printf(
        "read %d rows x %d features: median %.3f s, min %.3f s, %.0f MB/s (median), %.0f MB/s (best)%n",
        last.features().rows(),
        last.features().cols(),
        median,
        seconds[0],
        csv.length / 1e6 / median,
        csv.length / 1e6 / seconds[0]);
  }
}
