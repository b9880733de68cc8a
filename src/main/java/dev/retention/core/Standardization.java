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
    List<String> columns, boolean[] log1p, double[] mean, double[] std, List<String> warnings)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

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
    boolean[] log1p = log1pFlags(matrix.columns(), log1pColumns);
    checkDomain(matrix.data(), n, d, log1p, matrix.columns(), 0);
    // Two passes (mean, then squared deviations) for accuracy on large, shifted columns.
    double[] sums = columnSums(matrix.data(), n, d, log1p);
    double[] mean = new double[d];
    for (int c = 0; c < d; c++) {
      mean[c] = sums[c] / n;
    }
    return of(
        matrix.columns(), log1p, mean, squaredDeviations(matrix.data(), n, d, log1p, mean), n);
  }

  /**
   * Per-column sums of {@code n} row-major rows (after log1p where flagged): the first pass of a
   * fit, mergeable across the parts of a distributed dataset by adding.
   */
  public static double[] columnSums(double[] x, int n, int d, boolean[] log1p) {
    double[] sums = new double[d];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < d; c++) {
        sums[c] += log1p[c] ? Math.log1p(x[r * d + c]) : x[r * d + c];
      }
    }
    return sums;
  }

  /** Per-column sums of squared deviations from {@code mean}: the second pass, mergeable. */
  public static double[] squaredDeviations(
      double[] x, int n, int d, boolean[] log1p, double[] mean) {
    double[] out = new double[d];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < d; c++) {
        double dev = (log1p[c] ? Math.log1p(x[r * d + c]) : x[r * d + c]) - mean[c];
        out[c] += dev * dev;
      }
    }
    return out;
  }

  /**
   * The standardization of {@code n} rows with these means and summed squared deviations: the
   * population standard deviation, and 1 for a constant column (with a warning), as {@link #fit}.
   */
  public static Standardization of(
      List<String> columns, boolean[] log1p, double[] mean, double[] squaredDeviations, long n) {
    int d = columns.size();
    double[] std = new double[d];
    List<String> warnings = new ArrayList<>();
    for (int c = 0; c < d; c++) {
      std[c] = Math.sqrt(squaredDeviations[c] / n);
      // Relative test: a column whose spread is rounding noise around its mean is constant.
      if (!(std[c] > 1e-12 * Math.max(1.0, Math.abs(mean[c])))) {
        warnings.add("feature '" + columns.get(c) + "' is constant; its standardized value is 0");
        std[c] = 1.0;
      }
    }
    return new Standardization(columns, log1p, mean.clone(), std, warnings);
  }

  /** The flags of {@code log1pColumns} among {@code columns}. */
  public static boolean[] log1pFlags(List<String> columns, Collection<String> log1pColumns) {
    boolean[] log1p = new boolean[columns.size()];
    for (String name : log1pColumns) {
      int index = columns.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException(
            "log1p column '" + name + "' is not a feature; features are " + columns);
      }
      log1p[index] = true;
    }
    return log1p;
  }

  /**
   * Fails, naming the row and column, on a value that a log1p column cannot take ({@code <= -1}):
   * the check {@link #fit} makes, for rows read in parts ({@code firstRow} is the part's first).
   */
  public static void checkDomain(
      double[] x, int n, int d, boolean[] log1p, List<String> columns, long firstRow) {
    for (int c = 0; c < d; c++) {
      if (!log1p[c]) {
        continue;
      }
      for (int r = 0; r < n; r++) {
        if (!(x[r * d + c] > -1.0)) {
          throw new InvalidValueException(
              c,
              "row "
                  + (firstRow + r)
                  + ", column '"
                  + columns.get(c)
                  + "' cannot be log1p-transformed: values must be > -1");
        }
      }
    }
  }

  /**
   * Every value of a log1p column must be {@code > -1} (a matrix holds only finite values).
   *
   * @throws InvalidValueException naming the first row and column that is not, never the value
   */
  /**
   * The value column {@code c} of one raw row is centred on: {@code log1p(value)} or the value
   * itself.
   *
   * @throws InvalidValueException for a value that is not finite, or {@code <= -1} in a log1p
   *     column; the message names the feature, never the value
   */
  private double transformed(double value, int c) {
    if (!Double.isFinite(value)) {
      throw new InvalidValueException(c, featureName(c) + " must be a finite number");
    }
    if (!log1p[c]) {
      return value;
    }
    if (!(value > -1.0)) {
      throw new InvalidValueException(
          c, featureName(c) + " must be > -1 (it is log1p-transformed)");
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
    checkDomain(in, matrix.rows(), d, log1p, columns, 0);
    for (int r = 0; r < matrix.rows(); r++) {
      for (int c = 0; c < d; c++) {
        double v = in[r * d + c];
        out[r * d + c] = ((log1p[c] ? Math.log1p(v) : v) - mean[c]) / std[c];
      }
    }
    return new FeatureMatrix(columns, out);
  }

  /**
   * Standardizes one raw row (a customer being scored) into {@code out}, both of length {@link
   * #dimension()}.
   *
   * @throws InvalidValueException naming the first value outside the transform's domain
   */
  public void transformRow(double[] raw, double[] out) {
    if (raw.length != mean.length || out.length != mean.length) {
      throw new IllegalArgumentException(
          "expected " + mean.length + " features, got " + raw.length);
    }
    for (int c = 0; c < raw.length; c++) {
      out[c] = (transformed(raw[c], c) - mean[c]) / std[c];
    }
  }

  private String featureName(int c) {
    return "feature '" + columns.get(c) + "'";
  }

  /** Maps one standardized value of column {@code c} back to original units. */
  public double inverse(int c, double z) {
    double t = z * std[c] + mean[c];
    return log1p[c] ? Math.expm1(t) : t;
  }
}
