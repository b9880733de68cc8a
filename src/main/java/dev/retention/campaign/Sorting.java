package dev.retention.campaign;

/** A stable merge sort of row indexes by a comparison of rows: no boxing, any row count. */
final class Sorting {

  private Sorting() {}

  /** Whether row {@code x} goes strictly before row {@code y}. */
  @FunctionalInterface
  interface Before {
    boolean test(int x, int y);
  }

  /** The indexes {@code 0 .. n-1} in order; rows where neither goes first keep their order. */
  static int[] order(int n, Before before) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] buffer = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        int mid = lo + width;
        int hi = Math.min(lo + 2 * width, n);
        int a = lo;
        int b = mid;
        int out = lo;
        while (a < mid && b < hi) {
          buffer[out++] = before.test(order[b], order[a]) ? order[b++] : order[a++];
        }
        while (a < mid) {
          buffer[out++] = order[a++];
        }
        while (b < hi) {
          buffer[out++] = order[b++];
        }
        System.arraycopy(buffer, lo, order, lo, hi - lo);
      }
    }
    return order;
  }

  /**
   * The rows in ascending order of {@code ids}.
   *
   * @throws IllegalArgumentException on an id that appears twice, named by its rows (1-based)
   */
  static int[] byId(String[] ids, String what) {
    int[] order = order(ids.length, (x, y) -> ids[x].compareTo(ids[y]) < 0);
    for (int k = 1; k < order.length; k++) {
      if (ids[order[k]].equals(ids[order[k - 1]])) {
        int a = Math.min(order[k], order[k - 1]) + 1;
        int b = Math.max(order[k], order[k - 1]) + 1;
        throw new IllegalArgumentException(
            what + " " + a + " and " + b + " have the same customer id");
      }
    }
    return order;
  }
}
