package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Hypergeometric} against exact forms and 40-digit sums of the series. */
class HypergeometricTest {

  private static final double[] NEAR_ONE = {
    0.1, 0.5, 0.75, 0.7500001, 0.8, 0.9, 0.99, 0.999, 0.9999, 1 - 1e-6, 1 - 1e-9
  };

  private static void assertRelative(
      double expected, double actual, double tolerance, String what) {
    double error = Math.abs(actual - expected) / Math.abs(expected);
    assertTrue(
        error <= tolerance,
        what + ": expected " + expected + ", got " + actual + ", relative error " + error);
  }

  @Test
  void logarithmCase() {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z: c - a - b = 0, the logarithmic case of the 1 - z formula
    for (double z : NEAR_ONE) {
      assertRelative(-Math.log1p(-z) / z, Hypergeometric.hyp2f1(1, 1, 2, z), 2e-14, "z=" + z);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.3, 1.0, 2.5, 7.0})
  void binomialCase(double a) {
    // 2F1(a, b; b; z) = (1 - z)^-a for any b: c - a - b = -a
    for (double b : new double[] {0.2, 1.7, 12.0}) {
      for (double z : NEAR_ONE) {
        assertRelative(
            Math.pow(1 - z, -a),
            Hypergeometric.hyp2f1(a, b, b, z),
            5e-14,
            "a=" + a + " b=" + b + " z=" + z);
      }
    }
  }

  @Test
  void arcsineAndArctanh() {
    // s at most 0.9995 (z ~ 0.999): closer to 1 the rounding of z = s * s alone moves these values
    // by more than the tolerance (their slope in z grows like 1/(1-z)); the exact forms in z above
    // cover z up to 1 - 1e-9
    for (double s : new double[] {0.1, 0.5, 0.9, 0.99, 0.9995}) {
      double z = s * s;
      assertRelative(Math.asin(s) / s, Hypergeometric.hyp2f1(0.5, 0.5, 1.5, z), 2e-14, "asin " + s);
      double atanh = 0.5 * Math.log((1 + s) / (1 - s));
      assertRelative(atanh / s, Hypergeometric.hyp2f1(0.5, 1, 1.5, z), 2e-14, "atanh " + s);
    }
  }

  @Test
  void completeEllipticIntegral() {
    // K(k) = pi/2 2F1(1/2, 1/2; 1; k^2) = pi / (2 AGM(1, sqrt(1 - k^2))): logarithmic near k = 1
    for (double z : NEAR_ONE) {
      double x = 1;
      double y = Math.sqrt(1 - z);
      for (int i = 0; i < 40; i++) {
        double mean = 0.5 * (x + y);
        y = Math.sqrt(x * y);
        x = mean;
      }
      assertRelative(
          Math.PI / (2 * x), Math.PI / 2 * Hypergeometric.hyp2f1(0.5, 0.5, 1, z), 2e-14, "z=" + z);
    }
  }

  @Test
  void gaussSumAtOne() {
    // 2F1(a, b; c; 1) = G(c) G(c-a-b) / (G(c-a) G(c-b)) for c - a - b > 0; at z = 1 - 1e-13 the
    // difference is O(1e-13) with c - a - b > 1
    double[][] cases = {{0.5, 1.5, 4.5}, {0.243, 2.426, 4.9}, {2, 3, 7.25}};
    for (double[] p : cases) {
      double a = p[0];
      double b = p[1];
      double c = p[2];
      double exact =
          Math.exp(
              GammaFunctions.logGamma(c)
                  + GammaFunctions.logGamma(c - a - b)
                  - GammaFunctions.logGamma(c - a)
                  - GammaFunctions.logGamma(c - b));
      assertRelative(exact, Hypergeometric.hyp2f1(a, b, c, 1 - 1e-13), 1e-11, "Gauss sum");
    }
  }

  @Test
  void terminatingSeries() {
    // 2F1(-3, b; c; z) is a cubic
    double b = 1.7;
    double c = 2.3;
    for (double z : NEAR_ONE) {
      double cubic =
          1
              - 3 * b / c * z
              + 3 * b * (b + 1) / (c * (c + 1)) * z * z
              - b * (b + 1) * (b + 2) / (c * (c + 1) * (c + 2)) * z * z * z;
      assertEquals(cubic, Hypergeometric.hyp2f1(-3, b, c, z), 1e-14, "z=" + z);
    }
  }

  /**
   * Parameter sets of the reduced remainder: BG/NBD's own (CDNOW fit, {@code R(A, a-1; C; z)} with
   * {@code A = a+b-1-r < 0} or {@code > 0} and {@code a - 1 < 0}), integer and near-integer {@code
   * c - a - b}, a strongly divergent {@code c - a - b = -4.5}, large {@code c} and an oscillating
   * case.
   */
  static Stream<Arguments> remainderCases() {
    double r = 0.243;
    double a = 0.793;
    double b = 2.426;
    return Stream.of(
        Arguments.of(a + b - 1 - r, a - 1, a + b - 1),
        Arguments.of(a + b - 1 - r, a - 1, a + b + 5 - 1),
        Arguments.of(0.3 + 0.4 - 1 - 1.2, 0.3 - 1, 0.3 + 0.4 + 1 - 1), // A < 0, C = 0.7
        Arguments.of(0.5 - 1 + 0.25, 0.0, 0.5 + 0.25 - 1), // b = 0, C = -0.25 > -1
        Arguments.of(1.0, 2.0, 3.0), // c - a - b = 0
        Arguments.of(0.3, 0.7, 2.0), // c - a - b = 1
        Arguments.of(0.3, 0.7, 2.0 + 1e-9), // near an integer
        Arguments.of(0.5, 1.5, 3.2),
        Arguments.of(2.5, 3.5, 1.5), // c - a - b = -4.5
        // large c (a customer with 78 repeat purchases under a fit with a = 0.05, b = 44.6):
        // without step control the continuation's Taylor sums cancel through z^(1-c)
        Arguments.of(41.97428, -0.94972, 125.22028),
        Arguments.of(100.0, 0.5, 120.0), // large c and c - a - b = 19.5
        Arguments.of(20.5, -10.25, 3.0)); // a b = -210: solutions oscillate
  }

