package dev.retention.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment names operators can act on.
 *
 * <p>RFM classes, when the recency, frequency and monetary features are known. With {@code R = -z}
 * of recency (recent is high), {@code F} and {@code M} the standardized frequency and monetary
 * coordinates of the centre, the first rule that holds names the segment:
 *
 * <ol>
 *   <li>champions: R &ge; 0, F &ge; 0.5 and M &ge; 0
 *   <li>loyal: F &ge; 0.5 and R &ge; -0.5
 *   <li>at risk: R &lt; -0.5 and (F &ge; 0 or M &ge; 0.5): they used to buy well
 *   <li>hibernating: R &lt; -0.5
 *   <li>promising: R &ge; 0.5 (recent, not yet frequent)
 *   <li>needs attention: the rest
 * </ol>
 *
 * The classes follow the common RFM segment grid (e.g. Kohavi and Parekh, "Visualizing RFM
 * Segmentation", SIAM SDM 2004; the widely used 11-segment RFM table), on standardized scores
 * instead of quintiles because the centres are already standardized.
 *
 * <p>Otherwise descriptive names from the two most distinctive features of each centre, in words
 * (e.g. {@code "recent, frequent"}); "average customers" when no coordinate is beyond 0.25 standard
 * deviations.
 *
 * <p>When two segments share a name, each adds, in words, how it differs from the others on the
 * feature where they differ most (e.g. {@code "needs attention: recent"} and {@code "needs
 * attention: lapsed"}); names still shared after three such rounds get a {@code #id} suffix.
 */
final class SegmentNames {

  /** The kind used when the RFM roles are not all known. */
  static final String DESCRIPTIVE = "descriptive";

  private static final double DISTINCT = 0.25;

  private SegmentNames() {}

  /** Indexes of the recency, frequency and monetary features, or null if one is missing. */
  static int[] rfmRoles(SegmentOptions options, List<String> features) {
    int r = features.indexOf(options.recencyFeature());
    int f = features.indexOf(options.frequencyFeature());
    int m = features.indexOf(options.monetaryFeature());
    return r < 0 || f < 0 || m < 0 ? null : new int[] {r, f, m};
  }

  /** The RFM class of a standardized centre. */
  static String rfmKind(double[] centre, int[] roles) {
    double r = -centre[roles[0]];
    double f = centre[roles[1]];
    double m = centre[roles[2]];
    if (r >= 0 && f >= 0.5 && m >= 0) {
      return "champions";
    }
    if (f >= 0.5 && r >= -0.5) {
      return "loyal";
    }
    if (r < -0.5 && (f >= 0 || m >= 0.5)) {
      return "at risk";
    }
    if (r < -0.5) {
      return "hibernating";
    }
    if (r >= 0.5) {
      return "promising";
    }
    return "needs attention";
  }

  /**
   * What a higher and a lower value of common features mean, in words an operator uses: a segment
   * is never named by a column name or a z-score.
   */
  private static final Map<String, String[]> WORDS =
      Map.ofEntries(
          Map.entry("recency_days", new String[] {"lapsed", "recent"}),
          Map.entry("frequency", new String[] {"frequent", "occasional"}),
          Map.entry("monetary", new String[] {"big baskets", "small baskets"}),
          Map.entry("total_spend", new String[] {"high spend", "low spend"}),
          Map.entry("tenure_days", new String[] {"long-standing", "new"}),
          Map.entry("mean_days_between", new String[] {"long gaps between orders", "short gaps"}),
          Map.entry("avg_gap_days", new String[] {"long gaps between orders", "short gaps"}),
          Map.entry("std_days_between", new String[] {"irregular", "regular"}),
          Map.entry("orders_30d", new String[] {"active this month", "quiet this month"}),
          Map.entry("orders_90d", new String[] {"active this quarter", "quiet this quarter"}),
          Map.entry("sessions_30d", new String[] {"many visits", "few visits"}),
          Map.entry("items", new String[] {"many items", "few items"}),
          Map.entry("refund_share", new String[] {"many refunds", "few refunds"}),
          Map.entry("returns_rate", new String[] {"many returns", "few returns"}),
          Map.entry("channels", new String[] {"multi-channel", "single-channel"}));

  /** Words for a higher ({@code high}) or lower value of {@code feature}. */
  static String words(String feature, boolean high) {
    String[] known = WORDS.get(feature);
    if (known != null) {
      return known[high ? 0 : 1];
    }
    // An unknown column: its name in words ("basket_size_30d" -> "high basket size 30d").
    return (high ? "high " : "low ") + feature.replace('_', ' ').trim();
  }

  /** A name from the centre's two most distinctive features, in words. */
  static String describe(double[] centre, List<String> features) {
    int first = -1;
    int second = -1;
    for (int c = 0; c < centre.length; c++) {
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
      name.append(words(features.get(c), centre[c] > 0));
    }
    return name.length() == 0 ? "average customers" : name.toString();
  }

  /**
   * Segments that share a name are told apart by how they differ: within each group of equal names,
   * the feature whose centres spread most splits them ("needs attention: recent" and "needs
   * attention: lapsed"); a group that still shares a name takes the next such feature.
   */
  static void distinguish(
      String[] names, String[] kinds, double[][] centres, List<String> features) {
    List<java.util.Set<Integer>> used = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      used.add(new java.util.HashSet<>());
    }
    for (int round = 0; round < Math.min(3, features.size()); round++) {
      Map<String, List<Integer>> groups = new HashMap<>();
      for (int i = 0; i < names.length; i++) {
        groups.computeIfAbsent(names[i], n -> new ArrayList<>()).add(i);
      }
      boolean changed = false;
      for (List<Integer> group : groups.values()) {
        if (group.size() < 2) {
          continue;
        }
        int best = mostSpread(group, centres, features.size(), used.get(group.get(0)));
        if (best < 0) {
          continue;
        }
        double mean = 0;
        for (int i : group) {
          mean += centres[i][best];
        }
        mean /= group.size();
        for (int i : group) {
          used.get(i).add(best);
          String word = words(features.get(best), centres[i][best] > mean);
          names[i] = names[i] + (names[i].contains(": ") ? ", " : ": ") + word;
        }
        changed = true;
      }
      if (!changed) {
        return;
      }
    }
  }

  /** The feature whose standardized centres differ most within the group, unused in its names. */
  private static int mostSpread(
      List<Integer> group, double[][] centres, int d, java.util.Set<Integer> used) {
    int best = -1;
    double bestSpread = -1;
    for (int c = 0; c < d; c++) {
      if (used.contains(c)) {
        continue;
      }
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i : group) {
        lo = Math.min(lo, centres[i][c]);
        hi = Math.max(hi, centres[i][c]);
      }
      if (hi - lo > bestSpread) {
        bestSpread = hi - lo;
        best = c;
      }
    }
    return best;
  }

  /** Appends {@code #id} to names used by more than one of {@code ids}. */
  static void makeUnique(String[] names, int[] ids) {
    Map<String, Integer> uses = new HashMap<>();
    for (String name : names) {
      uses.merge(name, 1, Integer::sum);
    }
    for (int i = 0; i < names.length; i++) {
      if (uses.get(names[i]) > 1) {
        names[i] = names[i] + " #" + ids[i];
      }
    }
  }
}
