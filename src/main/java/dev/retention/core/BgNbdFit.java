package dev.retention.core;

/**
 * A fitted BG/NBD model ({@link BgNbd}) and its per-customer predictions. All times are in the unit
 * of the data it was fitted on (weeks in the product).
 *
 * <p>Notation per customer: {@code x} repeat purchases, {@code t_x} the time of the last purchase
 * from the first, {@code T} the age (first purchase to cutoff). Given the history, the customer is
 * alive at {@code T} with {@link #probabilityAlive}; given alive, {@code lambda ~ Gamma(r + x,
 * alpha + T)} and {@code p ~ Beta(a, b + x)}, independent (the alive branch of the likelihood is
 * {@code lambda^x e^(-lambda T) (1-p)^x}). Each method costs a few microseconds at most; the ones
 * with {@code 2F1} grow slowly with the horizon (see {@link Hypergeometric}).
 *
 * @param r shape of the Gamma distribution of purchase rates
 * @param alpha rate of that Gamma distribution: a time, in the data's unit
 * @param a first shape of the Beta distribution of dropout probabilities
 * @param b second shape of that Beta distribution
 * @param logLikelihood the (weighted, unpenalized) total log-likelihood at the fit, in the data's
 *     time unit (lifetimes reports the mean negative log-likelihood on ages divided by the largest
 *     age, which differs by {@code mean(x) ln(T_max)})
 * @param objective the minimised value: mean negative log-likelihood plus the penalty
 * @param penalizer the L2 coefficient used ({@link ClvFitOptions#penalizer()})
 * @param iterations Newton iterations
 * @param converged whether the gradient test held ({@link ClvFitOptions#tolerance()})
 * @param gradientNorm largest absolute component of the objective's gradient in {@code ln(r, alpha,
 *     a, b)} at the fit
 * @param rows rows with a positive weight
 * @param customers sum of the weights (the number of customers when unweighted)
 * @param repeatCustomers sum of the weights of rows with {@code x >= 1}
 * @param standardErrors standard errors of {@code (r, alpha, a, b)} from the inverse Hessian (delta
 *     method, as lifetimes' {@code standard_errors_}); NaN when it is not positive definite
 */
