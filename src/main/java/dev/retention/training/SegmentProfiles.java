package dev.retention.training;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureMatrix;
import dev.retention.features.RfmFeature;
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
    int k = centroids.k();
    int d = raw.cols();
    long[] size = new long[k];
    long[] positives = new long[k];
    double[] probabilitySum = new double[k];
    double[] clvSum = new double[k];
    double[] atRisk = new double[k];
    int spendColumn = raw.columns().indexOf(RfmFeature.TOTAL_SPEND.column());
    BandTable.Sums cells = new BandTable.Sums(k);
    double[] featureSum = new double[k * d];
    double[] x = raw.data();
    for (int i = 0; i < raw.rows(); i++) {
      int j = segment[i];
      size[j]++;
      positives[j] += labels[i];
      probabilitySum[j] += probability[i];
      cells.add(
          j,
          playbook.bandIndex(probability[i]),
          spendColumn < 0 ? Double.NaN : x[i * d + spendColumn],
          clv == null ? Double.NaN : clv[i],
          probability[i]);
      if (clv != null) {
        clvSum[j] += clv[i];
        atRisk[j] += CustomerValueModel.valueAtRisk(clv[i], probability[i]);
      }
      for (int c = 0; c < d; c++) {
        featureSum[j * d + c] += x[i * d + c];
      }
    }
    int[] roles = SegmentNames.rfmRoles(options, raw.columns());
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
        names[j] = SegmentNames.describe(centres[j], raw.columns());
      }
    }
    SegmentNames.distinguish(names, kinds, centres, raw.columns());
    SegmentNames.makeUnique(names, ids);

    BandTable table = cells.table(options.minSize());
    List<RetentionModel.Segment> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      long n = size[j];
      Map<String, Double> means = new LinkedHashMap<>();
      for (int c = 0; c < d; c++) {
        means.put(raw.columns().get(c), n == 0 ? 0.0 : featureSum[j * d + c] / n);
      }
      out.add(
          new RetentionModel.Segment(
              j,
              names[j],
              kinds[j],
              List.of(j),
              n,
              (double) n / raw.rows(),
              n == 0 ? 0 : (double) positives[j] / n,
              n == 0 ? 0 : probabilitySum[j] / n,
              means,
              playbook.actions(kinds[j]),
              clv == null || n == 0 ? null : clvSum[j] / n,
              clv == null ? null : atRisk[j],
              table.segments().get(j)));
    }
    return new Profiles(out, table.totals());
  }
}
