package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The uplift learners on data whose effect is known: {@code P(buy) = sigmoid(-1 + 0.8 x1 + t (0.5
 * x2 - 0.2))}, with treatment on 80 % of the rows (a campaign's shape, not an experiment's 50 %).
 */
class UpliftLearnersTest {

  private static final int N = 40_000;

  private record Data(FeatureMatrix x, int[] t, int[] y, double[] tau) {}

  private static Data data(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[N * 3];
    int[] t = new int[N];
    int[] y = new int[N];
    double[] tau = new double[N];
    for (int i = 0; i < N; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      x[3 * i] = x1;
      x[3 * i + 1] = x2;
      x[3 * i + 2] = random.nextGaussian(); // noise feature
      double base = -1 + 0.8 * x1;
      tau[i] = LogisticRegression.sigmoid(base + 0.5 * x2 - 0.2) - LogisticRegression.sigmoid(base);
      t[i] = random.nextDouble() < 0.8 ? 1 : 0;
      double p = LogisticRegression.sigmoid(base + t[i] * (0.5 * x2 - 0.2));
      y[i] = random.nextDouble() < p ? 1 : 0;
    }
    return new Data(new FeatureMatrix(List.of("x1", "x2", "noise"), x), t, y, tau);
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s / a.length;
  }

  @ParameterizedTest
  @EnumSource(UpliftLearner.class)
  void everyLearnerRecoversTheEffectAndItsAverage(UpliftLearner learner) {
    Data d = data(1);
    LogisticRegression.Design design =
        new LogisticRegression.Design(d.x(), null, FeatureExpansion.NONE);
    UpliftFit fit = learner.fit(design, d.t(), d.y(), UpliftLearnerOptions.defaults());
    double[] predicted = fit.uplift(design);
    assertTrue(correlation(predicted, d.tau()) > 0.9, learner + " ranks by the true effect");
    assertEquals(mean(d.tau()), mean(predicted), 0.012, learner + " average effect");
    assertEquals(learner, fit.learner());
  }

  @Test
  void classTransformationNeedsItsWeightsWhenArmsAreUnequal() {
    Data d = data(2);
    LogisticRegression.Design design =
        new LogisticRegression.Design(d.x(), null, FeatureExpansion.NONE);
    // Unweighted, 2 P(z = 1) - 1 mixes the arms' shares into the effect: far off the truth.
    int[] z = new int[N];
    for (int i = 0; i < N; i++) {
      z[i] = d.t()[i] == d.y()[i] ? 1 : 0;
    }
    LogisticFit unweighted = LogisticRegression.fit(design, z, LogisticOptions.defaults());
    double[] naive = new ClassTransformationUplift(unweighted).uplift(design);
    double[] weighted =
        ClassTransformationUplift.fit(design, d.t(), d.y(), UpliftLearnerOptions.defaults())
            .uplift(design);
    assertTrue(Math.abs(mean(naive) - mean(d.tau())) > 0.1);
    assertEquals(mean(d.tau()), mean(weighted), 0.012);
  }

  @Test
  void twoModelIsTheTwoArmsFittedApart() {
    Data d = data(3);
    LogisticRegression.Design design =
        new LogisticRegression.Design(d.x(), null, FeatureExpansion.NONE);
    TwoModelUplift fit = TwoModelUplift.fit(design, d.t(), d.y(), UpliftLearnerOptions.defaults());
    int treated = 0;
    for (int v : d.t()) {
      treated += v;
    }
    int[] rows = new int[treated];
    for (int i = 0, k = 0; i < N; i++) {
      if (d.t()[i] == 1) {
        rows[k++] = i;
      }
    }
    LogisticFit alone =
        LogisticRegression.fit(
            d.x().selectRows(rows), pick(d.y(), rows), LogisticOptions.defaults());
    assertArrayEquals(alone.coefficients(), fit.treated().coefficients(), 1e-9);
  }

  private static int[] pick(int[] values, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return out;
  }

  @Test
  void refusesASingleArmOrBadFlags() {
    Data d = data(4);
    LogisticRegression.Design design =
        new LogisticRegression.Design(d.x(), null, FeatureExpansion.NONE);
    int[] allTreated = new int[N];
    java.util.Arrays.fill(allTreated, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TwoModelUplift.fit(design, allTreated, d.y(), UpliftLearnerOptions.defaults()));
    assertTrue(e.getMessage().contains("all 40000 rows are treated"), e.getMessage());
    int[] bad = d.t().clone();
    bad[17] = 2;
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> XLearnerUplift.fit(design, bad, d.y(), UpliftLearnerOptions.defaults()));
    assertTrue(e.getMessage().contains("row 17"), e.getMessage());
  }
}
