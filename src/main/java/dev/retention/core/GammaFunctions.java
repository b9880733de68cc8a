package dev.retention.core;

/**
 * The log-gamma function and its first two derivatives (digamma, trigamma) for positive arguments,
 * as the customer-value likelihoods need them ({@link BgNbd}, {@link GammaGamma}).
 *
 * <p>Method: the recurrences {@code lnG(x) = lnG(x + 1) - ln x}, {@code psi(x) = psi(x + 1) - 1/x},
 * {@code psi'(x) = psi'(x + 1) + 1/x^2} shift the argument to {@code x >= 10}, where the asymptotic
 * (Stirling) series with Bernoulli-number coefficients is truncated after the term below {@code
 * 1e-16} (Abramowitz &amp; Stegun, <i>Handbook of Mathematical Functions</i>, 6.1.40, 6.3.18,
 * 6.4.12). Relative error about {@code 1e-15} for {@code x >= 10}; below, the shift costs an
 * absolute {@code ~1e-16 ln G(x + 10)}, at most about {@code 4e-15} for {@code ln G}. The
 * likelihoods use differences of these values, where absolute accuracy is what counts.
 */
public final class GammaFunctions {

  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SHIFT = 10.0;

  private GammaFunctions() {}

  /** {@code ln Gamma(x)} for {@code x > 0}. */
  public static double logGamma(double x) {
    requirePositive(x);
    double shift = 1.0;
    while (x < SHIFT) {
      shift *= x;
      x += 1.0;
    }
    double inv = 1.0 / x;
    double inv2 = inv * inv;
    double series =
        inv
            * (1.0 / 12
                + inv2
                    * (-1.0 / 360
                        + inv2
                            * (1.0 / 1260
                                + inv2
                                    * (-1.0 / 1680
                                        + inv2
                                            * (1.0 / 1188
                                                + inv2
                                                    * (-691.0 / 360360
                                                        + inv2
                                                            * (1.0 / 156
                                                                + inv2 * (-3617.0 / 122400))))))));
    double value = (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
    return shift == 1.0 ? value : value - Math.log(shift);
  }

  /** The digamma function {@code psi(x) = d/dx ln Gamma(x)} for {@code x > 0}. */
  public static double digamma(double x) {
    requirePositive(x);
    double shifted = 0.0;
    while (x < SHIFT) {
      shifted -= 1.0 / x;
      x += 1.0;
    }
    double inv = 1.0 / x;
    double inv2 = inv * inv;
    double series =
        inv2
            * (1.0 / 12
                + inv2
                    * (-1.0 / 120
                        + inv2
                            * (1.0 / 252
                                + inv2
                                    * (-1.0 / 240
                                        + inv2
                                            * (1.0 / 132
                                                + inv2 * (-691.0 / 32760 + inv2 * (1.0 / 12)))))));
    return shifted + Math.log(x) - 0.5 * inv - series;
  }

  /** The trigamma function {@code psi'(x) = d^2/dx^2 ln Gamma(x)} for {@code x > 0}. */
  public static double trigamma(double x) {
    requirePositive(x);
    double shifted = 0.0;
    while (x < SHIFT) {
      shifted += 1.0 / (x * x);
      x += 1.0;
    }
    double inv = 1.0 / x;
    double inv2 = inv * inv;
    double series =
        inv2
            * inv
            * (1.0 / 6
                + inv2
                    * (-1.0 / 30
                        + inv2
                            * (1.0 / 42
                                + inv2
                                    * (-1.0 / 30
                                        + inv2
                                            * (5.0 / 66
                                                + inv2 * (-691.0 / 2730 + inv2 * (7.0 / 6)))))));
    return shifted + inv + 0.5 * inv2 + series;
  }

  private static void requirePositive(double x) {
    if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("argument must be a finite number > 0, got " + x);
    }
  }
}
