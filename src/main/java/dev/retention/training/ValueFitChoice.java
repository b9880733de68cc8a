package dev.retention.training;

import dev.retention.core.BgNbd;
import dev.retention.core.BgNbdFit;
import dev.retention.core.ClvFitOptions;
import dev.retention.core.GammaGamma;
import dev.retention.core.GammaGammaFit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Which BG/NBD and Gamma-Gamma fits a model may publish, so that customer value never breaks
 * training and never shows a number the data cannot support.
 *
 * <p>A fit is <b>usable</b> when Newton's method converged and every parameter lies in {@code
 * [1e-4, 1e4]} (Gamma-Gamma's {@code v} relative to the mean spend, and {@code q > 1}, else the
 * expected spend is infinite). Outside that box the likelihood keeps rising towards a boundary: for
 * BG/NBD {@code b → ∞} when the history shows no dropout (Fader, Hardie &amp; Lee 2005, section 5:
 * the model then degenerates to the NBD, and the hypergeometric terms of the expectations lose
 * their precision: NaN for young customers, issue 18), or {@code a, b → 0}, a two-point dropout
 * that puts P(alive) = 1 on nearly everyone; for Gamma-Gamma {@code p, q → ∞} when every customer's
 * spend is the same.
 *
 * <p>The configured penalizer (0 by default) is tried first. When its fit is not usable, the
 * penalizer is chosen by the data, as lifetimes' documentation recommends trying {@code
 * penalizer_coef} between 0.001 and 0.1: each of {@link #PENALIZERS} is fitted on a seeded 80 % of
 * the customers, and the usable fit with the highest (unpenalized) log-likelihood of the other 20 %
 * wins; its penalizer is then fitted on everyone, and that fit must be usable too. When none is,
 * the model leaves the layer out and says why. Every decision is a note that goes into the model,
 * the summary, the log and the report.
 */
final class ValueFitChoice {

  private ValueFitChoice() {}

  /** The penalizers tried on held-out customers when the configured one gives no usable fit. */
  static final double[] PENALIZERS = {0.001, 0.01, 0.1};

  /** Usable parameters lie in {@code [LOWEST, HIGHEST]}. */
  static final double LOWEST = 1e-4;

  static final double HIGHEST = 1e4;

  /** Held-out share of the penalizer choice. */
  static final double HELD_OUT = 0.2;

  /** Why a BG/NBD fit is not usable, or null when it is. */
  static String problem(BgNbdFit fit) {
    if (!fit.converged()) {
      return "did not converge in " + fit.iterations() + " iterations";
    }
    String outside =
        outside(new String[] {"r", "alpha", "a", "b"}, fit.r(), fit.alpha(), fit.a(), fit.b());
    return outside == null ? null : "ended at a boundary (" + outside + ")";
  }

  /**
   * Why a Gamma-Gamma fit is not usable, or null when it is; {@code meanSpend} scales {@code v}.
   */
  static String problem(GammaGammaFit fit, double meanSpend) {
    if (!fit.converged()) {
      return "did not converge in " + fit.iterations() + " iterations";
    }
    if (!(fit.q() > 1)) {
      return "has q <= 1, so the expected spend is infinite";
    }
    String outside =
        outside(new String[] {"p", "q", "v / mean spend"}, fit.p(), fit.q(), fit.v() / meanSpend);
    return outside == null ? null : "ended at a boundary (" + outside + ")";
  }

  private static String outside(String[] names, double... values) {
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= LOWEST && values[i] <= HIGHEST)) {
        return String.format(
            Locale.ROOT, "%s = %.3g outside [%.0e, %.0e]", names[i], values[i], LOWEST, HIGHEST);
      }
    }
    return null;
  }

  /**
   * The usable BG/NBD fit: the configured penalizer's, else one chosen on held-out customers, else
   * null with the reason in {@code notes}.
   */
  static BgNbdFit purchases(
      int[] x, double[] tx, double[] age, ClvFitOptions options, long seed, List<String> notes) {
    return choose(
        "purchase model (BG/NBD)",
        options,
        seed,
        x.length,
        o -> BgNbd.fit(x, tx, age, o),
        (o, w) -> BgNbd.fit(x, tx, age, w, o),
        ValueFitChoice::problem,
        (fit, w) -> BgNbd.logLikelihood(fit, x, tx, age, w, options.threads()),
        BgNbdFit::penalizer,
        notes);
  }

  /**
   * The usable Gamma-Gamma fit, as {@link #purchases}; null with the reason when spend is the same
   * for every repeat customer (nothing to model: a purchase log's placeholder amount).
   */
  static GammaGammaFit spend(
      int[] x, double[] m, ClvFitOptions options, long seed, List<String> notes) {
    double meanSpend = meanOfRepeat(x, m);
    if (constantOfRepeat(x, m)) {
      notes.add(
          "customer value: every repeat customer has the same amount per order, so the export"
              + " carries no spend to model (a purchase log without amounts?); no spend model,"
              + " CLV or value at risk");
      return null;
    }
    return choose(
        "spend model (Gamma-Gamma)",
        options,
        seed,
        x.length,
        o -> GammaGamma.fit(x, m, o),
        (o, w) -> GammaGamma.fit(x, m, w, o),
        fit -> problem(fit, meanSpend),
        (fit, w) -> GammaGamma.logLikelihood(fit, x, m, w, options.threads()),
        GammaGammaFit::penalizer,
        notes);
  }

  private interface WeightedFit<F> {
    F fit(ClvFitOptions options, double[] weights);
  }

  private interface HeldOut<F> {
    double logLikelihood(F fit, double[] weights);
  }

  private static <F> F choose(
      String what,
      ClvFitOptions options,
      long seed,
      int n,
      Function<ClvFitOptions, F> fitAll,
      WeightedFit<F> fitPart,
      Function<F, String> problem,
      HeldOut<F> heldOut,
      ToDoubleFunction<F> penalizer,
      List<String> notes) {
    F configured = fitAll.apply(options);
    String first = problem.apply(configured);
    if (first == null) {
      return configured;
    }
    double[][] parts = split(n, seed);
    double best = Double.NEGATIVE_INFINITY;
    double chosen = Double.NaN;
    for (double c : PENALIZERS) {
      try {
        F fit = fitPart.fit(options.withPenalizer(c), parts[0]);
        if (problem.apply(fit) == null) {
          double ll = heldOut.logLikelihood(fit, parts[1]);
          if (ll > best) {
            best = ll;
            chosen = c;
          }
        }
      } catch (IllegalArgumentException e) {
        // too few repeat customers in a part: this penalizer cannot be judged
      }
    }
    String reason =
        "the " + what + " with penalizer " + penalizer.applyAsDouble(configured) + " " + first;
    if (!Double.isNaN(chosen)) {
      F fit = fitAll.apply(options.withPenalizer(chosen));
      String last = problem.apply(fit);
      if (last == null) {
        notes.add(
            "customer value: "
                + reason
                + "; regularised with penalizer "
                + chosen
                + ", chosen among "
                + java.util.Arrays.toString(PENALIZERS)
                + " by the log-likelihood of 20 % of the customers held out of the fit");
        return fit;
      }
      reason += "; with penalizer " + chosen + " (chosen on held-out customers) it " + last;
    } else {
      reason +=
          "; with none of the penalizers "
              + java.util.Arrays.toString(PENALIZERS)
              + " was it usable on held-out customers";
    }
    notes.add("customer value: " + reason);
    return null;
  }

  /** A seeded split of the rows: weights 1 of the fitting part, then of the held-out part. */
  static double[][] split(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double[] fit = new double[n];
    double[] held = new double[n];
    for (int i = 0; i < n; i++) {
      if (random.nextDouble() < HELD_OUT) {
        held[i] = 1;
      } else {
        fit[i] = 1;
      }
    }
    return new double[][] {fit, held};
  }

  private static double meanOfRepeat(int[] x, double[] m) {
    double sum = 0;
    long count = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0) {
        sum += m[i];
        count++;
      }
    }
    return count == 0 ? 1 : sum / count;
  }

  private static boolean constantOfRepeat(int[] x, double[] m) {
    double first = Double.NaN;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0) {
        if (Double.isNaN(first)) {
          first = m[i];
        } else if (m[i] != first) {
          return false;
        }
      }
    }
    return true;
  }
}
