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
 * @param segments per segment id, one cell per band in {@link Playbook#BANDS} order
 * @param totals per band, all segments together
 */
public record BandTable(
    List<List<RetentionModel.BandCell>> segments, List<RetentionModel.BandCell> totals) {

  /** Sums per (segment, band) cell, filled by the caller customer by customer. */
  public static final class Sums implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int k;
    private final long[] customers;
    private final double[] spend;
    private final double[] clv;
    private final double[] atRisk;
    private boolean hasSpend;
    private boolean hasClv;
    private long population;

    public Sums(int k) {
      this.k = k;
      int cells = k * Playbook.BANDS.size();
      customers = new long[cells];
      spend = new double[cells];
      clv = new double[cells];
      atRisk = new double[cells];
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
      }
      hasSpend |= other.hasSpend;
      hasClv |= other.hasClv;
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
      return new BandTable(List.copyOf(segments), List.copyOf(totals));
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
