package dev.retention.core;

/**
 * The BG/NBD ("beta-geometric / negative binomial distribution") model of repeat buying: Fader,
 * Hardie &amp; Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the Pareto/NBD
 * Model", <i>Marketing Science</i> 24(2), 275-284. Fitted by maximum likelihood; the predictions
 * are in {@link BgNbdFit}.
 *
 * <p>Assumptions (FHL 2005): while alive, a customer buys as a Poisson process with rate {@code
 * lambda}; after each repeat purchase they drop out ("die") with probability {@code p}; across
 * customers {@code lambda ~ Gamma(shape r, rate alpha)} and {@code p ~ Beta(a, b)}, independent.
 *
 * <p>Data per customer, in one time unit of the caller's choice: {@code x} repeat purchases (the
 * number of distinct purchase periods after the first, e.g. distinct purchase days minus 1), {@code
 * t_x} the time of the last purchase measured from the first ({@code 0} when {@code x = 0}) and
 * {@code T} the age, the time from the first purchase to the cutoff. {@code r}, {@code a} and
 * {@code b} do not depend on the unit; {@code alpha} is a time and scales with it. The product
 * passes <b>weeks</b>, as the BTYD literature does, so fitted values compare with the published
 * CDNOW estimates ({@code r = 0.243, alpha = 4.414, a = 0.793, b = 2.426} in FHL 2005, as
 * lifetimes' tests quote them).
 *
 * <p>Likelihood of one customer (FHL 2005; written out as eq. 1 of Fader, Hardie &amp; Lee 2008,
 * "Computing P(alive) Using the BG/NBD Model"), in the log-sum form lifetimes' {@code
 * BetaGeoFitter} uses:
 *
 * <pre>
 * ln L = ln G(r+x) - ln G(r) + r ln(alpha) + ln G(a+b) + ln G(b+x) - ln G(b) - ln G(a+b+x)
 *        - (r+x) ln(alpha+T) + [x &gt; 0] ln(1 + e^g),
 * g = ln(a / (b+x-1)) + (r+x) ln((alpha+T) / (alpha+t_x)).
 * </pre>
 *
 * {@code 1 / (1 + e^g)} is also {@link BgNbdFit#probabilityAlive}.
 *
 * <p>Estimation: the objective is the weighted mean negative log-likelihood plus lifetimes' L2
 * penalty (see {@link ClvFitOptions#penalizer()}), minimised over {@code theta = ln(r, alpha, a,
 * b)} by Newton's method with the analytic gradient and Hessian and a line search ({@link
 * Minimizer}). The terms that depend on {@code x} alone are summed once per distinct {@code x}
 * (with the total weight of its rows), so each Newton pass costs two or three logarithms and one
 * exponential per customer; the passes run over fixed row blocks combined in block order ({@link
 * Workers}), so the fit does not depend on the thread count. Weights count customers: a row with
 * weight {@code w} stands for {@code w} identical customers (lifetimes' {@code weights}); rows of
 * weight 0 are ignored.
 */
public final class BgNbd {

  /** The largest accepted {@code x}: more repeat purchase periods than this is a data error. */
  public static final int MAX_REPEAT_PURCHASES = 1_000_000;

  /** Newton steps change a log-parameter by at most this much (a factor of 20). */
  static final double MAX_STEP = 3.0;

  private BgNbd() {}

  /**
   * Fits unweighted customers; see {@link #fit(int[], double[], double[], double[],
   * ClvFitOptions)}.
   */
  public static BgNbdFit fit(int[] x, double[] tx, double[] age, ClvFitOptions options) {
    return fit(x, tx, age, null, options);
  }

