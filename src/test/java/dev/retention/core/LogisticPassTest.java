package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.Synthetic;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The vectorised pass of the logistic regression against a plain loop over rows, the pass without
 * the Hessian against the one with it, and the sample start against a fit from zero.
 */
class LogisticPassTest {

  @Property(tries = 40)
  void sumsEqualAPlainLoopOverRows(
      @ForAll @IntRange(min = 1, max = 700) int rows,
      @ForAll @IntRange(min = 1, max = 6) int d,
      @ForAll @IntRange(min = 0, max = 4) int shape,
      @ForAll boolean balanced,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Synthetic data = Synthetic.blobs(rows, d, 3, 1.0, seed);
    SplittableRandom random = new SplittableRandom(seed);
    // 0: the base matrix itself (the column-wise load); 1: a subset; 2: squares and interactions;
    // 3: extra columns; 4: row weights.
    int[] subset = null;
    if (shape == 1) {
      subset = random.ints(rows / 2 + 1, 0, rows).toArray();
    }
    FeatureMatrix extra = null;
    if (shape == 3) {
      double[] values = random.doubles(rows * 2L, -1, 1).toArray();
      extra = new FeatureMatrix(java.util.List.of("e0", "e1"), values);
    }
    FeatureExpansion expansion = shape == 2 ? FeatureExpansion.QUADRATIC : FeatureExpansion.NONE;
    LogisticRegression.Design design =
        new LogisticRegression.Design(data.features, extra, subset, expansion);
    double[] rowWeights = shape == 4 ? random.doubles(rows, 0, 3).toArray() : null;
    double[] classWeight = balanced ? new double[] {0.7, 1.9} : new double[] {1, 1};
    double[] theta = random.doubles(design.terms() + 1, -1.5, 1.5).toArray();

    double[] expected = plainSums(design, data.labels, rowWeights, classWeight, theta);
    double[] actual;
    double[] withoutHessian;
    try (Workers workers = Workers.open(2)) {
      actual =
          LogisticRegression.sums(
              design, data.labels, rowWeights, classWeight, theta, true, workers);
      withoutHessian =
          LogisticRegression.sums(
              design, data.labels, rowWeights, classWeight, theta, false, workers);
    }
    int p = design.terms() + 1;
    for (int v = 0; v < expected.length; v++) {
      boolean upperTriangle = v <= p || (v - 1 - p) % p >= (v - 1 - p) / p;
      if (upperTriangle) {
        assertEquals(expected[v], actual[v], 1e-9 * (1 + Math.abs(expected[v])), "entry " + v);
      }
    }
    // Loss and gradient: the same bits without the Hessian; the Hessian is left at zero.
    for (int v = 0; v <= p; v++) {
      assertEquals(Double.doubleToLongBits(actual[v]), Double.doubleToLongBits(withoutHessian[v]));
    }
    for (int v = p + 1; v < withoutHessian.length; v++) {
      assertEquals(0.0, withoutHessian[v]);
    }
  }

  @Example
  void theSampleStartReachesTheOptimumOfAFitFromZero() {
    int rows = LogisticRegression.SAMPLE_START_ROWS + 12_345;
    Synthetic data = Synthetic.blobs(rows, 6, 4, 1.0, 77);
    LogisticOptions options = LogisticOptions.defaults().withThreads(2);
    LogisticRegression.Design design =
        new LogisticRegression.Design(data.features, null, FeatureExpansion.NONE);
    // An explicit start (zeros) turns the sample start off.
    LogisticFit zero = new LogisticFit(0, new double[6], 0, Double.NaN, false, Double.NaN);
    LogisticFit fromZero = LogisticRegression.fit(design, data.labels, options, zero);
    LogisticFit sampled = LogisticRegression.fit(design, data.labels, options);
    assertTrue(sampled.converged());
    assertTrue(sampled.iterations() < fromZero.iterations(), sampled + " vs " + fromZero);
    assertEquals(fromZero.intercept(), sampled.intercept(), 1e-7);
    for (int c = 0; c < 6; c++) {
      assertEquals(fromZero.coefficients()[c], sampled.coefficients()[c], 1e-7);
    }
    assertTrue(
        LogisticRegression.gradientNorm(design, data.labels, options, sampled) <= options.tol());
  }

  @Example
  void aSampleOfOneClassFallsBackToAFitFromZero() {
    // Positives only on rows the every-k-th sample never takes: the fit must still succeed.
    int rows = LogisticRegression.SAMPLE_START_ROWS;
    Synthetic data = Synthetic.blobs(rows, 3, 2, 1.0, 5);
    int[] labels = new int[rows];
    for (int i = 1; i < rows; i += 16) {
      labels[i] = data.features.get(i, 0) > 0 ? 1 : 0;
    }
    LogisticFit fit =
        LogisticRegression.fit(
            new LogisticRegression.Design(data.features, null, FeatureExpansion.NONE),
            labels,
            LogisticOptions.defaults());
    assertTrue(fit.converged(), "gradient " + fit.gradientNorm());
  }

  @Example
  void oneAndTwoThreadsGiveTheSameBitsWithTheSampleStart() {
    int rows = LogisticRegression.SAMPLE_START_ROWS + 999;
    Synthetic data = Synthetic.blobs(rows, 5, 3, 1.0, 3);
    LogisticFit one =
        LogisticRegression.fit(
            data.features, data.labels, LogisticOptions.defaults().withThreads(1));
    LogisticFit two =
        LogisticRegression.fit(
            data.features, data.labels, LogisticOptions.defaults().withThreads(2));
    assertArrayEquals(one.coefficients(), two.coefficients());
    assertEquals(
        Double.doubleToLongBits(one.intercept()), Double.doubleToLongBits(two.intercept()));
  }

  /** {@code [loss, gradient, Hessian]} by the textbook formulas, one row at a time. */
  private static double[] plainSums(
      LogisticRegression.Design design,
      int[] labels,
      double[] rowWeights,
      double[] classWeight,
      double[] theta) {
    int p = design.terms() + 1;
    double[] out = new double[1 + p + p * p];
    double[] row = new double[p];
    for (int r = 0; r < design.size(); r++) {
      Arrays.fill(row, 0);
      design.fill(r, row);
      row[p - 1] = 1;
      int i = design.row(r);
      double weight = classWeight[labels[i]] * (rowWeights == null ? 1 : rowWeights[i]);
      double eta = 0;
      for (int a = 0; a < p; a++) {
        eta += theta[a] * row[a];
      }
      double prob = LogisticRegression.sigmoid(eta);
      out[0] += weight * (LogisticRegression.softplus(eta) - labels[i] * eta);
      for (int a = 0; a < p; a++) {
        out[1 + a] += weight * (prob - labels[i]) * row[a];
        for (int b = a; b < p; b++) {
          out[1 + p + a * p + b] += weight * prob * (1 - prob) * row[a] * row[b];
        }
      }
    }
    return out;
  }
}
