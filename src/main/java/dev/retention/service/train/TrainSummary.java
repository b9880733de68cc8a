package dev.retention.service.train;

/**
 * The outcome for one S3 object.
 *
 * @param status TRAINED, ALREADY_PUBLISHED (a redelivered event) or SKIPPED
 * @param source {@code s3://bucket/key}
 * @param modelKey key of the model JSON, when one exists
 * @param version model version, when one exists
 * @param rowsRead data rows read
 * @param rowsUsed rows used for training
 * @param rowsRejected rows rejected
 * @param k number of segments
 * @param auc held-out ROC AUC
 * @param durationMs wall time of this object's handling
 * @param reason why it was skipped, else null
 */
public record TrainSummary(
    Status status,
    String source,
    String modelKey,
    String version,
    long rowsRead,
    long rowsUsed,
    long rowsRejected,
    int k,
    double auc,
    long durationMs,
    String reason) {

  /** What happened to the object. */
  public enum Status {
    TRAINED,
    ALREADY_PUBLISHED,
    SKIPPED
  }

  static TrainSummary skipped(String source, String reason) {
    return new TrainSummary(Status.SKIPPED, source, null, null, 0, 0, 0, 0, 0, 0, reason);
  }
}
