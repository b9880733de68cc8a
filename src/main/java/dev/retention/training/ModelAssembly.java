package dev.retention.training;

import dev.retention.core.EvaluationMetrics;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeansFit;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.Standardization;
import dev.retention.core.StratifiedSplit;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model assembly: turns what {@link Trainer} fitted (core results: fits, splits, evaluations,
 * standardization) into the records the model publishes, and the model from its parts, as Tribuo
 * builds a model's provenance from its parts. Every published number that describes customers goes
 * through {@link Disclosure} here with the minimum segment size, so the rule that nothing published
 * comes from fewer customers than that is applied in this one place; the published schema does not
 * follow renames in the core.
 */
final class ModelAssembly {

  private final TrainingOptions options;
  private final SegmentOptions segmentOptions;
  private final int minSize;

  ModelAssembly(TrainingOptions options, SegmentOptions segmentOptions, int minSize) {
    this.options = options;
    this.segmentOptions = segmentOptions;
    this.minSize = minSize;
  }

  /** The model of these parts. */
  RetentionModel model(
      Trainer.Identity identity,
      Trainer.About about,
      List<RetentionModel.Feature> features,
      RetentionModel.Segmentation segmentation,
      RetentionModel.Classifier classifier,
      RetentionModel.Evaluation evaluation,
      List<RetentionModel.Segment> segments,
      RetentionModel.Provenance provenance,
      Playbook playbook,
      RetentionModel.CustomerValue customerValue) {
    return new RetentionModel(
        RetentionModel.SCHEMA_VERSION,
        identity.modelName(),
        identity.version(),
        identity.createdAt().toString(),
        about.labelColumn(),
        features,
        segmentation,
        classifier,
        evaluation,
        segments,
        provenance,
        about.derivation(),
        playbook,
        identity.order(),
        customerValue);
  }

  /**
   * Each feature's scaling and its range (means of the {@code minSize} extremes, {@code lowHigh}).
   */
  List<RetentionModel.Feature> features(
      List<String> columns, Standardization standardization, double[] lowHigh) {
    int d = columns.size();
    List<RetentionModel.Feature> out = new ArrayList<>(d);
    for (int c = 0; c < d; c++) {
      out.add(
          new RetentionModel.Feature(
              columns.get(c),
              standardization.log1p()[c],
              standardization.mean()[c],
              standardization.std()[c],
              lowHigh[2 * c],
              lowHigh[2 * c + 1]));
    }
    return out;
  }

  /** The segments' centres (standardized and in the features' units), the K search and merges. */
  RetentionModel.Segmentation segmentation(
      KMeansFit fit,
      KSelection.Result search,
      Standardization standardization,
      List<String> merges,
      List<RetentionModel.BandCell> bandTotals) {
    int k = fit.centroids().k();
    int d = fit.centroids().d();
    double[][] standardized = new double[k][];
    double[][] original = new double[k][d];
    for (int j = 0; j < k; j++) {
      standardized[j] = fit.centroids().centre(j);
      for (int c = 0; c < d; c++) {
        original[j][c] = standardization.inverse(c, standardized[j][c]);
      }
    }
    return new RetentionModel.Segmentation(
        k,
        standardized,
        original,
        fit.inertia(),
        fit.iterations(),
        fit.converged(),
        kSearch(search),
        List.copyOf(merges),
        minSize,
        bandTotals);
  }

  /** The model's record of the K search (the published schema does not follow core renames). */
  private static RetentionModel.KSearch kSearch(KSelection.Result result) {
    return result == null
        ? null
        : new RetentionModel.KSearch(
            result.ks(),
            result.inertia(),
            result.silhouette(),
            result.kneedle(),
            result.chosenK(),
            result.rule(),
            result.searchRows(),
            result.silhouetteRows());
  }

