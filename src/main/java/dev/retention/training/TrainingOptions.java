package dev.retention.training;

import dev.retention.core.KMeansOptions;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every training hyper-parameter, with defaults. Recorded verbatim in the model's provenance.
 *
 * @param k number of segments; 0 = choose K by {@link KSelection} in {@code kMin..kMax}
 * @param kMin smallest K searched (default 2)
 * @param kMax largest K searched (default 10)
 * @param silhouetteSampleRows rows for the silhouette (default 5,000)
 * @param searchSampleRows the K search runs on at most this many rows (default 50,000)
 * @param kneedleTieTolerance kneedle differences this close count as ties (default 0.02)
 * @param searchNInit K-means restarts per K while searching (default 3); the chosen K gets nInit
 * @param nInit K-means restarts (default 10)
 * @param maxIter K-means iterations per restart (default 300)
 * @param kmeansTol K-means relative tolerance (default 1e-4)
 * @param c logistic-regression C, scikit-learn's meaning (default 1.0)
 * @param classWeight NONE (default) or BALANCED
 * @param nonLinear whether to add squares and interactions: OFF, ON, or AUTO (default): only when
 *     held-out log loss improves by at least {@code nonLinearMinImprovement} (relative)
 * @param nonLinearSampleRows AUTO compares the two variants on at most this many training rows
 *     (default 50,000)
 * @param nonLinearMinImprovement relative log-loss improvement AUTO requires (default 0.005)
 * @param validationFraction stratified held-out share (default 0.2)
 * @param threshold decision threshold for accuracy/precision/recall/F1 (default 0.5)
 * @param log1pColumns features log1p-transformed before standardization (default none)
 * @param seed seed for every random choice (default 42)
 * @param threads worker threads, 0 = all cores; results do not depend on it (default 0)
 */
