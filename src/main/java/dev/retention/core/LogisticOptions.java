package dev.retention.core;

/**
 * Hyper-parameters of {@link LogisticRegression#fit}.
 *
 * @param c inverse regularization strength with scikit-learn's exact meaning: the fit minimises
 *     {@code C * sum_i weight_i * logloss_i + 0.5 * ||w||^2}, intercept not penalized (default 1.0)
 * @param classWeight {@link ClassWeight#NONE} or {@link ClassWeight#BALANCED} ({@code n / (2 *
 *     n_class)} per row, as scikit-learn's {@code class_weight="balanced"})
 * @param tol stop when the largest absolute component of the gradient, divided by {@code C * sum
 *     weight_i}, is at most this (default 1e-9)
 * @param maxIter maximum Newton iterations (default 100; it usually needs fewer than 10)
 * @param threads worker threads, 0 = all cores; the result does not depend on it
 * @param hessianSampleRows above this many rows the Hessian is estimated on an evenly spaced subset
 *     of about this many rows (gradient and stopping rule stay exact, so the optimum is the same);
 *     0 = always all rows (default 65,536)
 */
public record LogisticOptions(
    double c,
    ClassWeight classWeight,
    double tol,
    int maxIter,
    int threads,
    int hessianSampleRows) {

  /** Default {@link #hessianSampleRows}. */
  public static final int DEFAULT_HESSIAN_SAMPLE_ROWS = 65_536;

  /** How rows of each class are weighted in the loss. */
  public enum ClassWeight {
    NONE,
    BALANCED
  }

  public LogisticOptions {
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("C must be a finite number > 0, got " + c);
    }
    if (classWeight == null) {
      throw new IllegalArgumentException("classWeight must be set");
    }
    if (!(tol > 0)) {
      throw new IllegalArgumentException("tol must be > 0, got " + tol);
    }
    if (maxIter < 1) {
      throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
    }
    if (hessianSampleRows < 0) {
      throw new IllegalArgumentException(
          "hessianSampleRows must be >= 0 (0 = all rows), got " + hessianSampleRows);
    }
  }

  public static LogisticOptions defaults() {
    return new LogisticOptions(1.0, ClassWeight.NONE, 1e-9, 100, 0, DEFAULT_HESSIAN_SAMPLE_ROWS);
  }

  public LogisticOptions withC(double newC) {
    return new LogisticOptions(newC, classWeight, tol, maxIter, threads, hessianSampleRows);
  }

  public LogisticOptions withClassWeight(ClassWeight weight) {
    return new LogisticOptions(c, weight, tol, maxIter, threads, hessianSampleRows);
  }

  public LogisticOptions withThreads(int newThreads) {
    return new LogisticOptions(c, classWeight, tol, maxIter, newThreads, hessianSampleRows);
  }

  public LogisticOptions withTol(double newTol) {
    return new LogisticOptions(c, classWeight, newTol, maxIter, threads, hessianSampleRows);
  }

  public LogisticOptions withHessianSampleRows(int rows) {
    return new LogisticOptions(c, classWeight, tol, maxIter, threads, rows);
  }
}
