package dev.retention.core;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Confidence intervals for the comparisons of a campaign with a holdout: a rate in each group, the
 * difference of two rates, the difference of two means, and the smallest difference a comparison of
 * the achieved sizes could detect.
 *
 * <ul>
 *   <li><b>Wilson</b> score interval for a proportion (Wilson, "Probable inference, the law of
 *       succession, and statistical inference", JASA 1927): with {@code p = x / n} and {@code z =
 *       Phi^-1(1 - alpha / 2)}, {@code (p + z^2 / 2n +- z sqrt(p (1 - p) / n + z^2 / 4n^2)) / (1 +
 *       z^2 / n)}. It stays inside [0, 1] and keeps its coverage near 0 and 1, where the Wald
 *       interval collapses.
 *   <li><b>Newcombe</b>'s hybrid score interval for {@code p1 - p0} (Newcombe, "Interval estimation
 *       for the difference between independent proportions: comparison of eleven methods",
 *       Statistics in Medicine 1998, method 10): with Wilson limits {@code (l1, u1)}, {@code (l0,
 *       u0)}, {@code D = p1 - p0}, lower {@code D - sqrt((p1 - l1)^2 + (u0 - p0)^2)}, upper {@code
 *       D + sqrt((u1 - p1)^2 + (p0 - l0)^2)}.
 *   <li><b>Welch</b>'s interval for {@code mean1 - mean0} (Welch, "The generalization of
 *       'Student's' problem when several different population variances are involved", Biometrika
 *       1947): {@code D +- t_{1 - alpha/2, nu} sqrt(s1^2/n1 + s0^2/n0)} with the
 *       Welch-Satterthwaite {@code nu = (s1^2/n1 + s0^2/n0)^2 / ((s1^2/n1)^2/(n1 - 1) +
 *       (s0^2/n0)^2/(n0 - 1))}.
 *   <li>A seeded <b>percentile bootstrap</b> of {@code mean1 - mean0} (Efron &amp; Tibshirani,
 *       <i>An Introduction to the Bootstrap</i>, 1993, ch. 13): each group resampled with
 *       replacement within itself, the interval between the {@code alpha/2} and {@code 1 - alpha/2}
 *       quantiles of the resampled differences. No normality assumed; for skewed revenue it is the
 *       cross-check of Welch.
 *   <li><b>Minimum detectable difference</b> of a two-sided test at level {@code alpha} with power
 *       {@code 1 - beta} (normal approximation, e.g. Cohen, <i>Statistical Power Analysis</i>,
 *       1988, ch. 2): {@code (z_{1-alpha/2} + z_{1-beta}) sigma sqrt(1/n1 + 1/n0)}.
 * </ul>
 */
public final class Intervals {

  private Intervals() {}

  /**
   * An estimate with its interval.
   *
   * @param estimate the point estimate
   * @param lower lower limit
   * @param upper upper limit
   */
  public record Interval(double estimate, double lower, double upper) {

    /** Whether {@code value} lies in {@code [lower, upper]}. */
    public boolean contains(double value) {
      return lower <= value && value <= upper;
    }

    /** This interval multiplied by {@code factor >= 0} (e.g. per customer to a group's total). */
    public Interval times(double factor) {
      return new Interval(estimate * factor, lower * factor, upper * factor);
    }
  }

  /** {@code z_{1 - alpha/2}} of a two-sided interval at {@code confidence = 1 - alpha}. */
  public static double twoSidedZ(double confidence) {
    checkConfidence(confidence);
    return Distributions.normalQuantile(0.5 + confidence / 2);
  }

  /**
   * Wilson's score interval for the proportion {@code successes / n}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= successes <= n}, {@code n >= 1}
   */
  public static Interval wilson(long successes, long n, double confidence) {
    if (n < 1 || successes < 0 || successes > n) {
      throw new IllegalArgumentException(
          "a proportion needs 0 <= successes <= n and n >= 1, got " + successes + " of " + n);
    }
    double z = twoSidedZ(confidence);
    double p = (double) successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    // At p = 0 or 1 one limit is exactly 0 or 1; rounding must not push it past.
    double lower = successes == 0 ? 0 : Math.max(0, centre - half);
    double upper = successes == n ? 1 : Math.min(1, centre + half);
    return new Interval(p, lower, upper);
  }

