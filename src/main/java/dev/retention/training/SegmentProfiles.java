package dev.retention.training;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureMatrix;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment profiles in original units, names, actions, and the minimum-size rule.
 *
 * <p>A segment with fewer than {@link SegmentOptions#minSize()} customers is pooled with its
 * nearest large segment (smallest distance between standardized centres): both report the profile
 * of their union and the large segment's name, so no profile ever describes fewer customers than
 * the minimum (unless the whole table is smaller). When no segment is large enough, all are pooled
 * into one profile. Names come from the profile owner's centre ({@link SegmentNames}).
 */
final class SegmentProfiles {

  /** Name of the single profile when every segment is below the minimum size. */
  static final String ALL_POOLED = "all customers (every segment is below the minimum size)";

  private SegmentProfiles() {}

  /**
   * @param original the centres in original units; rows of pooled small segments are replaced by
   *     their profile's means, so the model file carries no small segment's own centre in raw units
   */
  static List<RetentionModel.Segment> build(
      FeatureMatrix raw,
      int[] labels,
      int[] segment,
      double[] probability,
      Centroids centroids,
      double[][] original,
      SegmentOptions options,
      Playbook playbook) {
    int k = centroids.k();
    int d = raw.cols();
    long[] size = new long[k];
    long[] positives = new long[k];
    double[] probabilitySum = new double[k];
    double[] featureSum = new double[k * d];
    double[] x = raw.data();
    for (int i = 0; i < raw.rows(); i++) {
      int j = segment[i];
      size[j]++;
      positives[j] += labels[i];
      probabilitySum[j] += probability[i];
      for (int c = 0; c < d; c++) {
        featureSum[j * d + c] += x[i * d + c];
      }
    }
    int[] owner = owners(size, centroids, options.minSize());

    // Profile owners: large segments, or segment 0 standing for the single pool.
    List<Integer> owners = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      if (owner[j] == j) {
        owners.add(j);
      }
    }
    boolean allPooled = owners.size() == 1 && size[owners.get(0)] < options.minSize() && k > 1;
    int[] roles = SegmentNames.rfmRoles(options, raw.columns());
    String[] ownerNames = new String[owners.size()];
    String[] ownerKinds = new String[owners.size()];
    int[] ownerIds = new int[owners.size()];
    for (int i = 0; i < owners.size(); i++) {
      int j = owners.get(i);
      ownerIds[i] = j;
      double[] centre = centroids.centre(j);
      if (allPooled) {
        ownerKinds[i] = "pooled";
        ownerNames[i] = ALL_POOLED;
      } else if (roles != null) {
        ownerKinds[i] = SegmentNames.rfmKind(centre, roles);
        ownerNames[i] = ownerKinds[i];
      } else {
        ownerKinds[i] = SegmentNames.DESCRIPTIVE;
        ownerNames[i] = SegmentNames.describe(centre, raw.columns());
      }
    }
    double[][] ownerCentres = new double[owners.size()][];
    for (int i = 0; i < owners.size(); i++) {
      ownerCentres[i] = centroids.centre(owners.get(i));
    }
    SegmentNames.distinguish(ownerNames, ownerKinds, ownerCentres, raw.columns());
    SegmentNames.makeUnique(ownerNames, ownerIds);

    List<RetentionModel.Segment> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      int o = owners.indexOf(owner[j]);
      List<Integer> covers = new ArrayList<>();
      long n = 0;
      long pos = 0;
      double prob = 0;
      double[] sums = new double[d];
      for (int m = 0; m < k; m++) {
        if (owner[m] != owner[j]) {
          continue;
        }
        covers.add(m);
        n += size[m];
        pos += positives[m];
        prob += probabilitySum[m];
        for (int c = 0; c < d; c++) {
          sums[c] += featureSum[m * d + c];
        }
      }
      Map<String, Double> means = new LinkedHashMap<>();
      for (int c = 0; c < d; c++) {
        means.put(raw.columns().get(c), n == 0 ? 0.0 : sums[c] / n);
      }
      if (covers.size() > 1 && size[j] < options.minSize()) {
        for (int c = 0; c < d; c++) {
          original[j][c] = n == 0 ? 0.0 : sums[c] / n;
        }
      }
      out.add(
          new RetentionModel.Segment(
              j,
              ownerNames[o],
              ownerKinds[o],
              List.copyOf(covers),
              n,
              (double) n / raw.rows(),
              n == 0 ? 0 : (double) pos / n,
              n == 0 ? 0 : prob / n,
              means,
              playbook.actions(ownerKinds[o])));
    }
    return out;
  }

  /** For each segment, the segment whose profile reports it. */
  static int[] owners(long[] size, Centroids centroids, int minSize) {
    int k = size.length;
    int[] owner = new int[k];
    boolean anyLarge = false;
    for (long s : size) {
      anyLarge |= s >= minSize;
    }
    for (int j = 0; j < k; j++) {
      if (!anyLarge) {
        owner[j] = 0;
      } else if (size[j] >= minSize) {
        owner[j] = j;
      } else {
        int nearest = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int m = 0; m < k; m++) {
          if (size[m] < minSize) {
            continue;
          }
          double dist = distance(centroids.centre(j), centroids.centre(m));
          if (dist < best) {
            best = dist;
            nearest = m;
          }
        }
        owner[j] = nearest;
      }
    }
    return owner;
  }

  private static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int c = 0; c < a.length; c++) {
      double diff = a[c] - b[c];
      sum += diff * diff;
    }
    return sum;
  }
}
