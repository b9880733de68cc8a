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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rows of an export as text cells aligned with a column list, one row at a time. */
abstract class RowSource {

  /**
   * One data row.
   *
   * @param line physical line number in the (uncompressed) file, 1-based
   * @param cells values by column index; null where absent. CSV cells are windows on the reader's
   *     buffer, valid until the next call to {@link #next}: {@link #copy()} a row to keep it
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
  }

  abstract List<String> columns();

  /** The next row, or null at the end. */
  abstract Row next() throws IOException;

  /**
   * Rows of an export, decoded (gzip) and split by its format. CSV is split straight from its UTF-8
   * bytes ({@link ByteCsvScanner}: no string per cell); JSON Lines through a decoder.
   */
  static RowSource open(InputStream raw, ExportFormat format, int sampleRows) throws IOException {
    RowSource source;
    if (format.kind() == ExportFormat.Kind.CSV) {
      source = new Csv(new ByteCsvScanner(format.decode(raw), format.limits()));
    } else {
      Reader text = new InputStreamReader(format.decode(raw), StandardCharsets.UTF_8.newDecoder());
      source = jsonLines(text, sampleRows, format.limits());
    }
    checkHeader(source.columns());
    return source;
  }

  /**
   * The rows of one part of an export: decoded bytes that start at line {@code firstLine} of the
   * export (after its header, if the part is the first) and are read with the whole export's {@code
   * columns} (a CSV part has no header; a JSON Lines part takes the columns its export's first
   * records set).
   */
  static RowSource part(
      InputStream plain,
      ExportFormat.Kind kind,
      List<String> columns,
      long firstLine,
      ReadLimits limits) {
    if (kind == ExportFormat.Kind.CSV) {
      return new Csv(new ByteCsvScanner(plain, limits, firstLine), columns);
    }
    return new JsonLines(
        new InputStreamReader(plain, StandardCharsets.UTF_8.newDecoder()),
        columns,
        firstLine,
        limits);
  }

  static void checkHeader(List<String> columns) {
    Set<String> seen = new HashSet<>();
    for (String column : columns) {
      if (column.isEmpty()) {
        throw new ExportException("the header has an empty column name: " + columns);
      }
      if (!seen.add(column)) {
        throw new ExportException("the header names column '" + column + "' twice");
      }
    }
  }

  /** JSON Lines: the columns are the keys of the first {@code sampleRows} objects, in order. */
  static RowSource jsonLines(Reader reader, int sampleRows, ReadLimits limits) throws IOException {
    return new JsonLines(reader, sampleRows, limits);
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

    Csv(ByteCsvScanner scanner) throws IOException {
      this.scanner = scanner;
      if (!scanner.next()) {
        throw new ExportException("the export is empty: no header line");
      }
      if (!scanner.validUtf8()) {
        throw new ExportException("the header is not valid UTF-8");
      }
      columns = new ArrayList<>();
      for (int c = 0; c < scanner.count(); c++) {
        columns.add(scanner.cells()[c].toString().trim());
      }
      view = java.util.Arrays.copyOf(scanner.cells(), columns.size(), CharSequence[].class);
    }

    @Override
    List<String> columns() {
      return columns;
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
   * longer one fails the read rather than growing a string without bound.
   */
  static final class BoundedLines {
    private final Reader in;
    private final ReadLimits limits;
    private final char[] buffer = new char[64 * 1024];
    private final StringBuilder pending = new StringBuilder();
    private int position;
    private int limit;

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
    private final List<String> columns = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<Map<String, String>> sampled = new ArrayList<>();
    private final List<Long> sampledLines = new ArrayList<>();
    private final List<String> sampledProblems = new ArrayList<>();
    private int replay;
    private long line;

    /** A part: read with its export's columns, its first line being {@code firstLine}. */
    JsonLines(Reader reader, List<String> columns, long firstLine, ReadLimits limits) {
      this.reader = new BoundedLines(reader, limits);
      for (String column : columns) {
        index.put(column, this.columns.size());
        this.columns.add(column);
      }
      this.line = firstLine - 1;
    }

    JsonLines(Reader reader, int sampleRows, ReadLimits limits) throws IOException {
      this.reader = new BoundedLines(reader, limits);
      // The column set is the union of the keys of the first rows, in first-seen order.
      while (sampled.size() < sampleRows) {
        String text = nextLine();
        if (text == null) {
          break;
        }
        Map<String, String> values = new HashMap<>();
        String problem = parse(text, values);
        for (String key : orderedKeys(text, values)) {
          if (!index.containsKey(key)) {
            index.put(key, columns.size());
            columns.add(key);
          }
        }
        sampled.add(values);
        sampledLines.add(line);
        sampledProblems.add(problem);
      }
      if (columns.isEmpty()) {
        throw new ExportException("the export has no JSON object rows");
      }
    }

    private List<String> orderedKeys(String text, Map<String, String> values) {
      // Keep the file's key order for readable column lists; fall back to the parsed keys.
      List<String> keys = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      try (JsonParser parser = FACTORY.createParser(text)) {
        if (parser.nextToken() == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (seen.add(key)) {
              keys.add(key);
            }
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
        String text = reader.readLine(line + 1);
        if (text == null) {
          return null;
        }
        line++;
        if (!text.isBlank()) {
          return text;
        }
      }
    }

    @Override
    List<String> columns() {
      return columns;
    }

    @Override
    Row next() throws IOException {
      if (replay < sampled.size()) {
        int i = replay++;
        return toRow(sampledLines.get(i), sampled.get(i), sampledProblems.get(i));
      }
      String text = nextLine();
      if (text == null) {
        return null;
      }
      Map<String, String> values = new HashMap<>();
      String problem = parse(text, values);
      return toRow(line, values, problem);
    }

    private Row toRow(long at, Map<String, String> values, String problem) {
      if (problem != null) {
        return new Row(at, null, problem);
      }
      String[] cells = new String[columns.size()];
      for (Map.Entry<String, String> e : values.entrySet()) {
        Integer c = index.get(e.getKey());
        if (c != null) {
          cells[c] = e.getValue();
        }
      }
      return new Row(at, cells, null);
    }

    /** Flat object → text values; returns a problem description or null. */
    private static String parse(String text, Map<String, String> out) {
      try (JsonParser parser = FACTORY.createParser(text)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return "not a JSON object";
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
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