  /**
   * Fits the BG/NBD model.
   *
   * @param x repeat purchases per customer ({@code >= 0})
   * @param tx time of the last purchase, from the first ({@code 0 <= tx <= age}; {@code tx = 0}
   *     exactly when {@code x = 0})
   * @param age time from the first purchase to the cutoff ({@code T}, {@code >= 0})
   * @param weights customers each row stands for ({@code >= 0}), or null for 1 each
   * @throws IllegalArgumentException naming the first bad row (never its values) for invalid or
   *     inconsistent inputs, or when fewer than {@link ClvFitOptions#minRepeatCustomers()}
   *     customers have {@code x >= 1}
   */
  public static BgNbdFit fit(
      int[] x, double[] tx, double[] age, double[] weights, ClvFitOptions options) {
    Likelihood likelihood = Likelihood.of(x, tx, age, weights, options);
    try (Workers workers = Workers.open(options.threads())) {
      likelihood.workers = workers;
      double[] start = {0.0, Math.log(likelihood.startAlpha()), 0.0, 0.0};
      Minimizer.Result result =
          Minimizer.minimize(
              likelihood,
              start,
              new Minimizer.Settings(options.tolerance(), options.maxIterations(), MAX_STEP));
      double[] theta = result.point();
      double r = Math.exp(theta[0]);
      double alpha = Math.exp(theta[1]);
      double a = Math.exp(theta[2]);
      double b = Math.exp(theta[3]);
      double penalty = likelihood.penalty(r, alpha, a, b);
      double logLikelihood = -(result.value() - penalty) * likelihood.customers;
      return new BgNbdFit(
          r,
          alpha,
          a,
          b,
          logLikelihood,
          result.value(),
          options.penalizer(),
          result.iterations(),
          result.converged(),
          result.gradientNorm(),
          likelihood.rows,
          likelihood.customers,
          likelihood.repeatCustomers,
          standardErrors(new double[] {r, alpha, a, b}, result.hessian(), likelihood.customers));
    }
  }

  /**
   * The (unpenalized) total log-likelihood of weighted customers under fitted parameters: how well
   * a fit explains customers it was not fitted on (rows of weight 0 in the fit, weight 1 here), the
   * criterion that chooses a penalizer on held-out customers.
   *
   * @throws IllegalArgumentException as {@link #fit} for invalid rows or too few repeat customers
   */
  public static double logLikelihood(
      BgNbdFit fit, int[] x, double[] tx, double[] age, double[] weights, int threads) {
    Likelihood likelihood =
        Likelihood.of(
            x, tx, age, weights, ClvFitOptions.defaults().withMinRepeatCustomers(1).withThreads(0));
    try (Workers workers = Workers.open(threads)) {
      likelihood.workers = workers;
      double[] theta = {
        Math.log(fit.r()), Math.log(fit.alpha()), Math.log(fit.a()), Math.log(fit.b())
      };
      return -likelihood.evaluate(theta, new double[4], null) * likelihood.customers;
    }
  }

  /**
   * Standard errors of the parameters from the inverse of the Hessian of the total objective
   * ({@code W} times the mean) in the log-parameters, by the delta method ({@code se(phi) = phi
   * se(ln phi)}), as lifetimes' {@code standard_errors_}. NaN where that Hessian is not positive
   * definite.
   */
  static double[] standardErrors(double[] params, double[] meanHessian, double customers) {
    int n = params.length;
    double[] errors = new double[n];
    double[] total = new double[n * n];
    for (int i = 0; i < n * n; i++) {
      total[i] = meanHessian[i] * customers;
    }
    double[] covariance = Minimizer.inverseOfPositiveDefinite(total, n);
    for (int i = 0; i < n; i++) {
      errors[i] = covariance == null ? Double.NaN : params[i] * Math.sqrt(covariance[i * n + i]);
    }
    return errors;
  }

  /** Number of per-block partial sums in {@link Likelihood#rowBlock}. */
  private static final int PARTIALS = 21;

  /** The penalized mean negative log-likelihood in {@code ln(r, alpha, a, b)}. */
  static final class Likelihood implements Minimizer.Objective {
    private final int[] x;
    private final double[] tx;
    private final double[] age;
    private final double[] weights;
    private final int rows;
    private final double customers;
    private final double repeatCustomers;
    private final double weightedRepeatPurchases;
    private final double weightedAge;
    private final double maxAge;
    private final double penalizer;

    /** Distinct x >= 1 and the total weight of their rows. */
    private final int[] distinctX;

    private final double[] weightOfX;
    private final double[] logB1ByX;
    private final double[] betaByX;
    private final double[] partials;
    Workers workers;

    private Likelihood(
        int[] x,
        double[] tx,
        double[] age,
        double[] weights,
        int rows,
        double customers,
        double repeatCustomers,
        double weightedRepeatPurchases,
        double weightedAge,
        double maxAge,
        double penalizer,
        int[] distinctX,
        double[] weightOfX,
        int maxX) {
      this.x = x;
      this.tx = tx;
      this.age = age;
      this.weights = weights;
      this.rows = rows;
      this.customers = customers;
      this.repeatCustomers = repeatCustomers;
      this.weightedRepeatPurchases = weightedRepeatPurchases;
      this.weightedAge = weightedAge;
      this.maxAge = maxAge;
      this.penalizer = penalizer;
      this.distinctX = distinctX;
      this.weightOfX = weightOfX;
      this.logB1ByX = new double[maxX + 1];
      this.betaByX = new double[maxX + 1];
      this.partials = new double[Workers.blockCount(x.length) * PARTIALS];
    }

