package dev.retention.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluation of predicted probabilities against 0/1 labels, with scikit-learn's definitions.
 *
 * <ul>
 *   <li>ROC AUC: the Mann-Whitney statistic with average ranks for tied scores (Hanley &amp;
 *       McNeil, Radiology 1982), equal to the trapezoidal area under the ROC curve over distinct
 *       thresholds.
 *   <li>PR AUC: average precision {@code sum_n (R_n - R_{n-1}) P_n} over distinct thresholds, as
 *       {@code sklearn.metrics.average_precision_score} (no interpolation).
 *   <li>Log loss with probabilities clipped to {@code [1e-15, 1 - 1e-15]}; Brier score.
 *   <li>Confusion matrix at a threshold (predicted positive when {@code p >= threshold}).
 *   <li>Calibration: 10 equal-width probability bins; lift: 10 equal-count groups by descending
 *       score.
 * </ul>
 */
public final class EvaluationMetrics {

  private EvaluationMetrics() {}

  /** Points kept on the ROC and precision-recall curves in a report. */
  public static final int CURVE_POINTS = 101;

  /** A point of a curve: x, y and the score threshold that produces it. */
  public record CurvePoint(double x, double y, double threshold) {}

  /** Counts at a threshold. */
  public record Confusion(
      double threshold,
      long truePositives,
      long falsePositives,
      long trueNegatives,
      long falseNegatives) {

    public double accuracy() {
      return ratio(truePositives + trueNegatives, total());
    }

    public double precision() {
      return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
      return ratio(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public long total() {
      return truePositives + falsePositives + trueNegatives + falseNegatives;
    }
  }

  /**
   * One calibration bin {@code [lower, upper)} (the last includes 1).
   *
   * @param meanPredicted mean predicted probability in the bin (0 when empty)
   * @param observedRate share of positives in the bin (0 when empty)
   */
  public record CalibrationBin(
      double lower, double upper, long count, double meanPredicted, double observedRate) {}

  /**
   * One decile of rows ranked by descending score.
   *
   * @param rate share of positives in the decile
   * @param lift rate divided by the overall positive rate
   * @param cumulativeCapture share of all positives found in deciles 1..this one
   */
  public record LiftBin(
      int decile,
      long count,
      double meanPredicted,
      double rate,
      double lift,
      double cumulativeCapture) {}

  /** All metrics of one evaluation. */
  public record Evaluation(
      long rows,
      long positives,
      double rocAuc,
      double prAuc,
      double logLoss,
      double brier,
      Confusion confusion,
      List<CalibrationBin> calibration,
      List<LiftBin> lift,
      List<CurvePoint> roc,
      List<CurvePoint> precisionRecall) {}

  /** Computes every metric, with lift by decile. */
  public static Evaluation evaluate(double[] probability, int[] labels, double threshold) {
    return evaluate(probability, labels, threshold, 10);
  }

  /** Computes every metric, with lift over {@code liftGroups} equal-count groups (10 = deciles). */
  public static Evaluation evaluate(
      double[] probability, int[] labels, double threshold, int liftGroups) {
    check(probability, labels);
    long positives = positives(labels);
    int[] order = descending(probability);
    return new Evaluation(
        labels.length,
        positives,
        rocAuc(probability, labels, order),
        averagePrecision(probability, labels, order),
        logLoss(probability, labels),
        brier(probability, labels),
        confusion(probability, labels, threshold),
        calibration(probability, labels, 10),
        lift(probability, labels, order, liftGroups),
        curve(probability, labels, order, true),
        curve(probability, labels, order, false));
  }

  /** ROC AUC with exact tie handling; NaN when only one class is present. */
  public static double rocAuc(double[] score, int[] labels) {
    check(score, labels);
    return rocAuc(score, labels, descending(score));
  }

  /**
   * Pairwise definition over groups of tied scores, from the highest down: a positive beats every
   * negative below its group and ties (counts half) with the negatives in it.
   */
  private static double rocAuc(double[] score, int[] labels, int[] order) {
    long totalPositives = positives(labels);
    long totalNegatives = labels.length - totalPositives;
    if (totalPositives == 0 || totalNegatives == 0) {
      return Double.NaN;
    }
    double wins = 0;
    long negativesAbove = 0;
    int i = 0;
    while (i < order.length) {
      long groupPositives = 0;
      long groupNegatives = 0;
      int j = i;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        if (labels[order[j]] == 1) {
          groupPositives++;
        } else {
          groupNegatives++;
        }
        j++;
      }
      wins +=
          groupPositives * (double) (totalNegatives - negativesAbove - groupNegatives)
              + 0.5 * groupPositives * groupNegatives;
      negativesAbove += groupNegatives;
      i = j;
    }
    return wins / ((double) totalPositives * totalNegatives);
  }

  /** Average precision (area under the precision-recall step curve); NaN without positives. */
  public static double averagePrecision(double[] score, int[] labels) {
    check(score, labels);
    return averagePrecision(score, labels, descending(score));
  }

  private static double averagePrecision(double[] score, int[] labels, int[] order) {
    long totalPositives = positives(labels);
    if (totalPositives == 0) {
      return Double.NaN;
    }
    double ap = 0;
    long truePositives = 0;
    long seen = 0;
    double previousRecall = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        truePositives += labels[order[j]];
        seen++;
        j++;
      }
      double recall = (double) truePositives / totalPositives;
      double precision = (double) truePositives / seen;
      ap += (recall - previousRecall) * precision;
      previousRecall = recall;
      i = j;
    }
    return ap;
  }

  public static double logLoss(double[] probability, int[] labels) {
    check(probability, labels);
    double eps = 1e-15;
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = Math.min(Math.max(probability[i], eps), 1 - eps);
      sum -= labels[i] == 1 ? Math.log(p) : Math.log1p(-p);
    }
    return sum / labels.length;
  }

  public static double brier(double[] probability, int[] labels) {
    check(probability, labels);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double diff = probability[i] - labels[i];
      sum += diff * diff;
    }
    return sum / labels.length;
  }

  public static Confusion confusion(double[] probability, int[] labels, double threshold) {
    check(probability, labels);
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    for (int i = 0; i < labels.length; i++) {
      boolean predicted = probability[i] >= threshold;
      if (predicted) {
        if (labels[i] == 1) {
          tp++;
        } else {
          fp++;
        }
      } else if (labels[i] == 1) {
        fn++;
      } else {
        tn++;
      }
    }
    return new Confusion(threshold, tp, fp, tn, fn);
  }

  public static List<CalibrationBin> calibration(double[] probability, int[] labels, int bins) {
    long[] count = new long[bins];
    double[] predicted = new double[bins];
    long[] positive = new long[bins];
    for (int i = 0; i < labels.length; i++) {
      int bin = Math.min(bins - 1, (int) (probability[i] * bins));
      count[bin]++;
      predicted[bin] += probability[i];
      positive[bin] += labels[i];
    }
    List<CalibrationBin> out = new ArrayList<>(bins);
    for (int b = 0; b < bins; b++) {
      out.add(
          new CalibrationBin(
              (double) b / bins,
              (double) (b + 1) / bins,
              count[b],
              count[b] == 0 ? 0 : predicted[b] / count[b],
              ratio(positive[b], count[b])));
    }
    return out;
  }

  public static List<LiftBin> lift(double[] probability, int[] labels) {
    check(probability, labels);
    return lift(probability, labels, descending(probability), 10);
  }

  private static List<LiftBin> lift(double[] probability, int[] labels, int[] order, int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("lift needs at least one group, got " + groups);
    }
    int n = labels.length;
    long totalPositives = positives(labels);
    double overall = ratio(totalPositives, n);
    List<LiftBin> out = new ArrayList<>(groups);
    long cumulative = 0;
    for (int g = 0; g < groups; g++) {
      int from = (int) ((long) g * n / groups);
      int to = (int) ((long) (g + 1) * n / groups);
      long positives = 0;
      double predicted = 0;
      for (int m = from; m < to; m++) {
        positives += labels[order[m]];
        predicted += probability[order[m]];
      }
      cumulative += positives;
      long count = to - from;
      double rate = ratio(positives, count);
      out.add(
          new LiftBin(
              g + 1,
              count,
              count == 0 ? 0 : predicted / count,
              rate,
              overall == 0 ? 0 : rate / overall,
              ratio(cumulative, totalPositives)));
    }
    return out;
  }

  /** ROC curve (x = false positive rate, y = true positive rate), thinned to at most 101 points. */
  public static List<CurvePoint> rocCurve(double[] score, int[] labels) {
    check(score, labels);
    return curve(score, labels, descending(score), true);
  }

  /** Precision-recall curve (x = recall, y = precision), thinned to at most 101 points. */
  public static List<CurvePoint> precisionRecallCurve(double[] score, int[] labels) {
    check(score, labels);
    return curve(score, labels, descending(score), false);
  }

  private static List<CurvePoint> curve(double[] score, int[] labels, int[] order, boolean roc) {
    long totalPositives = positives(labels);
    long totalNegatives = labels.length - totalPositives;
    // Cumulative counts per distinct threshold in primitive arrays; objects only for kept points.
    int offset = roc ? 1 : 0; // the ROC curve starts at its (0, 0) corner
    long[] tp = new long[order.length + offset];
    long[] fp = new long[order.length + offset];
    double[] threshold = new double[order.length + offset];
    if (roc) {
      // A threshold just above every score (finite, so JSON can hold it).
      threshold[0] = Math.nextUp(score[order[0]]);
    }
    int points = offset;
    long positives = 0;
    long negatives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        if (labels[order[j]] == 1) {
          positives++;
        } else {
          negatives++;
        }
        j++;
      }
      tp[points] = positives;
      fp[points] = negatives;
      threshold[points] = score[order[i]];
      points++;
      i = j;
    }
    int kept = Math.min(points, CURVE_POINTS);
    List<CurvePoint> out = new ArrayList<>(kept);
    for (int p = 0; p < kept; p++) {
      int at =
          kept == points ? p : (int) Math.round((double) p * (points - 1) / (CURVE_POINTS - 1));
      out.add(
          roc
              ? new CurvePoint(
                  ratio(fp[at], totalNegatives), ratio(tp[at], totalPositives), threshold[at])
              : new CurvePoint(
                  ratio(tp[at], totalPositives), ratio(tp[at], tp[at] + fp[at]), threshold[at]));
    }
    return out;
  }

  /**
   * Row indexes by descending score; equal scores keep row order (a stable merge sort on primitive
   * indexes, so ties, deciles and curves are deterministic and nothing is boxed).
   */
  static int[] descending(double[] score) {
    int n = score.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] buffer = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        int mid = lo + width;
        int hi = Math.min(lo + 2 * width, n);
        if (score[order[mid - 1]] >= score[order[mid]]) {
          continue; // already in order
        }
        int a = lo;
        int b = mid;
        int out = lo;
        while (a < mid && b < hi) {
          buffer[out++] = score[order[b]] > score[order[a]] ? order[b++] : order[a++];
        }
        while (a < mid) {
          buffer[out++] = order[a++];
        }
        while (b < hi) {
          buffer[out++] = order[b++];
        }
        System.arraycopy(buffer, lo, order, lo, hi - lo);
      }
    }
    return order;
  }

  /** Number of label-1 rows. */
  static long positives(int[] labels) {
    long count = 0;
    for (int label : labels) {
      count += label;
    }
    return count;
  }

  private static void check(double[] values, int[] labels) {
    if (values.length != labels.length) {
      throw new IllegalArgumentException(
          values.length + " scores for " + labels.length + " labels");
    }
    if (values.length == 0) {
      throw new IllegalArgumentException("cannot evaluate zero rows");
    }
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
