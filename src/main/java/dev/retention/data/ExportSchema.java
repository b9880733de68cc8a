package dev.retention.data;

import java.util.List;

/**
 * Which columns of a feature export mean what, and how its ids are read.
 *
 * @param idColumn customer id column (never a feature; not required to be present, but when it is,
 *     ids are checked: a row without one and a repeated id follow {@code ids} and {@code
 *     duplicateIds})
 * @param labelColumn the repurchase label: 1/0, true/false or yes/no
 * @param include if not empty, exactly these columns are the features
 * @param exclude columns never used as features
 * @param maxRejectedShare if more than this share of data rows is rejected, the read fails
 * @param ids guest rows (REJECT by default for feature exports) and id normalisation
 * @param duplicateIds what a customer id on more than one row means
 */
public record ExportSchema(
    String idColumn,
    String labelColumn,
    List<String> include,
    List<String> exclude,
    double maxRejectedShare,
    IdRules ids,
    DuplicateIds duplicateIds)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** A customer id on more than one row of a feature export. */
  public enum DuplicateIds {
    /** The export is refused, naming the lines (never the id): one customer is one row. */
    REFUSE,
    /**
     * The rows of one id are one customer: each feature the mean of its rows, the label 1 when any
     * row's is 1, in the place of its first row.
     */
    MEAN
  }

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
    if (ids == null || duplicateIds == null) {
      throw new IllegalArgumentException("id rules and the duplicate-id rule must be set");
    }
  }

  /** A schema with the default id rules (a row without an id rejected, repeated ids refused). */
  public ExportSchema(
      String idColumn,
      String labelColumn,
      List<String> include,
      List<String> exclude,
      double maxRejectedShare) {
    this(
        idColumn,
        labelColumn,
        include,
        exclude,
        maxRejectedShare,
        IdRules.featuresDefaults(),
        DuplicateIds.REFUSE);
  }

  public static ExportSchema defaults() {
    return new ExportSchema("customer_id", "repurchased", List.of(), List.of(), 0.01);
  }

  public ExportSchema withIds(IdRules newIds) {
    return new ExportSchema(
        idColumn, labelColumn, include, exclude, maxRejectedShare, newIds, duplicateIds);
  }

  public ExportSchema withDuplicateIds(DuplicateIds rule) {
    return new ExportSchema(idColumn, labelColumn, include, exclude, maxRejectedShare, ids, rule);
  }
}
