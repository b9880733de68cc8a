package dev.retention.training;

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
 * <p>Otherwise descriptive names from the two most distinctive features of each centre: the two
 * standardized coordinates of largest absolute value, e.g. {@code "low recency_days, high
 * frequency"}; "average customers" when no coordinate is beyond 0.25 standard deviations.
 *
 * <p>When two segments share an RFM class, each name adds its most distinctive feature (e.g. {@code
 * "needs attention: high orders_90d"}); names still shared get a {@code #id} suffix.
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

  /** A name from the centre's two most distinctive features. */
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
      name.append(centre[c] > 0 ? "high " : "low ").append(features.get(c));
    }
    return name.length() == 0 ? "average customers" : name.toString();
  }

  /** Adds each centre's most distinctive feature to RFM names used more than once. */
  static void distinguish(
      String[] names, String[] kinds, double[][] centres, List<String> features) {
    Map<String, Integer> uses = new HashMap<>();
    for (String name : names) {
      uses.merge(name, 1, Integer::sum);
    }
    for (int i = 0; i < names.length; i++) {
      if (uses.get(names[i]) > 1 && !kinds[i].equals(DESCRIPTIVE)) {
        String detail = describe(centres[i], features);
        int comma = detail.indexOf(", ");
        names[i] = names[i] + ": " + (comma < 0 ? detail : detail.substring(0, comma));
      }
    }
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
