package dev.retention.training;

import dev.retention.core.Described;
import dev.retention.core.KMeansOptions;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Every training hyper-parameter, composed from the option records of the parts that use them
 * (Tribuo-style: each part describes itself, the whole composes the descriptions for the model's
 * provenance). A new setting is a component of the one record that uses it, named in its {@link
 * Described#describe()}, plus one line in {@code application.properties}: configuration binds the
 * described components by name ({@code config.SettingsBinder}).
 *
 * <p>{@code seed} and {@code threads} are set once for the whole training: the compact constructor
 * writes them into the K-means and logistic-regression options, so every fit, sample and split of a
 * run derives from the same seed and results never depend on the thread count.
 *
 * @param k number of segments; 0 = choose K by {@link KSelection} with {@code kSearch}
 * @param kSearch the K range, samples and tie rule of the search
 * @param kmeans restarts, iterations and tolerance of every K-means fit
 * @param logistic C, class weights and the solver's stopping rule
 * @param nonLinear whether and when squares and interactions are added
 * @param evaluation the held-out split and the decision threshold
 * @param minimum the least data a live model is trained on
 * @param customerValue the BG/NBD and Gamma-Gamma layer of models trained from orders
 * @param log1pColumns features log1p-transformed before standardization (default none)
 * @param seed seed for every random choice (default 42)
 * @param threads worker threads, 0 = all cores; results do not depend on it (default 0)
 */
public record TrainingOptions(
    int k,
    KSelection.Options kSearch,
    KMeansOptions kmeans,
    LogisticOptions logistic,
    NonLinearOptions nonLinear,
    EvaluationOptions evaluation,
    MinimumData minimum,
    CustomerValueOptions customerValue,
    List<String> log1pColumns,
    long seed,
    int threads)
    implements Described {

  public TrainingOptions {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0 (0 = choose K), got " + k);
    }
    if (kSearch == null || kmeans == null || logistic == null) {
      throw new IllegalArgumentException("kSearch, kmeans and logistic options must be set");
    }
    if (nonLinear == null || evaluation == null || minimum == null || customerValue == null) {
      throw new IllegalArgumentException("nonLinear, evaluation and minimum options must be set");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
    }
    log1pColumns = List.copyOf(log1pColumns);
    kmeans = kmeans.withSeed(seed).withThreads(threads);
    logistic = logistic.withThreads(threads);
  }

  public static TrainingOptions defaults() {
    return new TrainingOptions(
        0,
        KSelection.Options.defaults(),
        KMeansOptions.defaults(),
        LogisticOptions.defaults(),
        NonLinearOptions.defaults(),
        EvaluationOptions.defaults(),
        MinimumData.defaults(),
        CustomerValueOptions.defaults(),
        List.of(),
        42L,
        0);
  }

  /**
   * Every setting that shapes the model, by name and nested by part, for the model's provenance and
   * for configuration; {@code threads} is a {@linkplain #runSettings() run setting}.
   */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", k);
    out.put("kSearch", kSearch.describe());
    out.put("kmeans", kmeans.describe());
    out.put("logistic", logistic.describe());
    out.put("nonLinear", nonLinear.describe());
    out.put("evaluation", evaluation.describe());
    out.put("minimum", minimum.describe());
    out.put("customerValue", customerValue.describe());
    out.put("log1pColumns", log1pColumns);
    out.put("seed", seed);
    return out;
  }

  /** The thread count: configurable, but results do not depend on it, so it is not recorded. */
  @Override
  public java.util.Set<String> runSettings() {
    return java.util.Set.of("threads");
  }

  /** A copy with K fixed (0 = search). */
  public TrainingOptions withK(int newK) {
    return new TrainingOptions(
        newK,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withSeed(long newSeed) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        newSeed,
        threads);
  }

  public TrainingOptions withThreads(int newThreads) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        seed,
        newThreads);
  }

  public TrainingOptions withLog1pColumns(List<String> columns) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        columns,
        seed,
        threads);
  }

  public TrainingOptions withKSearch(UnaryOperator<KSelection.Options> change) {
    return new TrainingOptions(
        k,
        change.apply(kSearch),
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withKMeans(UnaryOperator<KMeansOptions> change) {
    return new TrainingOptions(
        k,
        kSearch,
        change.apply(kmeans),
        logistic,
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withLogistic(UnaryOperator<LogisticOptions> change) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        change.apply(logistic),
        nonLinear,
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withNonLinear(UnaryOperator<NonLinearOptions> change) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        change.apply(nonLinear),
        evaluation,
        minimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withMinimum(MinimumData newMinimum) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        newMinimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withCustomerValue(UnaryOperator<CustomerValueOptions> change) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        evaluation,
        minimum,
        change.apply(customerValue),
        log1pColumns,
        seed,
        threads);
  }

  public TrainingOptions withEvaluation(UnaryOperator<EvaluationOptions> change) {
    return new TrainingOptions(
        k,
        kSearch,
        kmeans,
        logistic,
        nonLinear,
        change.apply(evaluation),
        minimum,
        customerValue,
        log1pColumns,
        seed,
        threads);
  }
}
