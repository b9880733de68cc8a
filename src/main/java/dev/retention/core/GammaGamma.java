package dev.retention.core;

/**
 * The Gamma-Gamma model of the average value of a customer's transactions: Fader, Hardie &amp; Lee
 * (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", <i>Journal of Marketing
 * Research</i> 42(4), 415-430, and Fader &amp; Hardie (2013), "The Gamma-Gamma Model of Monetary
 * Value", brucehardie.com/notes/025. Fitted by maximum likelihood; the predictions are in {@link
 * GammaGammaFit}.
 *
 * <p>Assumptions: a customer's transaction values are i.i.d. {@code Gamma(shape p, rate nu)};
 * across customers {@code nu ~ Gamma(shape q, rate v)}; and spend is independent of the purchase
 * process (check with {@link GammaGammaFit#frequencyMonetaryCorrelation()}). Only repeat customers
 * are used, each with {@code x >= 1} and the mean {@code m > 0} of their {@code x} repeat
 * transaction values ({@code zbar} in the note; lifetimes' {@code monetary_value}). {@code v} is in
 * money units; {@code p} and {@code q} are unitless.
 *
 * <p>Likelihood of one customer, of the mean {@code m} of {@code x} values (note 025, eq. 1a;
 * lifetimes' {@code GammaGammaFitter}):
 *
 * <pre>
 * ln L = ln G(px+q) - ln G(px) - ln G(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(xm+v).
 * </pre>
 *
 * <p>Estimation as in {@link BgNbd}: mean negative log-likelihood plus lifetimes' L2 penalty {@code
 * c (p^2 + q^2 + v^2)} ({@link ClvFitOptions#penalizer()}), Newton's method on {@code ln(p, q, v)}
 * with the analytic gradient and Hessian; the gamma-function terms are evaluated once per distinct
 * {@code x}, leaving one logarithm and one division per customer and pass, over fixed row blocks
 * ({@link Workers}).
 */
public final class GammaGamma {

  /** Time units per month in lifetimes' {@code customer_lifetime_value} for weeks ({@code "W"}). */
  public static final double WEEKS_PER_MONTH = 4.345;

  /** Time units per month in lifetimes' {@code customer_lifetime_value} for days ({@code "D"}). */
  public static final double DAYS_PER_MONTH = 30.0;

  private GammaGamma() {}

  /** Fits unweighted customers; see {@link #fit(int[], double[], double[], ClvFitOptions)}. */
  public static GammaGammaFit fit(int[] x, double[] m, ClvFitOptions options) {
    return fit(x, m, null, options);
  }

  /**
   * Fits the Gamma-Gamma model on the rows with {@code x >= 1}; rows with {@code x = 0} are skipped
   * (their {@code m} is not read), so the arrays of all customers can be passed as they are.
   *
   * @param x repeat purchases per customer ({@code >= 0})
   * @param m mean value of the repeat purchases ({@code > 0} where {@code x >= 1})
   * @param weights customers each row stands for ({@code >= 0}), or null for 1 each
   * @throws IllegalArgumentException naming the first bad row (never its values), or when fewer
   *     than {@link ClvFitOptions#minRepeatCustomers()} customers have {@code x >= 1}
   */
  public static GammaGammaFit fit(int[] x, double[] m, double[] weights, ClvFitOptions options) {
    Likelihood likelihood = Likelihood.of(x, m, weights, options);
    try (Workers workers = Workers.open(options.threads())) {
      likelihood.workers = workers;
      // start: p = 1, q = 2 and v making the population mean p v / (q - 1) the observed mean
      double[] start = {0.0, Math.log(2.0), Math.log(likelihood.meanSpend)};
      Minimizer.Result result =
          Minimizer.minimize(
              likelihood,
              start,
              new Minimizer.Settings(options.tolerance(), options.maxIterations(), BgNbd.MAX_STEP));
      double p = Math.exp(result.point()[0]);
      double q = Math.exp(result.point()[1]);
      double v = Math.exp(result.point()[2]);
      double penalty = options.penalizer() * (p * p + q * q + v * v);
      return new GammaGammaFit(
          p,
          q,
          v,
          -(result.value() - penalty) * likelihood.customers,
          result.value(),
          options.penalizer(),
          result.iterations(),
          result.converged(),
          result.gradientNorm(),
          likelihood.size,
          likelihood.customers,
          likelihood.correlation,
          BgNbd.standardErrors(new double[] {p, q, v}, result.hessian(), likelihood.customers));
    }
  }

