package dev.retention.service.train;

/**
 * The outcome for one S3 object.
 *
 * @param status TRAINED, ALREADY_PUBLISHED (a redelivered event), HANDED_OFF (a large export: the
 *     Spark job's run trains and publishes it; see runId) or SKIPPED
 * @param source {@code s3://bucket/key}
 * @param modelKey key of the model JSON, when one exists (not yet when HANDED_OFF)
 * @param version model version, when one exists or, when HANDED_OFF, the version the run publishes
 * @param latest what became of latest.json: MOVED (this model is live), ALREADY_LIVE, NEWER_IS_LIVE
 *     (a newer model stays live; this one is published as a version only) or HELD_BY_QUALITY_GATE
 *     (its held-out AUC is worse than the live model's; see qualityGate)
 * @param liveVersion the version latest.json points at afterwards
 * @param rowsRead data rows read
 * @param rowsUsed rows used for training
 * @param rowsRejected rows rejected
 * @param k number of segments
 * @param auc held-out ROC AUC
 * @param qualityGate the quality gate's decision in one sentence
 * @param featuresKey key of {@code features.csv.gz} (orders models), else null
 * @param durationMs wall time of this object's handling
 * @param reason why it was skipped, else null
 * @param runId when HANDED_OFF, the run's id (the Step Functions execution ARN), else null
 * @param guestRows rows without a customer id that the export's dialect skips (guest orders): read,
 *     not rejected, not in the rejected share
 * @param warnings what the operator should know about the model (the model's warnings: a censored
 *     label window, customer value left out or regularised and why, constant columns, a solver that
 *     stopped early); names and reasons only, never a customer's value
 */
public record TrainSummary(
    Status status,
    String source,
    String modelKey,
    String version,
    String latest,
    String liveVersion,
    long rowsRead,
    long rowsUsed,
    long rowsRejected,
    int k,
    double auc,
    String qualityGate,
    String featuresKey,
    long durationMs,
    String reason,
    String runId,
    long guestRows,
    java.util.List<String> warnings) {

  public TrainSummary {
    warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
  }

  /** What happened to the object. */
  public enum Status {
    TRAINED,
    ALREADY_PUBLISHED,
    HANDED_OFF,
    SKIPPED
  }

  static TrainSummary skipped(String source, String reason) {
    return new TrainSummary(
        Status.SKIPPED,
        source,
        null,
        null,
        null,
        null,
        0,
        0,
        0,
        0,
        0,
        null,
        null,
        0,
        reason,
        null,
        0,
        null);
  }

  static TrainSummary handedOff(String source, String version, String runId, long durationMs) {
    return new TrainSummary(
        Status.HANDED_OFF,
        source,
        null,
        version,
        null,
        null,
        0,
        0,
        0,
        0,
        0,
        null,
        null,
        durationMs,
        null,
        runId,
        0,
        null);
  }
}
