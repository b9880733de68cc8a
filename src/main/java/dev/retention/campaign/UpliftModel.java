package dev.retention.campaign;

import dev.retention.core.Standardization;
import dev.retention.core.UpliftFit;
import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftMetrics;
import java.util.List;
import java.util.Map;

/**
 * A fitted uplift model, immutable: the chosen learner refit on every customer, with the held-out
 * evidence of the choice. Every published number describes at least the minimum segment size of
 * treated and of control customers (groups merged, curve points dropped otherwise).
 *
 * @param features the input features, in order
 * @param standardization the features' scaling, fitted on all customers
 * @param fit the chosen learner, refit on all customers
 * @param candidates every learner's held-out measures, in the options' order
 * @param heldOut the chosen learner's held-out measures (its curve thinned to publishable points)
 * @param deciles held-out uplift by group of predicted uplift, merged to the minimum size
 * @param calibration predicted against observed uplift over those groups
 * @param customers customers trained on, treated and control
 * @param minimumSize the privacy rule's minimum size
 * @param options the training options, described
 */
public record UpliftModel(
    List<String> features,
    Standardization standardization,
    UpliftFit fit,
    List<LearnerScore> candidates,
    UpliftMetrics.Evaluation heldOut,
    List<UpliftMetrics.Group> deciles,
    UpliftMetrics.Calibration calibration,
    long customers,
    long treated,
    long control,
    int minimumSize,
    Map<String, Object> options) {

  public UpliftModel {
    features = List.copyOf(features);
    candidates = List.copyOf(candidates);
    deciles = List.copyOf(deciles);
    options = Map.copyOf(options);
  }

  /**
   * One learner's held-out measures (see {@link UpliftMetrics}).
   *
   * @param chosen whether it is the published learner
   */
  public record LearnerScore(
      UpliftLearner learner, double qini, double auuc, double normalizedQini, boolean chosen) {}

  public UpliftLearner learner() {
    return fit.learner();
  }

  /**
   * The uplift of one customer from raw features in {@link #features()} order: the change in the
   * probability of buying in the window that a contact causes.
   */
  public double uplift(double[] raw) {
    if (raw.length != features.size()) {
      throw new IllegalArgumentException(
          "expected " + features.size() + " features, got " + raw.length);
    }
    double[] z = new double[raw.length];
    standardization.transformRow(raw, z);
    return fit.uplift(z, 0);
  }
}