  @ParameterizedTest
  @MethodSource("remainderCases")
  void continuationMatchesFortyDigitSeries(double a, double b, double c) {
    // the continuation forced where the series would also do, so both paths are checked
    for (double z : new double[] {0.6, 0.76, 0.9, 0.99}) {
      assertNearReference(a, b, c, z, Hypergeometric.byContinuation(a, b, c, z));
    }
  }

  @ParameterizedTest
  @MethodSource("remainderCases")
  void reducedRemainderMatchesFortyDigitSeries(double a, double b, double c) {
    for (double z : new double[] {0.1, 0.5, 0.75, 0.76, 0.9, 0.99, 0.999}) {
      assertNearReference(a, b, c, z, Hypergeometric.reducedRemainder(a, b, c, z));
    }
  }

  /** Within {@link #tolerance} of the larger of the value and the series' largest term. */
  private static void assertNearReference(double a, double b, double c, double z, double actual) {
    double[] reference = reference(a, b, c, z);
    double scale = Math.max(Math.abs(reference[0]), reference[1]);
    double error = Math.abs(actual - reference[0]) / scale;
    assertTrue(
        error <= tolerance(a, b),
        "a="
            + a
            + " b="
            + b
            + " c="
            + c
            + " z="
            + z
            + ": expected "
            + reference[0]
            + ", got "
            + actual
            + ", error "
            + error
            + " of "
            + scale);
  }

  @ParameterizedTest
  @MethodSource("remainderCases")
  void hyp2f1IsOnePlusScaledRemainder(double a, double b, double c) {
    if (c <= 0) {
      return;
    }
    for (double z : new double[] {0.3, 0.9, 0.999}) {
      double[] reference = reference(a, b, c, z);
      double expected = 1 + a * b / c * reference[0];
      double scale = Math.max(Math.abs(expected), Math.abs(a * b / c) * reference[1]);
      double error = Math.abs(Hypergeometric.hyp2f1(a, b, c, z) - expected) / scale;
      assertTrue(error <= tolerance(a, b), "z=" + z + ": error " + error);
    }
  }

  /**
   * 2e-13; 5e-12 for the oscillating stress case {@code a b < -100} far from anything the BG/NBD
   * reaches, where each of the many short continuation steps may lose up to log10(64) digits to
   * cancellation (measured: 2e-12).
   */
  private static double tolerance(double a, double b) {
    return a * b < -100 ? 5e-12 : 2e-13;
  }

  @Test
  void remainderIsContinuousInItsParameters() {
    // R has no singularity at b = 0 or c = 0 (what keeps BG/NBD accurate at a = 1, a + b = 1)
    double z = 0.95;
    double atZero = Hypergeometric.reducedRemainder(1.3, 0.0, 0.0, z);
    assertRelative(atZero, Hypergeometric.reducedRemainder(1.3, 1e-9, 1e-9, z), 1e-8, "near 0");
    assertRelative(atZero, Hypergeometric.reducedRemainder(1.3, -1e-9, -1e-9, z), 1e-8, "below");
    assertEquals(0.0, Hypergeometric.reducedRemainder(2, 3, 4, 0.0));
  }

  @Test
  void rejectsArgumentsOutsideTheDomain() {
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric.hyp2f1(1, 1, 2, 1.0));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric.hyp2f1(1, 1, 2, -0.1));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric.hyp2f1(1, 1, 0, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> Hypergeometric.hyp2f1(Double.NaN, 1, 2, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> Hypergeometric.reducedRemainder(1, 1, -1, 0.5));
  }

  /**
   * {@code R(a, b; c; z)} summed with 40 significant digits until a term is below {@code 1e-24} of
   * the sum, past the point where the terms decrease for good (no double arithmetic involved).
   */
  static double referenceRemainder(double a, double b, double c, double z) {
    return reference(a, b, c, z)[0];
  }

  /** {@code {R, largest |term|}}: with terms of both signs accuracy is relative to the largest. */
  static double[] reference(double a, double b, double c, double z) {
    MathContext mc = new MathContext(40);
    BigDecimal bigA = new BigDecimal(a);
    BigDecimal bigB = new BigDecimal(b);
    BigDecimal bigC = new BigDecimal(c);
    BigDecimal bigZ = new BigDecimal(z);
    BigDecimal term = bigZ;
    BigDecimal sum = term;
    BigDecimal largest = term.abs();
    BigDecimal small = new BigDecimal("1e-24");
    double settled = Math.abs(a) + Math.abs(b) + Math.abs(c) + 2;
    for (int n = 1; n < 10_000_000; n++) {
      BigDecimal bn = BigDecimal.valueOf(n);
      BigDecimal numerator = bigA.add(bn).multiply(bigB.add(bn), mc).multiply(bigZ, mc);
      BigDecimal denominator = bigC.add(bn).multiply(BigDecimal.valueOf(n + 1L), mc);
      term = term.multiply(numerator, mc).divide(denominator, mc);
      sum = sum.add(term, mc);
      largest = largest.max(term.abs());
      if (term.signum() == 0
          || (n > settled && term.abs().compareTo(sum.abs().multiply(small, mc)) < 0)) {
        break;
      }
    }
    return new double[] {sum.doubleValue(), largest.doubleValue()};
  }
}
