package dev.retention.data;

import dev.retention.features.Utf8Slice;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * RFC 4180 records straight from UTF-8 bytes, for the large orders exports: the same grammar as
 * {@link CsvTokenizer} (quoted fields with delimiters, line breaks and doubled quotes; CRLF or LF;
 * a leading byte-order mark dropped; blank lines skipped), but cells are {@link Utf8Slice} windows
 * on a reused buffer instead of new strings. Quoted cells are unescaped in place. The separators
 * are ASCII and never occur inside a multi-byte UTF-8 sequence, so splitting bytes is exact. The
 * field delimiter is {@code ,} unless the export's dialect says otherwise ({@link TextFormat}).
 */
final class ByteCsvScanner {

  private static final int START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private final InputStream in;
  private final ReadLimits limits;
  private final byte delimiter;
  private final long delimiters;
  private byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private boolean ended;
  private boolean first = true;
  private long line = 1;
  private long recordLine;
  private int count;
  private Utf8Slice[] cells = new Utf8Slice[16];
  // Whether the current record holds a byte >= 0x80: only then is its UTF-8 validated.
  private boolean nonAscii;
  private final java.nio.charset.CharsetDecoder utf8 =
      java.nio.charset.StandardCharsets.UTF_8.newDecoder();

  ByteCsvScanner(InputStream in, ReadLimits limits) {
    this(in, limits, 1, ',');
  }

  ByteCsvScanner(InputStream in, ReadLimits limits, char delimiter) {
    this(in, limits, 1, delimiter);
  }

