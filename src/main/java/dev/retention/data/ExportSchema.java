package dev.retention.data;

import java.util.List;

/**
 * Which columns of an export mean what.
 *
 * @param idColumn customer id column (never a feature; not required to be present)
 * @param labelColumn the repurchase label: 1/0, true/false or yes/no
 * @param include if not empty, exactly these columns are the features
 * @param exclude columns never used as features
 * @param maxRejectedShare if more than this share of data rows is rejected, the read fails
 */
public record ExportSchema(
    String idColumn,
    String labelColumn,
    List<String> include,
    List<String> exclude,
    double maxRejectedShare) {

  public ExportSchema {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException("a label column must be configured");
    }
    if (!(maxRejectedShare >= 0 && maxRejectedShare <= 1)) {
      throw new IllegalArgumentException(
          "maxRejectedShare must be in [0, 1], got " + maxRejectedShare);
    }
  }

  public static ExportSchema defaults() {
    return new ExportSchema("customer_id", "repurchased", List.of(), List.of(), 0.01);
  }
}
