package dev.retention.features;

/**
 * Sorts int indices by a comparison of what they index, without boxing: insertion sort for short
 * runs, a stable merge sort above (O(n log n) for a customer with many orders).
 */
final class IndexSort {

  /** Compares the things two indices stand for. */
  @FunctionalInterface
  interface Order {
    int compare(int a, int b);
  }

  private static final int SHORT = 24;

  private int[] buffer = new int[64];

  /** Sorts {@code a[0, n)} by {@code order}, stably. */
  void sort(int[] a, int n, Order order) {
    if (n <= SHORT) {
      insertion(a, 0, n, order);
      return;
    }
    if (buffer.length < n) {
      buffer = new int[Math.max(n, buffer.length * 2)];
    }
    for (int from = 0; from < n; from += SHORT) {
      insertion(a, from, Math.min(n, from + SHORT), order);
    }
    int[] src = a;
    int[] dst = buffer;
    for (int width = SHORT; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(n, lo + width);
        int hi = Math.min(n, lo + 2 * width);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          dst[k++] = order.compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
        }
        while (i < mid) {
          dst[k++] = src[i++];
        }
        while (j < hi) {
          dst[k++] = src[j++];
        }
      }
      int[] swap = src;
      src = dst;
      dst = swap;
    }
    if (src != a) {
      System.arraycopy(src, 0, a, 0, n);
    }
  }

  private static void insertion(int[] a, int from, int to, Order order) {
    for (int i = from + 1; i < to; i++) {
      int x = a[i];
      int j = i - 1;
      while (j >= from && order.compare(a[j], x) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }
}
