package dev.retention.features;

import java.time.LocalDate;

/**
 * How customer features and labels are derived from orders.
 *
 * @param labelWindowDays the label is "bought again within this many days after the cutoff"
 * @param cutoff features use orders on or before this day; null = the latest order day minus the
 *     label window when training, the latest order day when scoring
 * @param allowCensoredWindow whether a cutoff whose label window runs past the export's last order
 *     may train (its labels are censored: a warning goes with the model); by default it is refused
 */
public record RfmOptions(int labelWindowDays, LocalDate cutoff, boolean allowCensoredWindow) {

  public static final int DEFAULT_LABEL_WINDOW_DAYS = 90;

  public RfmOptions {
    if (labelWindowDays < 1) {
      throw new IllegalArgumentException("the label window must be at least 1 day");
    }
  }

  /** Options that refuse a censored label window. */
  public RfmOptions(int labelWindowDays, LocalDate cutoff) {
    this(labelWindowDays, cutoff, false);
  }

  public static RfmOptions defaults() {
    return new RfmOptions(DEFAULT_LABEL_WINDOW_DAYS, null, false);
  }
}
