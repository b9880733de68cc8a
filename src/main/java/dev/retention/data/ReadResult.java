package dev.retention.data;

import dev.retention.core.FeatureMatrix;
import java.util.List;

/**
 * The usable part of an export.
 *
 * @param features one row per accepted data row
 * @param labels 0/1 per accepted row
 * @param rowsRead data rows seen (accepted + rejected)
 * @param rowsRejected rows skipped for a bad value
 * @param rejections the first {@link Rejections#MAX_REASONS} reasons (line, column, problem; never
 *     a value)
 * @param ignoredColumns columns left out as non-numeric or excluded
 */
public record ReadResult(
    FeatureMatrix features,
    int[] labels,
    long rowsRead,
    long rowsRejected,
    List<String> rejections,
    List<String> ignoredColumns) {}
