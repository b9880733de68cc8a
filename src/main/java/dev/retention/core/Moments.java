package dev.retention.core;

/**
 * Count, mean and sum of squared deviations of a sample, updated one value at a time (Welford 1962)
 * and mergeable across the parts of a dataset (Chan, Golub &amp; LeVeque 1979): {@code M2 = M2_a +
 * M2_b + delta^2 n_a n_b / n} with {@code delta = mean_b - mean_a}. Numerically stable where {@code
 * sum x^2 - n mean^2} would cancel. Mutable accumulator; {@link #copy()} before sharing.
 */
public final class Moments {

  private long count;
  private double mean;
  private double m2;

  public Moments() {}

  private Moments(long count, double mean, double m2) {
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
  }

  /** The moments of {@code values}. */
  public static Moments of(double[] values) {
    Moments out = new Moments();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** Adds one finite value; returns this. */
  public Moments add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a sample value must be a finite number");
    }
    count++;
    double delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    return this;
  }

  /** Adds another sample's moments; returns this. */
  public Moments merge(Moments other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      count = other.count;
      mean = other.mean;
      m2 = other.m2;
      return this;
    }
    long n = count + other.count;
    double delta = other.mean - mean;
    m2 += other.m2 + delta * delta * ((double) count * other.count / n);
    mean += delta * other.count / n;
    count = n;
    return this;
  }

  public Moments copy() {
    return new Moments(count, mean, m2);
  }

  public long count() {
    return count;
  }

  /** The mean, NaN for an empty sample. */
  public double mean() {
    return count == 0 ? Double.NaN : mean;
  }

  /** The sum of the values. */
  public double sum() {
    return mean * count;
  }

  /** The sample variance (ddof 1), NaN below two values. */
  public double variance() {
    return count < 2 ? Double.NaN : Math.max(0, m2) / (count - 1);
  }
}
