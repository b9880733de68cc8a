package dev.retention.report;

/**
 * Writes the report's HTML, text escaped by default: {@link #text} escapes what it is given (a
 * segment name, a feature, a reason, any number), {@link #raw} writes markup the code itself wrote,
 * so a value that reaches the page unescaped has to be asked for by name. Appends to the page being
 * built.
 */
final class HtmlWriter {

  private final StringBuilder out;

  HtmlWriter(StringBuilder out) {
    this.out = out;
  }

  /** Text, escaped. */
  HtmlWriter text(String text) {
    out.append(Html.escape(text));
    return this;
  }

  /** A count as text. */
  HtmlWriter text(long count) {
    out.append(count);
    return this;
  }

  /** Markup of the report's own (tags, attributes, a table or chart already escaped). */
  HtmlWriter raw(String markup) {
    out.append(markup);
    return this;
  }

  /** A list, each item's text escaped. */
  HtmlWriter list(Iterable<String> items) {
    raw("<ul>");
    for (String item : items) {
      raw("<li>").text(item).raw("</li>");
    }
    return raw("</ul>");
  }
}
