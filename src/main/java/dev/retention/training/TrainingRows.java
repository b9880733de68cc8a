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
 * The customer rows a training runs on, and the passes over them it needs: in memory ({@link
 * InMemoryRows}, the train function), or spread over a cluster (the Spark trainer). {@link Trainer}
 * holds the sequence and every rule; an implementation only says how to make each pass over its
 * rows, with the core's kernels.
 *
 * <p>What travels to the caller is per customer at most a few scalars (labels, segments, held-out
 * probabilities, the customer-value inputs) and samples of bounded size; the feature rows
 * (customers × features, and their expanded designs) stay where the rows are. Row indexes are
 * positions in the export's order, from 0; an index array is given in the order its rows are
 * wanted.
 *
 * <p>Call order: {@link #standardize} before any pass over the standardized rows ({@code
 * standardized}, {@code kmeans}, {@code refine}, {@code logistic}, {@code probabilities}, {@code
 * profile}), and {@link #valueColumns} before any such pass {@code withValue}; an implementation
 * checks it with {@link CallOrder}, which throws an {@link IllegalStateException} naming the
 * missing call. The raw passes ({@code raw}, {@code rawRows}, {@code lowHigh}, {@code
 * incumbentProbabilities}) may run at any time.
 */
public interface TrainingRows {

  /** The raw feature columns. */
  List<String> columns();

  int rows();

  /** 0/1 per row. */
  int[] labels();

  /** Distinct purchase days in the label window per row (orders), or null. */
  int[] windowPurchases();

  /**
   * Fits the standardization (optionally after log1p) on all rows; the passes after this one see
   * the standardized rows.
   */
  Standardization standardize(List<String> log1pColumns);

  /** Raw columns by name, every row (the customer-value layer's inputs). */
  FeatureMatrix raw(List<String> names);

  /** Every raw column of the given rows, in that order (the held-out customers kept). */
  FeatureMatrix rawRows(int[] rows);

  /**
   * Offers value columns next to the standardized features: per row, the customer-value layer's
   * features computed from the raw row and standardized by {@code scaling}. {@code standardized}
   * holds the same values already computed for every row; an implementation may keep it instead of
   * computing them again.
   */
  void valueColumns(
      RetentionModel.CustomerValue layer, Standardization scaling, FeatureMatrix standardized);

  /** Standardized rows by index (all rows when null), with the value columns when asked. */
  FeatureMatrix standardized(int[] rows, boolean withValue);

  /** K-means with {@code k} clusters on the standardized rows (a configured K). */
  KMeansFit kmeans(int k, KMeansOptions options);

  /** Lloyd's iteration on all standardized rows from {@code start}. */
  KMeansFit refine(Centroids start, KMeansOptions options);

  /** Logistic regression on the given rows (all when null). */
  LogisticFit logistic(
      int[] rows,
      FeatureExpansion expansion,
      boolean withValue,
      LogisticOptions options,
      LogisticFit start);

  /** Repurchase probabilities of the given rows (all when null), in that order. */
  double[] probabilities(
      int[] rows, FeatureExpansion expansion, boolean withValue, LogisticFit fit);

  /**
   * The {@code incumbent} model's repurchase probabilities of the given rows, from their raw
   * features {@code columns} (indexes into {@link #columns()}, in the incumbent's feature order).
   *
   * @throws RuntimeException the incumbent's scoring error (it names a feature, never a value)
   */
  double[] incumbentProbabilities(RetentionModel incumbent, int[] columns, int[] rows);

  /** Per raw column, the {@code m} smallest and largest values' means ({@link Extremes}). */
  double[] lowHigh(int m);

  /**
   * The segment profiles' sums over every row: its segment ({@code segments}' label), label,
   * probability under the fit, and predicted CLV when the layer has the spend model ({@code clv}
   * holds it per row as the caller computed it; an implementation may compute it again from {@code
   * layer} where the rows are), else none.
   */
  ProfileSums profile(
      KMeansFit segments,
      LogisticFit fit,
      FeatureExpansion expansion,
      boolean withValue,
      Playbook playbook,
      RetentionModel.CustomerValue layer,
      double[] clv);
}
