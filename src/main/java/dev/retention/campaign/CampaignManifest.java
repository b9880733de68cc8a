package dev.retention.campaign;

import dev.retention.model.ContactEconomics;
import java.time.LocalDate;
import java.util.List;

/**
 * What a campaign did, in aggregates only (no customer id, no customer's value): stored next to the
 * scores so that the outcomes can be measured against it, and shown to the operator.
 *
 * <p>Money (expected incremental revenue and profit of the contacted customers) is published for a
 * stratum only when it sums at least {@code minimumSize} contacted customers, and the total only
 * when the contacted customers of withheld strata are none or at least {@code minimumSize}, so that
 * no withheld stratum can be recovered as the total minus the published ones. Counts are published
 * as they are (how many customers are in a group is nobody's value). Money is null when withheld
 * and when the campaign ranks by value at risk (no uplift model, so no expected increment).
 *
 * @param campaignId the campaign's id
 * @param modelVersion the version of the model that scored the customers
 * @param asOf the day the customers' features describe
 * @param rule how customers were ranked, selected and held out
 * @param totals the whole campaign
 * @param strata per published stratum (see {@link Strata})
 * @param minimumSize the minimum segment size the privacy rule used
 */
public record CampaignManifest(
    String campaignId,
    String modelVersion,
    LocalDate asOf,
    Rule rule,
    Totals totals,
    List<Stratum> strata,
    int minimumSize) {

  public CampaignManifest {
    strata = List.copyOf(strata);
  }

  /** The ranking of a campaign with an uplift model. */
  public static final String BY_EXPECTED_PROFIT = "expected-incremental-profit";

  /** The ranking without one. */
  public static final String BY_VALUE_AT_RISK = "value-at-risk";

  /**
   * The selection rule.
   *
   * @param assignment {@link HoldoutRule#METHOD}
   * @param holdoutShare the share held out
   * @param ranking {@link #BY_EXPECTED_PROFIT} or {@link #BY_VALUE_AT_RISK}
   * @param budget the contact budget
   * @param economics cost per contact and gross margin
   * @param maxContacts the most contacts the budget allows (null: unlimited)
   */
  public record Rule(
      String assignment,
      double holdoutShare,
      String ranking,
      ContactBudget budget,
      ContactEconomics economics,
      Long maxContacts) {}

  /**
   * Counts of the whole campaign.
   *
   * @param skippedSleepingDogs skipped because a contact is expected to lose a purchase
   * @param skippedNotWorthContacting skipped because the expected profit is not positive (or not
   *     eligible without an uplift model)
   * @param skippedOverBudget worth contacting, but beyond the budget
   * @param expectedIncrementalRevenue of the contacted customers, null when withheld or unknown
   * @param expectedIncrementalProfit of the contacted customers, net of contact costs
   * @param withheldStrata strata whose money is withheld
   * @param withheldContacts contacted customers in those strata
   */
  public record Totals(
      long customers,
      long contact,
      long holdout,
      long skip,
      long skippedSleepingDogs,
      long skippedNotWorthContacting,
      long skippedOverBudget,
      Double expectedIncrementalRevenue,
      Double expectedIncrementalProfit,
      int withheldStrata,
      long withheldContacts) {}

  /**
   * One stratum.
   *
   * @param index the stratum's index (the {@code stratum} of each customer's row)
   * @param label its name
   * @param members its segment/band keys
   * @param expectedIncrementalRevenue of its contacted customers, null when withheld or unknown
   * @param expectedIncrementalProfit of its contacted customers, null when withheld or unknown
   */
  public record Stratum(
      int index,
      String label,
      List<String> members,
      long customers,
      long contact,
      long holdout,
      long skip,
      Double expectedIncrementalRevenue,
      Double expectedIncrementalProfit) {

    public Stratum {
      members = List.copyOf(members);
    }

    /** Contact plus holdout: the customers of the comparison. */
    public long participants() {
      return contact + holdout;
    }
  }
}
