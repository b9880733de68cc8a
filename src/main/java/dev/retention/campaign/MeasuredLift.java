package dev.retention.campaign;

import dev.retention.core.Intervals;
import dev.retention.core.Intervals.Interval;
import dev.retention.core.Moments;
import java.util.ArrayList;
import java.util.List;

/**
 * What a campaign changed, measured from its outcomes: for the contacted customers against the
 * holdout (the same kind of customers, left alone by a random rule), the repurchase rate and the
 * revenue per customer in the window, their differences with intervals, the increments in buyers
 * and money, and the smallest effect the achieved sizes could detect. Formulas and references in
 * {@link Intervals}:
 *
 * <ul>
 *   <li>each arm's rate with Wilson's interval, the rate difference with Newcombe's hybrid score
 *       interval (method 10);
 *   <li>the revenue difference with Welch's interval and, unless turned off, a seeded percentile
 *       bootstrap;
 *   <li>incremental buyers and revenue: the difference and its limits × the contacted customers;
 *   <li>minimum detectable difference at level {@code alpha = 1 - confidence} and the options'
 *       power, with the pooled standard deviation ({@code sqrt(p (1 - p))} of the pooled rate for
 *       rates).
 * </ul>
 *
 * <p>Overall is the pooled comparison of all contacted against all held-out customers: every
 * selected customer had the same chance of being held out, so it is an unbiased estimate of the
 * effect on the selected customers. Per stratum the same comparison within the stratum.
 *
 * <p>Privacy: a comparison is published only when both arms hold at least the minimum size. When
 * the withheld strata together hold fewer than that many customers of an arm (but some), the
 * overall result minus the published strata would reveal them, so further strata (smallest holdout
 * first) are withheld until they do not.
 */
public final class MeasuredLift {

  private MeasuredLift() {}

  /**
   * Measures the campaign.
   *
   * @throws IllegalArgumentException when the outcomes do not have the manifest's strata
   */
  public static LiftResult measure(
      CampaignOutcomes outcomes, CampaignManifest manifest, LiftOptions options) {
    return measure(
        outcomes,
        manifest.campaignId(),
        manifest.strata().stream().map(CampaignManifest.Stratum::label).toList(),
        manifest.minimumSize(),
        options);
  }

  /**
   * Measures any randomized comparison of a contact against a holdout (a campaign the product did
   * not plan, an experiment), with its strata's names.
   *
   * @throws IllegalArgumentException when the outcomes do not have one stratum per label
   */
  public static LiftResult measure(
      CampaignOutcomes outcomes,
      String campaignId,
      List<String> strataLabels,
      int minimumSize,
      LiftOptions options) {
    int strata = strataLabels.size();
    if (outcomes.strata() != strata) {
      throw new IllegalArgumentException(
          "the outcomes have " + outcomes.strata() + " strata, the campaign " + strata);
    }
    int m = Math.max(2, minimumSize);
    boolean[] shown = publishable(outcomes, strata, m);
    List<LiftResult.StratumLift> perStratum = new ArrayList<>();
    int withheld = 0;
    long withheldCustomers = 0;
    for (int s = 0; s < strata; s++) {
      long contact = outcomes.customers(s, CampaignOutcomes.CONTACT);
      long holdout = outcomes.customers(s, CampaignOutcomes.HOLDOUT);
      LiftResult.Comparison comparison = null;
      if (shown[s]) {
        comparison =
            compare(
                outcomes.buyers(s, CampaignOutcomes.CONTACT),
                outcomes.values(s, CampaignOutcomes.CONTACT),
                outcomes.buyers(s, CampaignOutcomes.HOLDOUT),
                outcomes.values(s, CampaignOutcomes.HOLDOUT),
                options);
      } else if (contact + holdout > 0) {
        withheld++;
        withheldCustomers += contact + holdout;
      }
      perStratum.add(
          new LiftResult.StratumLift(s, strataLabels.get(s), contact, holdout, comparison));
    }
    return new LiftResult(
        campaignId,
        overall(outcomes, strata, m, options),
        perStratum,
        withheld,
        withheldCustomers,
        outcomes.skipped(),
        minimumSize,
        options.describe());
  }

