package dev.retention.training;

import dev.retention.core.FeatureMatrix;
import dev.retention.features.RfmFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * One canonical order of the customers a model is trained on, so that the model is a function of
 * the <b>set</b> of customers and never of the export's row order (issue 24: the same export in
 * another order gave other segments and coefficients). Every step that depends on positions, the
 * stratified split, the seeded samples, k-means++ seeding, the row blocks whose partial sums are
 * added in order, then sees the same rows at the same positions.
 *
 * <p>The order is by the rows' content: each feature in the model's column order, compared as
 * {@link Double#compare} does (a total order), then the label, then the purchase days in the label
 * window (orders). Two customers with equal rows are interchangeable, so any order of the same rows
 * gives the same table. Content rather than the customer id: a feature export need not carry an id
 * column, renaming ids cannot change a model, and the Spark trainer sorts its distributed rows by
 * the same key without moving ids to the driver. Sorting is a stable merge sort of row indexes (no
 * boxing), {@code O(n log n)} row comparisons.
 */
public final class CanonicalOrder {

  private CanonicalOrder() {}

  /** The permutation that puts the rows in canonical order: {@code order[i]} is the i-th row. */
  public static int[] of(FeatureMatrix features, int[] labels, int[] windowPurchases) {
    int n = features.rows();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] buffer = new int[n];
    RowComparator rows =
        new RowComparator(features.data(), features.cols(), labels, windowPurchases);
    // Bottom-up merge sort: runs of width 1, 2, 4, ... merged from order into buffer and back.
    int[] from = order;
    int[] to = buffer;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          to[k++] = rows.compare(from[j], from[i]) < 0 ? from[j++] : from[i++];
        }
        while (i < mid) {
          to[k++] = from[i++];
        }
        while (j < hi) {
          to[k++] = from[j++];
        }
      }
      int[] swap = from;
      from = to;
      to = swap;
    }
    return from;
  }

  /** Compares two rows by content; usable on any row-major block of rows (Spark too). */
  public record RowComparator(double[] values, int width, int[] labels, int[] windowPurchases) {

    public int compare(int a, int b) {
      return CanonicalOrder.compare(
          values,
          a * width,
          labels[a],
          windowPurchases == null ? 0 : windowPurchases[a],
          values,
          b * width,
          labels[b],
          windowPurchases == null ? 0 : windowPurchases[b],
          width);
    }
  }

  /**
   * The canonical comparison of two rows given by their features (at {@code x[xAt..]}, {@code
   * y[yAt..]}, {@code width} values each), labels and purchase days in the label window (0 when the
   * export has none): the one definition, for the train function and the Spark trainer.
   */
  public static int compare(
      double[] x,
      int xAt,
      int xLabel,
      int xWindow,
      double[] y,
      int yAt,
      int yLabel,
      int yWindow,
      int width) {
    for (int c = 0; c < width; c++) {
      int byValue = Double.compare(x[xAt + c], y[yAt + c]);
      if (byValue != 0) {
        return byValue;
      }
    }
    int byLabel = Integer.compare(xLabel, yLabel);
    return byLabel != 0 ? byLabel : Integer.compare(xWindow, yWindow);
  }

  /** A feature export's rows in canonical order (a copy; the input is left as it was). */
  public static Trainer.Input sort(Trainer.Input input) {
    int[] order = of(input.features(), input.labels(), input.windowPurchases());
    return new Trainer.Input(
        input.features().selectRows(order),
        pick(input.labels(), order),
        input.windowPurchases() == null ? null : pick(input.windowPurchases(), order),
        input.about());
  }

  /** An orders derivation's customers in canonical order, their ids with them. */
  public static RfmFeatures.Derived sort(RfmFeatures.Derived derived) {
    int[] order = of(derived.features(), derived.labels(), derived.windowPurchases());
    List<String> ids = new ArrayList<>(order.length);
    for (int row : order) {
      ids.add(derived.customerIds().get(row));
    }
    return new RfmFeatures.Derived(
        ids,
        derived.features().selectRows(order),
        pick(derived.labels(), order),
        derived.windowPurchases() == null ? null : pick(derived.windowPurchases(), order),
        derived.cutoff(),
        derived.labelWindowDays(),
        derived.definitions(),
        derived.counts(),
        derived.columns(),
        derived.warnings());
  }

  private static int[] pick(int[] values, int[] order) {
    int[] out = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }
}
