package dev.retention.core;

/**
 * Hyper-parameters of {@link KMeans#fit}. Defaults follow scikit-learn 1.2's {@code KMeans}.
 *
 * @param k number of clusters (>= 1)
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
    int k,
    int nInit,
    int maxIter,
    double tol,
    long seed,
    int threads,
    Algorithm algorithm,
    boolean traceInertia) {

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

  public static final int DEFAULT_N_INIT = 10;
  public static final int DEFAULT_MAX_ITER = 300;
  public static final double DEFAULT_TOL = 1e-4;
  public static final long DEFAULT_SEED = 42L;

  public KMeansOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
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

  /** Defaults for {@code k} clusters. */
  public static KMeansOptions of(int k) {
    return new KMeansOptions(
        k,
        DEFAULT_N_INIT,
        DEFAULT_MAX_ITER,
        DEFAULT_TOL,
        DEFAULT_SEED,
        0,
        Algorithm.HAMERLY,
        false);
  }

  public KMeansOptions withK(int newK) {
    return new KMeansOptions(newK, nInit, maxIter, tol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withNInit(int newNInit) {
    return new KMeansOptions(k, newNInit, maxIter, tol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withMaxIter(int newMaxIter) {
    return new KMeansOptions(k, nInit, newMaxIter, tol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withTol(double newTol) {
    return new KMeansOptions(k, nInit, maxIter, newTol, seed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withSeed(long newSeed) {
    return new KMeansOptions(k, nInit, maxIter, tol, newSeed, threads, algorithm, traceInertia);
  }

  public KMeansOptions withThreads(int newThreads) {
    return new KMeansOptions(k, nInit, maxIter, tol, seed, newThreads, algorithm, traceInertia);
  }

  public KMeansOptions withAlgorithm(Algorithm newAlgorithm) {
    return new KMeansOptions(k, nInit, maxIter, tol, seed, threads, newAlgorithm, traceInertia);
  }

  public KMeansOptions withTraceInertia(boolean trace) {
    return new KMeansOptions(k, nInit, maxIter, tol, seed, threads, algorithm, trace);
  }
}
