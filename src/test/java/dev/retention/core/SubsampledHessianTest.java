package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A Hessian estimated on a subset of rows changes the path, never the optimum. */
class SubsampledHessianTest {

  @Test
  void theSubsampledFitStopsAtTheExactOptimum() {
    int n = 40_000;
    int d = 5;
    SplittableRandom random = new SplittableRandom(9);
    double[] x = new double[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double eta = -0.3;
      for (int c = 0; c < d; c++) {
        double v = random.nextDouble() * 2 - 1;
        x[i * d + c] = v;
        eta += (c - 2) * 0.7 * v + 0.4 * v * v;
      }
      y[i] = random.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < d; c++) {
      names.add("f" + c);
    }
    LogisticRegression.Design design =
        new LogisticRegression.Design(
            new FeatureMatrix(names, x), null, FeatureExpansion.QUADRATIC);
    LogisticFit exact =
        LogisticRegression.fit(design, y, LogisticOptions.defaults().withHessianSampleRows(0));
    // 40,000 rows, a Hessian from every 8th row.
    LogisticFit sampled =
        LogisticRegression.fit(design, y, LogisticOptions.defaults().withHessianSampleRows(5_000));
    assertTrue(exact.converged() && sampled.converged());
    assertTrue(sampled.gradientNorm() <= 1e-9, "the exact gradient meets the tolerance");
    assertArrayEquals(exact.coefficients(), sampled.coefficients(), 1e-7);
    assertEquals(exact.intercept(), sampled.intercept(), 1e-7);
    assertTrue(
        LogisticRegression.gradientNorm(design, y, LogisticOptions.defaults(), sampled) <= 1e-9);
  }
}