  /**
   * Newcombe's hybrid score interval (method 10) for {@code x1 / n1 - x0 / n0}.
   *
   * @throws IllegalArgumentException as {@link #wilson} for either group
   */
  public static Interval newcombe(long x1, long n1, long x0, long n0, double confidence) {
    Interval one = wilson(x1, n1, confidence);
    Interval zero = wilson(x0, n0, confidence);
    double p1 = one.estimate();
    double p0 = zero.estimate();
    double d = p1 - p0;
    double lower = d - Math.hypot(p1 - one.lower(), zero.upper() - p0);
    double upper = d + Math.hypot(one.upper() - p1, p0 - zero.lower());
    return new Interval(d, lower, upper);
  }

  /**
   * The Welch-Satterthwaite degrees of freedom of {@code mean(a) - mean(b)}; infinite when both
   * samples are constant (the difference is then known exactly).
   */
  public static double welchDegreesOfFreedom(Moments a, Moments b) {
    checkTwo(a, b);
    double va = a.variance() / a.count();
    double vb = b.variance() / b.count();
    double denominator = va * va / (a.count() - 1) + vb * vb / (b.count() - 1);
    return denominator == 0 ? Double.POSITIVE_INFINITY : (va + vb) * (va + vb) / denominator;
  }

  /**
   * Welch's interval for {@code mean(a) - mean(b)}.
   *
   * @throws IllegalArgumentException when a sample has fewer than two values
   */
  public static Interval welch(Moments a, Moments b, double confidence) {
    checkTwo(a, b);
    checkConfidence(confidence);
    double d = a.mean() - b.mean();
    double se = Math.sqrt(a.variance() / a.count() + b.variance() / b.count());
    if (se == 0) {
      return new Interval(d, d, d);
    }
    double t = Distributions.studentTQuantile(0.5 + confidence / 2, welchDegreesOfFreedom(a, b));
    return new Interval(d, d - t * se, d + t * se);
  }

  private static void checkTwo(Moments a, Moments b) {
    if (a.count() < 2 || b.count() < 2) {
      throw new IllegalArgumentException(
          "a difference of means needs at least two values in each sample, got "
              + a.count()
              + " and "
              + b.count());
    }
  }

  /**
   * The percentile bootstrap interval of {@code mean(a) - mean(b)}, each sample resampled within
   * itself {@code resamples} times from {@code seed} (the same seed, samples and count give the
   * same interval).
   *
   * @throws IllegalArgumentException on an empty sample or fewer than 100 resamples
   */
  public static Interval bootstrapMeanDifference(
      double[] a, double[] b, int resamples, double confidence, long seed) {
    checkConfidence(confidence);
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("a bootstrap needs values in both samples");
    }
    if (resamples < 100) {
      throw new IllegalArgumentException(
          "a bootstrap needs at least 100 resamples, got " + resamples);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] differences = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      differences[r] = resampledMean(a, random) - resampledMean(b, random);
    }
    Arrays.sort(differences);
    double alpha = 1 - confidence;
    return new Interval(
        mean(a) - mean(b),
        quantileOfSorted(differences, alpha / 2),
        quantileOfSorted(differences, 1 - alpha / 2));
  }

  private static double resampledMean(double[] x, SplittableRandom random) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += x[random.nextInt(n)];
    }
    return sum / n;
  }

  private static double mean(double[] x) {
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    return sum / x.length;
  }

  /** The {@code q} quantile of sorted values, linearly interpolated (Hyndman &amp; Fan type 7). */
  static double quantileOfSorted(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }

  /**
   * The smallest true difference between two groups of {@code n1} and {@code n0} whose two-sided
   * test at level {@code alpha} rejects with probability {@code power}, for outcomes of standard
   * deviation {@code sigma} in both groups.
   *
   * @throws IllegalArgumentException on an empty group, a negative sigma, or alpha / power outside
   *     (0, 1)
   */
  public static double minimumDetectableDifference(
      double sigma, long n1, long n0, double alpha, double power) {
    if (n1 < 1 || n0 < 1) {
      throw new IllegalArgumentException("both groups need customers, got " + n1 + " and " + n0);
    }
    if (!(sigma >= 0) || !(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
      throw new IllegalArgumentException(
          "sigma >= 0 and alpha, power in (0, 1) are needed, got "
              + sigma
              + ", "
              + alpha
              + ", "
              + power);
    }
    double z = Distributions.normalQuantile(1 - alpha / 2) + Distributions.normalQuantile(power);
    return z * sigma * Math.sqrt(1.0 / n1 + 1.0 / n0);
  }

  private static void checkConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
  }
}
