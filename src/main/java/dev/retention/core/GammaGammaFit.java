package dev.retention.core;

/**
 * A fitted Gamma-Gamma spend model ({@link GammaGamma}) and its predictions.
 *
 * @param p shape of the Gamma distribution of one customer's transaction values
 * @param q shape of the Gamma distribution of the rate {@code nu} across customers
 * @param v rate of that distribution (money units)
 * @param logLikelihood the (weighted, unpenalized) total log-likelihood at the fit
 * @param objective the minimised value: mean negative log-likelihood plus the penalty (lifetimes'
 *     {@code _negative_log_likelihood_})
 * @param penalizer the L2 coefficient used ({@link ClvFitOptions#penalizer()})
 * @param iterations Newton iterations
 * @param converged whether the gradient test held ({@link ClvFitOptions#tolerance()})
 * @param gradientNorm largest absolute component of the objective's gradient in {@code ln(p, q, v)}
 *     at the fit
 * @param rows repeat-customer rows used (positive weight, {@code x >= 1})
 * @param customers their total weight
 * @param frequencyMonetaryCorrelation the model's independence check (FHL 2005 JMR; note 025): the
 *     (weighted) Pearson correlation between {@code x} and {@code m} among the repeat customers;
 *     near 0 supports the assumption, NaN when either does not vary
 * @param standardErrors standard errors of {@code (p, q, v)} from the inverse Hessian (delta
 *     method); NaN when it is not positive definite
 */
public record GammaGammaFit(
    double p,
    double q,
    double v,
    double logLikelihood,
    double objective,
    double penalizer,
    int iterations,
    boolean converged,
    double gradientNorm,
    int rows,
    double customers,
    double frequencyMonetaryCorrelation,
    double[] standardErrors) {

  public GammaGammaFit {
    if (!(p > 0 && q > 0 && v > 0) || !Double.isFinite(p + q + v) || standardErrors.length != 3) {
      throw new IllegalArgumentException(
          "p, q, v must be finite numbers > 0 and there must be 3 standard errors");
    }
    standardErrors = standardErrors.clone();
  }

  /** A fit with known parameters (published or stored values), no provenance. */
  public static GammaGammaFit of(double p, double q, double v) {
    return new GammaGammaFit(
        p,
        q,
        v,
        Double.NaN,
        Double.NaN,
        0,
        0,
        true,
        Double.NaN,
        0,
        0,
        Double.NaN,
        new double[] {Double.NaN, Double.NaN, Double.NaN});
  }

  @Override
  public double[] standardErrors() {
    return standardErrors.clone();
  }

  /**
   * The population mean transaction value {@code E[M] = p v / (q - 1)}.
   *
   * @throws IllegalStateException if {@code q <= 1} (the mean is infinite)
   */
  public double populationMeanSpend() {
    requireFiniteMean();
    return p * v / (q - 1);
  }

  /**
   * The expected mean transaction value of a customer given {@code x} repeat purchases with mean
   * value {@code m} (note 025 eq. 5; lifetimes' {@code conditional_expected_average_profit}):
   *
   * <pre>
   * E[M | x, m] = p (v + x m) / (p x + q - 1),
   * </pre>
   *
   * a weighted average of the population mean {@code p v / (q - 1)} and {@code m} with weight
   * {@code p x / (p x + q - 1)} on {@code m}. For {@code x = 0} it is the population mean and
   * {@code m} is not read.
   *
   * @throws IllegalStateException if {@code q <= 1}
   * @throws IllegalArgumentException if {@code x < 0}, or {@code x >= 1} and {@code m} is not a
   *     finite number {@code > 0}
   */
  public double expectedAverageSpend(int x, double m) {
    requireFiniteMean();
    if (x < 0) {
      throw new IllegalArgumentException("x (repeat purchases) must be >= 0");
    }
    if (x == 0) {
      return p * v / (q - 1);
    }
    if (!(m > 0 && m < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("m (mean repeat purchase value) must be finite and > 0");
    }
    return p * (v + x * m) / (p * x + q - 1);
  }

  /**
   * Customer lifetime value over {@code months} months, exactly as lifetimes' {@code
   * customer_lifetime_value} (its {@code utils._customer_lifetime_value}) defines it:
   *
   * <pre>
   * CLV = sum_{i=1..months} E[M | x, m] * (E[Y(i f)] - E[Y((i-1) f)]) / (1 + d)^i,
   * </pre>
   *
   * with {@code E[Y(t)]} the BG/NBD's {@link BgNbdFit#expectedPurchases}, {@code f} the time units
   * per month ({@link GammaGamma#WEEKS_PER_MONTH} = 4.345 for weeks, lifetimes' factor) and {@code
   * d} the monthly discount rate: each month's expected purchases, valued at the expected mean
   * spend, discounted at the month's end. With {@code d = 0} the sum telescopes to {@code
   * E[Y(months f)] * E[M | x, m]}. Lifetimes' default {@code d} is 0.01; here it must be given.
   *
   * @param purchases the fitted BG/NBD model, in the time unit of {@code tx}, {@code age} and
   *     {@code periodsPerMonth}
   * @throws IllegalArgumentException for {@code months < 0}, {@code d <= -1}, a non-positive {@code
   *     periodsPerMonth}, or an invalid history
   * @throws IllegalStateException if {@code q <= 1}
   */
  public double customerLifetimeValue(
      BgNbdFit purchases,
      int x,
      double tx,
      double age,
      double m,
      int months,
      double monthlyDiscountRate,
      double periodsPerMonth) {
    if (months < 0) {
      throw new IllegalArgumentException("months must be >= 0");
    }
    if (!(monthlyDiscountRate > -1) || Double.isInfinite(monthlyDiscountRate)) {
      throw new IllegalArgumentException("the monthly discount rate must be finite and > -1");
    }
    if (!(periodsPerMonth > 0) || Double.isInfinite(periodsPerMonth)) {
      throw new IllegalArgumentException("periodsPerMonth must be finite and > 0");
    }
    double spend = expectedAverageSpend(x, m);
    double alive = purchases.probabilityAlive(x, tx, age);
    double value = 0;
    double previous = 0;
    for (int i = 1; i <= months; i++) {
      double cumulative = purchases.expectedPurchasesGivenAlive(i * periodsPerMonth, x, age);
      value += (cumulative - previous) / Math.pow(1 + monthlyDiscountRate, i);
      previous = cumulative;
    }
    return alive * spend * value;
  }

  private void requireFiniteMean() {
    if (!(q > 1)) {
      throw new IllegalStateException(
          "q = " + q + " <= 1: the expected spend p v / (q - 1) is infinite for this fit");
    }
  }
}
