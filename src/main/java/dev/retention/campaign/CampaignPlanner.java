package dev.retention.campaign;

import dev.retention.model.ContactEconomics;
import dev.retention.model.Playbook;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans a campaign from scored candidates: rank, select within the budget, hold out, and summarise.
 *
 * <ol>
 *   <li><b>Rank</b>: with an uplift model by expected incremental profit ({@link
 *       ContactEconomics}), else by the candidates' priority (value at risk); ties by customer id,
 *       so the same customers in any order get the same plan.
 *   <li><b>Select</b>: walking down the ranking, a customer who is worth contacting (positive
 *       expected profit and not a sleeping dog; or eligible, without an uplift model) is selected
 *       while the contacts so far are below the budget's maximum; everyone else is skipped.
 *   <li><b>Hold out</b>: a selected customer whom the {@link HoldoutRule} holds out goes to the
 *       holdout (costing nothing, so the budget buys the same contacts), the others are contacted.
 *       The holdout thus comes from exactly the customers the campaign would contact: the
 *       comparison of contact and holdout measures what the contact changed for them.
 *   <li><b>Summarise</b>: strata merged to the minimum size ({@link Strata}), the manifest.
 * </ol>
 */
public final class CampaignPlanner {

  private CampaignPlanner() {}

  /**
   * Who the campaign is, for the manifest.
   *
   * @param campaignId the campaign's id (see {@link HoldoutRule})
   * @param modelVersion the scoring model's version
   * @param asOf the day the customers' features describe
   * @param segmentNames the model's segment names by index
   * @param minimumSize the minimum segment size of the privacy rule
   */
  public record Context(
      String campaignId,
      String modelVersion,
      LocalDate asOf,
      List<String> segmentNames,
      int minimumSize) {

    public Context {
      segmentNames = List.copyOf(segmentNames);
      if (minimumSize < 1) {
        throw new IllegalArgumentException("the minimum size must be >= 1, got " + minimumSize);
      }
    }
  }