  /** A scanner whose first physical line is line {@code firstLine} of the export (a part of it). */
  ByteCsvScanner(InputStream in, ReadLimits limits, long firstLine, char delimiter) {
    this.in = in;
    this.limits = limits;
    this.delimiter = (byte) delimiter;
    this.delimiters = ONES * (delimiter & 0xff);
    this.line = firstLine;
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new Utf8Slice();
    }
  }

  /** The physical line on which the current record started (1-based). */
  long recordLine() {
    return recordLine;
  }

  /** Cells of the current record. */
  int count() {
    return count;
  }

  /** The current record's cells; valid until the next call to {@link #next}. */
  Utf8Slice[] cells() {
    return cells;
  }

  /**
   * Whether the current record's cells are valid UTF-8 (checked only for records with a non-ASCII
   * byte; numbers, dates and most ids are ASCII).
   */
  boolean validUtf8() {
    if (!nonAscii) {
      return true;
    }
    for (int c = 0; c < count; c++) {
      Utf8Slice cell = cells[c];
      try {
        utf8.reset().decode(java.nio.ByteBuffer.wrap(cell.bytes(), cell.start(), cell.length()));
      } catch (java.nio.charset.CharacterCodingException e) {
        return false;
      }
    }
    return true;
  }

  /** Moves to the next record; false at the end of input. */
  boolean next() throws IOException {
    while (true) {
      if (position == limit && !fill()) {
        return false;
      }
      if (first) {
        first = false;
        if (limit - position < 3) {
          fill();
        }
        if (limit - position >= 3
            && buffer[position] == (byte) 0xEF
            && buffer[position + 1] == (byte) 0xBB
            && buffer[position + 2] == (byte) 0xBF) {
          position += 3;
        }
        continue;
      }
      byte b = buffer[position];
      if (b == '\n') {
        line++;
        position++;
      } else if (b == '\r') {
        position++;
      } else {
        break;
      }
    }
    recordLine = line;
    if (fastRecord()) {
      return true;
    }
    nonAscii = true; // the slow path does not track it: validate
    int scan = position;
    int state = START;
    long breaks = 0;
    while (true) {
      if (scan == limit) {
        int before = position;
        boolean more = fill();
        scan -= before - position; // fill() moves the unread bytes to the front
        if (!more) {
          break;
        }
        continue;
      }
      byte b = buffer[scan];
      if (state == QUOTED) {
        if (b == '"') {
          state = QUOTE_IN_QUOTED;
        } else if (b == '\n') {
          breaks++;
        }
      } else if (b == '\n') {
        break;
      } else if (b == delimiter) {
        state = START;
      } else if (b == '"' && (state == START || state == QUOTE_IN_QUOTED)) {
        state = QUOTED;
      } else {
        state = UNQUOTED;
      }
      scan++;
    }
    if (state == QUOTED) {
      throw new ExportException("line " + recordLine + ": a quoted field is not closed");
    }
    int end = scan;
    boolean newline = end < limit;
    if (end > position && buffer[end - 1] == '\r') {
      end--;
    }
    split(position, end);
    position = newline ? scan + 1 : scan;
    line += breaks + (newline ? 1 : 0);
    return true;
  }

  /**
   * The common case in one pass: a record without any quote that ends inside the buffer. Splits it
   * at its delimiters while looking for its end; returns false (nothing consumed) otherwise. Reads
   * eight bytes at a time and finds the first delimiter, line feed or quote among them with the
   * SWAR zero-byte test (Mycroft; Anderson, "Bit Twiddling Hacks", "determine if a word has a zero
   * byte"): the lowest flagged byte is exact.
   */
  private boolean fastRecord() {
    byte[] b = buffer;
    int p = position;
    int cellStart = p;
    count = 0;
    long seen = 0; // every byte scanned, OR-ed: its high bits tell whether any was non-ASCII
    while (true) {
      if (p + 8 <= limit) {
        long word = (long) LONGS.get(b, p);
        seen |= word;
        long special =
            zeroBytes(word ^ delimiters) | zeroBytes(word ^ NEWLINES) | zeroBytes(word ^ QUOTES);
        if (special == 0) {
          p += 8;
          continue;
        }
        p += Long.numberOfTrailingZeros(special) >>> 3;
      } else {
        byte d = delimiter;
        while (p < limit && b[p] != d && b[p] != '\n' && b[p] != '"') {
          seen |= b[p] & 0xff;
          p++;
        }
        if (p == limit) {
          return false;
        }
      }
      byte c = b[p];
      if (c == delimiter) {
        add(cellStart, p);
        cellStart = p + 1;
        p++;
      } else if (c == '\n') {
        int end = p > cellStart && b[p - 1] == '\r' ? p - 1 : p;
        add(cellStart, end);
        position = p + 1;
        line++;
        nonAscii = (seen & HIGHS) != 0;
        return true;
      } else {
        return false;
      }
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = ONES * '\n';
  private static final long QUOTES = ONES * '"';

  /** The high bit of each byte of {@code x} that is zero (and possibly of bytes above one). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  private void split(int from, int end) {
    count = 0;
    int p = from;
    while (true) {
      int start = p;
      int stop;
      if (p < end && buffer[p] == '"') {
        int write = start;
        p++;
        while (p < end) {
          byte b = buffer[p];
          if (b == '"') {
            if (p + 1 < end && buffer[p + 1] == '"') {
              buffer[write++] = '"';
              p += 2;
            } else {
              p++;
              break;
            }
          } else {
            buffer[write++] = b;
            p++;
          }
        }
        // Text after the closing quote joins the cell, as in CsvTokenizer.
        while (p < end && buffer[p] != delimiter) {
          buffer[write++] = buffer[p++];
        }
        stop = write;
      } else {
        while (p < end && buffer[p] != delimiter) {
          p++;
        }
        stop = p;
      }
      add(start, stop);
      if (p < end) {
        p++; // the delimiter
        continue;
      }
      return;
    }
  }

  private void add(int start, int stop) {
    if (count == cells.length) {
      cells = Arrays.copyOf(cells, count * 2);
      for (int i = count; i < cells.length; i++) {
        cells[i] = new Utf8Slice();
      }
    }
    cells[count++].set(buffer, start, stop - start);
  }

  /** Keeps the unread bytes, reads more; false when nothing more could be read. */
  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (limit == buffer.length) {
      // The whole buffer is one unfinished record: grow it, up to the longest record allowed.
      if (limit >= limits.maxLineBytes()) {
        throw limits.lineTooLong(recordLine == 0 ? line : recordLine);
      }
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int read = in.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      ended = true;
      return false;
    }
    limit += read;
    return true;
  }
}
