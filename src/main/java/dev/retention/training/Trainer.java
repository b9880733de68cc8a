package dev.retention.training;

import dev.retention.core.Centroids;
import dev.retention.core.EvaluationMetrics;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeansFit;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.Standardization;
import dev.retention.core.StratifiedSplit;
import dev.retention.model.ModelOrder;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.time.Instant;
import java.util.ArrayList;
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
 *
 * <p>A trainer is configured once and trains any rows, as Smile's estimators are: {@code new
 * Trainer(options, segmentOptions, playbook).train(input, identity)}. It holds the sequence and its
 * rules; {@link ModelAssembly} turns the results into the published records.
 */
public final class Trainer {

  /**
   * What to train on: the rows, held in this process, and what is known about where they came from.
   *
   * @param features raw feature matrix (rows = customers)
   * @param labels 0/1 per row
   * @param windowPurchases distinct purchase days in the label window per row (orders), for the
   *     customer-value back-test; or null
   * @param about the label column, the rows read and rejected, the source, timings and derivation
   */
  public record Input(FeatureMatrix features, int[] labels, int[] windowPurchases, About about) {

    public Input {
      if (labels.length != features.rows()) {
        throw new IllegalArgumentException(
            labels.length + " labels for " + features.rows() + " feature rows");
      }
    }

    /** Its rows, held in this process (the train function's {@link TrainingRows}). */
    public TrainingRows rows() {
      return new InMemoryRows(features, labels, windowPurchases);
    }

    /** An input with no rejected rows. */
    public static Input of(FeatureMatrix features, int[] labels, String labelColumn) {
      return new Input(features, labels, null, About.of(labelColumn, features.rows()));
    }
  }

  /**
   * Where the training rows came from, for the model's provenance: everything of {@link Input} but
   * the rows (which a {@link TrainingRows} holds).
   *
   * @param labelColumn the label's column name
   * @param rowsRead data rows read from the source (order rows for an orders export)
   * @param rowsRejected of those, rows rejected for a bad value
   * @param rejections the first rejection reasons
   * @param source where the rows came from, or null
   * @param timingsMs stages measured before training (e.g. reading), recorded first in provenance
   * @param derivation how the features were derived from orders, or null
   */
  public record About(
      String labelColumn,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      String source,
      Map<String, Long> timingsMs,
      RetentionModel.Derivation derivation) {

    public About {
      rejections = List.copyOf(rejections);
      timingsMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
    }

    /** Rows that were all used: nothing rejected, no source, no derivation. */
    public static About of(String labelColumn, long rows) {
      return new About(labelColumn, rows, 0, List.of(), null, Map.of(), null);
    }
  }

  /**
   * Name, version, time and order of the model being made.
   *
   * @param order where the model stands among the models of its name, or null (tests, tools)
   */
  public record Identity(String modelName, String version, Instant createdAt, ModelOrder order) {

    /** An identity without an order. */
    public Identity(String modelName, String version, Instant createdAt) {
      this(modelName, version, createdAt, null);
    }
  }

  private final TrainingOptions options;
  private final SegmentOptions segmentOptions;
  private final Playbook playbook;

  /** A trainer with the default segment options and playbook. */
  public Trainer(TrainingOptions options) {
    this(
        options,
        SegmentOptions.defaults(),
        Playbook.of(Playbook.DEFAULT_HIGH_RISK_BELOW, Playbook.DEFAULT_MEDIUM_RISK_BELOW, null));
  }

  /**
   * A trainer: the training options (hyper-parameters, seed, threads), the segments' privacy and
   * naming options, and the playbook the segments' actions come from.
   */
  public Trainer(TrainingOptions options, SegmentOptions segmentOptions, Playbook playbook) {
    this.options = options;
    this.segmentOptions = segmentOptions;
    this.playbook = playbook;
  }

  /**
   * Trains a model.
   *
   * @throws IllegalArgumentException with a clear message for data that cannot be trained on
   */
  public RetentionModel train(Input input, Identity identity) {
    return train(input, identity, null);
  }

  /**
   * Trains a model and scores {@code incumbent}, the live model, on the same held-out customers
   * ({@link RetentionModel.Incumbent}), so that a quality gate can compare the two.
   *
   * @param incumbent the live model, or null
   * @throws IllegalArgumentException with a clear message for data that cannot be trained on
   */
  public RetentionModel train(Input input, Identity identity, RetentionModel incumbent) {
    return train(input.rows(), input.about(), identity, incumbent);
  }

