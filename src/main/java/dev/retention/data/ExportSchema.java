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
 * @param treatment the column saying whether a customer was contacted in a randomized campaign and
 *     how its values read, or null: never a feature; with it the trainer also fits an uplift model
 */
public record ExportSchema(
    String idColumn,
    String labelColumn,
    List<String> include,
    List<String> exclude,
    double maxRejectedShare,
    IdRules ids,
    DuplicateIds duplicateIds,
    Treatment treatment)
    implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

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
    if (treatment != null
        && (treatment.column().equals(labelColumn) || treatment.column().equals(idColumn))) {
      throw new IllegalArgumentException(
          "retention.export.treatment-column must name a column other than the id and the label");
    }
  }

  /** A schema without a treatment column. */
  public ExportSchema(
      String idColumn,
      String labelColumn,
      List<String> include,
      List<String> exclude,
      double maxRejectedShare,
      IdRules ids,
      DuplicateIds duplicateIds) {
    this(idColumn, labelColumn, include, exclude, maxRejectedShare, ids, duplicateIds, null);
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
        idColumn, labelColumn, include, exclude, maxRejectedShare, newIds, duplicateIds, treatment);
  }

  public ExportSchema withDuplicateIds(DuplicateIds rule) {
    return new ExportSchema(
        idColumn, labelColumn, include, exclude, maxRejectedShare, ids, rule, treatment);
  }

  public ExportSchema withTreatment(Treatment value) {
    return new ExportSchema(
        idColumn, labelColumn, include, exclude, maxRejectedShare, ids, duplicateIds, value);
  }

  /** The treatment column's name, or null without one. */
  public String treatmentColumn() {
    return treatment == null ? null : treatment.column();
  }

  /**
   * A randomized campaign's column in a feature export, read by the values the shop declares
   * (compared after trimming spaces, ignoring case), so an export says "Womens E-Mail" / "No
   * E-Mail" as it always did instead of being rewritten to 1/0.
   *
   * @param column the column (setting {@code retention.export.treatment-column})
   * @param treated values of contacted customers (default 1, true, yes)
   * @param control values of held-out customers (default 0, false, no)
   * @param outside values of customers in neither arm (another arm of the test; default none): they
   *     train the repurchase model, not the uplift model
   */
  public record Treatment(
      String column, List<String> treated, List<String> control, List<String> outside)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Arm codes of {@link #arm}. */
    public static final int TREATED = 1;

    public static final int CONTROL = 0;
    public static final int OUTSIDE = 2;

    public Treatment {
      if (column == null || column.isBlank()) {
        throw new IllegalArgumentException("retention.export.treatment-column is empty");
      }
      treated = normalised(treated, "retention.export.treated-values");
      control = normalised(control, "retention.export.control-values");
      outside = normalised(outside, null);
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (List<String> values : List.of(treated, control, outside)) {
        for (String v : values) {
          if (!seen.add(v)) {
            throw new IllegalArgumentException(
                "a value of retention.export.treated-values, control-values and"
                    + " outside-treatment-values is listed twice");
          }
        }
      }
    }

    /** The defaults' spellings: 1/0, true/false, yes/no. */
    public static Treatment of(String column) {
      return new Treatment(
          column, List.of("1", "true", "yes"), List.of("0", "false", "no"), List.of());
    }

    private static List<String> normalised(List<String> values, String required) {
      List<String> out = new java.util.ArrayList<>();
      for (String v : values) {
        String key = key(v);
        if (!key.isEmpty()) {
          out.add(key);
        }
      }
      if (required != null && out.isEmpty()) {
        throw new IllegalArgumentException(required + " must list at least one value");
      }
      return List.copyOf(out);
    }

    private static String key(CharSequence cell) {
      return cell.toString().strip().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@link #TREATED}, {@link #CONTROL} or {@link #OUTSIDE} for a cell, or -1 for a missing or
     * undeclared value (a bad cell).
     */
    public int arm(CharSequence cell) {
      if (cell == null) {
        return -1;
      }
      String key = key(cell);
      if (treated.contains(key)) {
        return TREATED;
      }
      if (control.contains(key)) {
        return CONTROL;
      }
      return outside.contains(key) ? OUTSIDE : -1;
    }
  }
}
