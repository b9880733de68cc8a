package dev.retention.core;

/**
 * The two-model learner (T-learner; e.g. Künzel, Sekhon, Bickel &amp; Yu, "Metalearners for
 * estimating heterogeneous treatment effects using machine learning", PNAS 2019): one logistic
 * regression of the outcome on the treated rows, one on the control rows, {@code tau(x) =
 * sigmoid(treated . x) - sigmoid(control . x)}. Simple and strong when both arms are large; each
 * model sees only its own arm, so a small control group limits it.
 *
 * @param treated response model of the treated
 * @param control response model of the control group
 */
public record TwoModelUplift(LogisticFit treated, LogisticFit control) implements UpliftFit {
  private static final long serialVersionUID = 1L;

  /** Fits both response models on the design's rows. */
  public static TwoModelUplift fit(
      LogisticRegression.Design design,
      int[] treatment,
      int[] outcome,
      UpliftLearnerOptions options) {
    UpliftFit.treatedShare(design, treatment, outcome);
    return new TwoModelUplift(
        LogisticRegression.fit(UpliftFit.arm(design, treatment, 1), outcome, options.logistic()),
        LogisticRegression.fit(UpliftFit.arm(design, treatment, 0), outcome, options.logistic()));
  }

  @Override
  public UpliftLearner learner() {
    return UpliftLearner.TWO_MODEL;
  }

  @Override
  public double uplift(double[] x, int offset) {
    return LogisticRegression.sigmoid(treated.linear(x, offset))
        - LogisticRegression.sigmoid(control.linear(x, offset));
  }
}
