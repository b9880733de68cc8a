package dev.retention.campaign;

/**
 * A planned campaign: each customer's group and numbers (in the candidates' order) and the
 * manifest. Per-customer arrays are the shop's own data, for its scores file; only the manifest is
 * aggregate.
 *
 * @param manifest the aggregates
 * @param group each customer's group
 * @param stratum each customer's stratum index in the manifest
 * @param priority each customer's place in the ranking, 1 = first (the scores file's order)
 * @param expectedIncrementalRevenue uplift × order value; NaN without an uplift model
 * @param expectedIncrementalProfit uplift × margin × order value − cost; NaN without an uplift
 *     model
 * @param sleepingDog uplift below 0
 */
public record CampaignPlan(
    CampaignManifest manifest,
    Group[] group,
    int[] stratum,
    int[] priority,
    double[] expectedIncrementalRevenue,
    double[] expectedIncrementalProfit,
    boolean[] sleepingDog) {

  /** The customers' indexes in priority order. */
  public int[] inPriorityOrder() {
    int[] out = new int[priority.length];
    for (int i = 0; i < priority.length; i++) {
      out[priority[i] - 1] = i;
    }
    return out;
  }
}
