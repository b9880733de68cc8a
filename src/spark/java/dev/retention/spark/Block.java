package dev.retention.spark;

import dev.retention.core.FeatureMatrix;
import java.io.Serializable;
import java.util.List;

/**
 * One partition's customers: consecutive rows {@code [firstRow, firstRow + rows)} of the export's
 * order, row-major raw features, labels, and (once the training has made them) the standardized
 * features and the value columns. Immutable once built: a pass that adds columns makes a new block.
 */
final class Block implements Serializable {

  private static final long serialVersionUID = 1L;

  final long firstRow;
  final int rows;
  final List<String> columns;
  final double[] raw;
  final int[] labels;
  final int[] windowPurchases;
  final double[] z;
  final double[] value;
  final int valueColumns;

  Block(
      long firstRow,
      int rows,
      List<String> columns,
      double[] raw,
      int[] labels,
      int[] windowPurchases,
      double[] z,
      double[] value,
      int valueColumns) {
    this.firstRow = firstRow;
    this.rows = rows;
    this.columns = columns;
    this.raw = raw;
    this.labels = labels;
    this.windowPurchases = windowPurchases;
    this.z = z;
    this.value = value;
    this.valueColumns = valueColumns;
  }

  int d() {
    return columns.size();
  }

  Block withStandardized(double[] standardized) {
    return new Block(
        firstRow, rows, columns, raw, labels, windowPurchases, standardized, value, valueColumns);
  }

  Block withValue(double[] values, int columnsOfValue) {
    return new Block(
        firstRow, rows, columns, raw, labels, windowPurchases, z, values, columnsOfValue);
  }

  FeatureMatrix rawMatrix() {
    return new FeatureMatrix(columns, raw);
  }

  /** The standardized rows as a matrix (its column names do not matter to the kernels). */
  FeatureMatrix zMatrix() {
    return new FeatureMatrix(columns, z);
  }

  /** The value columns as a matrix, or null when none were offered. */
  FeatureMatrix valueMatrix(List<String> names) {
    return value == null ? null : new FeatureMatrix(names, value);
  }

  boolean contains(long row) {
    return row >= firstRow && row < firstRow + rows;
  }
}