  /** The repurchase classifier: the fit on all rows, its terms, options and decision. */
  RetentionModel.Classifier classifier(
      LogisticFit fit,
      FeatureExpansion expansion,
      List<String> columns,
      RetentionModel.NonLinearDecision decision,
      List<RetentionModel.FeatureEffect> effects) {
    LogisticOptions logistic = options.logistic();
    return new RetentionModel.Classifier(
        fit.intercept(),
        fit.coefficients(),
        expansion.termNames(columns),
        expansion.squares(),
        expansion.interactions(),
        logistic.c(),
        logistic.classWeight().name(),
        options.evaluation().threshold(),
        fit.iterations(),
        fit.converged(),
        fit.gradientNorm(),
        decision,
        effects);
  }

  /**
   * The held-out evaluation as published: calibration bins and curve points of fewer than {@code
   * minSize} customers merged ({@link Disclosure}), and the live model's scores on the same
   * customers.
   */
  RetentionModel.Evaluation evaluation(
      StratifiedSplit split,
      EvaluationMetrics.Evaluation evaluation,
      RetentionModel.Incumbent compared) {
    EvaluationMetrics.Confusion confusion = evaluation.confusion();
    long negatives = evaluation.rows() - evaluation.positives();
    return new RetentionModel.Evaluation(
        split.train().length,
        split.validation().length,
        evaluation.positives(),
        evaluation.rocAuc(),
        evaluation.prAuc(),
        evaluation.logLoss(),
        evaluation.brier(),
        options.evaluation().threshold(),
        confusion.accuracy(),
        confusion.precision(),
        confusion.recall(),
        confusion.f1(),
        new RetentionModel.Confusion(
            confusion.truePositives(),
            confusion.falsePositives(),
            confusion.trueNegatives(),
            confusion.falseNegatives()),
        Disclosure.calibration(evaluation.calibration(), minSize),
        evaluation.lift().stream()
            .map(
                b ->
                    new RetentionModel.LiftBin(
                        b.decile(),
                        b.count(),
                        b.meanPredicted(),
                        b.rate(),
                        b.lift(),
                        b.cumulativeCapture()))
            .toList(),
        Disclosure.curve(evaluation.roc(), evaluation.positives(), negatives, minSize, true),
        Disclosure.curve(
            evaluation.precisionRecall(), evaluation.positives(), negatives, minSize, false),
        compared,
        null);
  }

  /** Where the model came from: library, seed, every parameter, the rows and the timings. */
  RetentionModel.Provenance provenance(
      Trainer.About about, int rowsUsed, Map<String, Long> timings, List<String> warnings) {
    Map<String, Object> parameters = new LinkedHashMap<>(options.describe());
    parameters.put("segments", segmentOptions.describe());
    return new RetentionModel.Provenance(
        "retention-functions",
        LibraryVersion.get(),
        options.seed(),
        parameters,
        about.rowsRead(),
        rowsUsed,
        about.rowsRejected(),
        about.rejections(),
        about.source(),
        timings,
        warnings);
  }

  /** The published layer: the draft with its features' scaling, the decision and the back-test. */
  RetentionModel.CustomerValue customerValue(
      CustomerValueFit.Fitted value,
      Standardization scaling,
      boolean used,
      RetentionModel.ValueDecision decision,
      FeatureMatrix raw,
      int[] windowPurchases) {
    RetentionModel.CustomerValue draft = value.draft();
    List<RetentionModel.ValueFeature> features = new ArrayList<>();
    for (int c = 0; c < draft.features().size(); c++) {
      RetentionModel.ValueFeature f = draft.features().get(c);
      features.add(
          new RetentionModel.ValueFeature(
              f.name(), f.meaning(), scaling.mean()[c], scaling.std()[c]));
    }
    List<RetentionModel.BackTestBin> backTest =
        windowPurchases == null
            ? List.of()
            : CustomerValueFit.backTest(
                raw, draft.roles().frequency(), value.quantities(), windowPurchases, minSize);
    return new RetentionModel.CustomerValue(
        draft.timeUnit(),
        draft.windowDays(),
        draft.horizonDays(),
        draft.horizonMonths(),
        draft.monthlyDiscountRate(),
        draft.roles(),
        draft.bgNbd(),
        draft.gammaGamma(),
        List.copyOf(features),
        used,
        decision,
        backTest,
        draft.notes());
  }
}
