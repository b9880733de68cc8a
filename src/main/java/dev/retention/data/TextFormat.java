package dev.retention.data;

import java.util.Locale;

/**
 * How an export's text is read beyond its format: the CSV field delimiter and the decimal separator
 * of its numbers, as spreadsheets write them in many locales ({@code ;} and {@code ,}), and whether
 * column names that differ only by case are meant. Declared by settings ({@code
 * retention.export.delimiter}, {@code retention.export.decimal-separator}, {@code
 * retention.export.allow-case-collisions}), never guessed: a {@code ;}-separated export read with
 * the default {@code ,} fails with an error naming the setting.
 *
 * @param delimiter the CSV field delimiter: {@code ,}, {@code ;}, tab or {@code |}
 * @param decimalSeparator {@code .} or {@code ,}
 * @param allowCaseCollisions whether columns such as {@code monetary} and {@code Monetary} may both
 *     be read (by default the export is refused, naming both)
 */
public record TextFormat(char delimiter, char decimalSeparator, boolean allowCaseCollisions)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public TextFormat {
    if (delimiter != ',' && delimiter != ';' && delimiter != '\t' && delimiter != '|') {
      throw new IllegalArgumentException(
          "retention.export.delimiter must be ',', ';', 'tab' or '|', got " + name(delimiter));
    }
    if (decimalSeparator != '.' && decimalSeparator != ',') {
      throw new IllegalArgumentException(
          "retention.export.decimal-separator must be '.' or ',', got " + name(decimalSeparator));
    }
    if (delimiter == decimalSeparator) {
      throw new IllegalArgumentException(
          "retention.export.decimal-separator ',' is also the field delimiter: set"
              + " retention.export.delimiter too (e.g. ';')");
    }
  }

  /** A layout that refuses case collisions. */
  public TextFormat(char delimiter, char decimalSeparator) {
    this(delimiter, decimalSeparator, false);
  }

  public static TextFormat defaults() {
    return new TextFormat(',', '.', false);
  }

  /**
   * The format of the settings' text: {@code delimiter} is one character or {@code tab}, {@code
   * decimalSeparator} one character.
   *
   * @throws IllegalArgumentException naming the setting
   */
  public static TextFormat of(
      String delimiter, String decimalSeparator, boolean allowCaseCollisions) {
    return new TextFormat(
        character(delimiter, "delimiter"),
        character(decimalSeparator, "decimal-separator"),
        allowCaseCollisions);
  }

  private static char character(String text, String setting) {
    if (text.equalsIgnoreCase("tab") || text.equals("\t") || text.equals("\\t")) {
      return '\t';
    }
    String trimmed = text.strip();
    if (trimmed.length() != 1) {
      throw new IllegalArgumentException(
          "retention.export." + setting + " must be one character, got '" + text + "'");
    }
    return trimmed.charAt(0);
  }

  /** The delimiter or separator as a setting's value ({@code tab} for a tab). */
  public static String name(char c) {
    return c == '\t' ? "tab" : String.valueOf(c).toLowerCase(Locale.ROOT);
  }
}
