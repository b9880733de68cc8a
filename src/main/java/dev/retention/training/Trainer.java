package dev.retention.training;

import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansFit;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.LogisticRegression.Design;
import dev.retention.core.Metrics;
import dev.retention.core.Standardization;
import dev.retention.core.StratifiedSplit;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a feature table with labels into a {@link RetentionModel}.
 *
 * <ol>
 *   <li>Standardize every feature (optionally after log1p) on all rows. Only the features' first
 *       two moments are shared with the validation split, never a label.
 *   <li>Segments: K-means on the standardized rows, K chosen by {@link KSelection} unless
 *       configured.
 *   <li>Classifier: a stratified, seeded split; decide on squares and interactions (AUTO: fit both
 *       variants on at most {@code nonLinearSampleRows} training rows and keep the expansion only
 *       if the validation log loss improves by the configured relative margin); evaluate the chosen
 *       variant, fit on the training split, on the validation split.
 *   <li>Refit the chosen classifier on all rows: the published coefficients use every row, the
 *       published metrics are the held-out ones.
 *   <li>Profile each segment over all rows.
 * </ol>
 */
public final class Trainer {

  private Trainer() {}

  /**
   * What to train on.
   *
   * @param features raw feature matrix (rows = customers)
   * @param labels 0/1 per row
   * @param labelColumn the label's column name
   * @param rowsRead data rows read from the source (order rows for an orders export)
   * @param rowsRejected of those, rows rejected for a bad value
   * @param rejections the first rejection reasons
   * @param source where the rows came from, or null
   * @param timingsMs stages measured before training (e.g. reading), recorded first in provenance
   * @param derivation how the features were derived from orders, or null
   */
  public record Input(
      FeatureMatrix features,
      int[] labels,
      String labelColumn,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      String source,
      Map<String, Long> timingsMs,
      RetentionModel.Derivation derivation) {

    public Input {
      rejections = List.copyOf(rejections);
      timingsMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
      if (labels.length != features.rows()) {
        throw new IllegalArgumentException(
            labels.length + " labels for " + features.rows() + " feature rows");
      }
    }

    /** An input with no rejected rows. */
    public static Input of(FeatureMatrix features, int[] labels, String labelColumn) {
      return new Input(
          features, labels, labelColumn, features.rows(), 0, List.of(), null, Map.of(), null);
    }
  }

  /** Name, version and time of the model being made. */
  public record Identity(String modelName, String version, Instant createdAt) {}

  /** Trains a model with the default segment options and playbook. */
  public static RetentionModel train(Input input, TrainingOptions options, Identity identity) {
    return train(
        input,
        options,
        SegmentOptions.defaults(),
        Playbook.of(Playbook.DEFAULT_HIGH_RISK_BELOW, Playbook.DEFAULT_MEDIUM_RISK_BELOW, null),
        identity);
  }