    /** Validates the rows and tabulates the weight of each distinct x. */
    static Likelihood of(
        int[] x, double[] tx, double[] age, double[] weights, ClvFitOptions options) {
      int n = x.length;
      if (tx.length != n || age.length != n || (weights != null && weights.length != n)) {
        throw new IllegalArgumentException(
            "x, tx, age"
                + (weights != null ? " and weights" : "")
                + " must have the same length, got "
                + n
                + ", "
                + tx.length
                + ", "
                + age.length
                + (weights != null ? ", " + weights.length : ""));
      }
      int maxX = 0;
      int rows = 0;
      double customers = 0;
      double repeat = 0;
      double purchases = 0;
      double ageSum = 0;
      double maxAge = 0;
      for (int i = 0; i < n; i++) {
        validateRow(x, tx, age, weights, i);
        double w = weights == null ? 1.0 : weights[i];
        if (w == 0) {
          continue;
        }
        rows++;
        customers += w;
        ageSum += w * age[i];
        maxAge = Math.max(maxAge, age[i]);
        if (x[i] > 0) {
          repeat += w;
          purchases += w * x[i];
          maxX = Math.max(maxX, x[i]);
        }
      }
      if (rows == 0) {
        throw new IllegalArgumentException(
            "no customers: every row has weight 0 or there are none");
      }
      requireRepeatCustomers(repeat, options.minRepeatCustomers());
      double[] weightOfX = new double[maxX + 1];
      for (int i = 0; i < n; i++) {
        double w = weights == null ? 1.0 : weights[i];
        if (x[i] > 0 && w > 0) {
          weightOfX[x[i]] += w;
        }
      }
      int[] distinctX = BgNbd.weightedValues(weightOfX);
      return new Likelihood(
          x,
          tx,
          age,
          weights,
          rows,
          customers,
          repeat,
          purchases,
          ageSum,
          maxAge,
          options.penalizer(),
          distinctX,
          weightOfX,
          maxX);
    }

