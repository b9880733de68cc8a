package dev.retention.training;

import java.io.Serializable;

/**
 * Per column, the {@code m} smallest and the {@code m} largest values seen: the inputs of a
 * feature's published range ({@link Disclosure}: the mean of each set, never one customer's value).
 * Mergeable, so the parts of a distributed dataset each keep theirs and the union's are the same
 * values (their means may differ in the last bit: the additions run in another order).
 */
public final class Extremes implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int d;
  private final int m;
  // Per column a max-heap of the smallest values and a max-heap of the negated largest.
  private final double[][] low;
  private final double[][] high;
  private final int[] lowSize;
  private final int[] highSize;

  public Extremes(int d, int m) {
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, got " + m);
    }
    this.d = d;
    this.m = m;
    this.low = new double[d][m];
    this.high = new double[d][m];
    this.lowSize = new int[d];
    this.highSize = new int[d];
  }

  /** Adds {@code rows} row-major rows of {@code d} values. */
  public Extremes addRows(double[] x, int rows) {
    for (int i = 0; i < rows; i++) {
      add(x, i * d);
    }
    return this;
  }

  /** Adds the row at {@code offset}. */
  public void add(double[] x, int offset) {
    for (int c = 0; c < d; c++) {
      double v = x[offset + c];
      offerLow(c, v);
      offerHigh(c, v);
    }
  }

  /**
   * This set with {@code other}'s added; returns this. The {@code m} smallest values of a union are
   * among the parts' {@code m} smallest, so offering those (and the largest likewise) suffices.
   */
  public Extremes merge(Extremes other) {
    if (other.d != d || other.m != m) {
      throw new IllegalArgumentException("extremes of another shape");
    }
    for (int c = 0; c < d; c++) {
      for (int j = 0; j < other.lowSize[c]; j++) {
        offerLow(c, other.low[c][j]);
      }
      for (int j = 0; j < other.highSize[c]; j++) {
        offerHigh(c, -other.high[c][j]);
      }
    }
    return this;
  }

  private void offerLow(int c, double v) {
    if (lowSize[c] < m) {
      push(low[c], lowSize[c]++, v);
    } else if (v < low[c][0]) {
      replaceTop(low[c], m, v);
    }
  }

  private void offerHigh(int c, double v) {
    if (highSize[c] < m) {
      push(high[c], highSize[c]++, -v);
    } else if (-v < high[c][0]) {
      replaceTop(high[c], m, -v);
    }
  }

  /** {@code [low_0, high_0, low_1, high_1, ...]}: the means of the kept values. */
  public double[] lowHigh() {
    double[] out = new double[2 * d];
    for (int c = 0; c < d; c++) {
      double sumLow = 0;
      double sumHigh = 0;
      for (int j = 0; j < lowSize[c]; j++) {
        sumLow += low[c][j];
      }
      for (int j = 0; j < highSize[c]; j++) {
        sumHigh -= high[c][j];
      }
      out[2 * c] = sumLow / lowSize[c];
      out[2 * c + 1] = sumHigh / highSize[c];
    }
    return out;
  }

  /** Adds {@code v} to a max-heap of {@code n} elements. */
  private static void push(double[] heap, int n, double v) {
    int i = n;
    heap[i] = v;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] >= heap[i]) {
        break;
      }
      double t = heap[parent];
      heap[parent] = heap[i];
      heap[i] = t;
      i = parent;
    }
  }

  /** Replaces the maximum of a full max-heap by {@code v}. */
  private static void replaceTop(double[] heap, int n, double v) {
    heap[0] = v;
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      int largest = i;
      if (left < n && heap[left] > heap[largest]) {
        largest = left;
      }
      if (left + 1 < n && heap[left + 1] > heap[largest]) {
        largest = left + 1;
      }
      if (largest == i) {
        return;
      }
      double t = heap[largest];
      heap[largest] = heap[i];
      heap[i] = t;
      i = largest;
    }
  }
}
