package dev.retention.training;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeansFit;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.Standardization;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.util.List;

/**
 * Training rows that run a check before every pass over them: a training stops between passes (a
 * deadline, say) without {@link Trainer} knowing why. The check throws to stop.
 */
public final class CheckpointedRows implements TrainingRows {

  private final TrainingRows rows;
  private final Runnable check;

  private CheckpointedRows(TrainingRows rows, Runnable check) {
    this.rows = rows;
    this.check = check;
  }

  /** {@code rows} with {@code check} run before each pass. */
  public static TrainingRows of(TrainingRows rows, Runnable check) {
    return new CheckpointedRows(rows, check);
  }

  @Override
  public List<String> columns() {
    return rows.columns();
  }

  @Override
  public int rows() {
    return rows.rows();
  }

  @Override
  public int[] labels() {
    return rows.labels();
  }

  @Override
  public int[] windowPurchases() {
    return rows.windowPurchases();
  }

  @Override
  public Standardization standardize(List<String> log1pColumns) {
    check.run();
    return rows.standardize(log1pColumns);
  }

  @Override
  public FeatureMatrix raw(List<String> names) {
    check.run();
    return rows.raw(names);
  }

  @Override
  public FeatureMatrix rawRows(int[] picked) {
    check.run();
    return rows.rawRows(picked);
  }

  @Override
  public void valueColumns(
      RetentionModel.CustomerValue layer, Standardization scaling, FeatureMatrix standardized) {
    check.run();
    rows.valueColumns(layer, scaling, standardized);
  }

  @Override
  public FeatureMatrix standardized(int[] picked, boolean withValue) {
    check.run();
    return rows.standardized(picked, withValue);
  }

  @Override
  public KMeansFit kmeans(int k, KMeansOptions options) {
    check.run();
    return rows.kmeans(k, options);
  }

  @Override
  public KMeansFit refine(Centroids start, KMeansOptions options) {
    check.run();
    return rows.refine(start, options);
  }

  @Override
  public LogisticFit logistic(
      int[] picked,
      FeatureExpansion expansion,
      boolean withValue,
      LogisticOptions options,
      LogisticFit start) {
    check.run();
    return rows.logistic(picked, expansion, withValue, options, start);
  }

  @Override
  public double[] probabilities(
      int[] picked, FeatureExpansion expansion, boolean withValue, LogisticFit fit) {
    check.run();
    return rows.probabilities(picked, expansion, withValue, fit);
  }

  @Override
  public double[] incumbentProbabilities(RetentionModel incumbent, int[] columns, int[] picked) {
    check.run();
    return rows.incumbentProbabilities(incumbent, columns, picked);
  }

  @Override
  public double[] lowHigh(int m) {
    check.run();
    return rows.lowHigh(m);
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
    check.run();
    return rows.profile(segments, fit, expansion, withValue, playbook, layer, clv);
  }
}
