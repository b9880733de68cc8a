package dev.retention.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bad-row bookkeeping shared by the export readers: counts every row read and rejected, keeps the
 * first {@link #MAX_REASONS} reasons (line, column and problem, never the offending value: reasons
 * go into the model, the report, error messages and logs), and applies the rejected-share limit.
 */
public final class Rejections {

  /** Rejection reasons kept. */
  public static final int MAX_REASONS = 20;

  /**
   * The largest magnitude a number in an export may have. Beyond it a value is no measurement (an
   * overflow or a sentinel upstream, like 1e308) and the sums over millions of customers that
   * training takes of it, and of its square, could overflow a double: such a cell rejects its row,
   * like {@code NaN}. 1e100 is far beyond any count, duration or amount in any currency.
   */
  public static final double LARGEST_MAGNITUDE = 1e100;

  /** The reason a number beyond {@link #LARGEST_MAGNITUDE} gives. */
  static final String BEYOND_LARGEST = "beyond the largest magnitude a value may have (1e100)";

  /** Whether a parsed value is finite and within {@link #LARGEST_MAGNITUDE}. */
  static boolean withinRange(double value) {
    return Math.abs(value) <= LARGEST_MAGNITUDE;
  }

  private final List<String> columns;
  private final List<String> reasons = new ArrayList<>();
  private final List<Long> reasonLines = new ArrayList<>();
  private long read;
  private long skipped;
  private long rejected;
  private String lastColumn;
  private String lastProblem;

  Rejections(List<String> columns) {
    this.columns = columns;
  }

  void countRead() {
    read++;
  }

  /** A row read but skipped by the dialect (a guest row): not bad, not in the rejected share. */
  void skip() {
    skipped++;
  }

  long read() {
    return read;
  }

  long skipped() {
    return skipped;
  }

  long rejected() {
    return rejected;
  }

  List<String> reasons() {
    return List.copyOf(reasons);
  }

  /** The line of each kept reason (to merge the first reasons of an export read in parts). */
  List<Long> reasonLines() {
    return List.copyOf(reasonLines);
  }

  /** A row that could not be split into cells. */
  void rejectRow(long line, String problem) {
    reject(line, "line " + line + ": " + problem);
    last(null, problem);
  }

  /** A cell without a value. */
  void rejectMissing(long line, int column) {
    reject(line, "line " + line + ", column '" + columns.get(column) + "': missing value");
    last(columns.get(column), "missing value");
  }

  private void last(String column, String problem) {
    lastColumn = column;
    lastProblem = problem;
  }

  /** The column of the last rejection (null when the whole row was bad). */
  String lastColumn() {
    return lastColumn;
  }

  /** The problem of the last rejection, without line or column. */
  String lastProblem() {
    return lastProblem;
  }

  /**
   * The finite number in a feature cell, or NaN after rejecting the row with the reason (missing,
   * not a number, not finite, beyond {@link #LARGEST_MAGNITUDE}).
   */
  double number(long line, int column, CharSequence cell) {
    return number(line, column, cell, '.');
  }

  /** {@link #number(long, int, CharSequence)} with the dialect's decimal separator. */
  double number(long line, int column, CharSequence cell, char decimalSeparator) {
    if (blank(cell)) {
      rejectMissing(line, column);
      return Double.NaN;
    }
    double value;
    try {
      value = Numbers.parse(cell, decimalSeparator);
    } catch (NumberFormatException e) {
      reject(line, column, notANumber(cell, decimalSeparator));
      return Double.NaN;
    }
    if (!Double.isFinite(value)) {
      reject(line, column, "not a finite number");
      return Double.NaN;
    }
    if (!withinRange(value)) {
      reject(line, column, BEYOND_LARGEST);
      return Double.NaN;
    }
    return value;
  }

  /**
   * "not a number", with a hint when the cell would be one with the other decimal separator (the
   * cell itself is never part of the reason).
   */
  static String notANumber(CharSequence cell, char decimalSeparator) {
    char other = decimalSeparator == '.' ? ',' : '.';
    if (Numbers.isNumber(cell, other)) {
      return "not a number (a decimal '"
          + other
          + "'? set retention.export.decimal-separator="
          + other
          + ")";
    }
    return "not a number";
  }

  /** Whether a cell is absent or holds only spaces and control characters. */
  static boolean blank(CharSequence cell) {
    if (cell == null) {
      return true;
    }
    for (int i = 0; i < cell.length(); i++) {
      if (cell.charAt(i) > ' ') {
        return false;
      }
    }
    return true;
  }

  /** A cell with a bad value: named by line and column, the value itself is not kept. */
  void reject(long line, int column, String problem) {
    reject(line, "line " + line + ", column '" + columns.get(column) + "': " + problem);
    last(columns.get(column), problem);
  }

  private void reject(long line, String reason) {
    rejected++;
    if (reasons.size() < MAX_REASONS) {
      reasons.add(reason);
      reasonLines.add(line);
    }
  }

  /**
   * Fails like {@link #checkShare} on counts summed over the parts of an export, with its first
   * reasons; the one place of the rejected-share rule.
   */
  public static void checkShare(
      long read, long rejected, List<String> reasons, double maxShare, String outcome) {
    if (read == 0) {
      throw new ExportException("the export has a header but no data rows");
    }
    double share = (double) rejected / read;
    if (rejected == read || share > maxShare) {
      throw new ExportException(
          String.format(
              Locale.ROOT,
              "%d of %d rows (%.2f%%) were rejected, more than the allowed %.2f%%; %s. First"
                  + " reasons: %s",
              rejected,
              read,
              100 * share,
              100 * maxShare,
              outcome,
              reasons));
    }
  }

  /**
   * Fails the whole read when every row, or more than {@code maxShare} of rows, was rejected: such
   * an export is more likely broken than dirty.
   *
   * @param outcome what did not happen, e.g. "nothing was trained"
   */
  void checkShare(double maxShare, String outcome) {
    if (read > 0 && skipped == read) {
      throw new ExportException(
          "every one of the "
              + read
              + " rows has no customer id (guest rows, skipped): there is no customer to learn"
              + " from");
    }
    checkShare(read - skipped, rejected, reasons, maxShare, outcome);
  }
}
