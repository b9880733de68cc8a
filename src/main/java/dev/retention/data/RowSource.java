package dev.retention.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of an export as text cells aligned with a column list, one row at a time.
 *
 * <p>CSV: the columns are the header's, checked by {@link Header} (duplicates, empty names, case
 * collisions, the column limit, a first line that looks like data). JSON Lines: every key of every
 * object is read. The columns start with the ones the reader asked for ({@code required}, so that
 * their indices exist even before a row has them), then every other key in first-seen order; a key
 * first seen late is appended when it appears ({@link #columns()} grows, {@link #firstLine} says
 * where), so no key is ever dropped because it was missing from a sample.
 */
abstract class RowSource {

  /**
   * One data row.
   *
   * @param line physical line number in the (uncompressed) file, 1-based
   * @param cells values by column index; null where absent (a JSON Lines row may have fewer cells
   *     than columns, when keys appear later). CSV cells are windows on the reader's buffer, valid
   *     until the next call to {@link #next}: {@link #copy()} a row to keep it
   * @param problem why the row could not be split into cells, or null
   */
  record Row(long line, CharSequence[] cells, String problem) {

    /** The row with its cells as strings, independent of the reader's buffer. */
    Row copy() {
      if (cells == null) {
        return this;
      }
      CharSequence[] kept = new CharSequence[cells.length];
      for (int c = 0; c < cells.length; c++) {
        kept[c] = cells[c] == null ? null : cells[c].toString();
      }
      return new Row(line, kept, problem);
    }

    /** The cell of column {@code c}, or null when the row has none. */
    CharSequence cell(int c) {
      return c >= 0 && c < cells.length ? cells[c] : null;
    }
  }

  /** The columns: the header's, or the JSON keys seen so far (this list grows as keys appear). */
  abstract List<String> columns();

  /** The next row, or null at the end. */
  abstract Row next() throws IOException;

  /**
   * Whether column {@code c} holds a value in the export read so far: always for a CSV header's
   * columns; for JSON Lines, whether any object had its key.
   */
  boolean present(int c) {
    return true;
  }

  /**
   * A source without rows whose columns are {@code columns}, as a header's: for rows that arrive
   * one by one (a request's orders) and are handed to a reader's row rules directly.
   */
  static RowSource fixed(List<String> columns) {
    List<String> fixed = List.copyOf(columns);
    return new RowSource() {
      @Override
      List<String> columns() {
        return fixed;
      }

      @Override
      Row next() {
        return null;
      }

      @Override
      boolean hasHeader() {
        return true;
      }
    };
  }

  /** Whether the columns are a header's (CSV), fixed before the first row. */
  abstract boolean hasHeader();

  /** The line where column {@code c}'s key was first seen, 0 for a header's columns. */
  long firstLine(int c) {
    return 0;
  }

  /**
   * Rows of an export, decoded (gzip) and split by its format. CSV is split straight from its UTF-8
   * bytes ({@link ByteCsvScanner}: no string per cell); JSON Lines through a decoder.
   *
   * @param required the columns the reader needs: a CSV header without them is checked for looking
   *     like data; JSON Lines columns start with them
   * @param expectation what the header should hold, for the error when it looks like data
   */
  static RowSource open(
      InputStream raw,
      ExportFormat format,
      int sampleRows,
      List<String> required,
      String expectation)
      throws IOException {
    return open(raw, format, sampleRows, required, expectation, List.of());
  }

  /**
   * {@link #open(InputStream, ExportFormat, int, List, String)} with optional columns the reader
   * looks for by name: JSON Lines columns start with them too, so a key first seen late has its
   * index from the start.
   */
  static RowSource open(
      InputStream raw,
      ExportFormat format,
      int sampleRows,
      List<String> required,
      String expectation,
      List<String> optional)
      throws IOException {
    if (format.kind() == ExportFormat.Kind.CSV) {
      Csv csv =
          new Csv(
              new ByteCsvScanner(format.decode(raw), format.limits(), format.text().delimiter()),
              format.limits());
      Header.check(csv.columns(), required, expectation, format.text());
      return csv;
    }
    Reader text = new InputStreamReader(format.decode(raw), StandardCharsets.UTF_8.newDecoder());
    List<String> preset = new ArrayList<>(required);
    for (String name : optional) {
      if (name != null && !preset.contains(name)) {
        preset.add(name);
      }
    }
    return new JsonLines(text, sampleRows, format.limits(), format.text(), preset);
  }

  /**
   * The rows of one part of an export: decoded bytes that start at line {@code firstLine} of the
   * export (after its header, if the part is the first) and are read with the whole export's {@code
   * columns} (a CSV part has no header; a JSON Lines part starts with the columns its export's
   * first records set, and appends the keys it finds later).
   */
  static RowSource part(
      InputStream plain, ExportFormat format, List<String> columns, long firstLine) {
    if (format.kind() == ExportFormat.Kind.CSV) {
      return new Csv(
          new ByteCsvScanner(plain, format.limits(), firstLine, format.text().delimiter()),
          columns);
    }
    return new JsonLines(
        new InputStreamReader(plain, StandardCharsets.UTF_8.newDecoder()),
        columns,
        firstLine,
        format.limits(),
        format.text());
  }

  private static final class Csv extends RowSource {
    private final ByteCsvScanner scanner;
    private final List<String> columns;
    // The scanner's first cells, as many as the header has: the scanner reuses these objects
    // record after record (growing its array keeps them), so this view stays current.
    private final CharSequence[] view;

    /** A part without a header, read with its export's columns. */
    Csv(ByteCsvScanner scanner, List<String> columns) {
      this.scanner = scanner;
      this.columns = List.copyOf(columns);
      this.view = null; // the scanner's cells, taken per record: they exist once one is read
    }

    Csv(ByteCsvScanner scanner, ReadLimits limits) throws IOException {
      this.scanner = scanner;
      if (!scanner.next()) {
        throw new ExportException("the export is empty: no header line");
      }
      if (scanner.count() > limits.maxColumns()) {
        throw limits.tooManyColumns("the header has " + scanner.count() + " columns,");
      }
      if (!scanner.validUtf8()) {
        throw new ExportException("the header is not valid UTF-8");
      }
      columns = new ArrayList<>();
      for (int c = 0; c < scanner.count(); c++) {
        columns.add(scanner.cells()[c].toString().strip());
      }
      view = java.util.Arrays.copyOf(scanner.cells(), columns.size(), CharSequence[].class);
    }

    @Override
    List<String> columns() {
      return columns;
    }

    @Override
    boolean hasHeader() {
      return true;
    }

    @Override
    Row next() throws IOException {
      if (!scanner.next()) {
        return null;
      }
      long line = scanner.recordLine();
      if (scanner.count() != columns.size()) {
        return new Row(
            line, null, scanner.count() + " fields where the header has " + columns.size());
      }
      if (!scanner.validUtf8()) {
        return new Row(line, null, "not valid UTF-8");
      }
      return new Row(
          line,
          view != null
              ? view
              : java.util.Arrays.copyOf(scanner.cells(), columns.size(), CharSequence[].class),
          null);
    }
  }

  /**
   * Lines of a character stream, each at most {@link ReadLimits#maxLineBytes()} characters: a
   * longer one fails the read rather than growing a string without bound. A byte-order mark before
   * the first line is dropped.
   */
  static final class BoundedLines {
    private final Reader in;
    private final ReadLimits limits;
    private final char[] buffer = new char[64 * 1024];
    private final StringBuilder pending = new StringBuilder();
    private int position;
    private int limit;
    private boolean first = true;

    BoundedLines(Reader in, ReadLimits limits) {
      this.in = in;
      this.limits = limits;
    }

    /** The next line without its line break, or null at the end. */
    String readLine(long lineNumber) throws IOException {
      pending.setLength(0);
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return pending.length() == 0 ? null : strip(pending.toString());
          }
          if (first) {
            first = false;
            if (buffer[0] == '\uFEFF') {
              position = 1;
            }
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        if (pending.length() + (position - start) > limits.maxLineBytes()) {
          throw limits.lineTooLong(lineNumber);
        }
        if (position < limit) {
          String text =
              pending.length() == 0
                  ? new String(buffer, start, position - start)
                  : pending.append(buffer, start, position - start).toString();
          position++; // the line feed
          return strip(text);
        }
        pending.append(buffer, start, position - start);
      }
    }

    private static String strip(String text) {
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
  }

  private static final class JsonLines extends RowSource {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final BoundedLines reader;
    private final ReadLimits limits;
    private final TextFormat text;
    private final List<String> columns = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, String> folded = new HashMap<>();
    private boolean[] present = new boolean[16];
    private long[] firstLines = new long[16];
    private final List<Map<String, String>> sampled = new ArrayList<>();
    private final List<Long> sampledLines = new ArrayList<>();
    private final List<String> sampledProblems = new ArrayList<>();
    private int replay;
    private long line;

    /** A part: read with its export's columns, its first line being {@code firstLine}. */
    JsonLines(
        Reader reader, List<String> columns, long firstLine, ReadLimits limits, TextFormat text) {
      this.reader = new BoundedLines(reader, limits);
      this.limits = limits;
      this.text = text;
      for (String column : columns) {
        add(column, 0);
      }
      this.line = firstLine - 1;
    }

    JsonLines(
        Reader reader, int sampleRows, ReadLimits limits, TextFormat text, List<String> required)
        throws IOException {
      this.reader = new BoundedLines(reader, limits);
      this.limits = limits;
      this.text = text;
      for (String column : required) {
        add(column, 0);
      }
      // The first rows are read ahead: their keys, in first-seen order, follow the required
      // columns (readers that choose their columns from a sample, as feature exports do, see them).
      while (sampled.size() < sampleRows) {
        String row = nextLine();
        if (row == null) {
          break;
        }
        Map<String, String> values = new HashMap<>();
        String problem = parse(row, values);
        if (problem == null) {
          for (String key : orderedKeys(row, values)) {
            see(key, 0);
          }
        }
        sampled.add(values);
        sampledLines.add(line);
        sampledProblems.add(problem);
      }
      if (sampled.isEmpty()) {
        throw new ExportException("the export is empty: no JSON object rows");
      }
    }

    /** Adds a column for {@code key} if it is new; marks it present unless it is a preset. */
    private int see(String key, long at) {
      Integer c = index.get(key);
      if (c == null) {
        c = add(key, at);
      }
      present[c] = true;
      return c;
    }

    private int add(String key, long at) {
      Integer known = index.get(key);
      if (known != null) {
        return known;
      }
      if (columns.size() >= limits.maxColumns()) {
        throw limits.tooManyColumns("the JSON objects have");
      }
      if (key.isEmpty()) {
        throw new ExportException(
            (at > 0 ? "line " + at + ": " : "") + "a JSON key is empty: every key names a column");
      }
      String fold = Header.fold(key);
      String other = folded.putIfAbsent(fold, key);
      if (other != null && !text.allowCaseCollisions()) {
        throw Header.caseCollision(other, key);
      }
      int c = columns.size();
      columns.add(key);
      index.put(key, c);
      if (c == present.length) {
        present = java.util.Arrays.copyOf(present, c * 2);
        firstLines = java.util.Arrays.copyOf(firstLines, c * 2);
      }
      firstLines[c] = at;
      return c;
    }

    private List<String> orderedKeys(String row, Map<String, String> values) {
      // Keep the file's key order for readable column lists; fall back to the parsed keys.
      List<String> keys = new ArrayList<>();
      try (JsonParser parser = FACTORY.createParser(row)) {
        if (parser.nextToken() == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            keys.add(parser.currentName());
            parser.nextToken();
            parser.skipChildren();
          }
        }
      } catch (IOException e) {
        keys.clear();
        keys.addAll(values.keySet());
      }
      return keys;
    }

    private String nextLine() throws IOException {
      while (true) {
        String row = reader.readLine(line + 1);
        if (row == null) {
          return null;
        }
        line++;
        if (!row.isBlank()) {
          return row;
        }
      }
    }

    @Override
    List<String> columns() {
      return columns;
    }

    @Override
    boolean hasHeader() {
      return false;
    }

    @Override
    boolean present(int c) {
      return present[c];
    }

    @Override
    long firstLine(int c) {
      return firstLines[c];
    }

    @Override
    Row next() throws IOException {
      if (replay < sampled.size()) {
        int i = replay++;
        return toRow(sampledLines.get(i), sampled.get(i), sampledProblems.get(i));
      }
      String row = nextLine();
      if (row == null) {
        return null;
      }
      Map<String, String> values = new HashMap<>();
      String problem = parse(row, values);
      return toRow(line, values, problem);
    }

    private Row toRow(long at, Map<String, String> values, String problem) {
      if (problem != null) {
        return new Row(at, null, problem);
      }
      // Every key of the object: a key not seen before becomes a column here.
      for (String key : values.keySet()) {
        see(key, at);
      }
      String[] cells = new String[columns.size()];
      for (Map.Entry<String, String> e : values.entrySet()) {
        cells[index.get(e.getKey())] = e.getValue();
      }
      return new Row(at, cells, null);
    }

    /** Flat object → text values; returns a problem description or null. */
    private static String parse(String row, Map<String, String> out) {
      try (JsonParser parser = FACTORY.createParser(row)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return "not a JSON object";
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          if (out.containsKey(key)) {
            // Which of the two values would be meant is unknowable: neither is taken.
            return "key '" + key + "' appears twice in the object";
          }
          JsonToken value = parser.nextToken();
          switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING ->
                out.put(key, parser.getText());
            case VALUE_TRUE -> out.put(key, "true");
            case VALUE_FALSE -> out.put(key, "false");
            case VALUE_NULL -> out.put(key, null);
            default -> {
              return "field '" + key + "' holds a nested value";
            }
          }
        }
        if (parser.nextToken() != null) {
          return "text after the JSON object";
        }
        return null;
      } catch (JsonProcessingException e) {
        return "malformed JSON";
      } catch (IOException e) {
        return "unreadable line";
      }
    }
  }
}
