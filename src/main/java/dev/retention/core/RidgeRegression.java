package dev.retention.core;

/**
 * Least squares with an L2 penalty on the coefficients (not the intercept): minimises {@code sum_i
 * (y_i - b - w . x_i)^2 + lambda ||w||^2} by its normal equations {@code (X1'X1 + diag(lambda, ...,
 * lambda, 0)) [w; b] = X1'y}, {@code X1} the design with a column of ones, solved by Cholesky
 * (Hoerl &amp; Kennard, "Ridge regression", Technometrics 1970). The X-learner's second stage
 * regresses imputed treatment effects on the features with it.
 */
public final class RidgeRegression {

  private RidgeRegression() {}

  /**
   * A fitted linear function {@code b + w . x}.
   *
   * @param intercept {@code b}
   * @param coefficients {@code w}, one per design term
   */
  public record Fit(double intercept, double[] coefficients) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code b + w . x[offset ..]}. */
    public double predict(double[] x, int offset) {
      double y = intercept;
      for (int c = 0; c < coefficients.length; c++) {
        y += coefficients[c] * x[offset + c];
      }
      return y;
    }
  }

  /**
   * Fits the design's rows.
   *
   * @param target one finite value per row of the design's base matrix (rows outside the subset are
   *     ignored)
   * @param lambda penalty {@code >= 0}
   * @throws IllegalArgumentException on a length mismatch, a non-finite target, a negative lambda
   *     or no rows
   */
  public static Fit fit(LogisticRegression.Design design, double[] target, double lambda) {
    if (target.length != design.base().rows()) {
      throw new IllegalArgumentException(
          "target has " + target.length + " entries for " + design.base().rows() + " rows");
    }
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
    }
    int n = design.size();
    if (n == 0) {
      throw new IllegalArgumentException("a regression needs at least one row");
    }
    int d = design.terms();
    int p = d + 1;
    double[] gram = new double[p * p];
    double[] moment = new double[p];
    double[] row = new double[p];
    row[d] = 1;
    for (int r = 0; r < n; r++) {
      design.fill(r, row);
      row[d] = 1;
      double y = target[design.row(r)];
      if (!Double.isFinite(y)) {
        throw new IllegalArgumentException(
            "target at row " + design.row(r) + " is not a finite number");
      }
      for (int a = 0; a < p; a++) {
        double va = row[a];
        moment[a] += va * y;
        for (int b = a; b < p; b++) {
          gram[a * p + b] += va * row[b];
        }
      }
    }
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < a; b++) {
        gram[a * p + b] = gram[b * p + a];
      }
    }
    for (int a = 0; a < d; a++) {
      gram[a * p + a] += lambda;
    }
    double[] negative = new double[p];
    for (int a = 0; a < p; a++) {
      negative[a] = -moment[a];
    }
    double[] theta = LogisticRegression.solve(gram, negative, p);
    return new Fit(theta[d], java.util.Arrays.copyOf(theta, d));
  }
}
