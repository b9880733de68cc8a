package dev.retention.training;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureMatrix;
import dev.retention.model.BandTable;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment profiles in original units, names and actions, and in money when the customer-value layer
 * is there: each segment's mean predicted CLV and its value at risk ({@link
 * CustomerValueModel#valueAtRisk}), and the same per churn-risk band (the report's first screen).
 * Every segment already holds at least the minimum number of customers ({@link Trainer} merges
 * smaller ones before profiling), so each profile describes its own segment; {@code profileCovers}
 * lists just that segment. Names come from the centre ({@link SegmentNames}).
 */
final class SegmentProfiles {

  private SegmentProfiles() {}

  /** The published segments and all customers by churn-risk band. */
  record Profiles(
      List<RetentionModel.Segment> segments, List<RetentionModel.BandCell> bandTotals) {}

  static Profiles build(
      FeatureMatrix raw,
      int[] labels,
      int[] segment,
      double[] probability,
      double[] clv,
      Centroids centroids,
      SegmentOptions options,
      Playbook playbook) {
    ProfileSums sums = new ProfileSums(centroids.k(), raw.columns(), playbook);
    double[] x = raw.data();
    int d = raw.cols();
    for (int i = 0; i < raw.rows(); i++) {
      sums.add(x, i * d, segment[i], labels[i], probability[i], clv == null ? Double.NaN : clv[i]);
    }
    return build(sums, centroids, raw.columns(), options, playbook);
  }

  /** The profiles of summed rows ({@link ProfileSums}, possibly merged from parts). */
  static Profiles build(
      ProfileSums sums,
      Centroids centroids,
      List<String> columns,
      SegmentOptions options,
      Playbook playbook) {
    int k = centroids.k();
    int d = columns.size();
    long[] size = sums.size;
    long[] positives = sums.positives;
    double[] probabilitySum = sums.probabilitySum;
    double[] clvSum = sums.clvSum;
    double[] atRisk = sums.atRisk;
    double[] featureSum = sums.featureSum;
    boolean hasClv = sums.hasClv;
    long rows = sums.rows;
    int[] roles = SegmentNames.rfmRoles(options, columns);
    String[] names = new String[k];
    String[] kinds = new String[k];
    int[] ids = new int[k];
    double[][] centres = new double[k][];
    for (int j = 0; j < k; j++) {
      ids[j] = j;
      centres[j] = centroids.centre(j);
      if (roles != null) {
        kinds[j] = SegmentNames.rfmKind(centres[j], roles);
        names[j] = kinds[j];
      } else {
        kinds[j] = SegmentNames.DESCRIPTIVE;
        names[j] = SegmentNames.describe(centres[j], columns);
      }
    }
    SegmentNames.distinguish(names, kinds, centres, columns);
    SegmentNames.makeUnique(names, ids);

    BandTable table = sums.cells.table(options.minSize());
    List<RetentionModel.Segment> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      long n = size[j];
      Map<String, Double> means = new LinkedHashMap<>();
      for (int c = 0; c < d; c++) {
        means.put(columns.get(c), n == 0 ? 0.0 : featureSum[j * d + c] / n);
      }
      out.add(
          new RetentionModel.Segment(
              j,
              names[j],
              kinds[j],
              List.of(j),
              n,
              (double) n / rows,
              n == 0 ? 0 : (double) positives[j] / n,
              n == 0 ? 0 : probabilitySum[j] / n,
              means,
              playbook.actions(kinds[j]),
              !hasClv || n == 0 ? null : clvSum[j] / n,
              !hasClv ? null : atRisk[j],
              table.segments().get(j)));
    }
    return new Profiles(out, table.totals());
  }
}