  /**
   * The (unpenalized) total log-likelihood of weighted repeat customers under fitted parameters
   * (see {@link BgNbd#logLikelihood}): the held-out criterion for a penalizer.
   *
   * @throws IllegalArgumentException as {@link #fit} for invalid rows or no repeat customer
   */
  public static double logLikelihood(
      GammaGammaFit fit, int[] x, double[] m, double[] weights, int threads) {
    Likelihood likelihood =
        Likelihood.of(x, m, weights, ClvFitOptions.defaults().withMinRepeatCustomers(1));
    try (Workers workers = Workers.open(threads)) {
      likelihood.workers = workers;
      double[] theta = {Math.log(fit.p()), Math.log(fit.q()), Math.log(fit.v())};
      return -likelihood.evaluate(theta, new double[3], null) * likelihood.customers;
    }
  }

  private static final int PARTIALS = 6;

  /** The penalized mean negative log-likelihood in {@code ln(p, q, v)}. */
  static final class Likelihood implements Minimizer.Objective {
    /** Repeat customers only, compacted: x, x * m and weight (null when all 1). */
    private final int[] x;

    private final double[] spend;
    private final double[] weights;
    private final int size;
    private final double customers;
    private final double meanSpend;
    private final double correlation;
    private final double penalizer;

    /** sum w x ln m + sum w x ln x, and sum w ln m: the parameter-free sums of ln L. */
    private final double xLogSpendPlusXLogX;

    private final double logSpend;
    private final int[] distinctX;
    private final double[] weightOfX;
    private final double[] partials;
    Workers workers;

    private Likelihood(
        int[] x,
        double[] spend,
        double[] weights,
        double customers,
        double meanSpend,
        double correlation,
        double penalizer,
        double xLogSpendPlusXLogX,
        double logSpend,
        int[] distinctX,
        double[] weightOfX) {
      this.x = x;
      this.spend = spend;
      this.weights = weights;
      this.size = x.length;
      this.customers = customers;
      this.meanSpend = meanSpend;
      this.correlation = correlation;
      this.penalizer = penalizer;
      this.xLogSpendPlusXLogX = xLogSpendPlusXLogX;
      this.logSpend = logSpend;
      this.distinctX = distinctX;
      this.weightOfX = weightOfX;
      this.partials = new double[Workers.blockCount(size) * PARTIALS];
    }