  /** Which strata may be published: both arms >= m, then complementary withholding. */
  private static boolean[] publishable(CampaignOutcomes outcomes, int strata, int m) {
    boolean[] shown = new boolean[strata];
    for (int s = 0; s < strata; s++) {
      shown[s] =
          outcomes.customers(s, CampaignOutcomes.CONTACT) >= m
              && outcomes.customers(s, CampaignOutcomes.HOLDOUT) >= m;
    }
    while (revealsWithheld(outcomes, shown, m)) {
      int smallest = -1;
      for (int s = 0; s < strata; s++) {
        if (shown[s]
            && (smallest < 0
                || outcomes.customers(s, CampaignOutcomes.HOLDOUT)
                    < outcomes.customers(smallest, CampaignOutcomes.HOLDOUT))) {
          smallest = s;
        }
      }
      shown[smallest] = false;
    }
    return shown;
  }

  /** Whether some shown stratum remains and an arm of the withheld ones holds 1 to m - 1. */
  private static boolean revealsWithheld(CampaignOutcomes outcomes, boolean[] shown, int m) {
    boolean anyShown = false;
    long[] hidden = new long[2];
    for (int s = 0; s < shown.length; s++) {
      if (shown[s]) {
        anyShown = true;
      } else {
        hidden[0] += outcomes.customers(s, CampaignOutcomes.HOLDOUT);
        hidden[1] += outcomes.customers(s, CampaignOutcomes.CONTACT);
      }
    }
    return anyShown && ((hidden[0] > 0 && hidden[0] < m) || (hidden[1] > 0 && hidden[1] < m));
  }

  private static LiftResult.Comparison overall(
      CampaignOutcomes outcomes, int strata, int m, LiftOptions options) {
    long[] buyers = new long[2];
    double[][] values = new double[2][];
    for (int arm = 0; arm < 2; arm++) {
      int total = 0;
      for (int s = 0; s < strata; s++) {
        buyers[arm] += outcomes.buyers(s, arm);
        total += (int) outcomes.customers(s, arm);
      }
      values[arm] = new double[total];
      int at = 0;
      for (int s = 0; s < strata; s++) {
        double[] v = outcomes.values(s, arm);
        System.arraycopy(v, 0, values[arm], at, v.length);
        at += v.length;
      }
      java.util.Arrays.sort(values[arm]);
    }
    if (values[CampaignOutcomes.CONTACT].length < m
        || values[CampaignOutcomes.HOLDOUT].length < m) {
      return null;
    }
    return compare(
        buyers[CampaignOutcomes.CONTACT],
        values[CampaignOutcomes.CONTACT],
        buyers[CampaignOutcomes.HOLDOUT],
        values[CampaignOutcomes.HOLDOUT],
        options);
  }

  /**
   * Contact ({@code 1}) against holdout ({@code 0}), from each arm's buyers and sorted revenue
   * values; both arms hold at least two customers. Every comparison's bootstrap starts from the
   * options' seed, so a campaign of one stratum shows the same numbers overall and for it.
   */
  static LiftResult.Comparison compare(
      long buyers1, double[] values1, long buyers0, double[] values0, LiftOptions options) {
    Moments revenue1 = Moments.of(values1);
    Moments revenue0 = Moments.of(values0);
    long n1 = revenue1.count();
    long n0 = revenue0.count();
    double confidence = options.confidence();
    LiftResult.Arm contact =
        new LiftResult.Arm(n1, buyers1, Intervals.wilson(buyers1, n1, confidence), revenue1.mean());
    LiftResult.Arm holdout =
        new LiftResult.Arm(n0, buyers0, Intervals.wilson(buyers0, n0, confidence), revenue0.mean());
    Interval rate = Intervals.newcombe(buyers1, n1, buyers0, n0, confidence);
    Interval revenue = Intervals.welch(revenue1, revenue0, confidence);
    Interval bootstrap =
        options.bootstrapResamples() == 0
            ? null
            : Intervals.bootstrapMeanDifference(
                values1, values0, options.bootstrapResamples(), confidence, options.seed());
    double pooledRate = (double) (buyers1 + buyers0) / (n1 + n0);
    double alpha = 1 - confidence;
    double rateMde =
        Intervals.minimumDetectableDifference(
            Math.sqrt(pooledRate * (1 - pooledRate)), n1, n0, alpha, options.power());
    double pooledVariance =
        ((n1 - 1) * revenue1.variance() + (n0 - 1) * revenue0.variance()) / (n1 + n0 - 2);
    double revenueMde =
        Intervals.minimumDetectableDifference(
            Math.sqrt(pooledVariance), n1, n0, alpha, options.power());
    return new LiftResult.Comparison(
        contact,
        holdout,
        rate,
        revenue,
        Intervals.welchDegreesOfFreedom(revenue1, revenue0),
        bootstrap,
        rate.times(n1),
        revenue.times(n1),
        rateMde,
        revenueMde);
  }
}
