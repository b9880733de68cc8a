package dev.retention.data;

/**
 * How customer ids are read, in every export kind.
 *
 * @param guests what a row without a customer id is: {@link GuestRows#SKIP} (a guest order, counted
 *     and reported, never a bad row) or {@link GuestRows#REJECT} (a bad row)
 * @param normalisation {@link Normalisation#EXACT}: ids byte for byte as exported, so {@code "
 *     P-77"} and {@code "P-77"} are two customers; {@link Normalisation#TRIM}: surrounding spaces
 *     and tabs dropped, and the ids so merged counted
 */
public record IdRules(GuestRows guests, Normalisation normalisation)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows without a customer id. */
  public enum GuestRows {
    /** Skipped and counted as guest rows: not bad rows, not in the rejected-share limit. */
    SKIP,
    /** Rejected as bad rows (missing value). */
    REJECT
  }

  /** How an id's text becomes the customer. */
  public enum Normalisation {
    /** Byte for byte as exported. */
    EXACT,
    /** Without surrounding spaces and tabs; merged ids are counted. */
    TRIM
  }

  public IdRules {
    if (guests == null || normalisation == null) {
      throw new IllegalArgumentException("guest rows and id normalisation must be set");
    }
  }

  /** Orders exports: guest orders are skipped and counted; ids exact. */
  public static IdRules ordersDefaults() {
    return new IdRules(GuestRows.SKIP, Normalisation.EXACT);
  }

  /** Feature exports: a row without an id is a bad row; ids exact. */
  public static IdRules featuresDefaults() {
    return new IdRules(GuestRows.REJECT, Normalisation.EXACT);
  }

  /** Whether an id cell is missing: absent, empty, or only spaces and control characters. */
  static boolean missing(CharSequence cell) {
    return Rejections.blank(cell);
  }
}
