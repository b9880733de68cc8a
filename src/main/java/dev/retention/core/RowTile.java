package dev.retention.core;

/**
 * The distance kernel of {@link KMeans}: a tile of rows copied column by column, and the squared
 * Euclidean distances from each of them to given centres.
 *
 * <p>Why a tile: the matrix is row-major (decision 0002), so one row's distance to one centre is a
 * chain of {@code d} dependent adds that no compiler may reorder, and C2 vectorises none of it.
 * With the tile's rows in one array per column, the same sums become element-wise loops over rows,
 * {@code acc[i] += (column[i] - c)^2}, which C2's superword pass compiles to AVX instructions, four
 * rows per instruction. Each row's sum is still accumulated in column order, by a separate multiply
 * and add (Java never fuses them), so every distance is bit-identical to {@link
 * Centroids#squaredDistance}; the nearest-centre selection is branch-free but picks what the
 * branching loop picks (the lowest index on ties).
 *
 * <p>Every loop is a method of its own over arrays that start at index 0: Java 17's superword pass
 * vectorises a loop only when it can align all its memory references, which it cannot prove for
 * different offsets into one shared array. No {@code jdk.incubator.vector}: it needs a flag on
 * every JVM and is absent from the native image, and measured on this kernel it was no faster than
 * the superword loops (decision 0004).
 *
 * <p>Not thread-safe: one tile per task.
 */
final class RowTile {

  /** Tile rows, at most: the columns and distances of one tile stay within a 32 KB L1 cache. */
  static final int MAX_ROWS = 256;

  /** 2^600: a positive gap between two doubles times 2^600 twice is at least 2^126 (so > 1). */
  private static final double HUGE = 0x1p600;

  private final int d;
  private final int capacity;
  private final double[][] columns;
  private final double[][] distances;
  private final double[] best;
  private final double[] second;
  private final double[] nearest;
  private int rows;

  /**
   * A tile for {@code d} coordinates and up to {@code targets} distances per row (centres, or
   * seeding candidates).
   */
  RowTile(int d, int targets) {
    this.d = d;
    // Columns, distances, best, second and nearest: (d + targets + 3) doubles per row in ~32 KB.
    int fit = 4096 / (d + targets + 3);
    this.capacity = Math.max(8, Math.min(MAX_ROWS, fit - fit % 8));
    this.columns = new double[d][capacity];
    this.distances = new double[targets][capacity];
    this.best = new double[capacity];
    this.second = new double[capacity];
    this.nearest = new double[capacity];
  }

  /** How many rows one load takes at most. */
  int capacity() {
    return capacity;
  }

  /** Rows currently loaded. */
  int rows() {
    return rows;
  }

  /** Loads the {@code count} consecutive rows from {@code first} of the row-major {@code x}. */
  void load(double[] x, int first, int count) {
    rows = count;
    // Column by column: the tile's rows stay in L1 after the first column, and each column is
    // written contiguously.
    for (int c = 0; c < d; c++) {
      double[] column = columns[c];
      int offset = first * d + c;
      for (int i = 0; i < count; i++) {
        column[i] = x[offset + i * d];
      }
    }
  }

  /** Loads rows {@code indexes[from .. from + count)} of the row-major {@code x}. */
  void load(double[] x, int[] indexes, int from, int count) {
    rows = count;
    for (int c = 0; c < d; c++) {
      double[] column = columns[c];
      for (int i = 0; i < count; i++) {
        column[i] = x[indexes[from + i] * d + c];
      }
    }
  }

  /** Coordinate {@code c} of loaded row {@code i}. */
  double value(int i, int c) {
    return columns[c][i];
  }

  /**
   * Squared distances of the loaded rows to the point {@code points[offset .. offset + d)}, into
   * distance slot {@code slot}: four columns per loop, each row's sum still taken in column order.
   */
  void distancesTo(double[] points, int offset, int slot) {
    double[] out = distances[slot];
    double[][] x = columns;
    double[] p = points;
    int o = offset;
    int m = rows;
    int c = Math.min(d, 4);
    switch (c) {
      case 1 -> squares1(out, x[0], p[o], m);
      case 2 -> squares2(out, x[0], x[1], p[o], p[o + 1], m);
      case 3 -> squares3(out, x[0], x[1], x[2], p[o], p[o + 1], p[o + 2], m);
      default -> squares4(out, x[0], x[1], x[2], x[3], p[o], p[o + 1], p[o + 2], p[o + 3], m);
    }
    for (; c + 4 <= d; c += 4) {
      addSquares4(
          out,
          x[c],
          x[c + 1],
          x[c + 2],
          x[c + 3],
          p[o + c],
          p[o + c + 1],
          p[o + c + 2],
          p[o + c + 3],
          m);
    }
    switch (d - c) {
      case 1 -> addSquares1(out, x[c], p[o + c], m);
      case 2 -> addSquares2(out, x[c], x[c + 1], p[o + c], p[o + c + 1], m);
      case 3 -> addSquares3(out, x[c], x[c + 1], x[c + 2], p[o + c], p[o + c + 1], p[o + c + 2], m);
      default -> {
        // no remainder
      }
    }
  }

  /** Squared distance of loaded row {@code i} to target {@code slot}. */
  double distance(int slot, int i) {
    return distances[slot][i];
  }

  /** The distances of slot {@code slot}, indexed by loaded row (read only). */
  double[] distances(int slot) {
    return distances[slot];
  }

