package dev.retention.bench;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.core.Workers;
import dev.retention.testing.Synthetic;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric kernels on one thread, timed by that thread's CPU time: on a shared machine the other
 * jobs inflate it far less than wall time, so two versions of a kernel can be compared across
 * sessions. Seeded 1,000,000 x 8 table of {@link CoreBenchmark}, standardized; k = 5.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.retention.bench.CoreKernelBenchmark -Dbench.args="rows=1000000 repeats=7"}.
 * Prints the median and the spread (min-max) over {@code repeats} runs after two warm-up runs.
 */
public final class CoreKernelBenchmark {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CoreKernelBenchmark() {}

  public static void main(String[] args) {
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
    Synthetic data = Synthetic.blobs(rows, 8, 5, 1.2, 2026);
    FeatureMatrix z = Standardization.fit(data.features, List.of()).transform(data.features);
    int k = 5;
    int d = z.cols();
    double[] start = new double[k * d];
    for (int j = 0; j < k; j++) {
      System.arraycopy(z.row(j * (rows / k)), 0, start, j * d, d);
    }
    Centroids fixed = new Centroids(k, d, start);
    KMeansOptions one = KMeansOptions.defaults().withThreads(1).withNInit(1).withMaxIter(100);
    KMeansOptions lloyd = one.withAlgorithm(KMeansOptions.Algorithm.LLOYD);
    LogisticRegression.Design design =
        new LogisticRegression.Design(z, null, FeatureExpansion.NONE);
    double[] theta = new double[d + 1];
    theta[0] = 0.4;
    theta[d] = -0.2;
    double[] unit = {1, 1};

    Map<String, Runnable> kernels = new LinkedHashMap<>();
    kernels.put(
        "K-means: nearest centre of every row (KMeans.assign)", () -> KMeans.assign(z, fixed, 1));
    kernels.put(
        "K-means: Hamerly from the fixed start (10 iterations)",
        () -> KMeans.refine(z, fixed, one));
    kernels.put(
        "K-means: plain Lloyd from the fixed start (10 iterations)",
        () -> KMeans.refine(z, fixed, lloyd));
    kernels.put("K-means: k-means++ and Hamerly, nInit = 1", () -> KMeans.fit(z, k, one));
    kernels.put(
        "logistic: one pass with the Hessian",
        () -> {
          try (Workers workers = Workers.open(1)) {
            LogisticRegression.sums(design, data.labels, null, unit, theta, true, workers);
          }
        });
    kernels.put(
        "logistic: one pass without the Hessian",
        () -> {
          try (Workers workers = Workers.open(1)) {
            LogisticRegression.sums(design, data.labels, null, unit, theta, false, workers);
          }
        });
    kernels.put(
        "logistic: fit C = 1",
        () -> LogisticRegression.fit(z, data.labels, LogisticOptions.defaults().withThreads(1)));

    System.out.printf(
        "%d rows x %d, java %s, one thread, thread CPU time; median (min-max) of %d runs%n",
        rows, d, System.getProperty("java.version"), repeats);
    for (Map.Entry<String, Runnable> kernel : kernels.entrySet()) {
      double[] ms = new double[repeats];
      for (int r = -2; r < repeats; r++) {
        long t = THREADS.getCurrentThreadCpuTime();
        kernel.getValue().run();
        if (r >= 0) {
          ms[r] = (THREADS.getCurrentThreadCpuTime() - t) / 1e6;
        }
      }
      Arrays.sort(ms);
      System.out.printf(
          "%-62s %8.1f ms (%.1f-%.1f)%n", kernel.getKey(), ms[repeats / 2], ms[0], ms[repeats - 1]);
    }
  }
}
