package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing the export readers with mangled exports: mostly good rows with random pieces cut in,
 * swapped or inserted (quotes, separators, line breaks, non-numbers, invalid UTF-8, truncated
 * gzip). Whatever the input, a reader either returns a result whose rejected share is within the
 * limit, or fails with an {@link ExportException} or an {@link IOException}: never another
 * exception, and never a result built from an export with too many bad rows.
 */
class ReaderFuzzProperties {

  private static final double LIMIT = ExportSchema.defaults().maxRejectedShare();
  private static final String[] NOISE = {
    ",",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "",
    "abc",
    "-",
    "1e999",
    "NaN",
    "é",
    "\u0000",
    "2026-13-01",
    "9999999999999999999999",
    "true",
    " ",
    "{",
    "}",
    "[1]",
    "\"a,\nb\"",
    "-0.0",
    "+",
    ".",
    "e5"
  };

  private static String mangle(String good, SplittableRandom random) {
    StringBuilder out = new StringBuilder(good);
    int edits = random.nextInt(8);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(out.length() + 1);
      switch (random.nextInt(3)) {
        case 0 -> out.insert(at, NOISE[random.nextInt(NOISE.length)]);
        case 1 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(20)));
        default -> out.setLength(Math.min(out.length(), at + random.nextInt(200)));
      }
    }
    return out.toString();
  }

  private static byte[] bytes(String text, SplittableRandom random) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0 && random.nextInt(10) == 0) {
      bytes[random.nextInt(bytes.length)] = (byte) (0x80 | random.nextInt(0x80)); // bad UTF-8
    }
    return bytes;
  }

  private static byte[] gzip(byte[] bytes, SplittableRandom random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    byte[] zipped = out.toByteArray();
    return random.nextInt(3) == 0
        ? java.util.Arrays.copyOf(zipped, random.nextInt(zipped.length + 1))
        : zipped;
  }

  private static String goodFeatures(SplittableRandom random) {
    StringBuilder csv = new StringBuilder("customer_id,a,b,repurchased\n");
    int rows = 50 + random.nextInt(300);
    for (int i = 0; i < rows; i++) {
      csv.append('C').append(i).append(',').append(random.nextInt(100)).append(',');
      csv.append(random.nextDouble()).append(',').append(random.nextInt(2)).append('\n');
    }
    return csv.toString();
  }

  private static String goodOrders(SplittableRandom random) {
    StringBuilder csv = new StringBuilder("customer_id,order_id,order_date,amount,items,status\n");
    int rows = 50 + random.nextInt(300);
    for (int i = 0; i < rows; i++) {
      csv.append('c').append(random.nextInt(40)).append(",o").append(i).append(",2026-0");
      csv.append(1 + random.nextInt(9)).append("-1").append(random.nextInt(9)).append(',');
      csv.append(random.nextInt(200) - 5)
          .append(",1,")
          .append(random.nextBoolean() ? "paid" : "refunded");
      csv.append('\n');
    }
    return csv.toString();
  }

  private static String toJsonLines(String csv) {
    StringBuilder out = new StringBuilder();
    String[] lines = csv.split("\n");
    String[] header = lines[0].split(",");
    for (int l = 1; l < lines.length; l++) {
      String[] cells = lines[l].split(",", -1);
      out.append('{');
      for (int c = 0; c < Math.min(header.length, cells.length); c++) {
        out.append(c == 0 ? "" : ",").append('"').append(header[c]).append("\":\"");
        out.append(cells[c]).append('"');
      }
      out.append("}\n");
    }
    return out.toString();
  }

  @Property(tries = 400)
  void featureReadersFailCleanlyOrStayWithinTheRejectedLimit(@ForAll long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    String good = goodFeatures(random);
    boolean json = random.nextInt(3) == 0;
    boolean zipped = random.nextInt(3) == 0;
    String text = mangle(json ? toJsonLines(good) : good, random);
    byte[] bytes = bytes(text, random);
    if (zipped) {
      bytes = gzip(bytes, random);
    }
    String key = "x." + (json ? "jsonl" : "csv") + (zipped ? ".gz" : "");
    try {
      ReadResult r =
          FeatureExportReader.read(
              new ByteArrayInputStream(bytes),
              ExportFormat.of(key).orElseThrow(),
              ExportSchema.defaults());
      assertTrue(r.rowsRead() > r.rowsRejected(), "a result with no good row");
      assertTrue((double) r.rowsRejected() / r.rowsRead() <= LIMIT, "over the rejected limit");
      assertTrue(r.features().rows() == r.rowsRead() - r.rowsRejected());
    } catch (ExportException | IOException expected) {
      // a clean failure: nothing is trained
    }
  }

  @Property(tries = 400)
  void orderReadersFailCleanlyOrStayWithinTheRejectedLimit(@ForAll long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    String good = goodOrders(random);
    boolean json = random.nextInt(3) == 0;
    boolean zipped = random.nextInt(3) == 0;
    String text = mangle(json ? toJsonLines(good) : good, random);
    byte[] bytes = bytes(text, random);
    if (zipped) {
      bytes = gzip(bytes, random);
    }
    String key = "x." + (json ? "jsonl" : "csv") + (zipped ? ".gz" : "");
    try {
      OrderExportReader.Result r =
          OrderExportReader.read(
              new ByteArrayInputStream(bytes),
              ExportFormat.of(key).orElseThrow(),
              OrdersSchema.defaults(),
              LocalDate.of(2026, 11, 28));
      assertTrue(r.rowsRead() > r.rowsRejected(), "a result with no good row");
      assertTrue((double) r.rowsRejected() / r.rowsRead() <= LIMIT, "over the rejected limit");
    } catch (ExportException | IOException expected) {
      // a clean failure: nothing is derived
    }
  }
}
