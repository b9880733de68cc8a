package dev.retention.data;

import dev.retention.core.FeatureMatrix;
import java.util.List;

/**
 * The usable part of an export.
 *
 * @param features one row per customer: per accepted data row, or per id when the rows of one id
 *     are aggregated
 * @param labels 0/1 per row of {@code features}
 * @param rowsRead data rows seen (accepted, rejected and skipped)
 * @param rowsRejected rows skipped for a bad value
 * @param rejections the first {@link Rejections#MAX_REASONS} reasons (line, column, problem; never
 *     a value)
 * @param ignoredColumns columns left out as non-numeric or excluded
 * @param customerIds the id of each row of {@code features}, exactly as exported (or as normalised
 *     by the id rule); null when the export has no id column
 * @param guestRows rows without a customer id that the dialect skips (not in rowsRejected)
 * @param rowsAggregated rows that repeated an id and were aggregated into its row
 * @param treatment per row of {@code features}: contacted (1), held out (0) or in neither arm (2;
 *     {@link ExportSchema.Treatment}), or null when the schema names no treatment column
 */
public record ReadResult(
    FeatureMatrix features,
    int[] labels,
    long rowsRead,
    long rowsRejected,
    List<String> rejections,
    List<String> ignoredColumns,
    List<String> customerIds,
    long guestRows,
    long rowsAggregated,
    int[] treatment) {

  /** A result without a treatment column. */
  public ReadResult(
      FeatureMatrix features,
      int[] labels,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      List<String> ignoredColumns,
      List<String> customerIds,
      long guestRows,
      long rowsAggregated) {
    this(
        features,
        labels,
        rowsRead,
        rowsRejected,
        rejections,
        ignoredColumns,
        customerIds,
        guestRows,
        rowsAggregated,
        null);
  }

  /** A result without ids (an export without an id column). */
  public ReadResult(
      FeatureMatrix features,
      int[] labels,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      List<String> ignoredColumns) {
    this(features, labels, rowsRead, rowsRejected, rejections, ignoredColumns, null, 0, 0);
  }
}
