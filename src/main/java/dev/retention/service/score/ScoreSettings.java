package dev.retention.service.score;

import java.time.Duration;

/**
 * How the score function answers. The churn-risk bands and actions come from the model's playbook.
 *
 * @param cacheTtl how long a loaded model is used before latest.json is re-checked
 * @param refreshTimeout the most one re-check (pointer and model) may take; past it the last good
 *     model keeps serving and the next re-check waits a TTL
 * @param maxBatch most customers per request
 * @param maxBodyBytes largest request body accepted
 */
public record ScoreSettings(
    Duration cacheTtl, Duration refreshTimeout, int maxBatch, int maxBodyBytes) {

  public ScoreSettings {
    if (maxBatch < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBatch and maxBodyBytes must be >= 1");
    }
    if (refreshTimeout.isNegative() || refreshTimeout.isZero()) {
      throw new IllegalArgumentException("refreshTimeout must be positive");
    }
  }
}
