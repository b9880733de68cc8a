package dev.retention.training;

import dev.retention.features.RfmFeature;
import dev.retention.model.BandTable;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.Playbook;
import java.io.Serializable;
import java.util.List;

/**
 * What the segment profiles sum over the training rows, one row at a time: sizes, repurchases,
 * probabilities, money and feature sums per segment, and the churn-risk band cells. Mergeable, so
 * the parts of a distributed dataset each sum theirs; {@link SegmentProfiles} turns the sums into
 * the published segments.
 */
public final class ProfileSums implements Serializable {

  private static final long serialVersionUID = 1L;

  final int k;
  final int d;
  final long[] size;
  final long[] positives;
  final double[] probabilitySum;
  final double[] clvSum;
  final double[] atRisk;
  final double[] featureSum;
  final BandTable.Sums cells;
  private final int spendColumn;
  private final Playbook playbook;
  boolean hasClv;
  long rows;

  /**
   * @param k segments
   * @param columns the raw feature columns the rows hold
   */
  public ProfileSums(int k, List<String> columns, Playbook playbook) {
    this.k = k;
    this.d = columns.size();
    this.size = new long[k];
    this.positives = new long[k];
    this.probabilitySum = new double[k];
    this.clvSum = new double[k];
    this.atRisk = new double[k];
    this.featureSum = new double[k * d];
    this.cells = new BandTable.Sums(k);
    this.spendColumn = columns.indexOf(RfmFeature.TOTAL_SPEND.column());
    this.playbook = playbook;
  }

  /**
   * Adds one customer: the raw row at {@code offset}, its segment, label, repurchase probability
   * and predicted CLV (NaN without the customer-value layer).
   */
  public void add(
      double[] raw, int offset, int segment, int label, double probability, double clv) {
    size[segment]++;
    positives[segment] += label;
    probabilitySum[segment] += probability;
    cells.add(
        segment,
        playbook.bandIndex(probability),
        spendColumn < 0 ? Double.NaN : raw[offset + spendColumn],
        clv,
        probability);
    if (!Double.isNaN(clv)) {
      hasClv = true;
      clvSum[segment] += clv;
      atRisk[segment] += CustomerValueModel.valueAtRisk(clv, probability);
    }
    for (int c = 0; c < d; c++) {
      featureSum[segment * d + c] += raw[offset + c];
    }
    rows++;
  }

  /** These sums with {@code other}'s added; returns this. */
  public ProfileSums merge(ProfileSums other) {
    if (other.k != k || other.d != d) {
      throw new IllegalArgumentException("profile sums of another shape");
    }
    for (int j = 0; j < k; j++) {
      size[j] += other.size[j];
      positives[j] += other.positives[j];
      probabilitySum[j] += other.probabilitySum[j];
      clvSum[j] += other.clvSum[j];
      atRisk[j] += other.atRisk[j];
    }
    for (int v = 0; v < featureSum.length; v++) {
      featureSum[v] += other.featureSum[v];
    }
    cells.merge(other.cells);
    hasClv |= other.hasClv;
    rows += other.rows;
    return this;
  }
}
