package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.BtydSimulation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The closed forms of {@link BgNbdFit} against the generative process: customers are simulated with
 * known parameters, their histories observed up to {@code T} and their futures run on, and in every
 * group of histories (by {@code x} and by recency) the average prediction must equal the average
 * realised outcome within Monte Carlo error. Each comparison is a self-normalised sum of
 * independent zero-mean terms ({@code outcome - E[outcome | history]}), so it is a z-score; the
 * bound 4.5 leaves a false alarm probability below 1e-4 over all comparisons.
 */
class BgNbdMonteCarloTest {

  record Scenario(
      String name,
      long seed,
      int customers,
      double r,
      double alpha,
      double a,
      double b,
      double minAge,
      double maxAge,
      double horizon) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        new Scenario("CDNOW parameters", 101, 200_000, 0.243, 4.414, 0.793, 2.426, 27, 39, 39),
        new Scenario("frequent buyers, a > 1", 202, 100_000, 1.5, 8.0, 1.2, 4.0, 10, 60, 26));
  }

  private static final double BOUND = 4.5;

  /** 0 for x = 0, then x in {1, 2, 3-4, 5-8, 9+} times recency below or above half the age. */
  private static int group(int x, double tx, double age) {
    if (x == 0) {
      return 0;
    }
    int band = x == 1 ? 0 : x == 2 ? 1 : x <= 4 ? 2 : x <= 8 ? 3 : 4;
    return 1 + 2 * band + (tx < 0.5 * age ? 0 : 1);
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void closedFormsMatchSimulation(Scenario s) {
    BtydSimulation.Customers c =
        BtydSimulation.bgNbd(
            s.seed(),
            s.customers(),
            s.r(),
            s.alpha(),
            s.a(),
            s.b(),
            s.minAge(),
            s.maxAge(),
            s.horizon());
    BgNbdFit f = BgNbdFit.of(s.r(), s.alpha(), s.a(), s.b());
    int groups = 11;
    double[] count = new double[groups];
    double[][] sums = new double[12][groups];
    for (int i = 0; i < c.size(); i++) {
      int g = group(c.x[i], c.tx[i], c.age[i]);
      double alive = f.probabilityAlive(c.x[i], c.tx[i], c.age[i]);
      double expected = f.expectedPurchases(s.horizon(), c.x[i], c.tx[i], c.age[i]);
      double buy = f.probabilityOfPurchaseWithin(s.horizon(), c.x[i], c.tx[i], c.age[i]);
      count[g]++;
      double isAlive = c.alive[i] ? 1 : 0;
      sums[0][g] += isAlive - alive;
      sums[1][g] += alive * (1 - alive);
      double miss = c.future[i] - expected;
      sums[2][g] += miss;
      sums[3][g] += miss * miss;
      double bought = c.future[i] > 0 ? 1 : 0;
      sums[4][g] += bought - buy;
      sums[5][g] += buy * (1 - buy);
      if (c.alive[i]) {
        double median = f.medianTimeToNextPurchaseGivenAlive(c.x[i], c.age[i]);
        sums[6][g] += (c.nextPurchase[i] <= median ? 1 : 0) - 0.5;
        sums[7][g] += 0.25;
      }
      sums[8][g] += expected;
      sums[9][g] += c.future[i];
    }
    System.out.printf("%s: z-scores per history group (P(alive), E[Y], P(>=1), median)%n", s);
    int checked = 0;
    for (int g = 0; g < groups; g++) {
      if (count[g] < 500) {
        continue;
      }
      double[] z = {
        sums[0][g] / Math.sqrt(sums[1][g]),
        sums[2][g] / Math.sqrt(sums[3][g]),
        sums[4][g] / Math.sqrt(sums[5][g]),
        sums[7][g] > 0 ? sums[6][g] / Math.sqrt(sums[7][g]) : 0
      };
      System.out.printf(
          "  group %2d: %7.0f customers, mean E[Y] %.4f vs realised %.4f, z = %+.2f %+.2f %+.2f"
              + " %+.2f%n",
          g, count[g], sums[8][g] / count[g], sums[9][g] / count[g], z[0], z[1], z[2], z[3]);
      for (double score : z) {
        // a group where P(alive) is exactly 1 (x = 0) has no alive variance: z is 0/0 there
        assertTrue(Double.isNaN(score) ? g == 0 : Math.abs(score) < BOUND, "group " + g);
      }
      checked++;
    }
    assertTrue(checked >= 8, "only " + checked + " groups large enough");
  }
}
