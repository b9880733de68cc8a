package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Row weights of the logistic regression: an integer weight is the row repeated (with {@code C}
 * rescaled, since weights are normalised to mean 1), and weights of 1 change nothing.
 */
class RowWeightsTest {

  @Test
  void integerWeightsEqualRepeatedRows() {
    SplittableRandom random = new SplittableRandom(9);
    int n = 3000;
    double[] x = new double[n * 2];
    int[] y = new int[n];
    double[] w = new double[n];
    int repeated = 0;
    for (int i = 0; i < n; i++) {
      x[2 * i] = random.nextGaussian();
      x[2 * i + 1] = random.nextGaussian();
      y[i] = random.nextDouble() < LogisticRegression.sigmoid(0.7 * x[2 * i] - 0.3) ? 1 : 0;
      w[i] = 1 + random.nextInt(3);
      repeated += (int) w[i];
    }
    double[] bigX = new double[repeated * 2];
    int[] bigY = new int[repeated];
    for (int i = 0, k = 0; i < n; i++) {
      for (int c = 0; c < w[i]; c++, k++) {
        bigX[2 * k] = x[2 * i];
        bigX[2 * k + 1] = x[2 * i + 1];
        bigY[k] = y[i];
      }
    }
    List<String> columns = List.of("a", "b");
    LogisticFit weighted =
        LogisticRegression.fit(
            new LogisticRegression.Design(
                new FeatureMatrix(columns, x), null, FeatureExpansion.NONE),
            y,
            w,
            LogisticOptions.defaults());
    // Weights are rescaled to mean 1: the repeated fit sees C times n / sum(w) per row.
    LogisticFit repeatedFit =
        LogisticRegression.fit(
            new FeatureMatrix(columns, bigX),
            bigY,
            LogisticOptions.defaults().withC((double) n / repeated));
    assertArrayEquals(repeatedFit.coefficients(), weighted.coefficients(), 1e-8);
    assertEquals(repeatedFit.intercept(), weighted.intercept(), 1e-8);

    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    FeatureMatrix matrix = new FeatureMatrix(columns, x);
    LogisticRegression.Design design =
        new LogisticRegression.Design(matrix, null, FeatureExpansion.NONE);
    // Weights of 1: the same arithmetic, bit for bit.
    assertArrayEquals(
        LogisticRegression.fit(matrix, y, LogisticOptions.defaults()).coefficients(),
        LogisticRegression.fit(design, y, ones, LogisticOptions.defaults()).coefficients(),
        0.0);
  }

  @Test
  void refusesBadWeights() {
    FeatureMatrix m = new FeatureMatrix(List.of("a"), new double[] {0, 1, 2, 3});
    LogisticRegression.Design design =
        new LogisticRegression.Design(m, null, FeatureExpansion.NONE);
    int[] y = {0, 1, 0, 1};
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LogisticRegression.fit(
                design, y, new double[] {1, -1, 1, 1}, LogisticOptions.defaults()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LogisticRegression.fit(
                design,
                y,
                new double[] {1, 1, 1, 1},
                LogisticOptions.defaults().withClassWeight(LogisticOptions.ClassWeight.BALANCED)));
  }
}
