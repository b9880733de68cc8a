package dev.retention.campaign;

import java.util.Arrays;

/**
 * The outcomes of a campaign's customers after its window, summed per stratum and arm (contact,
 * holdout): customers, buyers, revenue moments and the revenue values themselves (for the
 * bootstrap). Filled customer by customer by whoever joins the orders to the campaign's groups;
 * {@link MeasuredLift} reads it. Skipped customers are counted and otherwise ignored.
 */
public final class CampaignOutcomes {

  static final int HOLDOUT = 0;
  static final int CONTACT = 1;

  private final int strata;
  private final long[] customers;
  private final long[] buyers;
  private final double[][] values;
  private long rows;
  private long skipped;

  /** Outcomes of a campaign of {@code strata} strata (its manifest's). */
  public CampaignOutcomes(int strata) {
    if (strata < 1) {
      throw new IllegalArgumentException("a campaign has at least one stratum, got " + strata);
    }
    this.strata = strata;
    customers = new long[2 * strata];
    buyers = new long[2 * strata];
    values = new double[2 * strata][];
    for (int c = 0; c < 2 * strata; c++) {
      values[c] = new double[16];
    }
  }

  /** Outcomes for the strata of {@code manifest}. */
  public static CampaignOutcomes of(CampaignManifest manifest) {
    return new CampaignOutcomes(manifest.strata().size());
  }

  /**
   * Adds one customer.
   *
   * @param bought whether the customer bought in the window
   * @param revenue the customer's revenue in the window (0 when none; refunds may make it negative)
   * @throws IllegalArgumentException on a stratum outside the campaign or a revenue that is not a
   *     finite number (named by the outcome's position, never by its value)
   */
  public CampaignOutcomes add(Group group, int stratum, boolean bought, double revenue) {
    rows++;
    if (stratum < 0 || stratum >= strata) {
      throw new IllegalArgumentException(
          "outcome " + rows + ": stratum " + stratum + " is not one of the campaign's " + strata);
    }
    if (!Double.isFinite(revenue)) {
      throw new IllegalArgumentException("outcome " + rows + ": revenue is not a finite number");
    }
    if (group == Group.SKIP) {
      skipped++;
      return this;
    }
    int cell = cell(stratum, group == Group.CONTACT ? CONTACT : HOLDOUT);
    int k = (int) customers[cell];
    if (k == values[cell].length) {
      values[cell] = Arrays.copyOf(values[cell], 2 * k);
    }
    values[cell][k] = revenue;
    customers[cell]++;
    if (bought) {
      buyers[cell]++;
    }
    return this;
  }

  public int strata() {
    return strata;
  }

  public long skipped() {
    return skipped;
  }

  static int cell(int stratum, int arm) {
    return 2 * stratum + arm;
  }

  long customers(int stratum, int arm) {
    return customers[cell(stratum, arm)];
  }

  long buyers(int stratum, int arm) {
    return buyers[cell(stratum, arm)];
  }

  /** The arm's revenue values in ascending order. */
  double[] values(int stratum, int arm) {
    int c = cell(stratum, arm);
    double[] out = Arrays.copyOf(values[c], (int) customers[c]);
    Arrays.sort(out);
    return out;
  }
}
