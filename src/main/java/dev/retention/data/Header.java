package dev.retention.data;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of a CSV header line, one place for every export kind. Error messages name columns and
 * settings, never a cell: when the first line is not a header at all (a header-less export), it is
 * customer data, and the message says only that it looks like data and which columns were expected.
 */
final class Header {

  private Header() {}

  // A date as exports write them: 2026-11-28..., 11/28/2026..., 28.11.2026...
  private static final Pattern DATE =
      Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}.*|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}.*");

  /**
   * Fails when the header cannot be read as one: a first line that looks like data while a required
   * column is missing or the names are not a header's (duplicates, empty names), one column that
   * holds another delimiter, a column named twice, an empty name, or two names that differ only by
   * case (unless the dialect allows it). A missing required column is left to the reader, which
   * names it with the columns found.
   */
  static void check(
      List<String> columns, List<String> required, String expectation, TextFormat text) {
    String problem = problem(columns, text);
    boolean missing = !columns.containsAll(required);
    if (problem == null && !missing) {
      return;
    }
    int data = dataColumn(columns, text.decimalSeparator());
    if (data > 0) {
      throw new ExportException(
          "the first line looks like data, not a header (column "
              + data
              + " holds a number or a date): the export needs a header line naming its columns;"
              + " expected "
              + expectation);
    }
    if (columns.size() == 1) {
      for (char other : new char[] {';', '\t', ',', '|'}) {
        if (other != text.delimiter() && columns.get(0).indexOf(other) >= 0) {
          throw new ExportException(
              "the header is one column that holds '"
                  + TextFormat.name(other)
                  + "': the export looks '"
                  + TextFormat.name(other)
                  + "'-separated; set retention.export.delimiter="
                  + TextFormat.name(other)
                  + " (and retention.export.decimal-separator=, for decimal commas)");
        }
      }
    }
    if (problem != null) {
      throw new ExportException(problem);
    }
  }

  /** What makes the names no header, or null. */
  private static String problem(List<String> columns, TextFormat text) {
    Set<String> seen = new HashSet<>();
    Map<String, String> folded = new HashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      String column = columns.get(c);
      if (column.isEmpty()) {
        return "column " + (c + 1) + " of the header has no name: every column needs one";
      }
      if (!seen.add(column)) {
        return "the header names column '" + column + "' twice";
      }
      String other = folded.putIfAbsent(fold(column), column);
      if (other != null && !text.allowCaseCollisions()) {
        return caseCollision(other, column).getMessage();
      }
    }
    return null;
  }

  /**
   * The first column (1-based) whose name is a number or a date, or holds one between other
   * delimiters (a header-less export read with the wrong delimiter), or 0.
   */
  static int dataColumn(List<String> cells, char decimalSeparator) {
    // A line the delimiter did not split: its pieces between spaces count too (columns padded
    // with spaces, as CDNOW's master file ships them).
    Pattern pieces = cells.size() == 1 ? OTHER_DELIMITERS_OR_SPACES : OTHER_DELIMITERS;
    for (int c = 0; c < cells.size(); c++) {
      for (String piece : pieces.split(cells.get(c), -1)) {
        String cell = piece.strip();
        if (Numbers.isNumber(cell, decimalSeparator)
            || Numbers.isNumber(cell, '.')
            || DATE.matcher(cell).matches()) {
          return c + 1;
        }
      }
    }
    return 0;
  }

  private static final Pattern OTHER_DELIMITERS = Pattern.compile("[;\t|,]");
  private static final Pattern OTHER_DELIMITERS_OR_SPACES = Pattern.compile("[;\t|, ]");

  /** A name as compared for case collisions. */
  static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static ExportException caseCollision(String first, String second) {
    return new ExportException(
        "columns '"
            + first
            + "' and '"
            + second
            + "' differ only by case: one of them is likely a mistake (set"
            + " retention.export.allow-case-collisions=true if both are meant)");
  }
}
