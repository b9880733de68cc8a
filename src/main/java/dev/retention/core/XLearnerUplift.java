package dev.retention.core;

/**
 * The X-learner (Künzel, Sekhon, Bickel &amp; Yu, "Metalearners for estimating heterogeneous
 * treatment effects using machine learning", PNAS 2019), with logistic response models and ridge
 * effect models:
 *
 * <ol>
 *   <li>response models {@code mu1} on the treated rows and {@code mu0} on the control rows;
 *   <li>imputed effects {@code D = y - mu0(x)} for the treated, {@code D = mu1(x) - y} for the
 *       control rows, regressed on {@code x} within each arm: {@code tau1}, {@code tau0};
 *   <li>{@code tau(x) = g tau0(x) + (1 - g) tau1(x)}, with {@code g} the treated share (the
 *       propensity, constant in a randomized campaign), clamped to [-1, 1].
 * </ol>
 *
 * With a small control group, {@code tau0} rests on {@code mu1}, fitted on the many treated rows,
 * and gets the larger weight {@code g}: the case the X-learner was designed for.
 *
 * @param treatedEffect {@code tau1}
 * @param controlEffect {@code tau0}
 * @param propensity {@code g}
 */
public record XLearnerUplift(
    RidgeRegression.Fit treatedEffect, RidgeRegression.Fit controlEffect, double propensity)
    implements UpliftFit {
  private static final long serialVersionUID = 1L;

  /** Fits the four models on the design's rows. */
  public static XLearnerUplift fit(
      LogisticRegression.Design design,
      int[] treatment,
      int[] outcome,
      UpliftLearnerOptions options) {
    double e = UpliftFit.treatedShare(design, treatment, outcome);
    LogisticRegression.Design treated = UpliftFit.arm(design, treatment, 1);
    LogisticRegression.Design control = UpliftFit.arm(design, treatment, 0);
    LogisticFit mu1 = LogisticRegression.fit(treated, outcome, options.logistic());
    LogisticFit mu0 = LogisticRegression.fit(control, outcome, options.logistic());
    double[] imputed = new double[design.base().rows()];
    double[] row = new double[design.terms()];
    for (int r = 0; r < design.size(); r++) {
      design.fill(r, row);
      int i = design.row(r);
      imputed[i] =
          treatment[i] == 1
              ? outcome[i] - LogisticRegression.sigmoid(mu0.linear(row, 0))
              : LogisticRegression.sigmoid(mu1.linear(row, 0)) - outcome[i];
    }
    return new XLearnerUplift(
        RidgeRegression.fit(treated, imputed, options.ridgeLambda()),
        RidgeRegression.fit(control, imputed, options.ridgeLambda()),
        e);
  }

  @Override
  public UpliftLearner learner() {
    return UpliftLearner.X_LEARNER;
  }

  @Override
  public double uplift(double[] x, int offset) {
    double tau =
        propensity * controlEffect.predict(x, offset)
            + (1 - propensity) * treatedEffect.predict(x, offset);
    return Math.max(-1, Math.min(1, tau));
  }
}
