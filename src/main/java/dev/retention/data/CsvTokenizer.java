package dev.retention.data;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180 records from a character stream: comma-separated fields, double-quoted fields may hold
 * commas, line breaks and doubled quotes; CRLF or LF line ends; a leading byte-order mark is
 * dropped. Streams: holds one record at a time.
 */
public final class CsvTokenizer {

  private final Reader in;
  private final int maxRecordChars;
  private final ReadLimits limits;
  private final char[] buffer = new char[64 * 1024];
  private int position;
  private int limit;
  private long line = 1;
  private long recordLine;
  private boolean first = true;
  // Reused across records: one row's fields and the field being read.
  private String[] fields = new String[16];
  private int count;
  private final StringBuilder field = new StringBuilder(32);

  /** A tokenizer with the default limits. */
  public CsvTokenizer(Reader in) {
    this(in, ReadLimits.defaults());
  }

  /**
   * @param limits a record longer than {@link ReadLimits#maxLineBytes()} characters (never more
   *     than its UTF-8 bytes) fails with an {@link ExportException}
   */
  public CsvTokenizer(Reader in, ReadLimits limits) {
    this.in = in;
    this.limits = limits;
    this.maxRecordChars = limits.maxLineBytes();
  }

  /**
   * The other direction, for writing CSV: {@code value} as one RFC 4180 field, quoted (inner quotes
   * doubled) when it holds a comma, quote or line break.
   */
  public static String quote(String value) {
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  /**
   * {@code cells} as one RFC 4180 record: each {@linkplain #quote quoted} where needed,
   * comma-joined.
   */
  public static String joinRecord(List<String> cells) {
    StringBuilder out = new StringBuilder(cells.size() * 12);
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quote(cells.get(i)));
    }
    return out.toString();
  }

  /**
   * The cells of one record written by {@link #joinRecord}, read by this tokenizer's own rules. The
   * empty text is the record of one empty cell.
   */
  public static List<String> splitRecord(String record) {
    try {
      String[] cells = new CsvTokenizer(new StringReader(record)).next();
      return cells == null ? List.of("") : List.of(cells);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
  }

  /**
   * A text cell for a CSV that people open in a spreadsheet: neutralised against formula injection
   * (OWASP, "CSV Injection": a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab
   * or a carriage return gets a leading single quote, so the spreadsheet shows it as text instead
   * of running it), then {@linkplain #quote quoted}. Only for text cells: numbers written by the
   * product are never neutralised.
   */
  public static String textCell(String value) {
    if (!value.isEmpty()) {
      char first = value.charAt(0);
      if (first == '='
          || first == '+'
          || first == '-'
          || first == '@'
          || first == '\t'
          || first == '\r') {
        return quote("'" + value);
      }
    }
    return quote(value);
  }

  /**
   * A number cell: at most {@code decimals} decimals (rounded half away from zero), trailing zeros
   * and a trailing point dropped, never an exponent, so the file reads the same in every tool;
   * non-finite values are an empty cell. Appends, for writers of millions of cells.
   */
  public static void numberCell(StringBuilder out, double value, int decimals) {
    if (!Double.isFinite(value)) {
      return;
    }
    double scale = POWERS[decimals];
    double scaled = Math.abs(value) * scale;
    if (scaled >= 9e15) {
      out.append(new java.math.BigDecimal(value).setScale(0, java.math.RoundingMode.HALF_UP));
      return;
    }
    long units = Math.round(scaled);
    if (units == 0) {
      out.append('0');
      return;
    }
    if (value < 0) {
      out.append('-');
    }
    long whole = units / (long) scale;
    long fraction = units % (long) scale;
    out.append(whole);
    if (fraction != 0) {
      int width = decimals;
      while (fraction % 10 == 0) {
        fraction /= 10;
        width--;
      }
      out.append('.');
      while (width > 1 && fraction < POWERS_LONG[width - 1]) {
        out.append('0'); // leading zeros of the fraction: 0.05, not 0.5
        width--;
      }
      out.append(fraction);
    }
  }

  private static final double[] POWERS = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  private static final long[] POWERS_LONG = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
  };

  /** The physical line on which the last returned record started (1-based). */
  public long recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end of input. Blank lines are skipped. */
  public String[] next() throws IOException {
    while (true) {
      int c = read();
      if (c < 0) {
        return null;
      }
      if (first && c == '\uFEFF') {
        first = false;
        continue;
      }
      first = false;
      if (c == '\n') {
        line++;
        continue;
      }
      if (c == '\r') {
        continue;
      }
      recordLine = line;
      return record(c);
    }
  }

  private String[] record(int firstChar) throws IOException {
    count = 0;
    field.setLength(0);
    int chars = 0;
    boolean quoted = false;
    boolean wasQuoted = false;
    int c = firstChar;
    while (true) {
      if (quoted) {
        if (c < 0) {
          throw new ExportException("line " + recordLine + ": a quoted field is not closed");
        }
        if (c == '"') {
          int next = read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            c = next;
            continue;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c < 0) {
        if (c == '\n') {
          line++;
        }
        add(field.toString());
        return Arrays.copyOf(fields, count);
      } else if (c != '\r') {
        field.append((char) c);
      }
      if (++chars > maxRecordChars) {
        throw limits.lineTooLong(recordLine);
      }
      c = read();
    }
  }

  private void add(String value) {
    if (count == fields.length) {
      fields = Arrays.copyOf(fields, count * 2);
    }
    fields[count++] = value;
  }

  private int read() throws IOException {
    if (position == limit) {
      limit = in.read(buffer, 0, buffer.length);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
    }
    return buffer[position++];
  }
}
