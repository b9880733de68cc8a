package dev.retention.training;

import dev.retention.core.EvaluationMetrics;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import java.util.List;

/**
 * A new model and the live one scored on the live model's own held-out customers ({@link Holdout}):
 * the comparison a broken extract cannot pass, because neither model's score comes from the new
 * export. Each model takes its features by name from the held-out rows; when the new model reads a
 * feature they lack, nothing is compared and the note says which (names only).
 */
public final class HoldoutComparisons {

  private HoldoutComparisons() {}

  /** A comparison that could not be made, and why. */
  public static RetentionModel.HoldoutComparison notCompared(String note) {
    return new RetentionModel.HoldoutComparison(0, 0, null, null, null, null, note);
  }

  public static RetentionModel.HoldoutComparison compare(
      RetentionModel candidate, RetentionModel live, Holdout holdout) {
    List<String> columns = holdout.features().columns();
    for (String feature : candidate.featureNames()) {
      if (!columns.contains(feature)) {
        return notCompared(
            "this model reads feature '"
                + feature
                + "', which the live model's held-out customers lack");
      }
    }
    int[] labels = holdout.labels();
    long positives = 0;
    for (int label : labels) {
      positives += label;
    }
    if (positives == 0 || positives == labels.length) {
      return notCompared("the live model's held-out customers hold one class only");
    }
    try {
      double[] mine = probabilities(candidate, holdout);
      double[] theirs = probabilities(live, holdout);
      return new RetentionModel.HoldoutComparison(
          labels.length,
          positives,
          EvaluationMetrics.rocAuc(mine, labels),
          EvaluationMetrics.brier(mine, labels),
          EvaluationMetrics.rocAuc(theirs, labels),
          EvaluationMetrics.brier(theirs, labels),
          null);
    } catch (RuntimeException e) {
      // A held-out row one of the models cannot score (the message names a feature, no value).
      return notCompared("the held-out customers cannot be scored: " + e.getMessage());
    }
  }

  private static double[] probabilities(RetentionModel model, Holdout holdout) {
    Scorer scorer = Scorer.of(model);
    List<String> names = model.featureNames();
    int[] from = new int[names.size()];
    for (int c = 0; c < from.length; c++) {
      from[c] = holdout.features().indexOf(names.get(c));
    }
    int d = holdout.features().cols();
    double[] data = holdout.features().data();
    double[] row = new double[from.length];
    double[] out = new double[holdout.labels().length];
    for (int r = 0; r < out.length; r++) {
      for (int c = 0; c < from.length; c++) {
        row[c] = data[r * d + from[c]];
      }
      out[r] = scorer.score(row).probability();
    }
    return out;
  }
}
