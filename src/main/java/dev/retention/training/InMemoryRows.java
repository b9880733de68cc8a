package dev.retention.training;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansFit;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.LogisticRegression.Design;
import dev.retention.core.Standardization;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import java.util.List;

/**
 * Training rows held in this process: the raw matrix, its standardized copy and the value columns,
 * each pass a multi-threaded core kernel (Hamerly K-means, blocked Newton sums). The train
 * function's rows.
 */
final class InMemoryRows implements TrainingRows {

  private final FeatureMatrix raw;
  private final int[] labels;
  private final int[] windowPurchases;
  private FeatureMatrix z;
  private FeatureMatrix value;
  private final CallOrder order = new CallOrder();

  InMemoryRows(FeatureMatrix raw, int[] labels, int[] windowPurchases) {
    this.raw = raw;
    this.labels = labels;
    this.windowPurchases = windowPurchases;
  }

  @Override
  public List<String> columns() {
    return raw.columns();
  }

  @Override
  public int rows() {
    return raw.rows();
  }

  @Override
  public int[] labels() {
    return labels;
  }

  @Override
  public int[] windowPurchases() {
    return windowPurchases;
  }

  @Override
  public Standardization standardize(List<String> log1pColumns) {
    Standardization standardization = Standardization.fit(raw, log1pColumns);
    z = standardization.transform(raw);
    order.standardized();
    return standardization;
  }

  @Override
  public FeatureMatrix raw(List<String> names) {
    int[] columns = new int[names.size()];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = raw.indexOf(names.get(c));
    }
    int n = raw.rows();
    int d = raw.cols();
    double[] out = new double[n * columns.length];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < columns.length; c++) {
        out[i * columns.length + c] = raw.data()[i * d + columns[c]];
      }
    }
    return new FeatureMatrix(names, out);
  }

  @Override
  public FeatureMatrix rawRows(int[] rows) {
    return raw.selectRows(rows);
  }

  @Override
  public void valueColumns(
      RetentionModel.CustomerValue layer, Standardization scaling, FeatureMatrix standardized) {
    value = standardized;
    order.valueColumnsOffered();
  }

  @Override
  public FeatureMatrix standardized(int[] rows, boolean withValue) {
    order.require("standardized", withValue);
    FeatureMatrix base = rows == null ? z : z.selectRows(rows);
    if (!withValue) {
      return base;
    }
    FeatureMatrix extra = rows == null ? value : value.selectRows(rows);
    int d = base.cols();
    int e = extra.cols();
    double[] out = new double[base.rows() * (d + e)];
    for (int i = 0; i < base.rows(); i++) {
      System.arraycopy(base.data(), i * d, out, i * (d + e), d);
      System.arraycopy(extra.data(), i * e, out, i * (d + e) + d, e);
    }
    List<String> names = new java.util.ArrayList<>(base.columns());
    names.addAll(extra.columns());
    return new FeatureMatrix(names, out);
  }

  @Override
  public KMeansFit kmeans(int k, KMeansOptions options) {
    order.require("kmeans", false);
    return KMeans.fit(z, k, options);
  }

  @Override
  public KMeansFit refine(Centroids start, KMeansOptions options) {
    order.require("refine", false);
    return KMeans.refine(z, start, options);
  }

  private Design design(int[] rows, FeatureExpansion expansion, boolean withValue) {
    return new Design(z, withValue ? value : null, rows, expansion);
  }

  @Override
  public LogisticFit logistic(
      int[] rows,
      FeatureExpansion expansion,
      boolean withValue,
      LogisticOptions options,
      LogisticFit start) {
    order.require("logistic", withValue);
    return LogisticRegression.fit(design(rows, expansion, withValue), labels, options, start);
  }

  @Override
  public double[] probabilities(
      int[] rows, FeatureExpansion expansion, boolean withValue, LogisticFit fit) {
    order.require("probabilities", withValue);
    return LogisticRegression.probabilities(design(rows, expansion, withValue), fit);
  }

  @Override
  public double[] incumbentProbabilities(RetentionModel incumbent, int[] columns, int[] rows) {
    Scorer scorer = Scorer.of(incumbent);
    double[] row = new double[columns.length];
    double[] out = new double[rows.length];
    int d = raw.cols();
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < columns.length; c++) {
        row[c] = raw.data()[rows[r] * d + columns[c]];
      }
      out[r] = scorer.score(row).probability();
    }
    return out;
  }

  @Override
  public double[] lowHigh(int m) {
    return Disclosure.lowHigh(raw.data(), raw.rows(), raw.cols(), m);
  }

  @Override
  public ProfileSums profile(
      KMeansFit segments,
      LogisticFit fit,
      FeatureExpansion expansion,
      boolean withValue,
      Playbook playbook,
      RetentionModel.CustomerValue layer,
      double[] clv) {
    order.require("profile", withValue);
    double[] probability = probabilities(null, expansion, withValue, fit);
    ProfileSums sums = new ProfileSums(segments.centroids().k(), raw.columns(), playbook);
    int d = raw.cols();
    int[] segment = segments.labels();
    for (int i = 0; i < raw.rows(); i++) {
      sums.add(
          raw.data(),
          i * d,
          segment[i],
          labels[i],
          probability[i],
          clv == null ? Double.NaN : clv[i]);
    }
    return sums;
  }
}
