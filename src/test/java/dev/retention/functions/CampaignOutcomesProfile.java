package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The batch-score function with a campaign large enough to measure: 800 contacts and a 30 %
 * holdout, so that both arms pass the minimum segment size overall.
 */
public class CampaignOutcomesProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "batch-score",
        "retention.campaign.id",
        "spring-2027",
        "retention.campaign.budget-contacts",
        "800",
        "retention.campaign.holdout-share",
        "0.30");
  }
}
