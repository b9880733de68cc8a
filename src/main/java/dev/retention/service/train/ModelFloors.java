package dev.retention.service.train;

import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The absolute floors a model must clear before it may become {@code latest}, whatever the live
 * model: it must be better than <b>no model</b>, which scores every customer with the repurchase
 * rate (ROC AUC 0.5, Brier {@code q(1 - q)} for a held-out rate {@code q}), and it must segment.
 *
 * <ul>
 *   <li>K of at least 2: one segment is no segmentation (every customer gets the same action).
 *   <li>At least one feature that varies: a model of constant columns is the base rate.
 *   <li>Held-out ROC AUC at least {@code 0.5 + max(minAucLift, 2 se0)}, where {@code se0 = sqrt((n1
 *       + n0 + 1) / (12 n1 n0))} is the standard deviation of the AUC of a model that knows nothing
 *       on {@code n1} buyers and {@code n0} non-buyers (the Mann-Whitney statistic under the null,
 *       Hanley &amp; McNeil 1982): on few held-out customers, luck alone must not pass.
 *   <li>Held-out Brier score below no model's {@code q(1 - q)}: the probabilities must be better
 *       than the repurchase rate for everyone.
 * </ul>
 *
 * Everything is read from the model, so a redelivered event decides as the first attempt did.
 */
final class ModelFloors {

  private ModelFloors() {}

  /** The floors {@code model} does not clear, one sentence each (empty when it clears them). */
  static List<String> below(RetentionModel model, double minAucLift) {
    List<String> out = new ArrayList<>();
    if (model.segmentation().k() < 2) {
      out.add("K = 1: one segment is no segmentation");
    }
    if (model.features().stream().allMatch(f -> f.low() == f.high())) {
      out.add("every feature is constant: the model can only say the repurchase rate");
    }
    RetentionModel.Evaluation e = model.evaluation();
    double n1 = e.validationPositives();
    double n0 = e.validationRows() - e.validationPositives();
    if (n1 > 0 && n0 > 0) {
      double chance = 2 * Math.sqrt((n1 + n0 + 1) / (12 * n1 * n0));
      double floor = 0.5 + Math.max(minAucLift, chance);
      if (!(e.rocAuc() >= floor)) {
        out.add(
            String.format(
                Locale.ROOT,
                "held-out AUC %.4f is not above what no model scores (0.5) by at least %.4f (the"
                    + " larger of retention.quality-gate.min-auc-lift %.3f and twice the AUC's"
                    + " spread by chance on these customers, %.4f)",
                e.rocAuc(),
                floor - 0.5,
                minAucLift,
                chance));
      }
      double q = n1 / (n1 + n0);
      double noModel = q * (1 - q);
      if (!(e.brier() < noModel)) {
        out.add(
            String.format(
                Locale.ROOT,
                "held-out Brier %.4f is no better than no model's %.4f (the repurchase rate for"
                    + " everyone)",
                e.brier(),
                noModel));
      }
    }
    return out;
  }
}
