package dev.retention.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The index sort equals a stable boxed sort, for short and long runs alike. */
class IndexSortTest {

  @Test
  void sortsLikeAStableBoxedSort() {
    SplittableRandom random = new SplittableRandom(11);
    IndexSort sorter = new IndexSort();
    for (int trial = 0; trial < 300; trial++) {
      int n = random.nextInt(trial < 200 ? 60 : 5000);
      int[] keys = new int[n];
      for (int i = 0; i < n; i++) {
        keys[i] = random.nextInt(Math.max(1, n / 3));
      }
      int[] a = new int[n + 3];
      for (int i = 0; i < n; i++) {
        a[i] = i;
      }
      sorter.sort(a, n, (x, y) -> Integer.compare(keys[x], keys[y]));
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, Comparator.comparingInt(i -> keys[i]));
      assertArrayEquals(
          Arrays.stream(boxed).mapToInt(Integer::intValue).toArray(), Arrays.copyOf(a, n));
    }
  }
}