    private static void validateRow(int[] x, double[] tx, double[] age, double[] weights, int i) {
      if (weights != null && !(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("weight at row " + i + " is not a finite number >= 0");
      }
      if (x[i] < 0) {
        throw new IllegalArgumentException("x (repeat purchases) at row " + i + " is negative");
      }
      if (x[i] > MAX_REPEAT_PURCHASES) {
        throw new IllegalArgumentException(
            "x (repeat purchases) at row "
                + i
                + " is above "
                + MAX_REPEAT_PURCHASES
                + ": not a count of purchase periods");
      }
      if (!(tx[i] >= 0 && tx[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "tx (time of the last purchase) at row " + i + " is not a finite number >= 0");
      }
      if (!(age[i] >= 0 && age[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("age (T) at row " + i + " is not a finite number >= 0");
      }
      if (tx[i] > age[i]) {
        throw new IllegalArgumentException(
            "tx (time of the last purchase) at row "
                + i
                + " is greater than the age T: the last purchase would be after the cutoff");
      }
      if (x[i] == 0 && tx[i] != 0) {
        throw new IllegalArgumentException(
            "tx at row " + i + " is not 0 although x is 0: without repeat purchases tx is 0");
      }
      if (x[i] > 0 && tx[i] == 0) {
        throw new IllegalArgumentException(
            "tx at row "
                + i
                + " is 0 although x > 0: repeat purchases come after the first purchase");
      }
    }

    static void requireRepeatCustomers(double repeat, double minimum) {
      if (repeat == 0) {
        throw new IllegalArgumentException(
            "no repeat customers (every x is 0): the data cannot identify the purchase rate and"
                + " the dropout of the model");
      }
      if (repeat < minimum) {
        // Not their number: a count that small would describe those few customers.
        throw new IllegalArgumentException(
            "fewer repeat customers (x >= 1) than the minimum of "
                + count(minimum)
                + ": too few to identify the model");
      }
    }

    /** A weighted count as people read it: 12, not 12.0; 2.5 stays 2.5. */
    static String count(double value) {
      return value == Math.rint(value) && Math.abs(value) < 1e15
          ? Long.toString((long) value)
          : Double.toString(value);
    }

    /** A start with the population's mean rate {@code r / alpha} equal to purchases per time. */
    double startAlpha() {
      return Math.max(weightedAge, 1e-300) / weightedRepeatPurchases;
    }

    /** Lifetimes' penalty on {@code (r, alpha / T_max, a, b)}. */
    double penalty(double r, double alpha, double a, double b) {
      double scaledAlpha = alpha / maxAge;
      return penalizer * (r * r + scaledAlpha * scaledAlpha + a * a + b * b);
    }

    @Override
    public double evaluate(double[] theta, double[] gradient, double[] hessian) {
      double r = Math.exp(theta[0]);
      double alpha = Math.exp(theta[1]);
      double a = Math.exp(theta[2]);
      double b = Math.exp(theta[3]);
      if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !Double.isFinite(r + alpha + a + b)) {
        return Double.NaN; // outside the representable domain: the line search backs off
      }
      // Terms of x alone, once per distinct x: ln G(r+x) - ln G(r) + ln G(b+x) - ln G(b)
      // + ln G(a+b) - ln G(a+b+x), with their derivatives in ln r, ln a, ln b.
      double lgR = GammaFunctions.logGamma(r);
      double lgB = GammaFunctions.logGamma(b);
      double lgAb = GammaFunctions.logGamma(a + b);
      double dgR = GammaFunctions.digamma(r);
      double dgB = GammaFunctions.digamma(b);
      double dgAb = GammaFunctions.digamma(a + b);
      double tgR = GammaFunctions.trigamma(r);
      double tgB = GammaFunctions.trigamma(b);
      double tgAb = GammaFunctions.trigamma(a + b);
      double ell = 0;
      double gR = 0;
      double gA = 0;
      double gB = 0;
      double hRr = 0;
      double hAa = 0;
      double hAb = 0;
      double hBb = 0;
      for (int v : distinctX) {
        double w = weightOfX[v];
        double dR = GammaFunctions.digamma(r + v) - dgR;
        double dB = GammaFunctions.digamma(b + v) - dgB;
        double dAb = dgAb - GammaFunctions.digamma(a + b + v);
        double tR = GammaFunctions.trigamma(r + v) - tgR;
        double tB = GammaFunctions.trigamma(b + v) - tgB;
        double tAb = tgAb - GammaFunctions.trigamma(a + b + v);
        ell +=
            w
                * (GammaFunctions.logGamma(r + v)
                    - lgR
                    + GammaFunctions.logGamma(b + v)
                    - lgB
                    + lgAb
                    - GammaFunctions.logGamma(a + b + v));
        gR += w * r * dR;
        hRr += w * (r * dR + r * r * tR);
        gA += w * a * dAb;
        hAa += w * (a * dAb + a * a * tAb);
        gB += w * b * (dB + dAb);
        hBb += w * (b * (dB + dAb) + b * b * (tB + tAb));
        hAb += w * a * b * tAb;
        logB1ByX[v] = Math.log(b + v - 1);
        betaByX[v] = b / (b + v - 1);
      }

      double logA = Math.log(a);
      int blocks = Workers.blockCount(x.length);
      workers.forEachBlock(
          x.length, (block, from, to) -> rowBlock(block, from, to, r, alpha, logA));
      double[] s = new double[PARTIALS];
      for (int block = 0; block < blocks; block++) {
        for (int k = 0; k < PARTIALS; k++) {
          s[k] += partials[block * PARTIALS + k];
        }
      }
      double sumLogAge = s[0];
      double sumXLogAge = s[1];
      double sumU = s[2];
      double sumXU = s[3];
      double sumUu = s[4];
      double sumXUu = s[5];
      double base = customers * theta[1] - sumLogAge; // sum w (ln alpha - ln(alpha + T))
      ell += r * base - sumXLogAge + s[6];
      double[] g = {
        gR + r * base + s[7], r * customers - r * sumU - sumXU + s[8], gA + s[9], gB + s[10]
      };
      double[] h = {
        hRr + r * base + s[11],
        r * (customers - sumU) + s[12],
        s[13],
        s[14],
        0,
        -(r * sumUu + sumXUu) + s[15],
        s[16],
        s[17],
        0,
        0,
        hAa + s[18],
        hAb + s[19],
        0,
        0,
        0,
        hBb + s[20]
      };
      double scaledAlpha = alpha / maxAge;
      double[] params = {r, scaledAlpha, a, b};
      double penalty = penalizer * (r * r + scaledAlpha * scaledAlpha + a * a + b * b);
      for (int i = 0; i < 4; i++) {
        gradient[i] = -g[i] / customers + 2 * penalizer * params[i] * params[i];
      }
      if (hessian != null) {
        for (int i = 0; i < 4; i++) {
          for (int j = i; j < 4; j++) {
            double value = -h[i * 4 + j] / customers;
            if (i == j) {
              value += 4 * penalizer * params[i] * params[i];
            }
            hessian[i * 4 + j] = value;
            hessian[j * 4 + i] = value;
          }
        }
      }
      return -ell / customers + penalty;
    }

    /**
     * Partial sums of one row block. Per row: {@code ln(alpha+T)}, {@code u = alpha/(alpha+T)} and,
     * for {@code x >= 1}, {@code softplus(g)} with its derivatives in {@code ln(r, alpha, a, b)}:
     * {@code dg = (r D, (r+x)(u - v), 1, -b/(b+x-1))} with {@code D = ln((alpha+T)/(alpha+t_x))},
     * {@code v = alpha/(alpha+t_x)}.
     */
    private void rowBlock(int block, int from, int to, double r, double alpha, double logA) {
      double sLogAge = 0;
      double sXLogAge = 0;
      double sU = 0;
      double sXU = 0;
      double sUu = 0;
      double sXUu = 0;
      double sp = 0;
      double g0 = 0;
      double g1 = 0;
      double g2 = 0;
      double g3 = 0;
      double h00 = 0;
      double h01 = 0;
      double h02 = 0;
      double h03 = 0;
      double h11 = 0;
      double h12 = 0;
      double h13 = 0;
      double h22 = 0;
      double h23 = 0;
      double h33 = 0;
      for (int i = from; i < to; i++) {
        double w = weights == null ? 1.0 : weights[i];
        if (w == 0) {
          continue;
        }
        int xi = x[i];
        double shiftedAge = alpha + age[i];
        double logAge = Math.log(shiftedAge);
        double u = alpha / shiftedAge;
        double uu = u * (1 - u);
        sLogAge += w * logAge;
        sU += w * u;
        sUu += w * uu;
        if (xi == 0) {
          continue;
        }
        sXLogAge += w * xi * logAge;
        sXU += w * xi * u;
        sXUu += w * xi * uu;
        double shiftedLast = alpha + tx[i];
        double v = alpha / shiftedLast;
        double d = logAge - Math.log(shiftedLast);
        double k = r + xi;
        double beta = betaByX[xi];
        double g = logA - logB1ByX[xi] + k * d;
        double e = Math.exp(-Math.abs(g));
        double onePlus = 1 + e;
        double softplus = (g > 0 ? g : 0) + Math.log(onePlus);
        double sigma = g >= 0 ? 1 / onePlus : e / onePlus;
        double curvature = e / (onePlus * onePlus); // sigma (1 - sigma), without cancellation
        double dr = r * d;
        double da = k * (u - v);
        double db = -beta;
        double ws = w * sigma;
        double wc = w * curvature;
        sp += w * softplus;
        g0 += ws * dr;
        g1 += ws * da;
        g2 += ws;
        g3 += ws * db;
        h00 += wc * dr * dr + ws * dr;
        h01 += wc * dr * da + ws * r * (u - v);
        h02 += wc * dr;
        h03 += wc * dr * db;
        h11 += wc * da * da + ws * k * (uu - v * (1 - v));
        h12 += wc * da;
        h13 += wc * da * db;
        h22 += wc;
        h23 += wc * db;
        h33 += wc * db * db - ws * beta * (1 - beta);
      }
      int o = block * PARTIALS;
      partials[o] = sLogAge;
      partials[o + 1] = sXLogAge;
      partials[o + 2] = sU;
      partials[o + 3] = sXU;
      partials[o + 4] = sUu;
      partials[o + 5] = sXUu;
      partials[o + 6] = sp;
      partials[o + 7] = g0;
      partials[o + 8] = g1;
      partials[o + 9] = g2;
      partials[o + 10] = g3;
      partials[o + 11] = h00;
      partials[o + 12] = h01;
      partials[o + 13] = h02;
      partials[o + 14] = h03;
      partials[o + 15] = h11;
      partials[o + 16] = h12;
      partials[o + 17] = h13;
      partials[o + 18] = h22;
      partials[o + 19] = h23;
      partials[o + 20] = h33;
    }
  }

  /**
   * The repeat counts {@code x >= 1} that carry weight, ascending: the likelihoods sum their x-only
   * terms once per distinct count (shared with {@link GammaGamma}).
   */
  static int[] weightedValues(double[] weightOfX) {
    int distinct = 0;
    for (int v = 1; v < weightOfX.length; v++) {
      if (weightOfX[v] > 0) {
        distinct++;
      }
    }
    int[] values = new int[distinct];
    distinct = 0;
    for (int v = 1; v < weightOfX.length; v++) {
      if (weightOfX[v] > 0) {
        values[distinct++] = v;
      }
    }
    return values;
  }
}
