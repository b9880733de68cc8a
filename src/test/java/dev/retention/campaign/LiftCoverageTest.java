package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.GammaFunctions;
import dev.retention.testing.UpliftSimulation;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The measured-lift intervals cover the true lift in about 95 % of seeded campaigns of {@link
 * UpliftSimulation}: each seed draws a population, plans a campaign with the product's planner (the
 * hash holdout, default 10 %), draws the outcomes and measures them with {@link MeasuredLift}. The
 * truth is the campaign's own: the mean of the customers' true effects {@code tau} (and {@code tau}
 * × mean order value for revenue) over its contacted and held-out customers.
 *
 * <p>The acceptance band is computed, not guessed ({@link #band}): with {@code N} campaigns the
 * number covered is binomial. The band is chosen so that an interval whose true coverage is
 * anywhere in [{@value #TOLERATED_LOW}, {@value #TOLERATED_HIGH}] fails with probability below 1e-4
 * on each side, and the test then checks that a broken interval, one of 90 % or of 99 % coverage
 * (e.g. z = 1.645 or 2.576 instead of 1.96), would pass with probability below 1e-3.
 */
class LiftCoverageTest {

  static final double TOLERATED_LOW = 0.94;
  static final double TOLERATED_HIGH = 0.96;
  private static final double FALSE_FAIL = 1e-4;
  private static final double FALSE_PASS = 1e-3;

  /** {@code P(X <= k)} for {@code X ~ Binomial(n, p)}, summed in log space. */
  static double binomialCdf(int k, int n, double p) {
    double sum = 0;
    for (int j = 0; j <= k; j++) {
      sum +=
          Math.exp(
              GammaFunctions.logGamma(n + 1.0)
                  - GammaFunctions.logGamma(j + 1.0)
                  - GammaFunctions.logGamma(n - j + 1.0)
                  + j * Math.log(p)
                  + (n - j) * Math.log1p(-p));
    }
    return Math.min(1, sum);
  }

  /**
   * {@code [low, high]}: the fewest and most covered campaigns accepted. {@code low} is the largest
   * count with {@code P(X < low | TOLERATED_LOW) <= FALSE_FAIL}, {@code high} the smallest with
   * {@code P(X > high | TOLERATED_HIGH) <= FALSE_FAIL}.
   */
  static int[] band(int n) {
    return band(n, TOLERATED_LOW, TOLERATED_HIGH);
  }

  static int[] band(int n, double toleratedLow, double toleratedHigh) {
    int low = 0;
    while (binomialCdf(low, n, toleratedLow) <= FALSE_FAIL) {
      low++;
    }
    int high = n;
    while (high > 0 && 1 - binomialCdf(high - 1, n, toleratedHigh) <= FALSE_FAIL) {
      high--;
    }
    return new int[] {low, high};
  }

  static double passProbability(int n, double coverage, int[] band) {
    return binomialCdf(band[1], n, coverage)
        - (band[0] == 0 ? 0 : binomialCdf(band[0] - 1, n, coverage));
  }

  private static final int CAMPAIGNS = 2500;
  private static final int CUSTOMERS = 2000;

  @Test
  void theBandHasPower() {
    int[] band = band(CAMPAIGNS);
    assertTrue(passProbability(CAMPAIGNS, 0.90, band) < FALSE_PASS, "a 90 % interval fails");
    assertTrue(passProbability(CAMPAIGNS, 0.99, band) < FALSE_PASS, "a 99 % interval fails");
    assertTrue(1 - passProbability(CAMPAIGNS, TOLERATED_LOW, band) < 2 * FALSE_FAIL);
    assertTrue(1 - passProbability(CAMPAIGNS, TOLERATED_HIGH, band) < 2 * FALSE_FAIL);
  }

  @Test
  void intervalsCoverTheTrueLift() {
    int rate = 0;
    int revenue = 0;
    int bootstrap = 0;
    int bootstrapRuns = 0;
    for (int seed = 1; seed <= CAMPAIGNS; seed++) {
      UpliftSimulation.Customers c =
          UpliftSimulation.customers(
              1000L + seed, CUSTOMERS, UpliftSimulation.Parameters.defaults());
      double[] priority = new double[c.size()];
      for (int i = 0; i < priority.length; i++) {
        priority[i] = 1 - c.buyIfLeftAlone(i);
      }
      CampaignPlan plan =
          CampaignPlanner.plan(
              Candidates.byValueAtRisk(c.ids(), c.segment(), c.band(), priority, null),
              CampaignOptions.defaults(),
              new CampaignPlanner.Context(
                  "sim-" + seed, "v1", LocalDate.of(2026, 1, 1), List.of(), 50));
      boolean[] contacted = new boolean[c.size()];
      double tau = 0;
      double tauRevenue = 0;
      int participants = 0;
      for (int i = 0; i < c.size(); i++) {
        contacted[i] = plan.group()[i] == Group.CONTACT;
        if (plan.group()[i] != Group.SKIP) {
          tau += c.tau(i);
          tauRevenue += c.tau(i) * c.meanOrderValue()[i];
          participants++;
        }
      }
      tau /= participants;
      tauRevenue /= participants;
      UpliftSimulation.Outcomes drawn = UpliftSimulation.outcomes(c, contacted, 7000L + seed);
      CampaignOutcomes outcomes = CampaignOutcomes.of(plan.manifest());
      for (int i = 0; i < c.size(); i++) {
        outcomes.add(
            plan.group()[i], plan.stratum()[i], drawn.bought()[i] == 1, drawn.revenue()[i]);
      }
      boolean withBootstrap = seed % 10 == 0;
      LiftResult result =
          MeasuredLift.measure(
              outcomes,
              plan.manifest(),
              LiftOptions.defaults().withBootstrapResamples(withBootstrap ? 1000 : 0));
      LiftResult.Comparison overall = result.overall();
      rate += overall.rateDifference().contains(tau) ? 1 : 0;
      revenue += overall.revenueDifference().contains(tauRevenue) ? 1 : 0;
      if (withBootstrap) {
        bootstrapRuns++;
        bootstrap += overall.revenueDifferenceBootstrap().contains(tauRevenue) ? 1 : 0;
      }
    }
    int[] band = band(CAMPAIGNS);
    System.out.printf(
        Locale.ROOT,
        "coverage over %d campaigns of %d customers (accepted %d..%d): rate (Newcombe) %d = %.4f,"
            + " revenue (Welch) %d = %.4f; bootstrap over %d: %d = %.4f%n",
        CAMPAIGNS,
        CUSTOMERS,
        band[0],
        band[1],
        rate,
        (double) rate / CAMPAIGNS,
        revenue,
        (double) revenue / CAMPAIGNS,
        bootstrapRuns,
        bootstrap,
        (double) bootstrap / bootstrapRuns);
    assertTrue(rate >= band[0] && rate <= band[1], "Newcombe covers in " + rate);
    assertTrue(revenue >= band[0] && revenue <= band[1], "Welch covers in " + revenue);
    int[] bootstrapBand = band(bootstrapRuns, 0.90, 0.97);
    assertTrue(
        bootstrap >= bootstrapBand[0] && bootstrap <= bootstrapBand[1],
        "the bootstrap covers in " + bootstrap + " of " + bootstrapRuns);
  }
}
