package dev.retention.core;

/**
 * The Gauss hypergeometric function {@code 2F1(a, b; c; z) = sum_n (a)_n (b)_n / ((c)_n n!) z^n} on
 * {@code 0 <= z < 1}, as the BG/NBD expectations need it ({@link BgNbdFit#expectedPurchases};
 * Fader, Hardie &amp; Lee 2005, eq. 9 and 10), where {@code z = t / (alpha + T + t)} comes close to
 * 1 when the horizon {@code t} is long compared with {@code alpha + T}.
 *
 * <p>Everything is computed through the <em>reduced remainder</em> {@code R(a, b; c; z) = c / (a b)
 * (2F1(a, b; c; z) - 1) = sum_{n >= 1} (a+1)_{n-1} (b+1)_{n-1} / ((c+1)_{n-1} n!) z^n}: the series
 * without its first term, divided by its second coefficient. {@code R} has no removable singularity
 * at {@code a = 0}, {@code b = 0} or {@code c = 0} and is defined for {@code c > -1}; that is what
 * lets the BG/NBD expectation stay accurate at {@code a = 1} and at {@code a + b = 1} (see {@link
 * BgNbdFit#expectedPurchasesGivenAlive}).
 *
 * <p>Method, and why:
 *
 * <ul>
 *   <li>First the power series, summed until a rigorous bound on the tail is below {@code 1e-17} of
 *       the sum. Once {@code n + a > 0} and {@code n + b > 0}, the term ratio {@code z (n+a)/(n+1)
 *       (n+b)/(n+c)} is a product of two functions monotone in {@code n}, so every later ratio is
 *       at most {@code rho = z max(1, (n+a)/(n+1)) max(1, (n+b)/(n+c))} and the tail at most {@code
 *       |term| rho / (1 - rho)}. Up to {@code z = 0.75} (about 130 terms for moderate parameters)
 *       the series is always used; above, only if it converges within 300 terms, which it does when
 *       {@code c} is large against {@code a, b} (as for customers with many purchases).
 *   <li>Otherwise analytic continuation along the real axis. {@code R} solves the hypergeometric
 *       equation with a constant source, {@code z(1-z) R'' + [c - (a+b+1) z] R' - a b R = c}; its
 *       Taylor coefficients around a point {@code z0} follow a three-term recurrence from that
 *       equation. Starting from the series value and derivative at {@code z0 = 1/2}, each step
 *       moves at most half of the remaining distance to the singular point 1 (each Taylor series is
 *       evaluated at no more than half its radius of convergence, about 55 terms) and the last step
 *       lands on {@code z}: about 9 steps at {@code z = 0.999}, 19 at {@code 1 - 1e-6}. Near {@code
 *       z = 1} the continued solution is the dominant one of the equation whatever the sign of
 *       {@code c - a - b}, so errors do not grow from step to step. Within a step, large parameters
 *       (a large {@code c}, i.e. the solution {@code z^(1-c)} of the other singular point; a large
 *       positive {@code c - a - b}; a large negative {@code a b}) make the terms of the Taylor sum
 *       grow and cancel: a step whose sum of absolute terms exceeds 64 times its result is rejected
 *       and retried with a quarter of the length, so at most about two digits are lost per step, at
 *       the price of more steps for such parameters.
 * </ul>
 *
 * <p>Alternatives not taken: the series alone needs {@code ~37 / (1 - z)} terms (37,000 at {@code z
 * = 0.999}); the {@code 1 - z} connection formula (Abramowitz &amp; Stegun 15.3.6) cancels
 * catastrophically when {@code c - a - b} is near an integer, which in the BG/NBD happens for every
 * customer at once when the fitted {@code a - r} is near an integer, and its limiting forms
 * (15.3.10-12) cover only the exact integers. The continuation has no special cases.
 *
 * <p>Accuracy: on random {@code a, b, c} in {@code (0, 10]} at most {@code 2e-14} relative against
 * 40-digit sums of the series up to {@code z = 0.999}. The tests assert {@code 2e-13} there (also
 * for the BG/NBD's negative and large parameters; of the largest term where terms have both signs;
 * {@code 5e-12} for an oscillating stress case {@code a b = -210}) and {@code 5e-14} against exact
 * forms up to {@code z = 1 - 1e-9}. Cost: about 60 terms at {@code z = 0.5}, 220 at {@code z =
 * 0.9}, 550 at {@code z = 0.999} for moderate parameters.
 */
