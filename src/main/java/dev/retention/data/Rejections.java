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

  private final List<String> columns;
  private final List<String> reasons = new ArrayList<>();
  private final List<Long> reasonLines = new ArrayList<>();
  private long read;
  private long rejected;
  private String lastColumn;
  private String lastProblem;

  Rejections(List<String> columns) {
    this.columns = columns;
  }

  void countRead() {
    read++;
  }

  long read() {
    return read;
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
   * not a number, not finite).
   */
  double number(long line, int column, CharSequence cell) {
    if (blank(cell)) {
      rejectMissing(line, column);
      return Double.NaN;
    }
    double value;
    try {
      value = Numbers.parse(cell);
    } catch (NumberFormatException e) {
      reject(line, column, "not a number");
      return Double.NaN;
    }
    if (!Double.isFinite(value)) {
      reject(line, column, "not a finite number");
      return Double.NaN;
    }
    return value;
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
    checkShare(read, rejected, reasons, maxShare, outcome);
  }
}