  /**
   * Trains a model on rows held anywhere ({@link TrainingRows}): the one sequence of steps and
   * rules, whichever engine makes the passes over the rows.
   *
   * @param incumbent the live model, or null
   * @throws IllegalArgumentException with a clear message for data that cannot be trained on
   */
  public RetentionModel train(
      TrainingRows data, About about, Identity identity, RetentionModel incumbent) {
    int[] labels = data.labels();
    int n = data.rows();
    List<String> columns = data.columns();
    if (n == 0) {
      throw new IllegalArgumentException("no usable rows to train on");
    }
    requireMinimum(labels, options, segmentOptions.minSize());
    int minSize = segmentOptions.minSize();
    Map<String, Long> timings = new LinkedHashMap<>(about.timingsMs());
    List<String> warnings = new ArrayList<>(derivationWarnings(about.derivation()));
    Stopwatch watch = new Stopwatch();

    Standardization standardization = data.standardize(options.log1pColumns());
    warnings.addAll(standardization.warnings());
    timings.put("standardize", watch.lap());

    // Customer value (orders): BG/NBD and Gamma-Gamma on every customer, and the value features.
    ValueLayer valueLayer = ValueLayer.fit(data, about, options, warnings);
    CustomerValueFit.Fitted value = valueLayer.fitted();
    if (valueLayer.attempted()) {
      timings.put("customerValue", watch.lap());
    }

    KSelection.Result search = null;
    KMeansFit segments;
    if (options.k() > 0) {
      segments = data.kmeans(options.k(), options.kmeans());
    } else {
      KSelection.Search result =
          KSelection.search(
              n, rows -> data.standardized(rows, false), options.kSearch(), options.kmeans());
      search = result.result();
      timings.put("kSearch", watch.lap());
      // On a sample-based search, the chosen K's best centres (over nInit restarts on the sample)
      // warm-start the fit on all rows.
      segments =
          result.searchedAllRows()
              ? result.chosenFit()
              : data.refine(result.chosenFit().centroids(), options.kmeans());
    }
    List<String> merges = new ArrayList<>();
    segments = mergeSmallSegments(data, segments, minSize, options, merges);
    timings.put("kmeans", watch.lap());

    StratifiedSplit split = Holdout.split(labels, options);
    int[] validationLabels = StratifiedSplit.pick(labels, split.validation());
    LogisticOptions logistic = options.logistic();
    RetentionModel.ValueDecision valueDecision =
        value == null
            ? null
            : decideValueFeatures(data, split, validationLabels, options, logistic);
    boolean valueUsed = valueDecision != null && valueDecision.used();
    Classification classification =
        decideAndEvaluate(data, valueUsed, split, validationLabels, options, logistic);
    FeatureExpansion expansion = classification.expansion;
    EvaluationMetrics.Evaluation evaluation =
        EvaluationMetrics.evaluate(
            data.probabilities(
                split.validation(), expansion, valueUsed, classification.evaluationFit),
            validationLabels,
            options.evaluation().threshold(),
            Disclosure.liftGroups(split.validation().length, minSize));
    RetentionModel.Incumbent compared =
        incumbent == null ? null : compare(incumbent, data, split.validation(), validationLabels);
    timings.put("evaluate", watch.lap());

    // Warm start from the training-split fit: same optimum, fewer passes over all rows.
    LogisticFit fit =
        data.logistic(null, expansion, valueUsed, logistic, classification.evaluationFit);
    if (!fit.converged()) {
      warnings.add(
          "logistic regression stopped after "
              + fit.iterations()
              + " iterations with gradient norm "
              + fit.gradientNorm());
    }
    timings.put("refit", watch.lap());

    double[] clv = null;
    if (value != null && value.model().hasSpend()) {
      clv = new double[n];
      for (int i = 0; i < n; i++) {
        clv[i] = value.quantities()[i].predictedClv();
      }
    }
    SegmentProfiles.Profiles profiles =
        SegmentProfiles.build(
            data.profile(
                segments,
                fit,
                expansion,
                valueUsed,
                playbook,
                value != null && value.model().hasSpend() ? value.draft() : null,
                clv),
            segments.centroids(),
            columns,
            segmentOptions,
            playbook);
    ModelAssembly assembly = new ModelAssembly(options, segmentOptions, minSize);
    RetentionModel.Segmentation segmentation =
        assembly.segmentation(segments, search, standardization, merges, profiles.bandTotals());
    RetentionModel.CustomerValue customerValue =
        value == null
            ? null
            : assembly.customerValue(
                value,
                valueLayer.scaling(),
                valueUsed,
                valueDecision,
                valueLayer.roles(),
                data.windowPurchases());
    timings.put("profile", watch.lap());

    List<String> classifierColumns =
        valueUsed ? classifierColumns(columns, value.features().columns()) : columns;
    RetentionModel.Classifier classifier =
        assembly.classifier(
            fit,
            expansion,
            classifierColumns,
            classification.decision,
            effects(data, valueUsed, expansion, fit, classifierColumns, options));
    return assembly.model(
        identity,
        about,
        assembly.features(columns, standardization, data.lowHigh(minSize)),
        segmentation,
        classifier,
        assembly.evaluation(split, evaluation, compared),
        profiles.segments(),
        assembly.provenance(about, n, timings, warnings),
        playbook,
        customerValue);
  }