public final class Hypergeometric {

  /** Up to this {@code z} the series is always used. */
  static final double SERIES_LIMIT = 0.75;

  /** Above {@link #SERIES_LIMIT}, terms the series may take before the continuation is used. */
  private static final int SERIES_BUDGET = 300;

  /** Where the continuation starts (the series converges there like {@code 2^-n}). */
  private static final double CONTINUATION_START = 0.5;

  /** Largest fraction of the remaining distance to {@code z = 1} covered by one step. */
  private static final double STEP = 0.5;

  /** A step whose Taylor terms add up in absolute value to more than this times its result. */
  private static final double CANCELLATION = 64;

  private static final double TOLERANCE = 1e-17;
  private static final int MAX_TERMS = 1_000_000;

  private Hypergeometric() {}

  /**
   * {@code 2F1(a, b; c; z)} for real {@code a, b}, {@code c > 0} and {@code 0 <= z < 1}. The
   * accuracy stated in the class comment holds for {@code a, b > 0}; for other {@code a, b} the
   * error is about {@code 1e-15} of the largest term of the series, up to {@code 1e-12} when {@code
   * a b} is large and negative. Overflows to infinity when the value does (near {@code z = 1} with
   * {@code c - a - b} far below 0).
   *
   * @throws IllegalArgumentException for non-finite parameters, {@code c <= 0}, or {@code z}
   *     outside {@code [0, 1)}
   */
  public static double hyp2f1(double a, double b, double c, double z) {
    if (!(c > 0)) {
      throw new IllegalArgumentException("c must be > 0, got " + c);
    }
    double remainder = reducedRemainder(a, b, c, z);
    return 1.0 + a * b / c * remainder;
  }

