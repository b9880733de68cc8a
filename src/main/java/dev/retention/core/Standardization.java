package dev.retention.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Per-column z-scoring, optionally after {@code log1p}: {@code z = (t(x) - mean) / std} with {@code
 * t = log1p} for the chosen columns and identity otherwise.
 *
 * <p>{@code std} is the population standard deviation (ddof = 0), as scikit-learn's {@code
 * StandardScaler}. A constant column gets {@code std = 1} (so its z-score is 0) and a warning,
 * never a division by zero. {@code log1p} compresses the long right tail of money and count columns
 * so that one big spender does not dominate Euclidean K-means distances; it needs values {@code >
 * -1}.
 *
 * @param columns feature names, in matrix order
 * @param log1p whether column {@code j} is log1p-transformed before centring
 * @param mean mean of the (transformed) column
 * @param std population standard deviation of the (transformed) column, 1 for a constant column
 * @param warnings human-readable notes (constant columns), recorded in the model's provenance
 */
public record Standardization(
    List<String> columns, boolean[] log1p, double[] mean, double[] std, List<String> warnings) {

  public Standardization {
    columns = List.copyOf(columns);
    warnings = List.copyOf(warnings);
    if (log1p.length != columns.size()
        || mean.length != columns.size()
        || std.length != columns.size()) {
      throw new IllegalArgumentException("standardization arrays must match the column count");
    }
  }

  /**
   * Fits means and standard deviations on {@code matrix}.
   *
   * @param log1pColumns names of columns to log1p-transform first; each must exist in the matrix
   * @throws IllegalArgumentException on an unknown log1p column or a value {@code <= -1} in one
   */
  public static Standardization fit(FeatureMatrix matrix, Collection<String> log1pColumns) {
    int n = matrix.rows();
    int d = matrix.cols();
    if (n == 0) {
      throw new IllegalArgumentException("cannot standardize a matrix with no rows");
    }
    boolean[] log1p = new boolean[d];
    for (String name : log1pColumns) {
      int index = matrix.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException(
            "log1p column '" + name + "' is not a feature; features are " + matrix.columns());
      }
      log1p[index] = true;
    }
    double[] x = matrix.data();
    double[] mean = new double[d];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < d; c++) {
        mean[c] += transformed(x[r * d + c], log1p[c], r, matrix.columns().get(c));
      }
    }
    for (int c = 0; c < d; c++) {
      mean[c] /= n;
    }
    // Two passes (mean, then squared deviations) for accuracy on large, shifted columns.
    double[] std = new double[d];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < d; c++) {
        double dev = (log1p[c] ? Math.log1p(x[r * d + c]) : x[r * d + c]) - mean[c];
        std[c] += dev * dev;
      }
    }
    List<String> warnings = new ArrayList<>();
    for (int c = 0; c < d; c++) {
      std[c] = Math.sqrt(std[c] / n);
      // Relative test: a column whose spread is rounding noise around its mean is constant.
      if (!(std[c] > 1e-12 * Math.max(1.0, Math.abs(mean[c])))) {
        warnings.add(
            "feature '" + matrix.columns().get(c) + "' is constant; its standardized value is 0");
        std[c] = 1.0;
      }
    }
    return new Standardization(matrix.columns(), log1p, mean, std, warnings);
  }

  private static double transformed(double value, boolean log1p, int row, String column) {
    if (!log1p) {
      return value;
    }
    if (!(value > -1.0)) {
      throw new IllegalArgumentException(
          "value "
              + value
              + " at row "
              + row
              + ", column '"
              + column
              + "' cannot be log1p-transformed (needs > -1)");
    }
    return Math.log1p(value);
  }

  public int dimension() {
    return mean.length;
  }

  /** Standardizes every row of {@code matrix} (same columns, same order) into a new matrix. */
  public FeatureMatrix transform(FeatureMatrix matrix) {
    if (!matrix.columns().equals(columns)) {
      throw new IllegalArgumentException(
          "matrix columns " + matrix.columns() + " differ from the fitted " + columns);
    }
    int d = dimension();
    double[] in = matrix.data();
    double[] out = new double[in.length];
    for (int r = 0; r < matrix.rows(); r++) {
      for (int c = 0; c < d; c++) {
        out[r * d + c] =
            (transformed(in[r * d + c], log1p[c], r, columns.get(c)) - mean[c]) / std[c];
      }
    }
    return new FeatureMatrix(columns, out);
  }

  /** Standardizes one raw row into {@code out} (both of length {@link #dimension()}). */
  public void transformRow(double[] raw, double[] out) {
    for (int c = 0; c < raw.length; c++) {
      out[c] = (transformed(raw[c], log1p[c], 0, columns.get(c)) - mean[c]) / std[c];
    }
  }

  /** Maps one standardized value of column {@code c} back to original units. */
  public double inverse(int c, double z) {
    double t = z * std[c] + mean[c];
    return log1p[c] ? Math.expm1(t) : t;
  }
}
