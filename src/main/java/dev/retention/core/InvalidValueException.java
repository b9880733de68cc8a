package dev.retention.core;

/**
 * A raw value that a fitted transform cannot take (not finite, or outside log1p's domain), named by
 * its column so that callers can point at the offending field.
 */
public final class InvalidValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int column;

  public InvalidValueException(int column, String message) {
    super(message);
    this.column = column;
  }

  /** Index of the offending column. */
  public int column() {
    return column;
  }
}