  /**
   * The reduced remainder {@code R(a, b; c; z) = c (2F1(a, b; c; z) - 1) / (a b)}, continuous in
   * {@code a}, {@code b} and {@code c} (its series is in the class comment), for real {@code a, b},
   * {@code c > -1} and {@code 0 <= z < 1}.
   *
   * @throws IllegalArgumentException for non-finite parameters, {@code c <= -1}, or {@code z}
   *     outside {@code [0, 1)}
   */
  public static double reducedRemainder(double a, double b, double c, double z) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
      throw new IllegalArgumentException(
          "parameters must be finite, got a=" + a + ", b=" + b + ", c=" + c);
    }
    if (!(c > -1)) {
      throw new IllegalArgumentException("c must be > -1, got " + c);
    }
    if (!(z >= 0 && z < 1)) {
      throw new IllegalArgumentException("z must be in [0, 1), got " + z);
    }
    if (z == 0) {
      return 0.0;
    }
    double[] out = new double[2];
    if (series(a, b, c, z, z <= SERIES_LIMIT ? MAX_TERMS : SERIES_BUDGET, false, out)) {
      return out[0];
    }
    series(a, b, c, CONTINUATION_START, MAX_TERMS, true, out);
    return continueTo(a, b, c, CONTINUATION_START, out[0], out[1], z);
  }

  /** {@code R} by the continuation from {@code z = 1/2} whatever {@code z} is: for tests. */
  static double byContinuation(double a, double b, double c, double z) {
    double[] out = new double[2];
    series(a, b, c, CONTINUATION_START, MAX_TERMS, true, out);
    return continueTo(a, b, c, CONTINUATION_START, out[0], out[1], z);
  }

  /**
   * Sums the series of {@code R} at {@code z} into {@code out[0]} and, when {@code withDerivative},
   * {@code R'(z)} into {@code out[1]} (from {@code z R' = sum n t_n}). Returns whether the tail
   * bound was met within {@code maxTerms} terms.
   */
  private static boolean series(
      double a, double b, double c, double z, int maxTerms, boolean withDerivative, double[] out) {
    // Past this index every factor (n+a), (n+b) is positive: no more sign changes.
    double settled = Math.max(1.0, Math.max(Math.floor(-a) + 1, Math.floor(-b) + 1));
    double term = z; // n = 1
    double sum = term;
    double weighted = term; // sum of n * t_n
    boolean converged = false;
    for (int n = 1; n < maxTerms; n++) {
      if (term == 0) {
        converged = true; // terminating series (a or b a negative integer)
        break;
      }
      // the tail bound needs the next terms; test it only once the term is small
      if (n >= settled && Math.abs(term) <= 1e-15 * Math.abs(sum)) {
        double bound = z * Math.max(1.0, (n + a) / (n + 1.0)) * Math.max(1.0, (n + b) / (n + c));
        double boundWeighted = bound * (n + 1.0) / n;
        if (boundWeighted < 1
            && Math.abs(term) * bound / (1 - bound) <= TOLERANCE * Math.abs(sum)
            && (!withDerivative
                || n * Math.abs(term) * boundWeighted / (1 - boundWeighted)
                    <= TOLERANCE * Math.abs(weighted))) {
          converged = true;
          break;
        }
      }
      term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
      sum += term;
      weighted += (n + 1) * term;
    }
    out[0] = sum;
    out[1] = weighted / z;
    return converged;
  }

  /**
   * Continues the solution {@code (value, derivative)} of the inhomogeneous hypergeometric equation
   * from {@code z0} to {@code z} by Taylor steps; see the class comment.
   */
  private static double continueTo(
      double a, double b, double c, double z0, double value, double derivative, double z) {
    double at = z0;
    double length = STEP * (1 - at);
    double[] step = new double[3];
    while (at < z) {
      double remaining = z - at;
      double h = Math.min(length, STEP * (1 - at));
      boolean last = h >= remaining || z - (at + h) <= 1e-3 * h;
      if (last) {
        h = remaining;
      }
      taylorStep(a, b, c, at, value, derivative, h, step);
      // Rejected while the terms cancel; a step of 1e-9 of the distance to 1 is accepted anyway
      // (the value itself may cross zero for parameters of mixed signs).
      while (step[2] > CANCELLATION * (Math.abs(step[0]) + Math.abs(step[1]) * h)
          && h > 1e-9 * (1 - at)) {
        h *= 0.25;
        last = false;
        taylorStep(a, b, c, at, value, derivative, h, step);
      }
      value = step[0];
      derivative = step[1];
      at = last ? z : at + h;
      length = 2 * h; // let the step grow again after a rejection
    }
    return value;
  }

  /**
   * One Taylor step of length {@code h} from {@code at}: writes {@code y(at + h)}, {@code y'(at +
   * h)} and the sum of the absolute values of the terms of {@code y(at + h)}.
   */
  private static void taylorStep(
      double a,
      double b,
      double c,
      double at,
      double value,
      double derivative,
      double h,
      double[] out) {
    // Scaled coefficients g_n = f_n h^n of y(at + u) = sum f_n u^n, from
    // at(1-at)(n+1)(n+2) f_{n+2} = (n+a)(n+b) f_n - (n+1)[(1-2 at) n + c - (a+b+1) at] f_{n+1}
    //                             + c [n = 0].
    double p0 = at * (1 - at);
    double slope = 1 - 2 * at;
    double shift = c - (a + b + 1) * at;
    double g0 = value;
    double g1 = derivative * h;
    double sumValue = g0 + g1;
    double sumDerivative = g1; // sum of n g_n
    double absolute = Math.abs(g0) + Math.abs(g1);
    double magnitude = Math.max(Math.abs(g0), Math.abs(g1));
    int quiet = 0;
    for (int n = 0; n < MAX_TERMS; n++) {
      double source = n == 0 ? c * h * h : 0.0;
      double g2 =
          ((n + a) * (n + b) * h * h * g0 - (n + 1.0) * (slope * n + shift) * h * g1 + source)
              / (p0 * (n + 1.0) * (n + 2.0));
      sumValue += g2;
      sumDerivative += (n + 2) * g2;
      absolute += Math.abs(g2);
      magnitude = Math.max(magnitude, Math.abs(g2));
      g0 = g1;
      g1 = g2;
      // two consecutive negligible terms after the terms stopped growing: the rest decays like
      // 2^-n (the step is at most half the radius of convergence)
      boolean negligible =
          Math.abs(g2) <= TOLERANCE * Math.abs(sumValue)
              && (n + 2) * Math.abs(g2) <= TOLERANCE * Math.abs(sumDerivative)
              && Math.abs(g2) < magnitude;
      quiet = negligible ? quiet + 1 : 0;
      if (quiet >= 2 || (g0 == 0 && g1 == 0) || !Double.isFinite(absolute)) {
        break;
      }
    }
    out[0] = sumValue;
    out[1] = sumDerivative / h;
    out[2] = absolute;
  }
}
