package dev.retention.campaign;

import dev.retention.core.Intervals.Interval;
import java.util.List;
import java.util.Map;

/**
 * A campaign's measured lift: contact against holdout, overall and per stratum, in aggregates only.
 * A comparison is published only when both of its arms hold at least {@code minimumSize} customers;
 * otherwise it is null and its counts say how many customers it hides.
 *
 * @param campaignId the campaign
 * @param overall the whole campaign, null when an arm is below the minimum size
 * @param strata every stratum of the manifest, its comparison null when withheld
 * @param withheldStrata strata whose comparison is withheld
 * @param withheldCustomers contact and holdout customers of those strata
 * @param skipped outcomes of skipped customers (not compared)
 * @param minimumSize the privacy rule's minimum size
 * @param options how it was measured
 */
public record LiftResult(
    String campaignId,
    Comparison overall,
    List<StratumLift> strata,
    int withheldStrata,
    long withheldCustomers,
    long skipped,
    int minimumSize,
    Map<String, Object> options) {

  public LiftResult {
    strata = List.copyOf(strata);
    options = Map.copyOf(options);
  }

  /**
   * One stratum.
   *
   * @param comparison null when withheld
   */
  public record StratumLift(
      int index,
      String label,
      long contactCustomers,
      long holdoutCustomers,
      Comparison comparison) {}

  /**
   * One arm's outcomes.
   *
   * @param customers in the arm
   * @param buyers who bought in the window
   * @param repurchaseRate buyers / customers with its Wilson interval
   * @param revenuePerCustomer mean revenue in the window
   */
  public record Arm(
      long customers, long buyers, Interval repurchaseRate, double revenuePerCustomer) {}

  /**
   * Contact against holdout.
   *
   * @param rateDifference contact rate − holdout rate, Newcombe's hybrid score interval
   * @param revenueDifference revenue per customer, contact − holdout, Welch's interval
   * @param welchDegreesOfFreedom of that interval
   * @param revenueDifferenceBootstrap the same difference, percentile bootstrap (null when off)
   * @param incrementalBuyers rate difference × contacted customers
   * @param incrementalRevenue revenue difference × contacted customers (Welch)
   * @param minimumDetectableRateDifference smallest rate difference these sizes detect (two-sided
   *     at {@code 1 - confidence}, with the options' power)
   * @param minimumDetectableRevenueDifference the same for revenue per customer
   */
  public record Comparison(
      Arm contact,
      Arm holdout,
      Interval rateDifference,
      Interval revenueDifference,
      double welchDegreesOfFreedom,
      Interval revenueDifferenceBootstrap,
      Interval incrementalBuyers,
      Interval incrementalRevenue,
      double minimumDetectableRateDifference,
      double minimumDetectableRevenueDifference) {}
}
