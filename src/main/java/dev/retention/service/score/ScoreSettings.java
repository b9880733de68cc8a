package dev.retention.service.score;

import java.time.Duration;

/**
 * How the score function answers. The churn-risk bands and actions come from the model's playbook.
 *
 * @param cacheTtl how long a loaded model is used before latest.json is re-checked
 * @param maxBatch most customers per request
 * @param maxBodyBytes largest request body accepted
 */
public record ScoreSettings(Duration cacheTtl, int maxBatch, int maxBodyBytes) {

  public ScoreSettings {
    if (maxBatch < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBatch and maxBodyBytes must be >= 1");
    }
  }
}
