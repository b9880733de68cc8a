package dev.retention.functions;

import dev.retention.service.train.TrainSummary;
import java.util.List;

/**
 * What the train function returns: one summary per S3 record.
 *
 * @param results per-object outcomes
 */
public record TrainResponse(List<TrainSummary> results) {}