  /**
   * Plans the campaign.
   *
   * @throws IllegalArgumentException on a customer id that appears twice (named by its rows)
   */
  public static CampaignPlan plan(Candidates candidates, CampaignOptions options, Context context) {
    int n = candidates.size();
    HoldoutRule.Assigner holdout =
        new HoldoutRule(context.campaignId(), options.holdoutShare()).assigner();
    Sorting.byId(candidates.customerIds(), "candidates");
    double[] revenue = new double[n];
    double[] profit = new double[n];
    double[] score = new double[n];
    boolean[] worth = new boolean[n];
    boolean[] sleepingDog = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (candidates.hasUplift()) {
        ContactEconomics.Decision d =
            options.economics().decide(candidates.uplift()[i], candidates.orderValue()[i]);
        revenue[i] = d.expectedIncrementalRevenue();
        profit[i] = d.expectedIncrementalProfit();
        score[i] = profit[i];
        worth[i] = d.worthContacting();
        sleepingDog[i] = d.sleepingDog();
      } else {
        revenue[i] = Double.NaN;
        profit[i] = Double.NaN;
        score[i] = candidates.priority()[i];
        worth[i] = candidates.eligible() == null || candidates.eligible()[i];
      }
    }
    int[] order = rank(score, candidates.customerIds());
    long maxContacts = options.budget().maxContacts(options.economics().costPerContact());
    Group[] group = new Group[n];
    int[] priority = new int[n];
    long contacts = 0;
    long overBudget = 0;
    for (int p = 0; p < n; p++) {
      int i = order[p];
      priority[i] = p + 1;
      if (!worth[i]) {
        group[i] = Group.SKIP;
      } else if (contacts >= maxContacts) {
        group[i] = Group.SKIP;
        overBudget++;
      } else if (holdout.holdsOut(candidates.customerIds()[i])) {
        group[i] = Group.HOLDOUT;
      } else {
        group[i] = Group.CONTACT;
        contacts++;
      }
    }
    Strata strata = strata(candidates, group, context);
    int[] stratum = new int[n];
    for (int i = 0; i < n; i++) {
      stratum[i] = strata.of(candidates.segment()[i], candidates.band()[i]);
    }
    CampaignManifest manifest =
        manifest(
            candidates,
            options,
            context,
            strata,
            stratum,
            group,
            revenue,
            profit,
            sleepingDog,
            overBudget,
            maxContacts,
            order);
    return new CampaignPlan(manifest, group, stratum, priority, revenue, profit, sleepingDog);
  }

  /** Indexes by descending score, ties by ascending customer id. */
  static int[] rank(double[] score, String[] ids) {
    return Sorting.order(
        score.length,
        (x, y) -> score[x] != score[y] ? score[x] > score[y] : ids[x].compareTo(ids[y]) < 0);
  }

  private static Strata strata(Candidates candidates, Group[] group, Context context) {
    int bands = Playbook.BANDS.size();
    long[] participants = new long[Math.max(1, candidates.segments()) * bands];
    for (int i = 0; i < group.length; i++) {
      if (group[i] != Group.SKIP) {
        participants[candidates.segment()[i] * bands + candidates.band()[i]]++;
      }
    }
    return Strata.merge(participants, context.segmentNames(), context.minimumSize());
  }

  private static CampaignManifest manifest(
      Candidates candidates,
      CampaignOptions options,
      Context context,
      Strata strata,
      int[] stratum,
      Group[] group,
      double[] revenue,
      double[] profit,
      boolean[] sleepingDog,
      long overBudget,
      long maxContacts,
      int[] order) {
    int s = strata.size();
    long[][] counts = new long[s][Group.values().length];
    double[] stratumRevenue = new double[s];
    double[] stratumProfit = new double[s];
    long dogs = 0;
    // Summed in ranking order, not input order: the same customers in any order give the same
    // money to the last digit.
    for (int i : order) {
      counts[stratum[i]][group[i].ordinal()]++;
      if (group[i] == Group.CONTACT) {
        stratumRevenue[stratum[i]] += revenue[i];
        stratumProfit[stratum[i]] += profit[i];
      }
      if (group[i] == Group.SKIP && sleepingDog[i]) {
        dogs++;
      }
    }
    int m = context.minimumSize();
    boolean money = candidates.hasUplift();
    List<CampaignManifest.Stratum> published = new ArrayList<>();
    long contacts = 0;
    long holdouts = 0;
    long skips = 0;
    double totalRevenue = 0;
    double totalProfit = 0;
    int withheldStrata = 0;
    long withheldContacts = 0;
    for (int k = 0; k < s; k++) {
      long contact = counts[k][Group.CONTACT.ordinal()];
      long holdout = counts[k][Group.HOLDOUT.ordinal()];
      long skip = counts[k][Group.SKIP.ordinal()];
      contacts += contact;
      holdouts += holdout;
      skips += skip;
      totalRevenue += stratumRevenue[k];
      totalProfit += stratumProfit[k];
      boolean shown = money && contact >= m;
      if (money && !shown && contact > 0) {
        withheldStrata++;
        withheldContacts += contact;
      }
      published.add(
          new CampaignManifest.Stratum(
              k,
              strata.labels().get(k),
              strata.members().get(k),
              contact + holdout + skip,
              contact,
              holdout,
              skip,
              shown ? stratumRevenue[k] : null,
              shown ? stratumProfit[k] : null));
    }
    boolean totalShown = money && contacts >= m && (withheldContacts == 0 || withheldContacts >= m);
    long notWorth = skips - overBudget - dogs;
    CampaignManifest.Rule rule =
        new CampaignManifest.Rule(
            HoldoutRule.METHOD,
            options.holdoutShare(),
            money ? CampaignManifest.BY_EXPECTED_PROFIT : CampaignManifest.BY_VALUE_AT_RISK,
            options.budget(),
            options.economics(),
            maxContacts == Long.MAX_VALUE ? null : maxContacts);
    CampaignManifest.Totals totals =
        new CampaignManifest.Totals(
            group.length,
            contacts,
            holdouts,
            skips,
            dogs,
            notWorth,
            overBudget,
            totalShown ? totalRevenue : null,
            totalShown ? totalProfit : null,
            withheldStrata,
            withheldContacts);
    return new CampaignManifest(
        context.campaignId(), context.modelVersion(), context.asOf(), rule, totals, published, m);
  }
}
