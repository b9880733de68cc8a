package dev.retention.service;

import java.time.Duration;

/**
 * How the score function answers.
 *
 * @param cacheTtl how long a loaded model is used before latest.json is re-checked
 * @param maxBatch most customers per request
 * @param maxBodyBytes largest request body accepted
 * @param highRiskBelow repurchase probability under which churn risk is "high" (default 0.33)
 * @param mediumRiskBelow repurchase probability under which churn risk is "medium" (default 0.66)
 */
public record ScoreSettings(
    Duration cacheTtl,
    int maxBatch,
    int maxBodyBytes,
    double highRiskBelow,
    double mediumRiskBelow) {

  public ScoreSettings {
    if (!(0 <= highRiskBelow && highRiskBelow <= mediumRiskBelow && mediumRiskBelow <= 1)) {
      throw new IllegalArgumentException(
          "risk band cut points must satisfy 0 <= high <= medium <= 1, got "
              + highRiskBelow
              + ", "
              + mediumRiskBelow);
    }
    if (maxBatch < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBatch and maxBodyBytes must be >= 1");
    }
  }

  /** Churn-risk band of a repurchase probability. */
  public String band(double repurchaseProbability) {
    if (repurchaseProbability < highRiskBelow) {
      return "high";
    }
    return repurchaseProbability < mediumRiskBelow ? "medium" : "low";
  }
}
