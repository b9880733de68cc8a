package dev.retention.core;

/**
 * Settings of the customer-value fits ({@link BgNbd#fit}, {@link GammaGamma#fit}).
 *
 * @param penalizer the L2 coefficient {@code c >= 0} of lifetimes' {@code penalizer_coef}: the fit
 *     minimises {@code -(1/W) sum_i w_i ln L_i + c * sum_j theta_j^2}, the mean negative
 *     log-likelihood plus {@code c} times the sum of the squared parameters (not of their logs).
 *     The parameters are those lifetimes penalises: {@code (r, alpha / T_max, a, b)} for the BG/NBD
 *     (lifetimes fits on ages divided by the largest age, so the penalty does not depend on the
 *     time unit), {@code (p, q, v)} for the Gamma-Gamma. Default 0.
 * @param tolerance stop when the largest absolute component of the gradient of that objective with
 *     respect to the log-parameters is at most this (default 1e-9; lifetimes stops at 1e-7)
 * @param maxIterations maximum Newton iterations (default 100; they usually need fewer than 15)
 * @param threads worker threads, 0 = all cores; the result does not depend on it
 * @param minRepeatCustomers fewer repeat customers (weighted count of rows with {@code x >= 1})
 *     than this cannot identify the model: the fit throws (default 10)
 */
public record ClvFitOptions(
    double penalizer, double tolerance, int maxIterations, int threads, double minRepeatCustomers) {

  public ClvFitOptions {
    if (!(penalizer >= 0) || Double.isInfinite(penalizer)) {
      throw new IllegalArgumentException(
          "penalizer must be a finite number >= 0, got " + penalizer);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
    }
    if (!(minRepeatCustomers >= 1) || Double.isInfinite(minRepeatCustomers)) {
      throw new IllegalArgumentException(
          "minRepeatCustomers must be a finite number >= 1, got " + minRepeatCustomers);
    }
  }

  public static ClvFitOptions defaults() {
    return new ClvFitOptions(0.0, 1e-9, 100, 0, 10);
  }

  public ClvFitOptions withPenalizer(double newPenalizer) {
    return new ClvFitOptions(newPenalizer, tolerance, maxIterations, threads, minRepeatCustomers);
  }

  public ClvFitOptions withTolerance(double newTolerance) {
    return new ClvFitOptions(penalizer, newTolerance, maxIterations, threads, minRepeatCustomers);
  }

  public ClvFitOptions withMaxIterations(int newMaxIterations) {
    return new ClvFitOptions(penalizer, tolerance, newMaxIterations, threads, minRepeatCustomers);
  }

  public ClvFitOptions withThreads(int newThreads) {
    return new ClvFitOptions(penalizer, tolerance, maxIterations, newThreads, minRepeatCustomers);
  }

  public ClvFitOptions withMinRepeatCustomers(double newMinimum) {
    return new ClvFitOptions(penalizer, tolerance, maxIterations, threads, newMinimum);
  }
}
