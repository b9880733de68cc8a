package dev.retention.service.batch;

/**
 * The outcome of scoring one export, or of measuring a campaign from an outcomes export.
 *
 * @param status SCORED, MEASURED (an outcomes export: {@code outputKey} is the campaign's {@code
 *     result.json}, {@code reportKey} its {@code result.html}, {@code customersScored} the
 *     campaign's customers, {@code featuresAsOf} its as-of day, {@code campaignKey} the manifest
 *     measured against) or SKIPPED
 * @param source {@code s3://bucket/key}
 * @param outputKey key of the scores CSV
 * @param reportKey key of its report ({@code <output>.report.html})
 * @param modelVersion the model that scored it
 * @param rowsRead data rows read (order rows for an orders export)
 * @param rowsRejected rows rejected
 * @param customersScored rows written
 * @param featuresAsOf for orders exports, the day the features describe; else null
 * @param durationMs wall time
 * @param reason why it was skipped, else null
 * @param lookupIndex what became of the lookup index's pointer: MOVED (this batch is now the one
 *     {@code GET /customers/{id}} answers from), ALREADY_LIVE, NEWER_IS_LIVE (a later export's
 *     batch is), or OFF; null when skipped
 * @param campaignKey key of the campaign manifest ({@code <output>.campaign.json}) when the batch
 *     is a campaign ({@code retention.campaign.id}), else null
 */
public record BatchSummary(
    Status status,
    String source,
    String outputKey,
    String reportKey,
    String modelVersion,
    long rowsRead,
    long rowsRejected,
    long customersScored,
    String featuresAsOf,
    long durationMs,
    String reason,
    String lookupIndex,
    String campaignKey) {

  /** What happened to the export. */
  public enum Status {
    SCORED,
    MEASURED,
    SKIPPED
  }

  static BatchSummary skipped(String source, String reason) {
    return new BatchSummary(
        Status.SKIPPED, source, null, null, null, 0, 0, 0, null, 0, reason, null, null);
  }
}
