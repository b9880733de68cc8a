package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The uplift measures on a six-row example worked by hand, and their invariances. */
class UpliftMetricsTest {

  private static final double[] SCORE = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
  private static final int[] TREATED = {1, 0, 1, 0, 1, 0};
  private static final double[] BOUGHT = {1, 0, 1, 1, 0, 0};

  @Test
  void workedExample() {
    UpliftMetrics.Evaluation e = UpliftMetrics.evaluate(SCORE, TREATED, BOUGHT);
    assertEquals(1.0 / 3, e.averageEffect(), 1e-15);
    // q(phi) = 1/3, 1/3, 2/3, 1/3, 1/6, 1/3 at phi = k/6: area 1/3, minus ATE/2.
    double[] q = {1.0 / 3, 1.0 / 3, 2.0 / 3, 1.0 / 3, 1.0 / 6, 1.0 / 3};
    for (int k = 0; k < 6; k++) {
      assertEquals(q[k], e.curve().get(k).qini(), 1e-15, "q at k = " + (k + 1));
    }
    assertEquals(1.0 / 6, e.qini(), 1e-15);
    // u(phi) = 0, 1/3, 1/2, 1/3, 5/36, 1/3: trapezoids sum to 106/432.
    assertEquals(106.0 / 432, e.auuc(), 1e-15);
    // Best ordering y(2t - 1): Qini 19/36 - 1/6 = 13/36.
    assertEquals((1.0 / 6) / (13.0 / 36), e.normalizedQini(), 1e-14);
  }

  @Test
  void tiedScoresFormOneGroupWhateverTheirOrder() {
    double[] score = {0.5, 0.5, 0.5, 0.2, 0.2, 0.9};
    UpliftMetrics.Evaluation a = UpliftMetrics.evaluate(score, TREATED, BOUGHT);
    // The same rows with the tied ones permuted.
    int[] permutation = {2, 0, 1, 4, 3, 5};
    double[] s = new double[6];
    int[] t = new int[6];
    double[] y = new double[6];
    for (int i = 0; i < 6; i++) {
      s[i] = score[permutation[i]];
      t[i] = TREATED[permutation[i]];
      y[i] = BOUGHT[permutation[i]];
    }
    UpliftMetrics.Evaluation b = UpliftMetrics.evaluate(s, t, y);
    assertEquals(a.qini(), b.qini(), 1e-15);
    assertEquals(a.auuc(), b.auuc(), 1e-15);
    assertEquals(3, a.curve().size());
  }

  @Test
  void aMonotoneTransformOfTheScoreChangesNothing() {
    double[] squashed = new double[6];
    for (int i = 0; i < 6; i++) {
      squashed[i] = Math.exp(3 * SCORE[i]) - 4;
    }
    assertEquals(
        UpliftMetrics.qini(SCORE, TREATED, BOUGHT),
        UpliftMetrics.qini(squashed, TREATED, BOUGHT),
        1e-15);
  }

  @Test
  void randomScoresAverageToNoGainAndTheTrueEffectRanksBest() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 20_000;
    double[] tau = new double[n];
    int[] t = new int[n];
    double[] y = new double[n];
    double[] noise = new double[n];
    for (int i = 0; i < n; i++) {
      tau[i] = random.nextDouble() * 0.4 - 0.1;
      t[i] = random.nextDouble() < 0.5 ? 1 : 0;
      y[i] = random.nextDouble() < 0.2 + t[i] * tau[i] ? 1 : 0;
      noise[i] = random.nextDouble();
    }
    double oracle = UpliftMetrics.qini(tau, t, y);
    double randomRanking = UpliftMetrics.qini(noise, t, y);
    double[] reversed = new double[n];
    for (int i = 0; i < n; i++) {
      reversed[i] = -tau[i];
    }
    // True gain of the oracle: integral of phi * mean(top tau) - ATE/2 = 0.4 / 12 for uniform tau.
    assertEquals(0.4 / 12, oracle, 0.008);
    assertEquals(0, randomRanking, 0.008);
    assertTrue(UpliftMetrics.qini(reversed, t, y) < -0.02);
  }

  @Test
  void groupsAndCalibration() {
    List<UpliftMetrics.Group> groups = UpliftMetrics.groups(SCORE, TREATED, BOUGHT, 3);
    assertEquals(3, groups.size());
    assertEquals(1.0, groups.get(0).observedUplift());
    assertEquals(0.85, groups.get(0).meanPredicted(), 1e-15);
    assertEquals(0.0, groups.get(1).observedUplift());
    UpliftMetrics.Calibration c = UpliftMetrics.calibration(groups);
    assertEquals(2.5, c.slope(), 1e-12);
    assertEquals(1.0 / 3 - 2.5 * 0.65, c.intercept(), 1e-12);
    assertEquals(1.0 / 3, c.observedEffect(), 1e-15);
  }

  @Test
  void needsBothArms() {
    assertThrows(
        IllegalArgumentException.class,
        () -> UpliftMetrics.evaluate(SCORE, new int[] {1, 1, 1, 1, 1, 1}, BOUGHT));
  }
}
