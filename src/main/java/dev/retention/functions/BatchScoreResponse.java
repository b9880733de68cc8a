package dev.retention.functions;

import dev.retention.service.batch.BatchSummary;
import java.util.List;

/**
 * What the batch-score function returns: one summary per S3 record.
 *
 * @param results per-export outcomes
 */
public record BatchScoreResponse(List<BatchSummary> results) {}
