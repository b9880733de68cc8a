package dev.retention.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link KMeans#fit}, without the number of clusters (an argument of the fit,
 * as in Smile's {@code KMeans.fit(data, k)}). Defaults follow scikit-learn 1.2's {@code KMeans}.
 *
 * @param nInit independent k-means++ restarts; the lowest-inertia run wins (default 10)
 * @param maxIter maximum Lloyd iterations per restart (default 300)
 * @param tol relative tolerance: a run stops when the summed squared centre shift falls to {@code
 *     tol * mean column variance} (default 1e-4, scikit-learn's definition)
 * @param seed seed of the whole fit; restarts derive their own seeds from it (default 42)
 * @param threads worker threads, 0 = all cores; the result does not depend on it (default 0)
 * @param algorithm {@link Algorithm#HAMERLY} (default) or plain {@link Algorithm#LLOYD}; both
 *     compute the same exact Lloyd iterations
 * @param traceInertia record the exact inertia after every assignment step (diagnostics and tests;
 *     costs one extra pass per iteration)
 */
public record KMeansOptions(
    int nInit,
    int maxIter,
    double tol,
    long seed,
    int threads,
    Algorithm algorithm,
    boolean traceInertia)
    implements Described {

  /** How the assignment step finds each point's nearest centre. */
  public enum Algorithm {
    /** Compute the distance to every centre for every point, every iteration. */
    LLOYD,
    /**
     * Hamerly (2010): one upper and one lower bound per point skip most distance computations once
     * centres move little; exact, the same assignments as Lloyd.
     */
    HAMERLY
  }

  public KMeansOptions {
    if (nInit < 1) {
      throw new IllegalArgumentException("nInit must be >= 1, got " + nInit);
    }
    if (maxIter < 1) {
      throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      throw new IllegalArgumentException("tol must be a finite number >= 0, got " + tol);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
    }
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm must be set");
    }
  }

  /** scikit-learn's defaults: 10 restarts of at most 300 iterations, tolerance 1e-4, seed 42. */
  public static KMeansOptions defaults() {
    return new KMeansOptions(10, 300, 1e-4, 42L, 0, Algorithm.HAMERLY, false);
  }

  /**
   * The settings that shape the result, by name, for a model's provenance. Seed and threads are
   * described by whoever sets them (a training run sets both once for all its fits).
   */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nInit", nInit);
    out.put("maxIter", maxIter);
    out.put("tol", tol);
    out.put("algorithm", algorithm.name());
    return out;
  }

  public KMeansOptions withNInit(int newNInit) {
    return new KMeansOptions(newNInit, maxIter, tol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withMaxIter(int newMaxIter) {
    return new KMeansOptions(nInit, newMaxIter, tol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withTol(double newTol) {
    return new KMeansOptions(nInit, maxIter, newTol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withSeed(long newSeed) {
    return new KMeansOptions(nInit, maxIter, tol, newSeed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withThreads(int newThreads) {
    return new KMeansOptions(nInit, maxIter, tol, seed, newThreads, algorithm, traceInertia);
  }

  public KMeansOptions withAlgorithm(Algorithm newAlgorithm) {
    return new KMeansOptions(nInit, maxIter, tol, seed, threads, newAlgorithm, traceInertia);
  }

  public KMeansOptions withTraceInertia(boolean trace) {
    return new KMeansOptions(nInit, maxIter, tol, seed, threads, algorithm, trace);
  }
}
