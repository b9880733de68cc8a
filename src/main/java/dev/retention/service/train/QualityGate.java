package dev.retention.service.train;

import dev.retention.model.RetentionModel;
import java.util.Locale;

/**
 * Whether a new model may become {@code latest}: not when its held-out ROC AUC is worse than the
 * live model's on the same held-out customers ({@link RetentionModel.Incumbent}) by more than
 * {@code margin}. A held model is still published as a version (and can be inspected, compared, or
 * made live by a retrain with {@code force}); the summary, the log and the metrics say why.
 *
 * <p>Like for like: the live model is scored on the new model's held-out rows of the new export, so
 * a shop whose customers became harder to predict does not hold every new model; only a model worse
 * than the live one on today's data is held. When the live model cannot score the new data (another
 * feature set), there is nothing to compare and the model passes, with a note.
 *
 * @param margin the AUC drop tolerated (default 0.02); 1 turns the gate off
 * @param force publish as latest even when the gate would hold
 */
public record QualityGate(double margin, boolean force) {

  public QualityGate {
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException(
          "retention.quality-gate.margin must be in [0, 1], got " + margin);
    }
  }

  public static QualityGate defaults() {
    return new QualityGate(0.02, false);
  }

  /**
   * What the gate decided.
   *
   * @param goLive whether the pointer may move to the model
   * @param held whether the gate would hold it (true with {@code goLive} when forced)
   * @param reason one sentence for the summary and the log
   */
  public record Decision(boolean goLive, boolean held, String reason) {}

  public Decision decide(RetentionModel model) {
    RetentionModel.Incumbent live = model.evaluation().incumbent();
    if (live == null) {
      return new Decision(true, false, "passed: no live model to compare with");
    }
    if (live.rocAuc() == null) {
      return new Decision(true, false, "passed, not compared: " + live.note());
    }
    double auc = model.evaluation().rocAuc();
    double drop = live.rocAuc() - auc;
    String comparison =
        String.format(
            Locale.ROOT,
            "held-out AUC %.4f against %.4f of live model %s on the same customers (margin %.3f)",
            auc,
            live.rocAuc(),
            live.version(),
            margin);
    if (drop <= margin) {
      return new Decision(true, false, "passed: " + comparison);
    }
    if (force) {
      return new Decision(true, true, "forced by retention.quality-gate.force: " + comparison);
    }
    return new Decision(
        false,
        true,
        "held: "
            + comparison
            + "; published as a version, latest unchanged (retention.quality-gate.force=true"
            + " publishes it as latest on a retrain)");
  }
}
