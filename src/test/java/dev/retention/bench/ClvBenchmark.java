package dev.retention.bench;

import dev.retention.core.BgNbd;
import dev.retention.core.BgNbdFit;
import dev.retention.core.ClvFitOptions;
import dev.retention.core.GammaGamma;
import dev.retention.core.GammaGammaFit;
import dev.retention.testing.BtydSimulation;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Speed of the customer-value models on seeded simulated customers (BG/NBD with the published CDNOW
 * parameters, ages uniform on 1 to 104 weeks; Gamma-Gamma spend with the CDNOW parameters). Run:
 * {@code ./mvnw -B -q -Pbench test-compile exec:exec -Dbench.main=dev.retention.bench.ClvBenchmark}
 * (optionally {@code -Dbench.args="rows=200000 repeats=5"}). Prints median wall times of {@code
 * repeats} runs after one warm-up, and the cost per customer of each prediction.
 */
public final class ClvBenchmark {

  private ClvBenchmark() {}

  private static double sink;

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
    BtydSimulation.Customers c =
        BtydSimulation.bgNbd(2026, rows, 0.243, 4.414, 0.793, 2.426, 1, 104, 52);
    BtydSimulation.Spend spend = BtydSimulation.gammaGamma(2027, c.x, 6.25, 3.74, 15.44);
    int repeat = 0;
    for (int x : c.x) {
      repeat += x > 0 ? 1 : 0;
    }
    System.out.printf("data: %d customers, %d repeat customers%n", rows, repeat);

    ClvFitOptions options = ClvFitOptions.defaults();
    BgNbdFit bg =
        report("BG/NBD fit (all cores)", repeats, () -> BgNbd.fit(c.x, c.tx, c.age, options));
    System.out.printf(
        "    r %.4f alpha %.4f a %.4f b %.4f, iterations %d, gradient norm %.1e%n",
        bg.r(), bg.alpha(), bg.a(), bg.b(), bg.iterations(), bg.gradientNorm());
    report(
        "BG/NBD fit (1 thread)",
        repeats,
        () -> BgNbd.fit(c.x, c.tx, c.age, options.withThreads(1)));
    GammaGammaFit gg =
        report("Gamma-Gamma fit (all cores)", repeats, () -> GammaGamma.fit(c.x, spend.m, options));
    System.out.printf(
        "    p %.4f q %.4f v %.4f, iterations %d, gradient norm %.1e%n",
        gg.p(), gg.q(), gg.v(), gg.iterations(), gg.gradientNorm());
    report(
        "Gamma-Gamma fit (1 thread)",
        repeats,
        () -> GammaGamma.fit(c.x, spend.m, options.withThreads(1)));
    report(
        "BG/NBD + Gamma-Gamma fits (all cores)",
        repeats,
        () -> {
          BgNbd.fit(c.x, c.tx, c.age, options);
          return GammaGamma.fit(c.x, spend.m, options);
        });

    perCustomer("P(alive)", repeats, rows, i -> bg.probabilityAlive(c.x[i], c.tx[i], c.age[i]));
    perCustomer(
        "E[Y(52) | history] (2F1)",
        repeats,
        rows,
        i -> bg.expectedPurchases(52, c.x[i], c.tx[i], c.age[i]));
    perCustomer(
        "E[Y(520) | history] (10 years: z near 1)",
        repeats,
        rows,
        i -> bg.expectedPurchases(520, c.x[i], c.tx[i], c.age[i]));
    perCustomer(
        "P(at least one purchase in 52)",
        repeats,
        rows,
        i -> bg.probabilityOfPurchaseWithin(52, c.x[i], c.tx[i], c.age[i]));
    perCustomer(
        "median time to next purchase given alive",
        repeats,
        rows,
        i -> bg.medianTimeToNextPurchaseGivenAlive(c.x[i], c.age[i]));
    perCustomer("E[M | x, m]", repeats, rows, i -> gg.expectedAverageSpend(c.x[i], spend.m[i]));
    perCustomer(
        "CLV 12 months, weeks, discount 0.01",
        repeats,
        rows,
        i ->
            gg.customerLifetimeValue(
                bg, c.x[i], c.tx[i], c.age[i], spend.m[i], 12, 0.01, GammaGamma.WEEKS_PER_MONTH));
  }

  @FunctionalInterface
  private interface PerCustomer {
    double apply(int i);
  }

  /** Median time per customer of {@code f} over all rows, after one warm-up pass. */
  private static void perCustomer(String name, int repeats, int rows, PerCustomer f) {
    long[] times = new long[repeats + 1];
    for (int run = 0; run <= repeats; run++) {
      long t = System.nanoTime();
      double s = 0;
      for (int i = 0; i < rows; i++) {
        s += f.apply(i);
      }
      times[run] = System.nanoTime() - t;
      sink += s;
    }
    long[] measured = Arrays.copyOfRange(times, 1, times.length);
    Arrays.sort(measured);
    System.out.printf(
        "%-62s median %8.1f ns/customer (1 thread, %d runs)%n",
        name, (double) measured[repeats / 2] / rows, repeats);
  }

  /** Runs {@code work} once to warm up, then {@code repeats} times; prints median and minimum. */
  private static <T> T report(String name, int repeats, Supplier<T> work) {
    T result = work.get();
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
}
