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
 */
public record LogisticOptions(
    double c, ClassWeight classWeight, double tol, int maxIter, int threads) implements Described {

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
  }

  public static LogisticOptions defaults() {
    return new LogisticOptions(1.0, ClassWeight.NONE, 1e-9, 100, 0);
  }

  /**
   * The settings that shape the result, by name, for a model's provenance (threads do not change
   * the result).
   */
  @Override
  public java.util.Map<String, Object> describe() {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("c", c);
    out.put("classWeight", classWeight.name());
    out.put("tol", tol);
    out.put("maxIter", maxIter);
    return out;
  }

  public LogisticOptions withMaxIter(int newMaxIter) {
    return new LogisticOptions(c, classWeight, tol, newMaxIter, threads);
  }

  public LogisticOptions withC(double newC) {
    return new LogisticOptions(newC, classWeight, tol, maxIter, threads);
  }

  public LogisticOptions withClassWeight(ClassWeight weight) {
    return new LogisticOptions(c, weight, tol, maxIter, threads);
  }

  public LogisticOptions withThreads(int newThreads) {
    return new LogisticOptions(c, classWeight, tol, maxIter, newThreads);
  }

  public LogisticOptions withTol(double newTol) {
    return new LogisticOptions(c, classWeight, newTol, maxIter, threads);
  }
}
