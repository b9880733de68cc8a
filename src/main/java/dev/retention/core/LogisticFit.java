package dev.retention.core;

/**
 * A fitted logistic regression: {@code P(y = 1 | x) = sigmoid(intercept + coefficients . x)}.
 *
 * @param intercept unpenalized bias
 * @param coefficients one weight per design column
 * @param iterations Newton iterations used
 * @param gradientNorm final scaled gradient norm (see {@link LogisticOptions#tol()})
 * @param converged whether {@code gradientNorm <= tol}
 * @param objective final value of {@code C * sum weight_i * logloss_i + 0.5 * ||w||^2}
 */
public record LogisticFit(
    double intercept,
    double[] coefficients,
    int iterations,
    double gradientNorm,
    boolean converged,
    double objective)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Linear predictor of {@code x[offset .. offset + coefficients.length)}. */
  public double linear(double[] x, int offset) {
    double eta = intercept;
    for (int c = 0; c < coefficients.length; c++) {
      eta += coefficients[c] * x[offset + c];
    }
    return eta;
  }

  /** Probabilities for every row of a design matrix with this fit's columns. */
  public double[] probabilities(FeatureMatrix design) {
    return LogisticRegression.probabilities(
        new LogisticRegression.Design(design, null, FeatureExpansion.NONE), this);
  }
}