  /**
   * The live model's AUC and Brier score on this model's held-out customers, its features taken by
   * name from this export's raw columns; a note instead when it cannot score them (a feature it
   * reads is missing, or a row it rejects). Notes name features, never values.
   */
  static RetentionModel.Incumbent compare(
      RetentionModel incumbent, TrainingRows data, int[] validation, int[] validationLabels) {
    List<String> needs = incumbent.features().stream().map(RetentionModel.Feature::name).toList();
    List<String> dropped = needs.stream().filter(f -> !data.columns().contains(f)).toList();
    if (!dropped.isEmpty()) {
      // Clients that send these features to the live model would be refused by this one.
      return new RetentionModel.Incumbent(
          incumbent.version(),
          null,
          null,
          "the live model reads feature(s) " + dropped + ", which this export lacks",
          dropped,
          null);
    }
    int[] from = new int[needs.size()];
    for (int c = 0; c < from.length; c++) {
      from[c] = data.columns().indexOf(needs.get(c));
    }
    double[] probability;
    try {
      probability = data.incumbentProbabilities(incumbent, from, validation);
    } catch (RuntimeException e) {
      return new RetentionModel.Incumbent(
          incumbent.version(),
          null,
          null,
          "the live model cannot score the held-out customers: " + e.getMessage());
    }
    return new RetentionModel.Incumbent(
        incumbent.version(),
        EvaluationMetrics.rocAuc(probability, validationLabels),
        EvaluationMetrics.brier(probability, validationLabels),
        null);
  }

  /** Rows sampled for the feature effects: plenty for a mean, cheap with 90 terms. */
  private static final int EFFECT_SAMPLE_ROWS = 20_000;

  /**
   * Each input's effect on the log-odds, terms folded back onto the inputs ({@link
   * FeatureExpansion#contributions}): mean absolute contribution over a seeded sample of the
   * training rows, and the direction of a higher value.
   */
  private static List<RetentionModel.FeatureEffect> effects(
      TrainingRows data,
      boolean withValue,
      FeatureExpansion expansion,
      LogisticFit fit,
      List<String> columns,
      TrainingOptions options) {
    int n = data.rows();
    int[] rows =
        n <= EFFECT_SAMPLE_ROWS
            ? null
            : KSelection.sample(n, EFFECT_SAMPLE_ROWS, new SplittableRandom(options.seed() + 7));
    FeatureMatrix inputsOfRows = data.standardized(rows, withValue);
    return effects(inputsOfRows.data(), inputsOfRows.rows(), expansion, fit, columns);
  }

  /** Rows the partial dependence averages over: enough for a mean, cheap with 90 terms. */
  private static final int DEPENDENCE_ROWS = 4_000;

  /** The grid of each input's partial dependence: these percentiles of its values. */
  private static final double[] DEPENDENCE_GRID = {0.10, 0.25, 0.50, 0.75, 0.90};

