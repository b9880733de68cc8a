package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class FeatureExportReaderTest {

  private static ReadResult read(String text, String key) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), key, ExportSchema.defaults());
  }

  private static ReadResult read(byte[] bytes, String key, ExportSchema schema) throws IOException {
    return FeatureExportReader.read(
        new ByteArrayInputStream(bytes), ExportFormat.of(key).orElseThrow(), schema);
  }

  @Test
  void readsTheReferenceCsvExactly() throws IOException {
    ReferenceData reference = ReferenceData.load();
    ReadResult result = read(ReferenceData.csvBytes(), "customers.csv", ExportSchema.defaults());
    assertEquals(ReferenceData.FEATURES, result.features().columns());
    assertArrayEquals(reference.features.data(), result.features().data());
    assertArrayEquals(reference.labels, result.labels());
    assertEquals(6000, result.rowsRead());
    assertEquals(0, result.rowsRejected());
  }

  @Test
  void gzipAndJsonLinesGiveTheSameRowsAsCsv() throws IOException {
    String csv = "customer_id,a,b,repurchased\nC1,1.5,2,1\nC2,3,4,no\nC3,5,6,yes\n";
    String jsonl =
        "{\"customer_id\":\"C1\",\"a\":1.5,\"b\":2,\"repurchased\":1}\n"
            + "\n"
            + "{\"b\":4,\"a\":3,\"customer_id\":\"C2\",\"repurchased\":false}\n"
            + "{\"customer_id\":\"C3\",\"a\":\"5\",\"b\":6,\"repurchased\":true}\n";
    ReadResult fromCsv = read(csv, "x.csv");
    ReadResult fromGzip = read(gzip(csv), "x.csv.gz", ExportSchema.defaults());
    ReadResult fromJsonl = read(gzip(jsonl), "x.ndjson.gz", ExportSchema.defaults());
    for (ReadResult r : List.of(fromGzip, fromJsonl)) {
      assertEquals(List.of("a", "b"), r.features().columns());
      assertArrayEquals(fromCsv.features().data(), r.features().data());
      assertArrayEquals(new int[] {1, 0, 1}, r.labels());
    }
  }

  @Test
  void quotedFieldsWithCommasQuotesAndNewlinesAndCrlf() throws IOException {
    String csv =
        "\uFEFFcustomer_id,note,a,repurchased\r\n"
            + "\"C,1\",\"says \"\"hi\"\"\nthere\",1,1\r\n"
            + "C2,plain,2,0\r\n";
    ReadResult r = read(csv, "x.csv");
    assertEquals(List.of("a"), r.features().columns());
    assertEquals(List.of("note (not numeric)"), r.ignoredColumns());
    assertArrayEquals(new double[] {1, 2}, r.features().data());
  }

  @Test
  void badRowsAreRejectedWithLineColumnAndValueAndGoodRowsKept() throws IOException {
    StringBuilder csv = new StringBuilder("customer_id,a,b,repurchased\n");
    for (int i = 0; i < 300; i++) {
      csv.append("C").append(i).append(',').append(i).append(",1,").append(i % 2).append('\n');
    }
    csv.append("X1,abc,1,1\n"); // line 302
    csv.append("X2,1,,0\n"); // line 303
    csv.append("X3,1,2,maybe\n"); // line 304
    ExportSchema lenient =
        new ExportSchema("customer_id", "repurchased", List.of(), List.of(), 0.05);
    ReadResult r = read(csv.toString().getBytes(StandardCharsets.UTF_8), "x.csv", lenient);
    assertEquals(303, r.rowsRead());
    assertEquals(3, r.rowsRejected());
    assertEquals(300, r.features().rows());
    // Line, column and problem: never the customer's value (it goes into models and logs).
    assertEquals(
        List.of(
            "line 302, column 'a': not a number",
            "line 303, column 'b': missing value",
            "line 304, column 'repurchased': label must be 1/0, true/false or yes/no"),
        r.rejections());
  }

  @Test
  void tooManyBadRowsFailTheWholeRead() {
    String csv = "customer_id,a,repurchased\nC1,1,1\nC2,NaN,0\nC3,2,0\nC4,x,1\n";
    ExportException e = assertThrows(ExportException.class, () -> read(csv, "x.csv"));
    assertTrue(
        e.getMessage()
            .startsWith("2 of 4 rows (50.00%) were rejected, more than the allowed 1.00%"),
        e.getMessage());
    assertTrue(e.getMessage().contains("line 3, column 'a': not a number"), e.getMessage());
    assertTrue(!e.getMessage().contains("NaN"), "error messages end up in logs: no raw values");
  }

  @Test
  void headerProblemsAreClearErrors() {
    assertEquals(
        "label column 'repurchased' is not in the export's columns [customer_id, a]",
        assertThrows(ExportException.class, () -> read("customer_id,a\nC1,1\n", "x.csv"))
            .getMessage());
    assertEquals(
        "the header names column 'a' twice",
        assertThrows(ExportException.class, () -> read("a,a,repurchased\n1,2,1\n", "x.csv"))
            .getMessage());
    assertEquals(
        "the export is empty: no header line",
        assertThrows(ExportException.class, () -> read("", "x.csv")).getMessage());
    assertEquals(
        "the export has a header but no data rows",
        assertThrows(ExportException.class, () -> read("a,repurchased\n", "x.csv")).getMessage());
    assertTrue(
        assertThrows(ExportException.class, () -> read("customer_id,repurchased\nC1,1\n", "x.csv"))
            .getMessage()
            .startsWith("the export has no numeric feature column"));
  }

  @Test
  void wrongFieldCountAndMalformedJsonAreRowRejections() throws IOException {
    ExportSchema lenient =
        new ExportSchema("customer_id", "repurchased", List.of(), List.of(), 0.5);
    ReadResult csv =
        read("a,repurchased\n1,1\n2,0,9\n3,0\n".getBytes(StandardCharsets.UTF_8), "x.csv", lenient);
    assertEquals(List.of("line 3: 3 fields where the header has 2"), csv.rejections());
    ReadResult jsonl =
        read(
            "{\"a\":1,\"repurchased\":1}\n{\"a\":\n{\"a\":2,\"repurchased\":0}\n{\"a\":[1],\"repurchased\":0}\n"
                .getBytes(StandardCharsets.UTF_8),
            "x.jsonl",
            lenient);
    assertEquals(2, jsonl.features().rows());
    assertEquals(
        List.of("line 2: malformed JSON", "line 4: field 'a' holds a nested value"),
        jsonl.rejections());
  }

  @Test
  void includeAndExcludeListsChooseTheFeatures() throws IOException {
    String csv = "customer_id,a,b,c,repurchased\nC1,1,2,3,1\nC2,4,5,6,0\n";
    ExportSchema include =
        new ExportSchema("customer_id", "repurchased", List.of("c", "a"), List.of(), 0.01);
    assertEquals(
        List.of("c", "a"),
        read(csv.getBytes(StandardCharsets.UTF_8), "x.csv", include).features().columns());
    ExportSchema exclude =
        new ExportSchema("customer_id", "repurchased", List.of(), List.of("b"), 0.01);
    ReadResult r = read(csv.getBytes(StandardCharsets.UTF_8), "x.csv", exclude);
    assertEquals(List.of("a", "c"), r.features().columns());
    assertEquals(List.of("b (excluded)"), r.ignoredColumns());
  }

  @Test
  void formatDetectionBySuffix() {
    assertEquals(
        new ExportFormat(ExportFormat.Kind.CSV, true, ReadLimits.defaults()),
        ExportFormat.of("a/B.CSV.GZ").orElseThrow());
    assertEquals(
        new ExportFormat(ExportFormat.Kind.JSON_LINES, false, ReadLimits.defaults()),
        ExportFormat.of("x.ndjson").orElseThrow());
    assertTrue(ExportFormat.of("x.parquet").isEmpty());
    assertTrue(ExportFormat.of("x.gz").isEmpty());
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
