package dev.retention.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The two answers to "will this customer buy in the window?" side by side, per segment of a batch:
 * the mean repurchase probability (the logistic model's), the mean of BG/NBD's P(at least one
 * purchase in the window) ({@link CustomerValueModel.Quantities#pPurchase}) and the mean expected
 * purchase days in the window. Aggregates only: a segment with fewer scored customers than the
 * minimum segment size shows its count and no mean, and the total is shown only when the withheld
 * segments hold none or at least that many customers (else the total and the shown segments would
 * give the withheld few's means away; the rule of {@link BandTable}).
 *
 * @param windowDays the label window, in days
 * @param minSize the minimum segment size the means obey
 * @param segments one row per segment id (a segment with no scored customer has a count of 0)
 * @param total every scored customer (its means null when withheld)
 */
public record WindowAgreement(int windowDays, int minSize, List<Row> segments, Row total) {

  /**
   * Where the two probabilities' means disagree enough to say why: 15 points, under half of a churn
   * band (the default bands are 33 points wide), so a smaller difference rarely moves a segment's
   * customers to another band and another action; a larger one is two answers to one question.
   */
  public static final double DISAGREEMENT = 0.15;

  /**
   * One segment's (or all customers') means; the means are null when withheld.
   *
   * @param segment the segment id, or -1 for the total
   * @param customers scored customers
   */
  public record Row(
      int segment,
      long customers,
      Double repurchaseProbability,
      Double purchaseProbability,
      Double expectedPurchases) {

    /** Whether both means are shown and differ by more than {@link #DISAGREEMENT}. */
    public boolean disagrees() {
      return repurchaseProbability != null
          && purchaseProbability != null
          && Math.abs(repurchaseProbability - purchaseProbability) > DISAGREEMENT;
    }
  }

  public WindowAgreement {
    segments = List.copyOf(segments);
  }

  /** Sums per segment, added one scored customer at a time (in any order: sums of sums). */
  public static final class Sums {
    private final long[] customers;
    private final double[] probability;
    private final double[] purchase;
    private final double[] expected;

    public Sums(int segments) {
      customers = new long[segments];
      probability = new double[segments];
      purchase = new double[segments];
      expected = new double[segments];
    }

    public void add(int segment, double repurchaseProbability, CustomerValueModel.Quantities q) {
      customers[segment]++;
      probability[segment] += repurchaseProbability;
      purchase[segment] += q.pPurchase();
      expected[segment] += q.expectedPurchases();
    }

    /** The rows, segments below {@code minSize} customers withheld. */
    public WindowAgreement table(int windowDays, int minSize) {
      List<Row> rows = new ArrayList<>(customers.length);
      long all = 0;
      long withheld = 0;
      double[] sums = new double[3];
      for (int j = 0; j < customers.length; j++) {
        long n = customers[j];
        all += n;
        sums[0] += probability[j];
        sums[1] += purchase[j];
        sums[2] += expected[j];
        if (n >= minSize) {
          rows.add(new Row(j, n, probability[j] / n, purchase[j] / n, expected[j] / n));
        } else {
          withheld += n;
          rows.add(new Row(j, n, null, null, null));
        }
      }
      Row total =
          all > 0 && all >= minSize && (withheld == 0 || withheld >= minSize)
              ? new Row(-1, all, sums[0] / all, sums[1] / all, sums[2] / all)
              : new Row(-1, all, null, null, null);
      return new WindowAgreement(windowDays, minSize, rows, total);
    }
  }
}
