package dev.retention.core;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded, stratified train/validation split: each class contributes {@code round(fraction *
 * count)} rows to validation, so both parts keep the label's base rate.
 *
 * @param train row indexes for fitting, ascending
 * @param validation held-out row indexes, ascending
 */
public record StratifiedSplit(int[] train, int[] validation) {

  /**
   * @throws IllegalArgumentException if {@code fraction} is not in (0, 1) or a part would miss a
   *     class
   */
  public static StratifiedSplit of(int[] labels, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
    int positives = 0;
    for (int label : labels) {
      positives += label;
    }
    int[][] byClass = {new int[labels.length - positives], new int[positives]};
    int[] fill = new int[2];
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][fill[labels[i]]++] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int[] validation = new int[0];
    int[] train = new int[0];
    for (int[] rows : byClass) {
      int held = (int) Math.round(fraction * rows.length);
      if (held == 0 || held == rows.length) {
        throw new IllegalArgumentException(
            "a "
                + fraction
                + " validation split of "
                + labels.length
                + " rows leaves a part without one of the classes (only "
                + rows.length
                + " rows of one class)");
      }
      for (int i = rows.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = rows[i];
        rows[i] = rows[j];
        rows[j] = tmp;
      }
      validation = concat(validation, Arrays.copyOfRange(rows, 0, held));
      train = concat(train, Arrays.copyOfRange(rows, held, rows.length));
    }
    Arrays.sort(validation);
    Arrays.sort(train);
    return new StratifiedSplit(train, validation);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The labels of the given rows. */
  public static int[] pick(int[] labels, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = labels[rows[i]];
    }
    return out;
  }
}
