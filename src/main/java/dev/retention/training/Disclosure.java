package dev.retention.training;

import dev.retention.core.EvaluationMetrics;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The privacy rule, in one place: no number a model publishes (and so its report, {@code GET
 * /model} and everything derived from it) is computed from fewer customers than the minimum segment
 * size {@code m}, and no raw cell value is stored. Counts are published as they are; every other
 * number describes at least {@code m} customers:
 *
 * <ul>
 *   <li>a feature's range is the mean of its {@code m} lowest and of its {@code m} highest values
 *       (never one customer's minimum or maximum);
 *   <li>segments below {@code m} are merged before publishing (see {@link Trainer});
 *   <li>calibration bins with fewer than {@code m} rows are merged with their neighbours;
 *   <li>lift groups hold at least {@code m} rows (fewer than ten groups on small validation sets);
 *   <li>curve points are kept only where at least {@code m} customers lie on each side of the
 *       threshold, and thresholds are rounded to three decimals; the end points are (0, 0) at
 *       threshold 1 and (1, 1) at threshold 0.
 * </ul>
 *
 * This is a k-anonymity-style aggregation threshold (Sweeney, "k-anonymity: a model for protecting
 * privacy", 2002), the rule statistical offices apply to published tables; it is not differential
 * privacy and does not claim its guarantee.
 */
final class Disclosure {

  private Disclosure() {}

  /**
   * Per column, the mean of the {@code m} smallest and of the {@code m} largest values (of all
   * values when there are fewer): {@code [low_0, high_0, low_1, high_1, ...]}.
   */
  static double[] lowHigh(double[] x, int rows, int d, int m) {
    return new Extremes(d, m).addRows(x, rows).lowHigh();
  }

  /**
   * Calibration bins with fewer than {@code m} rows merged, left to right, into their neighbours
   * (an empty bin stays as it is: it publishes no number); the bins' means are count-weighted.
   */
  static List<RetentionModel.CalibrationBin> calibration(
      List<EvaluationMetrics.CalibrationBin> bins, int m) {
    List<RetentionModel.CalibrationBin> out = new ArrayList<>();
    double lower = 0;
    long count = 0;
    double predicted = 0;
    double observed = 0;
    for (EvaluationMetrics.CalibrationBin bin : bins) {
      if (count == 0) {
        lower = bin.lower();
      }
      count += bin.count();
      predicted += bin.meanPredicted() * bin.count();
      observed += bin.observedRate() * bin.count();
      if (count >= m) {
        out.add(
            new RetentionModel.CalibrationBin(
                lower, bin.upper(), count, predicted / count, observed / count));
        count = 0;
        predicted = 0;
        observed = 0;
      }
    }
    if (count > 0) {
      if (out.isEmpty()) {
        return List.of(); // fewer than m rows in all: nothing can be published
      }
      // The remainder joins the last published bin.
      RetentionModel.CalibrationBin last = out.remove(out.size() - 1);
      long total = last.count() + count;
      out.add(
          new RetentionModel.CalibrationBin(
              last.lower(),
              1.0,
              total,
              (last.meanPredicted() * last.count() + predicted) / total,
              (last.observedRate() * last.count() + observed) / total));
    }
    return out;
  }

  /** Lift groups: ten, or fewer so that each holds at least {@code m} rows (at least one). */
  static int liftGroups(int rows, int m) {
    return Math.max(1, Math.min(10, rows / m));
  }

  /**
   * The curve points with at least {@code m} customers scored above their threshold and at least
   * {@code m} below it, between the curve's two end points; thresholds rounded to 0.001.
   *
   * @param positives validation rows with label 1
   * @param negatives validation rows with label 0
   * @param roc true for the ROC curve (x = false positive rate, y = true positive rate), false for
   *     precision-recall (x = recall, y = precision)
   */
  static List<RetentionModel.CurvePoint> curve(
      List<EvaluationMetrics.CurvePoint> points,
      long positives,
      long negatives,
      int m,
      boolean roc) {
    long total = positives + negatives;
    List<RetentionModel.CurvePoint> out = new ArrayList<>();
    if (roc) {
      out.add(new RetentionModel.CurvePoint(0, 0, 1.0));
    }
    for (EvaluationMetrics.CurvePoint p : points) {
      double above =
          roc
              ? p.y() * positives + p.x() * negatives
              : p.y() > 0 ? p.x() * positives / p.y() : Double.NaN;
      long scoredAbove = Math.round(above);
      if (scoredAbove >= m && total - scoredAbove >= m) {
        out.add(new RetentionModel.CurvePoint(p.x(), p.y(), round3(p.threshold())));
      }
    }
    if (roc) {
      out.add(new RetentionModel.CurvePoint(1, 1, 0.0));
    } else {
      // Recall 1 at threshold 0: everyone is predicted positive, precision is the base rate.
      out.add(new RetentionModel.CurvePoint(1, (double) positives / total, 0.0));
    }
    return out;
  }

  private static double round3(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
  }
}
