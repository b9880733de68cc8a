package dev.retention.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Customers by segment and churn-risk band with their money (spend so far, predicted value, value
 * at risk): the report's first screen, for the training population and for each scored batch. The
 * one implementation of its disclosure rule:
 *
 * <ul>
 *   <li>a cell's money is published only when the cell holds at least the minimum segment size of
 *       customers; its count always is (a count of customers in a band, not anyone's value);
 *   <li>a band's total money is published only when the band holds at least the minimum size and
 *       its withheld cells together hold none or at least the minimum size, so that no withheld
 *       cell can be recovered as the total minus the published cells.
 * </ul>
 *
 * <p>With an uplift model ({@link Priority.Basis#EXPECTED_INCREMENTAL_PROFIT}) each cell also
 * carries its contact decisions ({@link UpliftCell}) under the same rule: a cell below the minimum
 * size publishes none of them, a band total only when its withheld cells cannot be recovered.
 *
 * @param segments per segment id, one cell per band in {@link Playbook#BANDS} order
 * @param totals per band, all segments together
 * @param uplift the contact decisions of the same cells and totals, or null without an uplift model
 *     (or for the training population, whose table the model file keeps without them)
 */
public record BandTable(
    List<List<RetentionModel.BandCell>> segments,
    List<RetentionModel.BandCell> totals,
    Uplift uplift) {

  /** A table without contact decisions. */
  public BandTable(
      List<List<RetentionModel.BandCell>> segments, List<RetentionModel.BandCell> totals) {
    this(segments, totals, null);
  }

  /**
   * The contact decisions ({@link ContactEconomics}) of a group of customers, all null when the
   * group is below the minimum size (or a band total would reveal such a group).
   *
   * @param worthContacting customers with a positive expected incremental profit, never sleeping
   *     dogs
   * @param sleepingDogs customers with a negative uplift (never contacted)
   * @param expectedIncrementalProfit the sum of {@code tau m v - c} over the customers worth
   *     contacting: what contacting them is expected to earn
   * @param expectedIncrementalRevenue the sum of {@code tau v} over the same customers
   */
  public record UpliftCell(
      Long worthContacting,
      Long sleepingDogs,
      Double expectedIncrementalProfit,
      Double expectedIncrementalRevenue) {

    /** Whether the rule withholds this group's decisions. */
    public boolean withheld() {
      return worthContacting == null;
    }
  }

  /**
   * @param segments per segment id, one cell per band, like {@link #segments()}
   * @param totals per band, like {@link #totals()}
   */
  public record Uplift(List<List<UpliftCell>> segments, List<UpliftCell> totals) {}

  /** Sums per (segment, band) cell, filled by the caller customer by customer. */
  public static final class Sums implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int k;
    private final long[] customers;
    private final double[] spend;
    private final double[] clv;
    private final double[] atRisk;
    private final long[] worth;
    private final long[] dogs;
    private final double[] profit;
    private final double[] revenue;
    private boolean hasSpend;
    private boolean hasClv;
    private boolean hasUplift;
    private long population;

    public Sums(int k) {
      this.k = k;
      int cells = k * Playbook.BANDS.size();
      customers = new long[cells];
      spend = new double[cells];
      clv = new double[cells];
      atRisk = new double[cells];
      worth = new long[cells];
      dogs = new long[cells];
      profit = new double[cells];
      revenue = new double[cells];
    }

    /**
     * Adds one customer.
     *
     * @param spendSoFar total spend up to the cutoff, or NaN when the data has none
     * @param predictedClv predicted CLV, or NaN without the customer-value layer
     */
    public void add(
        int segment, int band, double spendSoFar, double predictedClv, double probability) {
      int cell = segment * Playbook.BANDS.size() + band;
      customers[cell]++;
      population++;
      if (!Double.isNaN(spendSoFar)) {
        hasSpend = true;
        spend[cell] += spendSoFar;
      }
      if (!Double.isNaN(predictedClv)) {
        hasClv = true;
        clv[cell] += predictedClv;
        atRisk[cell] += CustomerValueModel.valueAtRisk(predictedClv, probability);
      }
    }

    /**
     * Adds the contact decision of a customer already {@link #add added} to this cell: an uplift
     * model's customers. The profit and revenue sum over the customers worth contacting.
     */
    public void addDecision(int segment, int band, ContactEconomics.Decision decision) {
      int cell = segment * Playbook.BANDS.size() + band;
      hasUplift = true;
      dogs[cell] += decision.sleepingDog() ? 1 : 0;
      if (decision.worthContacting()) {
        worth[cell]++;
        profit[cell] += decision.expectedIncrementalProfit();
        revenue[cell] += decision.expectedIncrementalRevenue();
      }
    }

    /** These sums with {@code other}'s added (the parts of a distributed dataset); returns this. */
    public Sums merge(Sums other) {
      if (other.k != k) {
        throw new IllegalArgumentException("sums of " + other.k + " segments into " + k);
      }
      for (int i = 0; i < customers.length; i++) {
        customers[i] += other.customers[i];
        spend[i] += other.spend[i];
        clv[i] += other.clv[i];
        atRisk[i] += other.atRisk[i];
        worth[i] += other.worth[i];
        dogs[i] += other.dogs[i];
        profit[i] += other.profit[i];
        revenue[i] += other.revenue[i];
      }
      hasSpend |= other.hasSpend;
      hasClv |= other.hasClv;
      hasUplift |= other.hasUplift;
      population += other.population;
      return this;
    }

    /** The table, with money withheld by the rule above. */
    public BandTable table(int minSize) {
      int bands = Playbook.BANDS.size();
      List<List<RetentionModel.BandCell>> segments = new ArrayList<>(k);
      long[] bandCustomers = new long[bands];
      long[] withheld = new long[bands];
      double[][] bandMoney = new double[bands][3];
      for (int j = 0; j < k; j++) {
        List<RetentionModel.BandCell> cells = new ArrayList<>(bands);
        for (int b = 0; b < bands; b++) {
          int cell = j * bands + b;
          cells.add(cell(b, customers[cell], spend[cell], clv[cell], atRisk[cell], minSize));
          bandCustomers[b] += customers[cell];
          if (customers[cell] > 0 && customers[cell] < minSize) {
            withheld[b] += customers[cell];
          }
          bandMoney[b][0] += spend[cell];
          bandMoney[b][1] += clv[cell];
          bandMoney[b][2] += atRisk[cell];
        }
        segments.add(List.copyOf(cells));
      }
      List<RetentionModel.BandCell> totals = new ArrayList<>(bands);
      for (int b = 0; b < bands; b++) {
        boolean safe = withheld[b] == 0 || withheld[b] >= minSize;
        totals.add(
            cell(
                b,
                bandCustomers[b],
                bandMoney[b][0],
                bandMoney[b][1],
                bandMoney[b][2],
                safe ? minSize : Long.MAX_VALUE));
      }
      return new BandTable(
          List.copyOf(segments), List.copyOf(totals), hasUplift ? uplift(minSize, withheld) : null);
    }

    /** The contact decisions per cell and band, by the same rule as the money. */
    private Uplift uplift(int minSize, long[] withheld) {
      int bands = Playbook.BANDS.size();
      List<List<UpliftCell>> segments = new ArrayList<>(k);
      long[] n = new long[bands];
      long[] bandWorth = new long[bands];
      long[] bandDogs = new long[bands];
      double[] bandProfit = new double[bands];
      double[] bandRevenue = new double[bands];
      for (int j = 0; j < k; j++) {
        List<UpliftCell> cells = new ArrayList<>(bands);
        for (int b = 0; b < bands; b++) {
          int cell = j * bands + b;
          cells.add(
              decisions(
                  customers[cell] >= minSize,
                  worth[cell],
                  dogs[cell],
                  profit[cell],
                  revenue[cell]));
          n[b] += customers[cell];
          bandWorth[b] += worth[cell];
          bandDogs[b] += dogs[cell];
          bandProfit[b] += profit[cell];
          bandRevenue[b] += revenue[cell];
        }
        segments.add(List.copyOf(cells));
      }
      List<UpliftCell> totals = new ArrayList<>(bands);
      for (int b = 0; b < bands; b++) {
        boolean safe = n[b] >= minSize && (withheld[b] == 0 || withheld[b] >= minSize);
        totals.add(decisions(safe, bandWorth[b], bandDogs[b], bandProfit[b], bandRevenue[b]));
      }
      return new Uplift(List.copyOf(segments), List.copyOf(totals));
    }

    private static UpliftCell decisions(
        boolean disclosable, long worth, long dogs, double profit, double revenue) {
      return disclosable
          ? new UpliftCell(worth, dogs, profit, revenue)
          : new UpliftCell(null, null, null, null);
    }

    private RetentionModel.BandCell cell(
        int band, long n, double spendSum, double clvSum, double riskSum, long minSize) {
      boolean disclosable = n >= minSize;
      return new RetentionModel.BandCell(
          Playbook.BANDS.get(band),
          n,
          population == 0 ? 0 : (double) n / population,
          hasSpend && disclosable ? spendSum : null,
          hasClv && disclosable ? clvSum : null,
          hasClv && disclosable ? riskSum : null);
    }
  }
}
