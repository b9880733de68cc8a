package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.BtydSimulation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parameter recovery: data simulated from the BG/NBD with known parameters, fitted, and each
 * estimate within 4 standard errors of the truth. The standard errors come from the inverse of the
 * analytic Hessian (checked against finite differences in {@link BgNbdTest}); maximum-likelihood
 * estimates are asymptotically normal with that spread, so |z| < 4 fails by chance with probability
 * ~6e-5 per parameter. The relative standard error is also bounded, so a loose tolerance cannot
 * hide behind a large error bar.
 */
class BgNbdRecoveryTest {

  record Truth(
      String name, long seed, int customers, double[] params, double minAge, double maxAge) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Truth> truths() {
    return Stream.of(
        new Truth("CDNOW", 1, 20_000, new double[] {0.243, 4.414, 0.793, 2.426}, 27, 39),
        new Truth("frequent, a > 1", 2, 10_000, new double[] {1.5, 8.0, 1.2, 4.0}, 10, 60),
        new Truth("heavy dropout", 3, 20_000, new double[] {0.6, 2.0, 2.5, 3.0}, 5, 52),
        new Truth("regular, rare dropout", 4, 10_000, new double[] {3.0, 30.0, 0.4, 8.0}, 26, 104));
  }

  @ParameterizedTest
  @MethodSource("truths")
  void recoversTheParameters(Truth truth) {
    double[] p = truth.params();
    BtydSimulation.Customers c =
        BtydSimulation.bgNbd(
            truth.seed(),
            truth.customers(),
            p[0],
            p[1],
            p[2],
            p[3],
            truth.minAge(),
            truth.maxAge(),
            0);
    BgNbdFit fit = BgNbd.fit(c.x, c.tx, c.age, ClvFitOptions.defaults());
    assertTrue(fit.converged(), "gradient " + fit.gradientNorm());
    double[] estimate = {fit.r(), fit.alpha(), fit.a(), fit.b()};
    double[] se = fit.standardErrors();
    String[] names = {"r", "alpha", "a", "b"};
    StringBuilder line = new StringBuilder(truth.name() + ":");
    for (int i = 0; i < 4; i++) {
      double z = (estimate[i] - p[i]) / se[i];
      line.append(
          String.format(
              " %s %.4f (true %.3f, se %.4f, z %+.2f)", names[i], estimate[i], p[i], se[i], z));
      assertTrue(Math.abs(z) < 4, names[i] + ": z = " + z);
      assertTrue(se[i] / p[i] < 0.35, names[i] + ": relative standard error " + se[i] / p[i]);
    }
    System.out.println(line + ", iterations " + fit.iterations());
  }
}
