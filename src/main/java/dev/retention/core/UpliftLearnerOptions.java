package dev.retention.core;

/**
 * Hyper-parameters of the uplift learners.
 *
 * @param logistic the logistic regressions every learner fits (response models, the transformed
 *     class); defaults {@link LogisticOptions#defaults()}
 * @param ridgeLambda the L2 penalty of the X-learner's effect regressions on standardized features
 *     (default 1.0: a light touch on thousands of rows, it only keeps nearly collinear features
 *     from blowing up)
 */
public record UpliftLearnerOptions(LogisticOptions logistic, double ridgeLambda)
    implements Described {

  public UpliftLearnerOptions {
    if (logistic == null) {
      throw new IllegalArgumentException("logistic options must be set");
    }
    if (!(ridgeLambda >= 0) || Double.isInfinite(ridgeLambda)) {
      throw new IllegalArgumentException(
          "ridgeLambda must be a finite number >= 0, got " + ridgeLambda);
    }
  }

  public static UpliftLearnerOptions defaults() {
    return new UpliftLearnerOptions(LogisticOptions.defaults(), 1.0);
  }

  @Override
  public java.util.Map<String, Object> describe() {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("logistic", logistic.describe());
    out.put("ridgeLambda", ridgeLambda);
    return out;
  }

  @Override
  public java.util.Set<String> runSettings() {
    return java.util.Set.of("threads");
  }
}
