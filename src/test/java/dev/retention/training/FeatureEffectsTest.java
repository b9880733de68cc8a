package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.FeatureExpansion;
import dev.retention.core.LogisticFit;
import dev.retention.model.RetentionModel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: an explanation never states a direction that the model's own partial dependence over
 * the data contradicts. A skewed input (RFM features are) with a negative linear term and a small
 * positive square: its folded contribution correlates positively with it (the square's tail wins),
 * yet moving that input alone from its 10th to its 90th percentile lowers the probability.
 */
class FeatureEffectsTest {

  @Test
  void theDirectionIsThatOfMovingTheInputAloneOverTheData() {
    int m = 8_000;
    int w = 2;
    SplittableRandom random = new SplittableRandom(21);
    double[] rows = new double[m * w];
    for (int r = 0; r < m; r++) {
      rows[r * w] = Math.exp(gaussian(random)); // skewed, like spend or frequency
      rows[r * w + 1] = gaussian(random);
    }
    standardize(rows, m, w);
    FeatureExpansion expansion = FeatureExpansion.QUADRATIC; // z1, z2, z1², z2², z1·z2
    LogisticFit fit = new LogisticFit(0.2, new double[] {-0.3, 0.5, 0.1, 0, 0}, 1, 0, true, 0);
    List<RetentionModel.FeatureEffect> effects =
        Trainer.effects(rows, m, expansion, fit, List.of("skewed", "plain"));
    for (int j = 0; j < w; j++) {
      double low = quantile(rows, m, w, j, 0.10);
      double high = quantile(rows, m, w, j, 0.90);
      double change =
          partialDependence(rows, m, w, j, high, expansion, fit)
              - partialDependence(rows, m, w, j, low, expansion, fit);
      int direction = effects.get(j).direction();
      assertTrue(
          direction == 0 || Math.signum(change) == direction,
          effects.get(j)
              + " but moving it alone from p10 to p90 changes the probability by "
              + change);
    }
    assertEquals(-1, effects.get(0).direction(), "higher lowers it over most of the data");
    assertEquals(1, effects.get(1).direction());
  }

  /** Mean predicted probability with input {@code j} set to {@code v} in every row. */
  private static double partialDependence(
      double[] rows, int m, int w, int j, double v, FeatureExpansion expansion, LogisticFit fit) {
    double[] z = new double[w];
    double[] terms = new double[expansion.terms(w)];
    double sum = 0;
    for (int r = 0; r < m; r++) {
      System.arraycopy(rows, r * w, z, 0, w);
      z[j] = v;
      expansion.expandRow(z, 0, w, terms, 0);
      sum += 1 / (1 + Math.exp(-fit.linear(terms, 0)));
    }
    return sum / m;
  }

  private static double quantile(double[] rows, int m, int w, int j, double q) {
    double[] column = new double[m];
    for (int r = 0; r < m; r++) {
      column[r] = rows[r * w + j];
    }
    Arrays.sort(column);
    return column[(int) Math.floor(q * (m - 1))];
  }

  private static void standardize(double[] rows, int m, int w) {
    for (int j = 0; j < w; j++) {
      double mean = 0;
      for (int r = 0; r < m; r++) {
        mean += rows[r * w + j];
      }
      mean /= m;
      double var = 0;
      for (int r = 0; r < m; r++) {
        double d = rows[r * w + j] - mean;
        var += d * d;
      }
      double sd = Math.sqrt(var / m);
      for (int r = 0; r < m; r++) {
        rows[r * w + j] = (rows[r * w + j] - mean) / sd;
      }
    }
  }

  private static double gaussian(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
