package dev.retention.campaign;

import dev.retention.core.Described;
import dev.retention.model.ContactEconomics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a campaign selects and holds out customers.
 *
 * @param holdoutShare the share of selected customers held out (default {@value
 *     HoldoutRule#DEFAULT_SHARE}), see {@link HoldoutRule}
 * @param budget the contact budget (default unlimited)
 * @param economics cost per contact and gross margin (default 0 and 1)
 */
public record CampaignOptions(double holdoutShare, ContactBudget budget, ContactEconomics economics)
    implements Described {

  public CampaignOptions {
    if (!(holdoutShare >= 0 && holdoutShare <= 0.5)) {
      throw new IllegalArgumentException(
          "the holdout share must be in [0, 0.5], got " + holdoutShare);
    }
    if (budget == null || economics == null) {
      throw new IllegalArgumentException("a campaign needs a budget and its economics");
    }
    // A money budget needs a price per contact: refuse it here, not half-way through a plan.
    budget.maxContacts(economics.costPerContact());
  }

  public static CampaignOptions defaults() {
    return new CampaignOptions(
        HoldoutRule.DEFAULT_SHARE, ContactBudget.unlimited(), ContactEconomics.defaults());
  }

  public CampaignOptions withHoldoutShare(double share) {
    return new CampaignOptions(share, budget, economics);
  }

  public CampaignOptions withBudget(ContactBudget newBudget) {
    return new CampaignOptions(holdoutShare, newBudget, economics);
  }

  public CampaignOptions withEconomics(ContactEconomics newEconomics) {
    return new CampaignOptions(holdoutShare, budget, newEconomics);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("holdoutShare", holdoutShare);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("kind", budget.kind().name());
    b.put("amount", budget.amount());
    out.put("budget", b);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("costPerContact", economics.costPerContact());
    e.put("grossMargin", economics.grossMargin());
    out.put("economics", e);
    return out;
  }
}
