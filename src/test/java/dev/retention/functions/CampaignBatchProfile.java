package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The batch-score function with a campaign: an id, a budget of 400 contacts, 10 % holdout. */
public class CampaignBatchProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "batch-score",
        "retention.campaign.id",
        "winter-2026",
        "retention.campaign.budget-contacts",
        "400",
        "retention.campaign.cost-per-contact",
        "0.50");
  }
}
