package dev.retention.core;

/**
 * The standard normal and Student's t distributions, as the campaign intervals need them: CDFs and
 * quantiles to about 1e-14.
 *
 * <ul>
 *   <li>Normal CDF: {@code Phi(x) = erfc(-x / sqrt 2) / 2}, with {@code erfc(y) = Q(1/2, y^2)} for
 *       {@code y >= 0}, the regularized upper incomplete gamma function (DLMF 7.11.2), evaluated by
 *       its power series below {@code a + 1} and Legendre's continued fraction above (DLMF 8.7.3,
 *       8.9.2), so the tails keep their relative accuracy.
 *   <li>Normal quantile: the starting value of Abramowitz &amp; Stegun 26.2.23 (error below 4.5e-4)
 *       polished by Newton steps on {@code Phi}, computed in the tail nearer to {@code p}.
 *   <li>Student's t CDF: {@code 1 - I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2} for {@code t >= 0}
 *       (DLMF 8.17), with the regularized incomplete beta function by its continued fraction (DLMF
 *       8.17.22) and the symmetry {@code I_x(a, b) = 1 - I_{1-x}(b, a)}.
 *   <li>Student's t quantile: bracketed bisection on the CDF to the last representable digit (a
 *       handful of calls per campaign result, so simplicity wins over speed).
 * </ul>
 */
public final class Distributions {

  private Distributions() {}

  private static final double EPSILON = 1e-16;
  private static final double TINY = 1e-300;
  private static final int MAX_TERMS = 10_000;

  /** {@code Phi(x)}, the standard normal CDF. */
  public static double normalCdf(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  /** The standard normal density. */
  public static double normalDensity(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  /** The complementary error function. */
  public static double erfc(double y) {
    if (y < 0) {
      return 2 - erfc(-y);
    }
    if (y == 0) {
      return 1;
    }
    return upperGammaRegularized(0.5, y * y);
  }

  /**
   * {@code Phi^-1(p)} for {@code 0 < p < 1}.
   *
   * @throws IllegalArgumentException when {@code p} is not in (0, 1)
   */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("a probability in (0, 1) is needed, got " + p);
    }
    if (p == 0.5) {
      return 0;
    }
    // Work in the lower tail (q <= 1/2) and reflect: Phi(-x) = 1 - Phi(x).
    boolean upper = p > 0.5;
    double q = upper ? 1 - p : p;
    double t = Math.sqrt(-2 * Math.log(q));
    double x =
        -(t
            - (2.515517 + 0.802853 * t + 0.010328 * t * t)
                / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
    for (int i = 0; i < 8; i++) {
      double step = (normalCdf(x) - q) / normalDensity(x);
      x -= step;
      if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) {
        break;
      }
    }
    return upper ? -x : x;
  }

  /** The CDF of Student's t with {@code nu > 0} degrees of freedom (infinite = normal). */
  public static double studentTCdf(double t, double nu) {
    checkDegrees(nu);
    if (Double.isNaN(t)) {
      return Double.NaN;
    }
    if (Double.isInfinite(nu)) {
      return normalCdf(t);
    }
    double tail = 0.5 * incompleteBetaRegularized(nu / (nu + t * t), 0.5 * nu, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /**
   * The {@code p} quantile of Student's t with {@code nu > 0} degrees of freedom (infinite =
   * normal).
   */
  public static double studentTQuantile(double p, double nu) {
    checkDegrees(nu);
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("a probability in (0, 1) is needed, got " + p);
    }
    if (Double.isInfinite(nu)) {
      return normalQuantile(p);
    }
    if (p == 0.5) {
      return 0;
    }
    boolean upper = p > 0.5;
    double q = upper ? p : 1 - p; // the upper quantile, reflected at the end
    double low = 0;
    double high = Math.max(1, normalQuantile(q));
    while (studentTCdf(high, nu) < q) {
      low = high;
      high *= 2;
      if (Double.isInfinite(high)) {
        return upper ? high : -high;
      }
    }
    for (int i = 0; i < 200 && high - low > 1e-15 * high; i++) {
      double mid = 0.5 * (low + high);
      if (studentTCdf(mid, nu) < q) {
        low = mid;
      } else {
        high = mid;
      }
    }
    double x = 0.5 * (low + high);
    return upper ? x : -x;
  }

  private static void checkDegrees(double nu) {
    if (!(nu > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, got " + nu);
    }
  }

  /** The regularized lower incomplete gamma function {@code P(a, x)}. */
  public static double lowerGammaRegularized(double a, double x) {
    checkGamma(a, x);
    if (x == 0) {
      return 0;
    }
    return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
  }

  /** The regularized upper incomplete gamma function {@code Q(a, x) = 1 - P(a, x)}. */
  public static double upperGammaRegularized(double a, double x) {
    checkGamma(a, x);
    if (x == 0) {
      return 1;
    }
    return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
  }

  private static void checkGamma(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException(
          "the incomplete gamma function needs a > 0 and x >= 0, got " + a + ", " + x);
    }
  }

  /** {@code P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n))}. */
  private static double gammaSeries(double a, double x) {
    double term = 1;
    double sum = 1;
    for (int n = 1; n < MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * EPSILON) {
        break;
      }
    }
    return Math.exp(a * Math.log(x) - x - GammaFunctions.logGamma(a + 1)) * sum;
  }

  /**
   * {@code Q(a, x)} by Legendre's continued fraction {@code x^a e^-x / Gamma(a) * 1 / (x + 1 - a -
   * 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 - a - ...)))}, by the modified Lentz method.
   */
  private static double gammaContinuedFraction(double a, double x) {
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_TERMS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < TINY ? TINY : d;
      c = b + an / c;
      c = Math.abs(c) < TINY ? TINY : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return Math.exp(a * Math.log(x) - x - GammaFunctions.logGamma(a)) * h;
  }

  /** The regularized incomplete beta function {@code I_x(a, b)} for {@code a, b > 0}. */
  public static double incompleteBetaRegularized(double x, double a, double b) {
    if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) {
      throw new IllegalArgumentException(
          "the incomplete beta function needs a, b > 0 and 0 <= x <= 1, got "
              + x
              + ", "
              + a
              + ", "
              + b);
    }
    if (x == 0 || x == 1) {
      return x;
    }
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry above.
    if (x > (a + 1) / (a + b + 2)) {
      return 1 - incompleteBetaRegularized(1 - x, b, a);
    }
    double logFront =
        a * Math.log(x)
            + b * Math.log1p(-x)
            - (GammaFunctions.logGamma(a)
                + GammaFunctions.logGamma(b)
                - GammaFunctions.logGamma(a + b));
    return Math.exp(logFront) / a * betaContinuedFraction(x, a, b);
  }

  /**
   * {@code 1 / (1 + d1 / (1 + d2 / (1 + ...)))} with {@code d_{2m+1} = -(a + m)(a + b + m) x / ((a
   * + 2m)(a + 2m + 1))} and {@code d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))} (DLMF 8.17.22),
   * by the modified Lentz method.
   */
  private static double betaContinuedFraction(double x, double a, double b) {
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = Math.abs(d) < TINY ? TINY : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m < MAX_TERMS; m++) {
      double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
      d = 1 + even * d;
      d = Math.abs(d) < TINY ? TINY : d;
      c = 1 + even / c;
      c = Math.abs(c) < TINY ? TINY : c;
      d = 1 / d;
      h *= d * c;
      double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + odd * d;
      d = Math.abs(d) < TINY ? TINY : d;
      c = 1 + odd / c;
      c = Math.abs(c) < TINY ? TINY : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return h;
  }
}