public record BgNbdFit(
    double r,
    double alpha,
    double a,
    double b,
    double logLikelihood,
    double objective,
    double penalizer,
    int iterations,
    boolean converged,
    double gradientNorm,
    int rows,
    double customers,
    double repeatCustomers,
    double[] standardErrors) {

  private static final double LN2 = Math.log(2);

  public BgNbdFit {
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)
        || !Double.isFinite(r + alpha + a + b)
        || standardErrors.length != 4) {
      throw new IllegalArgumentException(
          "r, alpha, a, b must be finite numbers > 0 and there must be 4 standard errors");
    }
    standardErrors = standardErrors.clone();
  }

  /** A fit with known parameters (for scoring with published or stored values), no provenance. */
  public static BgNbdFit of(double r, double alpha, double a, double b) {
    return new BgNbdFit(
        r,
        alpha,
        a,
        b,
        Double.NaN,
        Double.NaN,
        0,
        0,
        true,
        Double.NaN,
        0,
        0,
        0,
        new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
  }

  @Override
  public double[] standardErrors() {
    return standardErrors.clone();
  }

  /**
   * The probability that the customer is still alive at {@code T}: {@code 1} for {@code x = 0},
   * else
   *
   * <pre>
   * P(alive | x, t_x, T) = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))
   * </pre>
   *
   * (Fader, Hardie &amp; Lee 2008, "Computing P(alive) Using the BG/NBD Model",
   * brucehardie.com/notes/021: Bayes' theorem on the two branches of the likelihood; lifetimes'
   * {@code conditional_probability_alive}).
   */
  public double probabilityAlive(int x, double tx, double age) {
    requireHistory(x, tx, age);
    if (x == 0) {
      return 1.0;
    }
    double g = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + age) / (alpha + tx));
    return LogisticRegression.sigmoid(-g);
  }

  /**
   * Expected purchases in {@code (T, T + t]} given the history: {@link #probabilityAlive} times
   * {@link #expectedPurchasesGivenAlive}. It equals FHL 2005 eq. 10,
   *
   * <pre>
   * E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x)
   *                         * 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
   *                       / (1 + [x &gt; 0] a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)),
   * </pre>
   *
   * lifetimes' {@code conditional_expected_number_of_purchases_up_to_time}.
   */
  public double expectedPurchases(double t, int x, double tx, double age) {
    return probabilityAlive(x, tx, age) * expectedPurchasesGivenAlive(t, x, age);
  }

  /**
   * Expected purchases in {@code (T, T + t]} of a customer alive at {@code T} (it does not depend
   * on {@code t_x}). With {@code p ~ Beta(a, b + x)} and {@code s = t / (alpha + T)} it is {@code
   * E[(1 - (1 + p s)^-(r+x)) / p]}, the bracket of FHL eq. 10. With {@code k = r + x}, {@code C = a
   * + b + x - 1}, {@code z = t / (alpha + T + t)}, {@code L = ln(1 - z)}, {@code eps = a - 1} and
   * the reduced remainder {@code R} of {@link Hypergeometric#reducedRemainder} it is computed as
   *
   * <pre>
   * k &gt;= |a - 1|:  E = -C expm1(eps L) / eps - e^(eps L) A R(A, eps; C; z),  A = a + b - 1 - r
   * otherwise:      E = [-C expm1(k L) - e^(k L) k (b + x) R(k, b + x; C; z)] / eps.
   * </pre>
   *
   * The second line is eq. 10 as printed; the first is eq. 10 after Euler's transformation {@code
   * (1-z)^k 2F1(k, b+x; C; z) = (1-z)^(a-1) 2F1(A, a-1; C; z)}. Both have the removable
   * singularities of eq. 10 ({@code a = 1}, where it is 0/0, and {@code C = 0}) divided out. For
   * small {@code t} each is a difference of two terms whose ratio to the result is {@code C / k}
   * (first) or {@code C / |a - 1|} (second), hence the choice; it also keeps the hypergeometric
   * terms from overflowing when the fit drives {@code a} to huge values (a dropout probability that
   * hardly varies), where the first form's terms grow like {@code e^(a z)}.
   */
  public double expectedPurchasesGivenAlive(double t, int x, double age) {
    requireHorizon(t);
    requireHistory(x, 0, age);
    if (t == 0) {
      return 0.0;
    }
    double s = t / (alpha + age);
    double z = t / (alpha + age + t);
    if (!(z < 1)) {
      throw new IllegalArgumentException("horizon t is too long to evaluate against alpha + T");
    }
    double logSurvival = -Math.log1p(s); // ln(1 - z)
    double k = r + x;
    double eps = a - 1;
    double bigC = a + b + x - 1;
    if (k >= Math.abs(eps)) {
      double bigA = a + b - 1 - r;
      double y = eps * logSurvival;
      double expm1OverEps = y == 0 ? logSurvival : logSurvival * (Math.expm1(y) / y);
      double remainder = Hypergeometric.reducedRemainder(bigA, eps, bigC, z);
      return -bigC * expm1OverEps - Math.exp(y) * bigA * remainder;
    }
    double y = k * logSurvival;
    double bigB = b + x;
    double remainder = Hypergeometric.reducedRemainder(k, bigB, bigC, z);
    return (-bigC * Math.expm1(y) - Math.exp(y) * k * bigB * remainder) / eps;
  }

  /**
   * Expected repeat purchases of a new customer in the {@code t} after their first purchase (FHL
   * 2005 eq. 9; lifetimes' {@code expected_number_of_purchases_up_to_time}):
   *
   * <pre>
   * E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))],
   * </pre>
   *
   * the case {@code x = 0, T = 0} of {@link #expectedPurchasesGivenAlive}.
   */
  public double unconditionalExpectedPurchases(double t) {
    return expectedPurchasesGivenAlive(t, 0, 0);
  }

  /**
   * The probability of at least one purchase in {@code (T, T + t]} given the history. Given alive,
   * the first purchase after {@code T} comes after an exponential time with rate {@code lambda}
   * (dropout happens only right after a purchase, so it cannot intervene), and averaging {@code
   * e^(-lambda t)} over {@code lambda ~ Gamma(r + x, alpha + T)} gives
   *
   * <pre>
   * P(Y(t) &gt;= 1 | x, t_x, T) = P(alive | x, t_x, T) * (1 - ((alpha+T)/(alpha+T+t))^(r+x)).
   * </pre>
   */
  public double probabilityOfPurchaseWithin(double t, int x, double tx, double age) {
    requireHorizon(t);
    double alive = probabilityAlive(x, tx, age);
    return alive * -Math.expm1(-(r + x) * Math.log1p(t / (alpha + age)));
  }

  /**
   * The median time from {@code T} to the next purchase of a customer alive at {@code T}: the time
   * is exponential with rate {@code lambda ~ Gamma(r + x, alpha + T)}, a Lomax distribution with
   * {@code P(time > s) = ((alpha+T)/(alpha+T+s))^(r+x)}, so
   *
   * <pre>
   * t_med = (alpha + T) (2^(1/(r+x)) - 1).
   * </pre>
   *
   * Its mean {@code (alpha + T) / (r + x - 1)} is infinite for {@code r + x <= 1}, which fitted
   * data reaches (CDNOW: {@code r = 0.243}, so every customer with {@code x = 0}); hence the
   * median. A customer who is not alive never buys again: multiply by nothing, but read it together
   * with {@link #probabilityAlive}.
   */
  public double medianTimeToNextPurchaseGivenAlive(int x, double age) {
    requireHistory(x, 0, age);
    return (alpha + age) * Math.expm1(LN2 / (r + x));
  }

  private static void requireHistory(int x, double tx, double age) {
    if (x < 0) {
      throw new IllegalArgumentException("x (repeat purchases) must be >= 0");
    }
    if (!(tx >= 0 && age >= tx && age < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "tx and age must be finite with 0 <= tx <= age (T, the age at the cutoff)");
    }
  }

  private static void requireHorizon(double t) {
    if (!(t >= 0 && t < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("the horizon t must be a finite number >= 0");
    }
  }
}
