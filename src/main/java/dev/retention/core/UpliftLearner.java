package dev.retention.core;

/** The uplift learners, each a static {@code fit} to an immutable {@link UpliftFit}. */
public enum UpliftLearner {
  /** {@link TwoModelUplift}. */
  TWO_MODEL,
  /** {@link ClassTransformationUplift}. */
  CLASS_TRANSFORMATION,
  /** {@link XLearnerUplift}. */
  X_LEARNER;

  /**
   * Fits this learner on the design's rows.
   *
   * @param treatment 0/1 per row of the design's base matrix
   * @param outcome 0/1 per row of the design's base matrix
   */
  public UpliftFit fit(
      LogisticRegression.Design design,
      int[] treatment,
      int[] outcome,
      UpliftLearnerOptions options) {
    return switch (this) {
      case TWO_MODEL -> TwoModelUplift.fit(design, treatment, outcome, options);
      case CLASS_TRANSFORMATION ->
          ClassTransformationUplift.fit(design, treatment, outcome, options);
      case X_LEARNER -> XLearnerUplift.fit(design, treatment, outcome, options);
    };
  }
}