  /**
   * Distances of the loaded rows to each of the {@code k} row-major {@code centres} (slots 0..k-1),
   * then per row the nearest centre (lowest index on ties), its squared distance and the second
   * smallest squared distance ({@code +inf} when {@code k = 1}).
   */
  void nearestTwo(double[] centres, int k) {
    for (int j = 0; j < k; j++) {
      distancesTo(centres, j * d, j);
    }
    startSelection(distances[0], best, second, nearest, rows);
    for (int j = 1; j < k; j++) {
      select(distances[j], j, best, second, nearest, rows);
    }
    selectOverflowedRows(k);
  }

  /**
   * After {@link #nearestTwo}: replaces the best and second squared distances by their square roots
   * (Hamerly's bounds are distances), vectorised.
   */
  void rootsOfNearestTwo() {
    roots(best, rows);
    roots(second, rows);
  }

  /**
   * Copies the best and second values of the loaded rows to {@code best[at..]} and {@code
   * second[at..]}.
   */
  void copyNearestTwo(double[] bestOut, double[] secondOut, int at) {
    System.arraycopy(best, 0, bestOut, at, rows);
    System.arraycopy(second, 0, secondOut, at, rows);
  }

  /** After {@link #nearestTwo}: the nearest centre of loaded row {@code i}. */
  int nearest(int i) {
    return (int) nearest[i];
  }

  /**
   * After {@link #nearestTwo}: the squared distance of loaded row {@code i} to its nearest (its
   * square root after {@link #rootsOfNearestTwo}).
   */
  double best(int i) {
    return best[i];
  }

  /** After {@link #nearestTwo}: the second smallest squared distance (or root) of row {@code i}. */
  double second(int i) {
    return second[i];
  }

  // The kernels: element-wise over the tile's rows, each a loop of its own (see the class comment).
  // Every sum adds the squares left to right, as Centroids.squaredDistance does.

  private static void squares1(double[] out, double[] x0, double c0, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      out[i] = e0 * e0;
    }
  }

  private static void squares2(
      double[] out, double[] x0, double[] x1, double c0, double c1, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      out[i] = e0 * e0 + e1 * e1;
    }
  }

  private static void squares3(
      double[] out, double[] x0, double[] x1, double[] x2, double c0, double c1, double c2, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      double e2 = x2[i] - c2;
      out[i] = (e0 * e0 + e1 * e1) + e2 * e2;
    }
  }

  private static void squares4(
      double[] out,
      double[] x0,
      double[] x1,
      double[] x2,
      double[] x3,
      double c0,
      double c1,
      double c2,
      double c3,
      int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      double e2 = x2[i] - c2;
      double e3 = x3[i] - c3;
      out[i] = ((e0 * e0 + e1 * e1) + e2 * e2) + e3 * e3;
    }
  }

  private static void addSquares1(double[] out, double[] x0, double c0, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      out[i] += e0 * e0;
    }
  }

  private static void addSquares2(
      double[] out, double[] x0, double[] x1, double c0, double c1, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      out[i] = (out[i] + e0 * e0) + e1 * e1;
    }
  }

  private static void addSquares3(
      double[] out, double[] x0, double[] x1, double[] x2, double c0, double c1, double c2, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      double e2 = x2[i] - c2;
      out[i] = ((out[i] + e0 * e0) + e1 * e1) + e2 * e2;
    }
  }

  private static void addSquares4(
      double[] out,
      double[] x0,
      double[] x1,
      double[] x2,
      double[] x3,
      double c0,
      double c1,
      double c2,
      double c3,
      int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      double e2 = x2[i] - c2;
      double e3 = x3[i] - c3;
      out[i] = (((out[i] + e0 * e0) + e1 * e1) + e2 * e2) + e3 * e3;
    }
  }

  private static void roots(double[] values, int m) {
    for (int i = 0; i < m; i++) {
      values[i] = Math.sqrt(values[i]);
    }
  }

  private static void startSelection(
      double[] first, double[] best, double[] second, double[] nearest, int m) {
    for (int i = 0; i < m; i++) {
      best[i] = first[i];
      second[i] = Double.POSITIVE_INFINITY;
      nearest[i] = 0;
    }
  }

  /**
   * The branching update {@code if (s < best) {second = best; best = s; nearest = j} else if (s <
   * second) second = s}, without branches so that it vectorises: {@code second = min(second,
   * max(best, s))} and {@code best' = min(best, s)} (equal for non-negative, non-NaN distances),
   * and the index moves by {@code [s < best] = min(1, (best - best') 2^1200)}, as {@code best -
   * best'} is positive exactly when {@code s < best}. Four min/max per row and centre: C2 makes
   * each a blend sequence (Java's NaN and signed-zero rules), so they are most of the work.
   */
  private static void select(
      double[] distances, double j, double[] best, double[] second, double[] nearest, int m) {
    for (int i = 0; i < m; i++) {
      double s = distances[i];
      double b = best[i];
      double smaller = Math.min(b, s);
      nearest[i] += (j - nearest[i]) * Math.min(1.0, (b - smaller) * HUGE * HUGE);
      second[i] = Math.min(second[i], Math.max(b, s));
      best[i] = smaller;
    }
  }

  /**
   * Rows whose index came out NaN ({@code inf - inf} in {@link #select}: only when squared
   * distances overflowed to infinity) are selected again by the branching rule.
   */
  private void selectOverflowedRows(int k) {
    for (int i = 0; i < rows; i++) {
      if (Double.isNaN(nearest[i])) {
        int pick = 0;
        double b = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          if (distances[j][i] < b) {
            b = distances[j][i];
            pick = j;
          }
        }
        nearest[i] = pick;
      }
    }
  }
}