  /**
   * The effects of {@code columns} over {@code m} standardized input rows (row-major): the mean
   * absolute folded contribution, and the direction of a higher value as the model's own partial
   * dependence shows it (issue 21: an explanation never states a direction it contradicts).
   *
   * <p>Direction: the mean predicted probability with the input set to each of its 10th, 25th,
   * 50th, 75th and 90th percentiles in every row (the other inputs as they are: Friedman's partial
   * dependence, 2001, "Greedy function approximation", section 8.2). +1 when it rises from the 10th
   * to the 90th percentile and mostly monotonically (its total variation at most 1.5 times the net
   * change), -1 when it falls so, else 0 ("mixed"). The sign of an input's folded contribution
   * alone can contradict this: with a skewed input, a small positive square outweighs a negative
   * linear term in the correlation, while moving the input over most customers' range lowers the
   * probability.
   */
  static List<RetentionModel.FeatureEffect> effects(
      double[] rowsData, int m, FeatureExpansion expansion, LogisticFit fit, List<String> columns) {
    int w = columns.size();
    double[] inputs = new double[w];
    double[] contribution = new double[w];
    double[] meanAbs = new double[w];
    for (int r = 0; r < m; r++) {
      System.arraycopy(rowsData, r * w, inputs, 0, w);
      expansion.contributions(inputs, fit.coefficients(), contribution);
      for (int c = 0; c < w; c++) {
        meanAbs[c] += Math.abs(contribution[c]);
      }
    }
    // Every step-th row: deterministic, spread over the (already seeded) sample.
    int step = Math.max(1, m / DEPENDENCE_ROWS);
    int used = (m + step - 1) / step;
    double[] terms = new double[expansion.terms(w)];
    double[] column = new double[m];
    List<RetentionModel.FeatureEffect> out = new ArrayList<>(w);
    for (int c = 0; c < w; c++) {
      for (int r = 0; r < m; r++) {
        column[r] = rowsData[r * w + c];
      }
      java.util.Arrays.sort(column);
      double[] dependence = new double[DEPENDENCE_GRID.length];
      for (int g = 0; g < DEPENDENCE_GRID.length; g++) {
        double v = column[(int) Math.floor(DEPENDENCE_GRID[g] * (m - 1))];
        double sum = 0;
        for (int r = 0; r < m; r += step) {
          System.arraycopy(rowsData, r * w, inputs, 0, w);
          inputs[c] = v;
          expansion.expandRow(inputs, 0, w, terms, 0);
          sum += 1 / (1 + Math.exp(-fit.linear(terms, 0)));
        }
        dependence[g] = sum / used;
      }
      double net = dependence[dependence.length - 1] - dependence[0];
      double variation = 0;
      for (int g = 1; g < dependence.length; g++) {
        variation += Math.abs(dependence[g] - dependence[g - 1]);
      }
      int direction =
          Math.abs(net) < 1e-4 || variation > 1.5 * Math.abs(net) ? 0 : net > 0 ? 1 : -1;
      out.add(new RetentionModel.FeatureEffect(columns.get(c), meanAbs[c] / m, direction));
    }
    return out;
  }

  /** The classifier's input columns: the features, then the value features. */
  private static List<String> classifierColumns(List<String> features, List<String> value) {
    List<String> out = new ArrayList<>(features);
    out.addAll(value);
    return out;
  }

  /**
   * Offers the value features to the repurchase model by the non-linear terms' rule: linear fits
   * with and without them on the same decision rows of the training split, kept only when the
   * validation log loss drops by at least the configured relative margin.
   */
  private static RetentionModel.ValueDecision decideValueFeatures(
      TrainingRows data,
      StratifiedSplit split,
      int[] validationLabels,
      TrainingOptions options,
      LogisticOptions logistic) {
    int[] rows = decisionRows(split.train(), options);
    double[] losses = new double[2];
    for (int variant = 0; variant < 2; variant++) {
      boolean withValue = variant == 1;
      LogisticFit fit = data.logistic(rows, FeatureExpansion.NONE, withValue, logistic, null);
      losses[variant] =
          EvaluationMetrics.logLoss(
              data.probabilities(split.validation(), FeatureExpansion.NONE, withValue, fit),
              validationLabels);
    }
    double margin = options.nonLinear().minImprovement();
    boolean used = losses[1] < losses[0] * (1 - margin);
    return new RetentionModel.ValueDecision(
        losses[0],
        losses[1],
        rows.length,
        used,
        "the value features are used only when they lower the validation log loss by at least "
            + margin * 100
            + "% relative: "
            + (used ? "they did" : "they did not"));
  }

  /** The training rows the decisions fit on: all, or a seeded sample of the configured size. */
  private static int[] decisionRows(int[] train, TrainingOptions options) {
    return train.length <= options.nonLinear().sampleRows()
        ? train
        : subsample(train, options.nonLinear().sampleRows(), options.seed());
  }

