package dev.retention.service.train;

import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a new model may become {@code latest}. A held model is still published as a version
 * (whole: model, report and companions), so an operator can see why; only the pointer stays.
 *
 * <ol>
 *   <li><b>Floors</b> ({@link ModelFloors}): never live when it is not better than no model
 *       (held-out AUC and Brier), has one segment or only constant features. Absolute, whatever the
 *       live model; {@code force} does not override them.
 *   <li><b>Dropped features</b>: a model that does not read a feature the live one reads is held
 *       (clients that send it would be refused), unless {@code allowDroppedFeatures}.
 *   <li><b>On the new export's held-out customers</b>: held when its AUC is more than {@code
 *       margin} below the live model's on the same customers (like for like: a shop whose customers
 *       got harder to predict does not hold every model).
 *   <li><b>On the live model's own held-out customers</b> ({@link
 *       RetentionModel.HoldoutComparison}): held likewise. An extract broken in a way that also
 *       breaks the live model's scores on it (a column of zeros) passes the comparison above; not
 *       this one.
 * </ol>
 *
 * @param margin the AUC drop tolerated (default 0.02); 1 turns the comparisons off
 * @param force make the model latest even when a comparison or a dropped feature would hold it
 * @param minAucLift the least held-out AUC above 0.5 (no model) a live model has (default 0.02)
 * @param allowDroppedFeatures let a model that drops a feature the live one reads go live
 */
public record QualityGate(
    double margin, boolean force, double minAucLift, boolean allowDroppedFeatures) {

  /** The least AUC above no model's 0.5, by default. */
  public static final double DEFAULT_MIN_AUC_LIFT = 0.02;

  public QualityGate {
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException(
          "retention.quality-gate.margin must be in [0, 1], got " + margin);
    }
    if (!(minAucLift >= 0 && minAucLift < 0.5)) {
      throw new IllegalArgumentException(
          "retention.quality-gate.min-auc-lift must be in [0, 0.5), got " + minAucLift);
    }
  }

  /** The comparisons' settings with the default floors, dropped features held. */
  public QualityGate(double margin, boolean force) {
    this(margin, force, DEFAULT_MIN_AUC_LIFT, false);
  }

  public static QualityGate defaults() {
    return new QualityGate(0.02, false);
  }

  /**
   * What the gate decided.
   *
   * @param goLive whether the pointer may move to the model
   * @param held whether the gate would hold it (true with {@code goLive} when forced)
   * @param reason one sentence for the summary, the log and the report
   */
  public record Decision(boolean goLive, boolean held, String reason) {

    /** As the model records it. */
    public RetentionModel.GateDecision record() {
      return new RetentionModel.GateDecision(held, held && goLive, reason);
    }
  }

  private static final String HELD_TAIL = "; published as a version, latest unchanged";

  public Decision decide(RetentionModel model) {
    List<String> floors = ModelFloors.below(model, minAucLift);
    if (!floors.isEmpty()) {
      return new Decision(
          false,
          true,
          "held below the floors of a live model (no model would do as well): "
              + String.join("; ", floors)
              + HELD_TAIL
              + " (floors cannot be forced)");
    }
    RetentionModel.Incumbent live = model.evaluation().incumbent();
    if (live == null) {
      return new Decision(true, false, "passed: no live model to compare with");
    }
    List<String> holds = new ArrayList<>();
    List<String> passes = new ArrayList<>();
    if (!live.droppedFeatures().isEmpty()) {
      String dropped =
          "it drops feature(s) "
              + live.droppedFeatures()
              + " that live model "
              + live.version()
              + " reads (clients sending them would be refused)";
      if (allowDroppedFeatures) {
        passes.add(dropped + ", allowed by retention.quality-gate.allow-dropped-features");
      } else {
        holds.add(dropped);
      }
    } else if (live.rocAuc() == null) {
      passes.add("not compared on this export: " + live.note());
    } else {
      compare(
          "held-out AUC %.4f against %.4f of live model "
              + live.version()
              + " on the same customers of this export",
          model.evaluation().rocAuc(),
          live.rocAuc(),
          holds,
          passes);
    }
    RetentionModel.HoldoutComparison own = live.liveHoldout();
    if (own != null && own.rocAuc() != null) {
      compare(
          "AUC %.4f against %.4f on the live model's own held-out customers ("
              + own.customers()
              + ")",
          own.rocAuc(),
          own.liveRocAuc(),
          holds,
          passes);
    } else if (own != null) {
      passes.add("not compared on the live model's own held-out customers: " + own.note());
    }
    String margins = String.format(Locale.ROOT, " (margin %.3f)", margin);
    if (holds.isEmpty()) {
      return new Decision(true, false, "passed: " + String.join("; ", passes) + margins);
    }
    if (force) {
      return new Decision(
          true,
          true,
          "forced by retention.quality-gate.force: " + String.join("; ", holds) + margins);
    }
    return new Decision(
        false,
        true,
        "held: "
            + String.join("; ", holds)
            + margins
            + HELD_TAIL
            + " (retention.quality-gate.force=true publishes it as latest on a retrain)");
  }

  private void compare(
      String format, double mine, double theirs, List<String> holds, List<String> passes) {
    String comparison = String.format(Locale.ROOT, format, mine, theirs);
    if (theirs - mine > margin) {
      holds.add(comparison);
    } else {
      passes.add(comparison);
    }
  }
}
