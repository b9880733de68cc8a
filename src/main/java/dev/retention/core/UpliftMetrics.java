package dev.retention.core;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a score ranks customers by what a treatment (a contact) changes, measured on a
 * randomized sample: rows with a treatment flag and an outcome (bought: 0/1, or revenue).
 *
 * <p>Rows are ranked by descending score; tied scores form one group and the curves have points
 * only at group ends (so the order of tied rows never matters). With {@code N_T(k)}, {@code N_C(k)}
 * the treated and control rows among the first {@code k}, {@code Y_T(k)}, {@code Y_C(k)} their
 * summed outcomes, {@code N_T}, {@code N_C}, {@code n} the totals and {@code phi = k / n}:
 *
 * <ul>
 *   <li><b>Qini curve</b> (Radcliffe, "Using control groups to target on predicted lift", Direct
 *       Marketing Analytics Journal 2007): {@code Q(k) = Y_T(k) - Y_C(k) N_T(k) / N_C(k)} (the
 *       second term 0 while {@code N_C(k) = 0}), the incremental responders among the treated of
 *       the top {@code k}. Here it is <b>normalised by {@code N_T}</b>: {@code q(phi) = Q(k) /
 *       N_T}, the gain in the response rate of the whole treated population from treating only the
 *       top {@code phi}; it ends at the observed average effect {@code ATE = Y_T / N_T - Y_C /
 *       N_C}.
 *   <li><b>Qini coefficient</b>: {@code integral_0^1 q(phi) dphi - ATE / 2}, the area between the
 *       Qini curve and the diagonal of random targeting (trapezoids from (0, 0) through the group
 *       ends). 0 for a ranking no better than random, larger is better, in response rate ×
 *       population share. The learners are chosen on it.
 *   <li><b>AUUC</b>, the area under the uplift curve {@code u(phi) = phi (Y_T(k) / N_T(k) - Y_C(k)
 *       / N_C(k))} (Rzepakowski &amp; Jaroszewicz 2012; {@code u = 0} while either arm of the top
 *       {@code k} is empty), raw (random targeting gives about {@code ATE / 2}).
 *   <li><b>Normalised Qini</b>: the Qini coefficient divided by that of the best ordering of the
 *       same observed outcomes, {@code y (2t - 1)} (treated responders first, control responders
 *       last: Radcliffe's optimum with negative effects allowed), NaN when that is not positive. 1
 *       is the best possible on these rows.
 * </ul>
 */
public final class UpliftMetrics {

  private UpliftMetrics() {}

  /**
   * A point of the curves at the end of a group of tied scores.
   *
   * @param share {@code phi = k / n}
   * @param treated {@code N_T(k)}
   * @param control {@code N_C(k)}
   * @param qini {@code q(phi)}, the normalised Qini curve
   * @param uplift {@code u(phi)}, the uplift curve
   */
  public record CurvePoint(double share, long treated, long control, double qini, double uplift) {}

  /**
   * Every measure of one ranking.
   *
   * @param curve one point per group of tied scores, from the first group's end to {@code phi = 1}
   */
  public record Evaluation(
      long rows,
      long treated,
      long control,
      double treatedMean,
      double controlMean,
      double averageEffect,
      double qini,
      double auuc,
      double normalizedQini,
      List<CurvePoint> curve) {}

  /**
   * One group of rows by descending score (deciles for ten groups).
   *
   * @param observedUplift {@code treatedMean - controlMean}, NaN when an arm is empty
   * @param meanPredicted the mean score of the group's rows
   */
  public record Group(
      int group,
      long treated,
      long control,
      double treatedMean,
      double controlMean,
      double observedUplift,
      double meanPredicted) {

    public long rows() {
      return treated + control;
    }
  }

  /**
   * Predicted against observed uplift over groups: the weighted least-squares line {@code observed
   * = intercept + slope * predicted} (weights: the groups' rows; slope 1 and intercept 0 when
   * calibrated), and the overall means.
   */
  public record Calibration(
      double slope, double intercept, double meanPredicted, double observedEffect) {}

  /** Every measure of {@code score} on these rows. */
  public static Evaluation evaluate(double[] score, int[] treatment, double[] outcome) {
    check(score, treatment, outcome);
    return evaluate(score, treatment, outcome, EvaluationMetrics.descending(score), true);
  }

  /** The Qini coefficient alone. */
  public static double qini(double[] score, int[] treatment, double[] outcome) {
    check(score, treatment, outcome);
    return evaluate(score, treatment, outcome, EvaluationMetrics.descending(score), false).qini();
  }

  private static Evaluation evaluate(
      double[] score, int[] treatment, double[] outcome, int[] order, boolean normalize) {
    int n = score.length;
    long totalTreated = 0;
    double sumTreated = 0;
    double sumControl = 0;
    for (int i = 0; i < n; i++) {
      if (treatment[i] == 1) {
        totalTreated++;
        sumTreated += outcome[i];
      } else {
        sumControl += outcome[i];
      }
    }
    long totalControl = n - totalTreated;
    double effect = sumTreated / totalTreated - sumControl / totalControl;
    List<CurvePoint> curve = new ArrayList<>();
    long treated = 0;
    long control = 0;
    double yTreated = 0;
    double yControl = 0;
    double qiniArea = 0;
    double upliftArea = 0;
    double lastShare = 0;
    double lastQini = 0;
    double lastUplift = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      double s = score[order[i]];
      while (j < n && score[order[j]] == s) {
        int r = order[j];
        if (treatment[r] == 1) {
          treated++;
          yTreated += outcome[r];
        } else {
          control++;
          yControl += outcome[r];
        }
        j++;
      }
      double share = (double) j / n;
      double q =
          (yTreated - (control == 0 ? 0 : yControl * ((double) treated / control))) / totalTreated;
      double u =
          treated == 0 || control == 0 ? 0 : share * (yTreated / treated - yControl / control);
      qiniArea += 0.5 * (share - lastShare) * (q + lastQini);
      upliftArea += 0.5 * (share - lastShare) * (u + lastUplift);
      curve.add(new CurvePoint(share, treated, control, q, u));
      lastShare = share;
      lastQini = q;
      lastUplift = u;
      i = j;
    }
    double qini = qiniArea - effect / 2;
    double normalized = Double.NaN;
    if (normalize) {
      double[] perfect = new double[n];
      for (int r = 0; r < n; r++) {
        perfect[r] = outcome[r] * (2 * treatment[r] - 1);
      }
      double best =
          evaluate(perfect, treatment, outcome, EvaluationMetrics.descending(perfect), false)
              .qini();
      normalized = best > 0 ? qini / best : Double.NaN;
    }
    return new Evaluation(
        n,
        totalTreated,
        totalControl,
        sumTreated / totalTreated,
        sumControl / totalControl,
        effect,
        qini,
        upliftArea,
        normalized,
        normalize ? List.copyOf(curve) : List.of());
  }

  /**
   * The rows in {@code groups} equal-count groups by descending score (group {@code g} holds ranks
   * {@code [g n / groups, (g + 1) n / groups)}).
   */
  public static List<Group> groups(double[] score, int[] treatment, double[] outcome, int groups) {
    check(score, treatment, outcome);
    if (groups < 1 || groups > score.length) {
      throw new IllegalArgumentException(
          "groups must be in [1, " + score.length + "], got " + groups);
    }
    int[] order = EvaluationMetrics.descending(score);
    int n = score.length;
    List<Group> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int from = (int) ((long) g * n / groups);
      int to = (int) ((long) (g + 1) * n / groups);
      long treated = 0;
      long control = 0;
      double yTreated = 0;
      double yControl = 0;
      double predicted = 0;
      for (int k = from; k < to; k++) {
        int r = order[k];
        predicted += score[r];
        if (treatment[r] == 1) {
          treated++;
          yTreated += outcome[r];
        } else {
          control++;
          yControl += outcome[r];
        }
      }
      out.add(group(g + 1, treated, control, yTreated, yControl, predicted));
    }
    return out;
  }

  /**
   * A group from its sums: counts per arm, summed outcomes per arm, summed predictions (merging
   * groups adds these sums).
   */
  public static Group group(
      int index,
      long treated,
      long control,
      double treatedOutcomes,
      double controlOutcomes,
      double predictedSum) {
    double treatedMean = treated == 0 ? Double.NaN : treatedOutcomes / treated;
    double controlMean = control == 0 ? Double.NaN : controlOutcomes / control;
    long rows = treated + control;
    return new Group(
        index,
        treated,
        control,
        treatedMean,
        controlMean,
        treatedMean - controlMean,
        rows == 0 ? Double.NaN : predictedSum / rows);
  }

  /** The calibration line over the groups with both arms. */
  public static Calibration calibration(List<Group> groups) {
    double w = 0;
    double mx = 0;
    double my = 0;
    for (Group g : groups) {
      if (!Double.isNaN(g.observedUplift())) {
        w += g.rows();
        mx += g.rows() * g.meanPredicted();
        my += g.rows() * g.observedUplift();
      }
    }
    if (w == 0) {
      return new Calibration(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    mx /= w;
    my /= w;
    double sxy = 0;
    double sxx = 0;
    for (Group g : groups) {
      if (!Double.isNaN(g.observedUplift())) {
        double dx = g.meanPredicted() - mx;
        sxy += g.rows() * dx * (g.observedUplift() - my);
        sxx += g.rows() * dx * dx;
      }
    }
    double slope = sxx > 0 ? sxy / sxx : Double.NaN;
    return new Calibration(slope, Double.isNaN(slope) ? Double.NaN : my - slope * mx, mx, my);
  }

  private static void check(double[] score, int[] treatment, double[] outcome) {
    if (score.length != treatment.length || score.length != outcome.length) {
      throw new IllegalArgumentException(
          "scores, treatment and outcome lengths differ: "
              + score.length
              + ", "
              + treatment.length
              + ", "
              + outcome.length);
    }
    boolean anyTreated = false;
    boolean anyControl = false;
    for (int i = 0; i < score.length; i++) {
      if (treatment[i] != 0 && treatment[i] != 1) {
        throw new IllegalArgumentException("treatment at row " + i + " is not 0/1");
      }
      if (!Double.isFinite(score[i]) || !Double.isFinite(outcome[i])) {
        throw new IllegalArgumentException("score or outcome at row " + i + " is not finite");
      }
      anyTreated |= treatment[i] == 1;
      anyControl |= treatment[i] == 0;
    }
    if (!anyTreated || !anyControl) {
      throw new IllegalArgumentException("uplift needs both treated and control rows");
    }
  }
}
