package dev.retention.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.campaign.CampaignManifest;
import dev.retention.campaign.ContactBudget;
import dev.retention.campaign.HoldoutRule;
import dev.retention.model.ContactEconomics;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The campaign's first screen with an uplift model's money: a withheld amount says how many
 * contacted customers it hides (never a bare dash), a published one is shown, and the customers a
 * contact is expected to hurt are counted.
 */
class CampaignSectionTest {

  @Test
  void aWithheldAmountSaysHowManyCustomersItHides() {
    CampaignManifest manifest =
        new CampaignManifest(
            "spring-27",
            "v1",
            LocalDate.of(2027, 3, 1),
            new CampaignManifest.Rule(
                HoldoutRule.METHOD,
                0.1,
                CampaignManifest.BY_EXPECTED_PROFIT,
                ContactBudget.unlimited(),
                new ContactEconomics(0.5, 0.4),
                null),
            new CampaignManifest.Totals(1_000, 600, 70, 330, 45, 285, 0, null, null, 1, 12),
            List.of(
                new CampaignManifest.Stratum(
                    0, "champions · all bands", List.of("0/0"), 700, 588, 60, 52, 1234.5, 400.0),
                new CampaignManifest.Stratum(
                    1, "small segments", List.of("1/0"), 300, 12, 10, 278, null, null)),
            50);
    StringBuilder out = new StringBuilder();
    CampaignSection.render(out, manifest);
    String html = out.toString();
    assertTrue(html.contains("Contact these <b>600</b>"), html);
    assertTrue(html.contains("expected to hurt"), html);
    assertTrue(html.contains("<b>45</b>"), "sleeping dogs counted: " + html);
    assertTrue(html.contains("withheld (12 contacted customers)"), html);
    assertTrue(html.contains("1,235"), "a published amount: " + html);
    assertFalse(html.contains(">–<"), "no bare dash");
    assertFalse(html.contains("ranks by propensity"), "an uplift campaign does not say so");
  }
}
