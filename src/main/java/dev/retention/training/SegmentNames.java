package dev.retention.training;

import dev.retention.core.Centroids;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Descriptive segment names from the two most distinctive features of each centre: the two
 * standardized coordinates of largest absolute value, e.g. {@code "low recency_days, high
 * frequency"}. "High"/"low" is relative to the average customer (z = 0); "average" is used when a
 * centre has no coordinate beyond 0.25 standard deviations. Names are made unique with a {@code
 * #id} suffix when two centres share them.
 */
final class SegmentNames {

  private static final double DISTINCT = 0.25;

  private SegmentNames() {}

  static String[] describe(Centroids centroids, List<String> features) {
    int k = centroids.k();
    int d = centroids.d();
    String[] names = new String[k];
    Map<String, Integer> uses = new HashMap<>();
    for (int j = 0; j < k; j++) {
      double[] centre = centroids.centre(j);
      int first = -1;
      int second = -1;
      for (int c = 0; c < d; c++) {
        if (first < 0 || Math.abs(centre[c]) > Math.abs(centre[first])) {
          second = first;
          first = c;
        } else if (second < 0 || Math.abs(centre[c]) > Math.abs(centre[second])) {
          second = c;
        }
      }
      StringBuilder name = new StringBuilder();
      for (int c : new int[] {first, second}) {
        if (c < 0 || Math.abs(centre[c]) < DISTINCT) {
          continue;
        }
        if (name.length() > 0) {
          name.append(", ");
        }
        name.append(centre[c] > 0 ? "high " : "low ").append(features.get(c));
      }
      names[j] = name.length() == 0 ? "average customers" : name.toString();
      uses.merge(names[j], 1, Integer::sum);
    }
    for (int j = 0; j < k; j++) {
      if (uses.get(names[j]) > 1) {
        names[j] = names[j] + " #" + j;
      }
    }
    return names;
  }
}
