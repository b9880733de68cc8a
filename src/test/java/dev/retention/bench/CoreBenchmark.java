package dev.retention.bench;

import dev.retention.core.EvaluationMetrics;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansFit;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.testing.Synthetic;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Speed and memory of the numeric core on a seeded 1,000,000 x 8 table (five overlapping Gaussian
 * blobs, logistic label). Run: {@code ./mvnw -Pbench test-compile exec:exec} (optionally {@code
 * -Dbench.args="rows=200000 repeats=5"}). Prints median wall times of {@code repeats} runs after
 * one warm-up, and the peak heap of a whole default training.
 */
public final class CoreBenchmark {

  private CoreBenchmark() {}

  public static void main(String[] args) {
    int rows = 1_000_000;
    int repeats = 5;
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      switch (kv[0]) {
        case "rows" -> rows = Integer.parseInt(kv[1]);
        case "repeats" -> repeats = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    System.out.printf(
        "machine: %d cores, java %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    Synthetic data = Synthetic.blobs(rows, 8, 5, 1.2, 2026);
    System.out.printf("data: %d rows x %d features, positives %d%n", rows, 8, sum(data.labels));

    FeatureMatrix raw = data.features;
    Standardization[] standardization = new Standardization[1];
    FeatureMatrix[] z = new FeatureMatrix[1];
    report(
        "standardize (fit + transform)",
        repeats,
        () -> {
          standardization[0] = Standardization.fit(raw, List.of());
          z[0] = standardization[0].transform(raw);
          return z[0];
        });

    KMeansOptions single = KMeansOptions.defaults().withNInit(1).withMaxIter(100);
    KMeansFit hamerly =
        report(
            "kmeans k=5 nInit=1 maxIter=100 (Hamerly)", repeats, () -> KMeans.fit(z[0], 5, single));
    System.out.printf(
        "    iterations %d, inertia %.1f, distance evaluations %d%n",
        hamerly.iterations(), hamerly.inertia(), hamerly.distanceEvaluations());
    KMeansFit lloyd =
        report(
            "kmeans k=5 nInit=1 maxIter=100 (plain Lloyd)",
            repeats,
            () -> KMeans.fit(z[0], 5, single.withAlgorithm(KMeansOptions.Algorithm.LLOYD)));
    System.out.printf(
        "    iterations %d, inertia %.1f, distance evaluations %d%n",
        lloyd.iterations(), lloyd.inertia(), lloyd.distanceEvaluations());
    report(
        "kmeans k=5 nInit=1 maxIter=100 (Hamerly, 1 thread)",
        repeats,
        () -> KMeans.fit(z[0], 5, single.withThreads(1)));
    report(
        "kmeans k=5 defaults (nInit=10, maxIter=300)",
        Math.min(repeats, 3),
        () -> KMeans.fit(z[0], 5, KMeansOptions.defaults()));

    LogisticFit fit =
        report(
            "logistic regression C=1 (Newton)",
            repeats,
            () -> LogisticRegression.fit(z[0], data.labels, LogisticOptions.defaults()));
    System.out.printf(
        "    iterations %d, gradient norm %.2e%n", fit.iterations(), fit.gradientNorm());
    report(
        "logistic regression C=1 (1 thread)",
        repeats,
        () -> LogisticRegression.fit(z[0], data.labels, LogisticOptions.defaults().withThreads(1)));

    double[] probability = fit.probabilities(z[0]);
    report(
        "evaluation (all metrics, 1M rows)",
        repeats,
        () -> EvaluationMetrics.evaluate(probability, data.labels, 0.5));

    layout(z[0], hamerly, repeats);

    Trainer.Identity id = new Trainer.Identity("bench", "bench", Instant.EPOCH);
    Trainer.Input input = Trainer.Input.of(raw, data.labels, "repurchased");
    System.gc();
    resetPeakHeap();
    long heapBefore = usedHeap();
    RetentionModel model =
        report(
            "train (defaults: K search 2..10, AUTO non-linear, eval, refit)",
            1,
            () -> new Trainer(TrainingOptions.defaults()).train(input, id));
    System.out.printf(
        "    peak heap during training %d MB (data + standardized copy alone: %d MB, heap before: %d MB)%n",
        peakHeap() >> 20, (2L * rows * 8 * 8) >> 20, heapBefore >> 20);
    System.out.printf(
        "    stage timings ms %s, chosen K %d, held-out AUC %.4f%n",
        model.provenance().timingsMs(), model.segmentation().k(), model.evaluation().rocAuc());

    Scorer scorer = Scorer.of(ModelJson.read(ModelJson.write(model)));
    double[][] customers = new double[1000][];
    for (int i = 0; i < 1000; i++) {
      customers[i] = raw.row(i * (rows / 1000));
    }
    int rounds = 2000;
    for (int warm = 0; warm < rounds; warm++) {
      scoreAll(scorer, customers);
    }
    long[] perRound = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      long t = System.nanoTime();
      scoreAll(scorer, customers);
      perRound[r] = System.nanoTime() - t;
    }
    Arrays.sort(perRound);
    System.out.printf(
        "%-62s median %8.3f ms  p99 %8.3f ms%n",
        "score 1,000 customers (segment + probability + top 3)",
        perRound[rounds / 2] / 1e6,
        perRound[(int) (rounds * 0.99)] / 1e6);
  }

  private static double sink;

  private static void scoreAll(Scorer scorer, double[][] customers) {
    double s = 0;
    for (double[] c : customers) {
      s += scorer.score(c).probability();
    }
    sink += s;
  }

  /** The assignment step over the same data stored as double[] vs float[] (layout choice). */
  private static void layout(FeatureMatrix z, KMeansFit fit, int repeats) {
    double[] x = z.data();
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    double[] c = fit.centroids().centres();
    float[] cf = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      cf[i] = (float) c[i];
    }
    int d = z.cols();
    int k = fit.centroids().k();
    int n = z.rows();
    int[] labels = new int[n];
    report(
        "layout: one full assignment pass, double[] row-major",
        repeats,
        () -> {
          for (int i = 0; i < n; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
              double dist = 0;
              for (int f = 0; f < d; f++) {
                double diff = x[i * d + f] - c[j * d + f];
                dist += diff * diff;
              }
              if (dist < bestD) {
                bestD = dist;
                best = j;
              }
            }
            labels[i] = best;
          }
          return labels;
        });
    report(
        "layout: one full assignment pass, float[] row-major",
        repeats,
        () -> {
          for (int i = 0; i < n; i++) {
            int best = 0;
            float bestD = Float.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
              float dist = 0;
              for (int f = 0; f < d; f++) {
                float diff = xf[i * d + f] - cf[j * d + f];
                dist += diff * diff;
              }
              if (dist < bestD) {
                bestD = dist;
                best = j;
              }
            }
            labels[i] = best;
          }
          return labels;
        });
  }

  /** Runs {@code work} once to warm up, then {@code repeats} times; prints median and minimum. */
  static <T> T report(String name, int repeats, Supplier<T> work) {
    T result = work.get(); // warm-up
    long[] times = new long[repeats];
    for (int r = 0; r < repeats; r++) {
      long t = System.nanoTime();
      result = work.get();
      times[r] = System.nanoTime() - t;
    }
    Arrays.sort(times);
    System.out.printf(
        "%-62s median %8.3f s   min %8.3f s   (%d runs)%n",
        name, times[repeats / 2] / 1e9, times[0] / 1e9, repeats);
    return result;
  }

  private static void resetPeakHeap() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks since the reset: an upper bound on the peak heap in use. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long sum(int[] labels) {
    long s = 0;
    for (int l : labels) {
      s += l;
    }
    return s;
  }
}
