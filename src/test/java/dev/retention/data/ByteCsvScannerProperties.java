package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.retention.features.Utf8Slice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The byte scanner reads exactly the records {@link CsvTokenizer} reads. */
class ByteCsvScannerProperties {

  private static final String[] PIECES = {
    "a", "é", "12.5", ",", "\"", "\"\"", "\n", "\r\n", " ", "x y", "訂單", "\"q,\nr\"", ""
  };

  @Property(tries = 2000)
  void readsWhatTheTokenizerReads(@ForAll long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    if (random.nextInt(4) == 0) {
      text.append('\uFEFF');
    }
    int pieces = random.nextInt(60);
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    compare(text.toString());
  }

  @Test
  void recordsLongerThanTheBufferAndWellFormedQuotes() throws IOException {
    StringBuilder text = new StringBuilder("id,note\r\n");
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 3000; i++) {
      String note = "x".repeat(random.nextInt(i % 500 == 0 ? 200_000 : 40));
      text.append(i).append(",\"").append(note).append(",\"\"q\"\"\n\"\r\n");
    }
    compare(text.toString());
  }

  @Test
  void quoteFreeRecordsAcrossBufferRefillsTakeTheFastPath() throws IOException {
    StringBuilder text = new StringBuilder("id,a,b\n");
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 20_000; i++) {
      int width = random.nextInt(i % 4000 == 0 ? 100_000 : 12);
      text.append(i)
          .append(',')
          .append("é".repeat(width))
          .append(',')
          .append(random.nextInt(3) == 0 ? "" : "x")
          .append(random.nextBoolean() ? "\r\n" : "\n");
      if (i % 1000 == 0) {
        text.append("\n\r\n"); // blank lines
      }
    }
    text.append("last,record,without newline");
    compare(text.toString());
  }

  @Test
  void anUnclosedQuoteNamesItsLine() {
    ExportException e =
        assertThrows(
            ExportException.class,
            () -> records("a,b\n1,2\n3,\"open\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("line 3: a quoted field is not closed", e.getMessage());
  }

  private static void compare(String text) throws IOException {
    List<String[]> expected = new ArrayList<>();
    List<Long> expectedLines = new ArrayList<>();
    RuntimeException expectedError = null;
    try {
      CsvTokenizer tokenizer = new CsvTokenizer(new StringReader(text));
      for (String[] r = tokenizer.next(); r != null; r = tokenizer.next()) {
        expected.add(r);
        expectedLines.add(tokenizer.recordLine());
      }
    } catch (ExportException e) {
      expectedError = e;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (expectedError != null) {
      ExportException actual = assertThrows(ExportException.class, () -> records(bytes));
      assertEquals(expectedError.getMessage(), actual.getMessage());
      return;
    }
    List<Object[]> actual = records(bytes);
    assertEquals(expected.size(), actual.size(), text);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), (String[]) actual.get(i)[0], text);
      assertEquals(expectedLines.get(i), actual.get(i)[1], text);
    }
  }

  private static List<Object[]> records(byte[] bytes) throws IOException {
    ByteCsvScanner scanner =
        new ByteCsvScanner(new ByteArrayInputStream(bytes), ReadLimits.defaults());
    List<Object[]> out = new ArrayList<>();
    while (scanner.next()) {
      String[] cells = new String[scanner.count()];
      for (int c = 0; c < cells.length; c++) {
        Utf8Slice cell = scanner.cells()[c];
        cells[c] = cell.toString();
      }
      out.add(new Object[] {cells, scanner.recordLine()});
    }
    assertNull(scanner.next() ? "more" : null);
    return out;
  }
}