    static Likelihood of(int[] x, double[] m, double[] weights, ClvFitOptions options) {
      int n = x.length;
      if (m.length != n || (weights != null && weights.length != n)) {
        throw new IllegalArgumentException(
            "x, m"
                + (weights != null ? " and weights" : "")
                + " must have the same length, got "
                + n
                + ", "
                + m.length
                + (weights != null ? ", " + weights.length : ""));
      }
      int size = 0;
      int maxX = 0;
      double customers = 0;
      for (int i = 0; i < n; i++) {
        if (weights != null && !(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException("weight at row " + i + " is not a finite number >= 0");
        }
        if (x[i] < 0) {
          throw new IllegalArgumentException("x (repeat purchases) at row " + i + " is negative");
        }
        if (x[i] > BgNbd.MAX_REPEAT_PURCHASES) {
          throw new IllegalArgumentException(
              "x (repeat purchases) at row "
                  + i
                  + " is above "
                  + BgNbd.MAX_REPEAT_PURCHASES
                  + ": not a count of purchase periods");
        }
        if (x[i] == 0) {
          continue;
        }
        if (!(m[i] > 0 && m[i] < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException(
              "m (mean repeat purchase value) at row "
                  + i
                  + " is not a finite number > 0 although x >= 1");
        }
        double w = weights == null ? 1.0 : weights[i];
        if (w > 0) {
          size++;
          customers += w;
          maxX = Math.max(maxX, x[i]);
        }
      }
      BgNbd.Likelihood.requireRepeatCustomers(customers, options.minRepeatCustomers());
      int[] compactX = new int[size];
      double[] compactSpend = new double[size];
      double[] compactWeights = weights == null ? null : new double[size];
      double[] weightOfX = new double[maxX + 1];
      double constant = 0;
      double logSpend = 0;
      double sumX = 0;
      double sumM = 0;
      int k = 0;
      for (int i = 0; i < n; i++) {
        double w = weights == null ? 1.0 : weights[i];
        if (x[i] == 0 || w == 0) {
          continue;
        }
        compactX[k] = x[i];
        compactSpend[k] = x[i] * m[i];
        if (compactWeights != null) {
          compactWeights[k] = w;
        }
        k++;
        weightOfX[x[i]] += w;
        double lnM = Math.log(m[i]);
        constant += w * x[i] * (lnM + Math.log(x[i]));
        logSpend += w * lnM;
        sumX += w * x[i];
        sumM += w * m[i];
      }
      double meanX = sumX / customers;
      double meanM = sumM / customers;
      double sxx = 0;
      double smm = 0;
      double sxm = 0;
      for (int i = 0; i < n; i++) {
        double w = weights == null ? 1.0 : weights[i];
        if (x[i] == 0 || w == 0) {
          continue;
        }
        double dx = x[i] - meanX;
        double dm = m[i] - meanM;
        sxx += w * dx * dx;
        smm += w * dm * dm;
        sxm += w * dx * dm;
      }
      double correlation = sxx > 0 && smm > 0 ? sxm / Math.sqrt(sxx * smm) : Double.NaN;
      int[] distinctX = BgNbd.weightedValues(weightOfX);
      return new Likelihood(
          compactX,
          compactSpend,
          compactWeights,
          customers,
          meanM,
          correlation,
          options.penalizer(),
          constant,
          logSpend,
          distinctX,
          weightOfX);
    }

    @Override
    public double evaluate(double[] theta, double[] gradient, double[] hessian) {
      double p = Math.exp(theta[0]);
      double q = Math.exp(theta[1]);
      double v = Math.exp(theta[2]);
      if (!(p > 0 && q > 0 && v > 0) || !Double.isFinite(p + q + v)) {
        return Double.NaN;
      }
      // Gamma-function terms per distinct x, derivatives in p and q (not yet in the logs).
      double ell = 0;
      double lP = 0;
      double lQ = 0;
      double lPp = 0;
      double lQq = 0;
      double lPq = 0;
      for (int value : distinctX) {
        double w = weightOfX[value];
        double px = p * value;
        double dgSum = GammaFunctions.digamma(px + q);
        double tgSum = GammaFunctions.trigamma(px + q);
        ell += w * (GammaFunctions.logGamma(px + q) - GammaFunctions.logGamma(px));
        lP += w * value * (dgSum - GammaFunctions.digamma(px));
        lQ += w * dgSum;
        lPp += w * value * value * (tgSum - GammaFunctions.trigamma(px));
        lQq += w * tgSum;
        lPq += w * value * tgSum;
      }
      int blocks = Workers.blockCount(size);
      workers.forEachBlock(size, (block, from, to) -> rowBlock(block, from, to, v));
      double[] s = new double[PARTIALS];
      for (int block = 0; block < blocks; block++) {
        for (int k = 0; k < PARTIALS; k++) {
          s[k] += partials[block * PARTIALS + k];
        }
      }
      double sumLog = s[0]; // sum w ln(xm + v)
      double sumXLog = s[1]; // sum w x ln(xm + v)
      double sumInv = s[2]; // sum w / (xm + v)
      double sumXInv = s[3]; // sum w x / (xm + v)
      double sumInv2 = s[4]; // sum w / (xm + v)^2
      double sumXInv2 = s[5]; // sum w x / (xm + v)^2
      double w = customers;
      double logV = theta[2];
      ell +=
          -w * GammaFunctions.logGamma(q)
              + w * q * logV
              + p * xLogSpendPlusXLogX
              - logSpend
              - p * sumXLog
              - q * sumLog;
      lP += xLogSpendPlusXLogX - sumXLog;
      lQ += -w * GammaFunctions.digamma(q) + w * logV - sumLog;
      double lV = w * q / v - (p * sumXInv + q * sumInv);
      lQq -= w * GammaFunctions.trigamma(q);
      double lVv = -w * q / (v * v) + p * sumXInv2 + q * sumInv2;
      double lPv = -sumXInv;
      double lQv = w / v - sumInv;
      double[] phi = {p, q, v};
      double[] first = {lP, lQ, lV};
      double[] second = {lPp, lPq, lPv, lPq, lQq, lQv, lPv, lQv, lVv};
      for (int i = 0; i < 3; i++) {
        gradient[i] = -phi[i] * first[i] / w + 2 * penalizer * phi[i] * phi[i];
      }
      if (hessian != null) {
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            double value = phi[i] * phi[j] * second[i * 3 + j];
            if (i == j) {
              value += phi[i] * first[i];
            }
            hessian[i * 3 + j] = -value / w + (i == j ? 4 * penalizer * phi[i] * phi[i] : 0.0);
          }
        }
      }
      return -ell / w + penalizer * (p * p + q * q + v * v);
    }

    private void rowBlock(int block, int from, int to, double v) {
      double sLog = 0;
      double sXLog = 0;
      double sInv = 0;
      double sXInv = 0;
      double sInv2 = 0;
      double sXInv2 = 0;
      for (int i = from; i < to; i++) {
        double w = weights == null ? 1.0 : weights[i];
        int xi = x[i];
        double y = spend[i] + v;
        double log = Math.log(y);
        double inv = 1 / y;
        double inv2 = inv * inv;
        sLog += w * log;
        sXLog += w * xi * log;
        sInv += w * inv;
        sXInv += w * xi * inv;
        sInv2 += w * inv2;
        sXInv2 += w * xi * inv2;
      }
      int o = block * PARTIALS;
      partials[o] = sLog;
      partials[o + 1] = sXLog;
      partials[o + 2] = sInv;
      partials[o + 3] = sXInv;
      partials[o + 4] = sInv2;
      partials[o + 5] = sXInv2;
    }
  }
}