public record TrainingOptions(
    int k,
    int kMin,
    int kMax,
    int silhouetteSampleRows,
    int searchSampleRows,
    double kneedleTieTolerance,
    int searchNInit,
    int nInit,
    int maxIter,
    double kmeansTol,
    double c,
    LogisticOptions.ClassWeight classWeight,
    NonLinearMode nonLinear,
    int nonLinearSampleRows,
    double nonLinearMinImprovement,
    double validationFraction,
    double threshold,
    List<String> log1pColumns,
    long seed,
    int threads) {

  /** Whether the classifier gets squared and interaction terms. */
  public enum NonLinearMode {
    OFF,
    ON,
    AUTO
  }

  public TrainingOptions {
    log1pColumns = List.copyOf(log1pColumns);
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0 (0 = choose K), got " + k);
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    if (nonLinearSampleRows < 2) {
      throw new IllegalArgumentException("nonLinearSampleRows must be >= 2");
    }
    if (!(nonLinearMinImprovement >= 0 && nonLinearMinImprovement < 1)) {
      throw new IllegalArgumentException("nonLinearMinImprovement must be in [0, 1)");
    }
    // The remaining ranges are checked by the option records the fit builds from these values
    // (fields are not assigned yet inside a compact constructor, so build them from the
    // parameters).
    new KSelection.Options(
        kMin, kMax, silhouetteSampleRows, searchSampleRows, kneedleTieTolerance, searchNInit);
    new KMeansOptions(
        Math.max(1, k),
        nInit,
        maxIter,
        kmeansTol,
        seed,
        threads,
        KMeansOptions.Algorithm.HAMERLY,
        false);
    LogisticOptions.defaults().withC(c).withClassWeight(classWeight).withThreads(threads);
    if (classWeight == null || nonLinear == null) {
      throw new IllegalArgumentException("classWeight and nonLinear must be set");
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1), got " + validationFraction);
    }
  }

  public static TrainingOptions defaults() {
    return new TrainingOptions(
        0,
        2,
        10,
        5_000,
        50_000,
        0.02,
        3,
        KMeansOptions.DEFAULT_N_INIT,
        KMeansOptions.DEFAULT_MAX_ITER,
        KMeansOptions.DEFAULT_TOL,
        1.0,
        LogisticOptions.ClassWeight.NONE,
        NonLinearMode.AUTO,
        50_000,
        0.005,
        0.2,
        0.5,
        List.of(),
        42L,
        0);
  }

  public KSelection.Options kSearch() {
    return new KSelection.Options(
        kMin, kMax, silhouetteSampleRows, searchSampleRows, kneedleTieTolerance, searchNInit);
  }

  /** K-means settings; {@code k} is a placeholder replaced by the chosen K. */
  public KMeansOptions kmeans() {
    return new KMeansOptions(
        Math.max(1, k),
        nInit,
        maxIter,
        kmeansTol,
        seed,
        threads,
        KMeansOptions.Algorithm.HAMERLY,
        false);
  }

  public LogisticOptions logistic() {
    return LogisticOptions.defaults().withC(c).withClassWeight(classWeight).withThreads(threads);
  }

  /** Every parameter by name, in declaration order, for the model's provenance. */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("k", k);
    map.put("kMin", kMin);
    map.put("kMax", kMax);
    map.put("silhouetteSampleRows", silhouetteSampleRows);
    map.put("searchSampleRows", searchSampleRows);
    map.put("kneedleTieTolerance", kneedleTieTolerance);
    map.put("searchNInit", searchNInit);
    map.put("nInit", nInit);
    map.put("maxIter", maxIter);
    map.put("kmeansTol", kmeansTol);
    map.put("kmeansAlgorithm", KMeansOptions.Algorithm.HAMERLY.name());
    map.put("c", c);
    map.put("classWeight", classWeight.name());
    map.put("logisticTol", logistic().tol());
    map.put("nonLinear", nonLinear.name());
    map.put("nonLinearSampleRows", nonLinearSampleRows);
    map.put("nonLinearMinImprovement", nonLinearMinImprovement);
    map.put("validationFraction", validationFraction);
    map.put("threshold", threshold);
    map.put("log1pColumns", log1pColumns);
    map.put("seed", seed);
    return map;
  }

  /** A copy with K fixed (0 = search). */
  public TrainingOptions withK(int newK) {
    return new Builder(this).k(newK).build();
  }

  /** A copy with another thread count. */
  public TrainingOptions withThreads(int newThreads) {
    return new Builder(this).threads(newThreads).build();
  }

  public static Builder builder() {
    return new Builder(defaults());
  }

  /** Mutable builder for configuration code; starts from the defaults. */
  public static final class Builder {
    private int k;
    private int kMin;
    private int kMax;
    private int silhouetteSampleRows;
    private int searchSampleRows;
    private double kneedleTieTolerance;
    private int searchNInit;
    private int nInit;
    private int maxIter;
    private double kmeansTol;
    private double c;
    private LogisticOptions.ClassWeight classWeight;
    private NonLinearMode nonLinear;
    private int nonLinearSampleRows;
    private double nonLinearMinImprovement;
    private double validationFraction;
    private double threshold;
    private List<String> log1pColumns;
    private long seed;
    private int threads;

    private Builder(TrainingOptions o) {
      k = o.k;
      kMin = o.kMin;
      kMax = o.kMax;
      silhouetteSampleRows = o.silhouetteSampleRows;
      searchSampleRows = o.searchSampleRows;
      kneedleTieTolerance = o.kneedleTieTolerance;
      searchNInit = o.searchNInit;
      nInit = o.nInit;
      maxIter = o.maxIter;
      kmeansTol = o.kmeansTol;
      c = o.c;
      classWeight = o.classWeight;
      nonLinear = o.nonLinear;
      nonLinearSampleRows = o.nonLinearSampleRows;
      nonLinearMinImprovement = o.nonLinearMinImprovement;
      validationFraction = o.validationFraction;
      threshold = o.threshold;
      log1pColumns = o.log1pColumns;
      seed = o.seed;
      threads = o.threads;
    }

    public Builder k(int v) {
      k = v;
      return this;
    }

    public Builder kRange(int min, int max) {
      kMin = min;
      kMax = max;
      return this;
    }

    public Builder silhouetteSampleRows(int v) {
      silhouetteSampleRows = v;
      return this;
    }

    public Builder searchSampleRows(int v) {
      searchSampleRows = v;
      return this;
    }

    public Builder kneedleTieTolerance(double v) {
      kneedleTieTolerance = v;
      return this;
    }

    public Builder searchNInit(int v) {
      searchNInit = v;
      return this;
    }

    public Builder nInit(int v) {
      nInit = v;
      return this;
    }

    public Builder maxIter(int v) {
      maxIter = v;
      return this;
    }

    public Builder kmeansTol(double v) {
      kmeansTol = v;
      return this;
    }

    public Builder c(double v) {
      c = v;
      return this;
    }

    public Builder classWeight(LogisticOptions.ClassWeight v) {
      classWeight = v;
      return this;
    }

    public Builder nonLinear(NonLinearMode v) {
      nonLinear = v;
      return this;
    }

    public Builder nonLinearSampleRows(int v) {
      nonLinearSampleRows = v;
      return this;
    }

    public Builder nonLinearMinImprovement(double v) {
      nonLinearMinImprovement = v;
      return this;
    }

    public Builder validationFraction(double v) {
      validationFraction = v;
      return this;
    }

    public Builder threshold(double v) {
      threshold = v;
      return this;
    }

    public Builder log1pColumns(List<String> v) {
      log1pColumns = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public TrainingOptions build() {
      return new TrainingOptions(
          k,
          kMin,
          kMax,
          silhouetteSampleRows,
          searchSampleRows,
          kneedleTieTolerance,
          searchNInit,
          nInit,
          maxIter,
          kmeansTol,
          c,
          classWeight,
          nonLinear,
          nonLinearSampleRows,
          nonLinearMinImprovement,
          validationFraction,
          threshold,
          log1pColumns,
          seed,
          threads);
    }
  }
}
