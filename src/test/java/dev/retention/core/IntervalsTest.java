package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.Intervals.Interval;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Against statsmodels 0.13.5 ({@code proportion_confint(method="wilson")}, {@code
 * confint_proportions_2indep(method="newcomb")}), mpmath at 40 digits for Welch, and Newcombe's own
 * worked example (Statistics in Medicine 1998, table II, 56/70 − 48/80: 0.0524 to 0.3339).
 */
class IntervalsTest {

  @Test
  void wilson() {
    Interval i = Intervals.wilson(56, 70, 0.95);
    assertEquals(0.8, i.estimate());
    assertEquals(0.6918335550374695, i.lower(), 1e-14);
    assertEquals(0.8769526075163705, i.upper(), 1e-14);
    Interval zero = Intervals.wilson(0, 10, 0.95);
    assertEquals(0.0, zero.lower());
    assertEquals(0.27753279986288926, zero.upper(), 1e-14);
    assertEquals(1.0, Intervals.wilson(10, 10, 0.95).upper());
  }

  @Test
  void newcombeHybridScore() {
    check(Intervals.newcombe(56, 70, 48, 80, 0.95), 0.05243147240236498, 0.33387265403690614);
    check(Intervals.newcombe(5, 56, 0, 29, 0.95), -0.038137147903536936, 0.19256001385511165);
    check(Intervals.newcombe(9, 10, 3, 10, 0.95), 0.1705227239345029, 0.809017973535488);
  }

  private static void check(Interval i, double lower, double upper) {
    assertEquals(lower, i.lower(), 1e-13);
    assertEquals(upper, i.upper(), 1e-13);
  }

  @Test
  void welch() {
    Moments a = Moments.of(new double[] {1.2, 3.4, 0, 0, 5.5, 2.2, 0, 7.1});
    Moments b = Moments.of(new double[] {0, 0, 1.1, 0.5, 0, 0.3});
    assertEquals(7.47754097294064, Intervals.welchDegreesOfFreedom(a, b), 1e-12);
    check(Intervals.welch(a, b, 0.95), -0.16745168849186413, 4.3841183551585304);
  }

  @Test
  void welchOfConstantSamplesIsExact() {
    Moments a = Moments.of(new double[] {2, 2, 2});
    Moments b = Moments.of(new double[] {0, 0});
    Interval i = Intervals.welch(a, b, 0.95);
    assertEquals(2.0, i.lower());
    assertEquals(2.0, i.upper());
  }

  @Test
  void momentsMergeAsOneSample() {
    double[] x = new SplittableRandom(3).doubles(1001, -5, 50).toArray();
    Moments whole = Moments.of(x);
    Moments left = new Moments();
    Moments right = new Moments();
    for (int i = 0; i < x.length; i++) {
      (i < 400 ? left : right).add(x[i]);
    }
    Moments merged = left.merge(right);
    assertEquals(whole.count(), merged.count());
    assertEquals(whole.mean(), merged.mean(), 1e-12);
    assertEquals(whole.variance(), merged.variance(), 1e-9);
  }

  @Test
  void bootstrapIsSeededAndAgreesWithWelchOnLargeSamples() {
    SplittableRandom random = new SplittableRandom(11);
    double[] a = new double[3000];
    double[] b = new double[3000];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextDouble() < 0.2 ? 40 + 30 * random.nextDouble() : 0;
      b[i] = random.nextDouble() < 0.15 ? 40 + 30 * random.nextDouble() : 0;
    }
    Interval boot = Intervals.bootstrapMeanDifference(a, b, 2000, 0.95, 7);
    assertEquals(boot, Intervals.bootstrapMeanDifference(a, b, 2000, 0.95, 7));
    assertNotEquals(boot, Intervals.bootstrapMeanDifference(a, b, 2000, 0.95, 8));
    Interval welch = Intervals.welch(Moments.of(a), Moments.of(b), 0.95);
    assertEquals(welch.estimate(), boot.estimate(), 1e-9);
    double width = welch.upper() - welch.lower();
    // Same sampling distribution: the limits agree to a few per cent of the width.
    assertEquals(welch.lower(), boot.lower(), 0.06 * width);
    assertEquals(welch.upper(), boot.upper(), 0.06 * width);
  }

  @Test
  void minimumDetectableDifference() {
    // (z_0.975 + z_0.8) * 0.3 * sqrt(1/1000 + 1/100), as computed with SciPy.
    assertEquals(
        0.08814982096978755,
        Intervals.minimumDetectableDifference(0.3, 1000, 100, 0.05, 0.8),
        1e-14);
    assertThrows(
        IllegalArgumentException.class,
        () -> Intervals.minimumDetectableDifference(0.3, 0, 100, 0.05, 0.8));
  }

  @Test
  void refusesImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> Intervals.wilson(5, 4, 0.95));
    assertThrows(IllegalArgumentException.class, () -> Intervals.newcombe(1, 0, 1, 2, 0.95));
    assertTrue(Intervals.wilson(0, 1, 0.95).contains(0));
  }
}