  /**
   * Trains a model.
   *
   * @throws IllegalArgumentException with a clear message for data that cannot be trained on
   */
  public static RetentionModel train(
      Input input,
      TrainingOptions options,
      SegmentOptions segmentOptions,
      Playbook playbook,
      Identity identity) {
    FeatureMatrix raw = input.features();
    int[] labels = input.labels();
    int n = raw.rows();
    int d = raw.cols();
    if (n == 0) {
      throw new IllegalArgumentException("no usable rows to train on");
    }
    Map<String, Long> timings = new LinkedHashMap<>(input.timingsMs());
    List<String> warnings = new ArrayList<>();
    Stopwatch watch = new Stopwatch();

    Standardization standardization = Standardization.fit(raw, options.log1pColumns());
    warnings.addAll(standardization.warnings());
    FeatureMatrix z = standardization.transform(raw);
    timings.put("standardize", watch.lap());

    KSelection.Result search = null;
    KMeansFit segments;
    if (options.k() > 0) {
      segments = KMeans.fit(z, options.k(), options.kmeans());
    } else {
      KSelection.Search result = KSelection.search(z, options.kSearch(), options.kmeans());
      search = result.result();
      timings.put("kSearch", watch.lap());
      // On a sample-based search, the chosen K's best centres (over nInit restarts on the sample)
      // warm-start the fit on all rows.
      segments =
          result.searchedAllRows()
              ? result.chosenFit()
              : KMeans.refine(z, result.chosenFit().centroids(), options.kmeans());
    }
    timings.put("kmeans", watch.lap());

    StratifiedSplit split =
        StratifiedSplit.of(labels, options.evaluation().validationFraction(), options.seed());
    int[] validationLabels = StratifiedSplit.pick(labels, split.validation());
    LogisticOptions logistic = options.logistic();
    Classification classification =
        decideAndEvaluate(z, labels, split, validationLabels, options, logistic);
    FeatureExpansion expansion = classification.expansion;
    Metrics.Evaluation evaluation =
        Metrics.evaluate(
            LogisticRegression.probabilities(
                new Design(z, split.validation(), expansion), classification.evaluationFit),
            validationLabels,
            options.evaluation().threshold());
    timings.put("evaluate", watch.lap());

    Design all = new Design(z, null, expansion);
    // Warm start from the training-split fit: same optimum, fewer passes over all rows.
    LogisticFit fit = LogisticRegression.fit(all, labels, logistic, classification.evaluationFit);
    if (!fit.converged()) {
      warnings.add(
          "logistic regression stopped after "
              + fit.iterations()
              + " iterations with gradient norm "
              + fit.gradientNorm());
    }
    timings.put("refit", watch.lap());

    double[] probability = LogisticRegression.probabilities(all, fit);
    RetentionModel.Segmentation segmentation = segmentation(segments, search, standardization);
    List<RetentionModel.Segment> profiles =
        SegmentProfiles.build(
            raw,
            labels,
            segments.labels(),
            probability,
            segments.centroids(),
            segmentation.centresOriginal(),
            segmentOptions,
            playbook);
    timings.put("profile", watch.lap());

    RetentionModel.Classifier classifier =
        new RetentionModel.Classifier(
            fit.intercept(),
            fit.coefficients(),
            expansion.termNames(raw.columns()),
            expansion.squares(),
            expansion.interactions(),
            logistic.c(),
            logistic.classWeight().name(),
            options.evaluation().threshold(),
            fit.iterations(),
            fit.converged(),
            fit.gradientNorm(),
            classification.decision);
    Metrics.Confusion confusion = evaluation.confusion();
    RetentionModel.Evaluation published =
        new RetentionModel.Evaluation(
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
            evaluation.calibration().stream()
                .map(
                    b ->
                        new RetentionModel.CalibrationBin(
                            b.lower(), b.upper(), b.count(), b.meanPredicted(), b.observedRate()))
                .toList(),
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
            curve(evaluation.roc()),
            curve(evaluation.precisionRecall()));
    RetentionModel.Provenance provenance =
        new RetentionModel.Provenance(
            "retention-functions",
            LibraryVersion.get(),
            options.seed(),
            parameters(options, segmentOptions),
            input.rowsRead(),
            n,
            input.rowsRejected(),
            input.rejections(),
            input.source(),
            timings,
            warnings);
    return new RetentionModel(
        RetentionModel.SCHEMA_VERSION,
        identity.modelName(),
        identity.version(),
        identity.createdAt().toString(),
        input.labelColumn(),
        features(raw, standardization),
        segmentation,
        classifier,
        published,
        profiles,
        provenance,
        input.derivation(),
        playbook);
  }

  private static Map<String, Object> parameters(TrainingOptions options, SegmentOptions segments) {
    Map<String, Object> parameters = new LinkedHashMap<>(options.describe());
    parameters.put("segments", segments.describe());
    return parameters;
  }

