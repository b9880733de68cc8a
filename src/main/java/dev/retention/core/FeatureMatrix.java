package dev.retention.core;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A dense table of finite doubles with named columns, stored row-major in one {@code double[]}.
 *
 * <p>Layout: the value of row {@code r}, column {@code c} is at {@code data[r * cols + c]}.
 * Row-major keeps each customer's features contiguous, which is what the distance and dot-product
 * loops of K-means, logistic regression and scoring walk over. {@code double} rather than {@code
 * float}: the logistic fit must match scikit-learn to 1e-6, and the benchmark shows the float
 * layout does not make the assignment loop faster on this hardware (see
 * docs/decisions/0002-matrix-layout.md).
 *
 * <p>Immutable by contract: the constructor copies nothing, so callers hand over ownership of the
 * array; {@link #data()} exposes it read-only for hot loops.
 */
public final class FeatureMatrix {

  private final List<String> columns;
  private final double[] data;
  private final int rows;
  private final int cols;

  /**
   * @throws IllegalArgumentException on zero columns, a blank or duplicate column name, a data
   *     length that is not {@code rows * columns.size()}, or a NaN/infinite value (named by row and
   *     column)
   */
  public FeatureMatrix(List<String> columns, double[] data) {
    this.columns = List.copyOf(validateColumns(columns));
    this.cols = columns.size();
    if (data.length % cols != 0) {
      throw new IllegalArgumentException(
          "data length " + data.length + " is not a multiple of " + cols + " columns");
    }
    this.rows = data.length / cols;
    for (int i = 0; i < data.length; i++) {
      if (!Double.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "value "
                + data[i]
                + " at row "
                + (i / cols)
                + ", column '"
                + columns.get(i % cols)
                + "' is not a finite number");
      }
    }
    this.data = data;
  }

  static List<String> validateColumns(List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("a feature matrix needs at least one feature column");
    }
    Set<String> seen = new HashSet<>();
    for (String name : columns) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("feature column names must not be blank: " + columns);
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("duplicate feature column name '" + name + "'");
      }
    }
    return columns;
  }

  public List<String> columns() {
    return columns;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing row-major array. Read it; do not write it. */
  public double[] data() {
    return data;
  }

  public double get(int row, int col) {
    return data[row * cols + col];
  }

  /** A copy of one row. */
  public double[] row(int row) {
    return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
  }

  /** A new matrix holding the given rows, in the given order. */
  public FeatureMatrix selectRows(int[] rowIndexes) {
    double[] out = new double[rowIndexes.length * cols];
    for (int i = 0; i < rowIndexes.length; i++) {
      System.arraycopy(data, rowIndexes[i] * cols, out, i * cols, cols);
    }
    return new FeatureMatrix(columns, out);
  }

  /** Index of a column by name, or -1. */
  public int indexOf(String column) {
    return columns.indexOf(column);
  }
}