  /**
   * Fails, naming the floor and its setting, when the data is below the least a live model is
   * trained on. The floor is also at least the minimum segment size, and so large that the held-out
   * split alone holds that many customers.
   */
  static void requireMinimum(int[] labels, TrainingOptions options, int minSize) {
    int n = labels.length;
    long positives = 0;
    for (int label : labels) {
      positives += label;
    }
    long negatives = n - positives;
    MinimumData minimum = options.minimum();
    long customers =
        Math.max(
            Math.max(minimum.customers(), minSize),
            (long) Math.ceil(2.0 * minSize / options.evaluation().validationFraction()));
    if (n < customers) {
      throw new IllegalArgumentException(
          "only "
              + n
              + " customers to train on; a live model needs at least "
              + customers
              + " (setting retention.train.minimum.customers"
              + (customers > minimum.customers()
                  ? ", raised so that the held-out split alone has twice"
                      + " retention.segments.min-size customers"
                  : "")
              + ")");
    }
    long perClass = Math.max(minimum.perClass(), 1);
    if (positives < perClass || negatives < perClass) {
      // The thin class's size is not stated: it may be a handful of customers.
      throw new IllegalArgumentException(
          "fewer than "
              + perClass
              + " customers "
              + (positives < perClass ? "bought again" : "did not buy again")
              + "; a repurchase model needs at least "
              + perClass
              + " of each (setting retention.train.minimum.per-class)");
    }
  }

  /**
   * Merges every segment below the minimum size into its neighbours before anything is published:
   * its centre is dropped and K-means refines the remaining centres on all rows, until every
   * segment holds at least {@code minSize} customers (or one segment is left). Every published
   * centre is then the mean of at least that many customers, and scoring assigns exactly as the
   * profiles were computed.
   */
  private static KMeansFit mergeSmallSegments(
      TrainingRows data, KMeansFit fit, int minSize, TrainingOptions options, List<String> merges) {
    KMeansFit current = fit;
    while (current.centroids().k() > 1) {
      long[] sizes = current.sizes();
      int smallest = 0;
      for (int j = 1; j < sizes.length; j++) {
        if (sizes[j] < sizes[smallest]) {
          smallest = j;
        }
      }
      if (sizes[smallest] >= minSize) {
        break;
      }
      int k = current.centroids().k();
      int d = current.centroids().d();
      double[] kept = new double[(k - 1) * d];
      for (int j = 0, to = 0; j < k; j++) {
        if (j != smallest) {
          System.arraycopy(current.centroids().centres(), j * d, kept, to * d, d);
          to++;
        }
      }
      // Never its size: a count below the minimum would describe those few customers.
      merges.add(
          "a segment below the minimum of "
              + minSize
              + " customers was merged into a larger segment (K = "
              + k
              + " to "
              + (k - 1)
              + ")");
      current = data.refine(new Centroids(k - 1, d, kept), options.kmeans());
    }
    return current;
  }

  private record Classification(
      FeatureExpansion expansion,
      LogisticFit evaluationFit,
      RetentionModel.NonLinearDecision decision) {}

  private static Classification decideAndEvaluate(
      TrainingRows data,
      boolean withValue,
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
          LogisticFit fit = data.logistic(train, expansion, withValue, logistic, null);
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
    int[] decisionRows = decisionRows(train, options);
    LogisticFit linear =
        data.logistic(decisionRows, FeatureExpansion.NONE, withValue, logistic, null);
    LogisticFit quadratic =
        data.logistic(decisionRows, FeatureExpansion.QUADRATIC, withValue, logistic, null);
    double linearLoss =
        EvaluationMetrics.logLoss(
            data.probabilities(split.validation(), FeatureExpansion.NONE, withValue, linear),
            validationLabels);
    double quadraticLoss =
        EvaluationMetrics.logLoss(
            data.probabilities(
                split.validation(), FeatureExpansion.QUADRATIC, withValue, quadratic),
            validationLabels);
    double minImprovement = options.nonLinear().minImprovement();
    boolean used = quadraticLoss < linearLoss * (1 - minImprovement);
    FeatureExpansion expansion = used ? FeatureExpansion.QUADRATIC : FeatureExpansion.NONE;
    LogisticFit evaluationFit =
        decisionRows == train
            ? (used ? quadratic : linear)
            : data.logistic(train, expansion, withValue, logistic, used ? quadratic : linear);
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

  /** What the derivation says about the labels (a censored label window), first among warnings. */
  private static List<String> derivationWarnings(RetentionModel.Derivation derivation) {
    return derivation == null || derivation.warnings() == null ? List.of() : derivation.warnings();
  }
}