  private static List<RetentionModel.CurvePoint> curve(List<Metrics.CurvePoint> points) {
    return points.stream()
        .map(p -> new RetentionModel.CurvePoint(p.x(), p.y(), p.threshold()))
        .toList();
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

  private record Classification(
      FeatureExpansion expansion,
      LogisticFit evaluationFit,
      RetentionModel.NonLinearDecision decision) {}

  private static Classification decideAndEvaluate(
      FeatureMatrix z,
      int[] labels,
      StratifiedSplit split,
      int[] validationLabels,
      TrainingOptions options,
      LogisticOptions logistic) {
    int[] train = split.train();
    switch (options.nonLinear().mode()) {
      case OFF:
      case ON:
        {
          FeatureExpansion expansion =
              options.nonLinear().mode() == NonLinearOptions.Mode.ON
                  ? FeatureExpansion.QUADRATIC
                  : FeatureExpansion.NONE;
          LogisticFit fit =
              LogisticRegression.fit(new Design(z, train, expansion), labels, logistic);
          return new Classification(
              expansion,
              fit,
              new RetentionModel.NonLinearDecision(
                  options.nonLinear().mode().name(),
                  null,
                  null,
                  train.length,
                  !expansion.isNone(),
                  "configured " + options.nonLinear().mode().name()));
        }
      default:
        break;
    }
    int[] decisionRows =
        train.length <= options.nonLinear().sampleRows()
            ? train
            : subsample(train, options.nonLinear().sampleRows(), options.seed());
    LogisticFit linear =
        LogisticRegression.fit(
            new Design(z, decisionRows, FeatureExpansion.NONE), labels, logistic);
    LogisticFit quadratic =
        LogisticRegression.fit(
            new Design(z, decisionRows, FeatureExpansion.QUADRATIC), labels, logistic);
    double linearLoss =
        Metrics.logLoss(
            LogisticRegression.probabilities(
                new Design(z, split.validation(), FeatureExpansion.NONE), linear),
            validationLabels);
    double quadraticLoss =
        Metrics.logLoss(
            LogisticRegression.probabilities(
                new Design(z, split.validation(), FeatureExpansion.QUADRATIC), quadratic),
            validationLabels);
    double minImprovement = options.nonLinear().minImprovement();
    boolean used = quadraticLoss < linearLoss * (1 - minImprovement);
    FeatureExpansion expansion = used ? FeatureExpansion.QUADRATIC : FeatureExpansion.NONE;
    LogisticFit evaluationFit =
        decisionRows == train
            ? (used ? quadratic : linear)
            : LogisticRegression.fit(
                new Design(z, train, expansion), labels, logistic, used ? quadratic : linear);
    String rule =
        "squares and interactions are used only when they lower the validation log loss by at"
            + " least "
            + minImprovement * 100
            + "% relative: "
            + (used ? "they did" : "they did not");
    return new Classification(
        expansion,
        evaluationFit,
        new RetentionModel.NonLinearDecision(
            NonLinearOptions.Mode.AUTO.name(),
            linearLoss,
            quadraticLoss,
            decisionRows.length,
            used,
            rule));
  }

  private static int[] subsample(int[] rows, int size, long seed) {
    int[] picked =
        KSelection.sample(rows.length, size, new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L));
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = rows[picked[i]];
    }
    return out;
  }

  private static List<RetentionModel.Feature> features(
      FeatureMatrix raw, Standardization standardization) {
    int d = raw.cols();
    double[] min = new double[d];
    double[] max = new double[d];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    double[] x = raw.data();
    for (int i = 0; i < raw.rows(); i++) {
      for (int c = 0; c < d; c++) {
        min[c] = Math.min(min[c], x[i * d + c]);
        max[c] = Math.max(max[c], x[i * d + c]);
      }
    }
    List<RetentionModel.Feature> out = new ArrayList<>(d);
    for (int c = 0; c < d; c++) {
      out.add(
          new RetentionModel.Feature(
              raw.columns().get(c),
              standardization.log1p()[c],
              standardization.mean()[c],
              standardization.std()[c],
              min[c],
              max[c]));
    }
    return out;
  }

  private static RetentionModel.Segmentation segmentation(
      KMeansFit fit, KSelection.Result search, Standardization standardization) {
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
        kSearch(search));
  }

  /** Wall-clock laps in milliseconds. */
  private static final class Stopwatch {
    private long last = System.nanoTime();

    long lap() {
      long now = System.nanoTime();
      long ms = (now - last) / 1_000_000;
      last = now;
      return ms;
    }
  }
}
