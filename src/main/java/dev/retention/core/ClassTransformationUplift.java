package dev.retention.core;

/**
 * The class-transformation learner (Jaskowski &amp; Jaroszewicz, "Uplift modeling for clinical
 * trial data", ICML 2012 workshop): one logistic regression of {@code z = t y + (1 - t)(1 - y)}
 * (treated buyers and control non-buyers are 1). When treatment and control are equally likely,
 * {@code tau(x) = 2 P(z = 1 | x) - 1}. Campaign data is rarely balanced (a 10 % holdout), so rows
 * are weighted by {@code 1 / (2e)} when treated and {@code 1 / (2(1 - e))} when not, {@code e} the
 * treated share: the weighted sample has equal arms, which is what the identity needs.
 *
 * @param transformed the logistic regression of {@code z}
 */
public record ClassTransformationUplift(LogisticFit transformed) implements UpliftFit {
  private static final long serialVersionUID = 1L;

  /** Fits the weighted regression of the transformed class on the design's rows. */
  public static ClassTransformationUplift fit(
      LogisticRegression.Design design,
      int[] treatment,
      int[] outcome,
      UpliftLearnerOptions options) {
    double e = UpliftFit.treatedShare(design, treatment, outcome);
    int rows = design.base().rows();
    int[] z = new int[rows];
    double[] weight = new double[rows];
    for (int r = 0; r < design.size(); r++) {
      int i = design.row(r);
      z[i] = treatment[i] == outcome[i] ? 1 : 0;
      weight[i] = treatment[i] == 1 ? 1 / (2 * e) : 1 / (2 * (1 - e));
    }
    return new ClassTransformationUplift(
        LogisticRegression.fit(design, z, weight, options.logistic()));
  }

  @Override
  public UpliftLearner learner() {
    return UpliftLearner.CLASS_TRANSFORMATION;
  }

  @Override
  public double uplift(double[] x, int offset) {
    return 2 * LogisticRegression.sigmoid(transformed.linear(x, offset)) - 1;
  }
}
