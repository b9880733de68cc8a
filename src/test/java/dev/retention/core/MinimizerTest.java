package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Minimizer} on classic test functions. */
class MinimizerTest {

  /** Rosenbrock's function {@code 100 (y - x^2)^2 + (1 - x)^2}, minimum 0 at (1, 1). */
  private static final Minimizer.Objective ROSENBROCK =
      (p, g, h) -> {
        double x = p[0];
        double y = p[1];
        g[0] = -400 * x * (y - x * x) - 2 * (1 - x);
        g[1] = 200 * (y - x * x);
        if (h != null) {
          h[0] = 1200 * x * x - 400 * y + 2;
          h[1] = -400 * x;
          h[2] = -400 * x;
          h[3] = 200;
        }
        return 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
      };

  @Test
  void rosenbrockFromTheClassicStart() {
    Minimizer.Result result =
        Minimizer.minimize(
            ROSENBROCK, new double[] {-1.2, 1}, new Minimizer.Settings(1e-10, 500, 10));
    assertTrue(result.converged(), "gradient " + result.gradientNorm());
    assertEquals(1, result.point()[0], 1e-8);
    assertEquals(1, result.point()[1], 1e-8);
    assertTrue(result.gradientNorm() <= 1e-10);
    assertTrue(result.iterations() < 40, "iterations " + result.iterations());
  }

  @Test
  void indefiniteHessianStillDescends() {
    // x^4 - 2x^2 + y^2: at x = 0.1 the Hessian in x is negative; minima at x = +-1
    Minimizer.Objective f =
        (p, g, h) -> {
          double x = p[0];
          g[0] = 4 * x * x * x - 4 * x;
          g[1] = 2 * p[1];
          if (h != null) {
            h[0] = 12 * x * x - 4;
            h[1] = 0;
            h[2] = 0;
            h[3] = 2;
          }
          return x * x * x * x - 2 * x * x + p[1] * p[1];
        };
    Minimizer.Result result =
        Minimizer.minimize(f, new double[] {0.1, 1}, new Minimizer.Settings(1e-12, 100, 3));
    assertTrue(result.converged());
    assertEquals(1, result.point()[0], 1e-10);
    assertEquals(-1, result.value(), 1e-14);
  }

  @Test
  void backsOffFromPointsOutsideTheDomain() {
    // x - ln x on x > 0: the first Newton step from 10 lands at -80, where the value is NaN
    Minimizer.Objective f =
        (p, g, h) -> {
          double x = p[0];
          g[0] = 1 - 1 / x;
          if (h != null) {
            h[0] = 1 / (x * x);
          }
          return x > 0 ? x - Math.log(x) : Double.NaN;
        };
    Minimizer.Result result =
        Minimizer.minimize(f, new double[] {10}, new Minimizer.Settings(1e-12, 100, 1000));
    assertTrue(result.converged());
    assertEquals(1, result.point()[0], 1e-10);
    assertTrue(result.evaluations() > result.iterations() + 1, "some trial points were rejected");
  }

  @Test
  void reportsNonConvergenceAtTheIterationCap() {
    Minimizer.Result result =
        Minimizer.minimize(
            ROSENBROCK, new double[] {-1.2, 1}, new Minimizer.Settings(1e-10, 2, 10));
    assertFalse(result.converged());
    assertEquals(2, result.iterations());
    assertTrue(result.gradientNorm() > 1e-10);
  }

  @Test
  void rejectsAStartOutsideTheDomain() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Minimizer.minimize(
                (p, g, h) -> Double.NaN, new double[] {0}, new Minimizer.Settings(1e-9, 10, 1)));
  }

  @Test
  void inverseOfPositiveDefinite() {
    double[] m = {4, 2, 0.5, 2, 3, 0.25, 0.5, 0.25, 2};
    double[] inverse = Minimizer.inverseOfPositiveDefinite(m, 3);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          sum += m[i * 3 + k] * inverse[k * 3 + j];
        }
        assertEquals(i == j ? 1 : 0, sum, 1e-14);
      }
    }
    assertNull(Minimizer.inverseOfPositiveDefinite(new double[] {1, 2, 2, 1}, 2));
  }
}
