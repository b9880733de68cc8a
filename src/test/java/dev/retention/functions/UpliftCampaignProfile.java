package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The batch-score function of a shop that trained on a past campaign's export (treatment column
 * {@code treated}) and now runs a campaign with a cost per contact and a gross margin.
 */
public class UpliftCampaignProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "batch-score",
        "retention.export.treatment-column",
        "treated",
        "retention.campaign.id",
        "spring-2027",
        "retention.campaign.budget-contacts",
        "1500",
        "retention.campaign.cost-per-contact",
        "0.50",
        "retention.campaign.gross-margin",
        "0.40");
  }
}
