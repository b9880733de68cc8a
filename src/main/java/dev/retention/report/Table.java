package dev.retention.report;

import java.util.ArrayList;
import java.util.List;

/**
 * An HTML table that stacks on a phone instead of scrolling sideways: each cell carries its
 * column's name in {@code data-label}, which the narrow-screen CSS shows before the value. Text
 * columns are left-aligned, number columns right-aligned; every cell is escaped here.
 */
final class Table {

  private final List<String> headers;
  private final boolean[] text;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> rowClasses = new ArrayList<>();

  /** Headers; a header starting with {@code "<"} marks a text column (the mark is dropped). */
  Table(String... headers) {
    this.headers = new ArrayList<>(headers.length);
    this.text = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      boolean isText = headers[i].startsWith("<");
      text[i] = isText;
      this.headers.add(isText ? headers[i].substring(1) : headers[i]);
    }
  }

  Table row(String... cells) {
    return styledRow(null, cells);
  }

  /** A row with a CSS class (e.g. {@code "high"}), or none when null. */
  Table styledRow(String cssClass, String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "row of " + cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(cells);
    rowClasses.add(cssClass);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  String html(String id) {
    StringBuilder out = new StringBuilder(256 + rows.size() * 96);
    out.append("<table class=\"stack\"");
    if (id != null) {
      out.append(" id=\"").append(id).append('"');
    }
    out.append("><thead><tr>");
    for (int c = 0; c < headers.size(); c++) {
      out.append(text[c] ? "<th class=\"text\">" : "<th>")
          .append(Html.escape(headers.get(c)))
          .append("</th>");
    }
    out.append("</tr></thead><tbody>");
    for (int r = 0; r < rows.size(); r++) {
      String css = rowClasses.get(r);
      out.append(css == null ? "<tr>" : "<tr class=\"" + css + "\">");
      String[] cells = rows.get(r);
      for (int c = 0; c < cells.length; c++) {
        out.append("<td")
            .append(text[c] ? " class=\"text\"" : "")
            .append(" data-label=\"")
            .append(Html.escape(headers.get(c)))
            .append("\">")
            .append(Html.escape(cells[c]))
            .append("</td>");
      }
      out.append("</tr>");
    }
    return out.append("</tbody></table>\n").toString();
  }
}
