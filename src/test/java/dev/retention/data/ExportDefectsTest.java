package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The input defects of issues 18 and 24, each read through the product's readers with their default
 * settings: every test here failed on the code before the fix (they use only what that code already
 * had, so they ran against it unchanged).
 */
class ExportDefectsTest {

  private static final LocalDate WRITTEN = LocalDate.of(2026, 11, 28);

  private static ReadResult features(String text, String key) throws IOException {
    return FeatureExportReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ExportFormat.of(key).orElseThrow(),
        ExportSchema.defaults());
  }

  private static OrderExportReader.Result orders(String text, String key) throws IOException {
    return OrderExportReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ExportFormat.of(key).orElseThrow(),
        OrdersSchema.defaults(),
        WRITTEN);
  }

  /** 200 good feature rows, so one bad row stays under the 1 % limit. */
  private static String goodFeatures() {
    StringBuilder csv = new StringBuilder("customer_id,a,b,repurchased\n");
    for (int i = 0; i < 200; i++) {
      csv.append("C").append(i).append(',').append(i % 17).append(',').append(i % 5);
      csv.append(',').append(i % 2).append('\n');
    }
    return csv.toString();
  }

  /** 200 good order rows of 40 customers in 2026. */
  private static String goodOrders() {
    StringBuilder csv = new StringBuilder("customer_id,order_id,order_date,amount,items,status\n");
    for (int i = 0; i < 200; i++) {
      csv.append("c").append(i % 40).append(",o").append(i).append(",2026-0");
      csv.append(1 + i % 9).append("-1").append(i % 9).append(',').append(10 + i % 7);
      csv.append(",1,paid\n");
    }
    return csv.toString();
  }

  private static double[] row(RfmFeatures.Derived derived, String id) {
    int i = derived.customerIds().indexOf(id);
    assertTrue(i >= 0, id + " is not in the table");
    int d = derived.features().cols();
    double[] out = new double[d];
    System.arraycopy(derived.features().data(), i * d, out, 0, d);
    return out;
  }

  private static double feature(RfmFeatures.Derived derived, String id, String name) {
    return row(derived, id)[derived.features().columns().indexOf(name)];
  }

  // ------------------------------------------------------------------ issue 24: numbers

  @Test
  void javaNumberSyntaxIsNotANumberInFeaturesOrAmounts() throws IOException {
    for (String bad : List.of("0x1p4", "10d", "10f", "NaN")) {
      ReadResult r = features(goodFeatures() + "X," + bad + ",2,1\n", "x.csv");
      assertEquals(1, r.rowsRejected(), bad);
      assertEquals(List.of("line 202, column 'a': not a number"), r.rejections(), bad);
      OrderExportReader.Result o =
          orders(goodOrders() + "c1,ox,2026-05-01," + bad + ",1,paid\n", "x.csv");
      assertEquals(1, o.rowsRejected(), bad);
    }
  }

  // ------------------------------------------------------------------ issue 24: times

  @Test
  void impossibleTimesAndOffsetsAreBadRowsNamedByLineAndColumn() throws IOException {
    List<String> bad =
        List.of(
            "2026-05-01T25:00",
            "2026-05-01T10:61",
            "2026-05-01T10:00:61",
            "2026-05-01T10:00+19:00",
            "2026-05-01T10:00+05:60",
            "2026-05-01Tnoon",
            "2026-05-01 10:00 extra",
            "2026-05-01x");
    StringBuilder csv = new StringBuilder(goodOrders());
    for (int i = 0; i < 1000; i++) {
      csv.append("c").append(i % 40).append(",p").append(i).append(",2026-04-02,10,1,paid\n");
    }
    for (String date : bad) {
      csv.append("c1,ox").append(date.length()).append(',').append(date).append(",10,1,paid\n");
    }
    OrderExportReader.Result r = orders(csv.toString(), "x.csv");
    assertEquals(bad.size(), r.rowsRejected(), r.rejections().toString());
    for (String reason : r.rejections()) {
      assertTrue(reason.contains("column 'order_date': not a date"), reason);
      for (String date : bad) {
        assertFalse(reason.contains(date), "never the value: " + reason);
      }
    }
    // Valid ones still read: seconds, fractions, Z and offsets up to 18:00.
    OrderExportReader.Result good =
        orders(
            goodOrders()
                + "c1,q1,2026-05-01T23:59:59.123456789Z,10,1,paid\n"
                + "c1,q2,2026-05-01T00:00+18:00,10,1,paid\n"
                + "c1,q3,2026-05-01 07:30-0330,10,1,paid\n",
            "x.csv");
    assertEquals(0, good.rowsRejected(), good.rejections().toString());
  }

  // ------------------------------------------------------------------ issue 24: ids

  @Test
  void idsThatDifferOnlyBySurroundingSpacesAreNotMerged() throws IOException {
    String csv =
        "customer_id,order_id,order_date,amount\n"
            + "\" P-77\",o1,2026-01-05,10\n"
            + "\"P-77\",o2,2026-02-05,20\n"
            + "\"P-77 \",o3,2026-03-05,30\n";
    OrderExportReader.Result r = orders(csv, "x.csv");
    assertEquals(3, r.book().customers(), "three ids as exported, three customers");
  }

  // ------------------------------------------------------------------ issue 24: JSON keys

  @Test
  void aJsonLinesOrderWithADuplicateKeyIsABadRow() throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      jsonl
          .append("{\"customer_id\":\"c")
          .append(i % 40)
          .append("\",\"order_id\":\"o")
          .append(i)
          .append("\",\"order_date\":\"2026-03-01\",\"amount\":10}\n");
    }
    jsonl.append(
        "{\"customer_id\":\"c1\",\"order_id\":\"x\",\"order_date\":\"2026-03-01\","
            + "\"amount\":10,\"amount\":-10}\n");
    OrderExportReader.Result r = orders(jsonl.toString(), "x.jsonl");
    assertEquals(1, r.rowsRejected());
    assertEquals(List.of("line 201: key 'amount' appears twice in the object"), r.rejections());
  }

  @Test
  void featureNamesThatDifferOnlyByCaseAreRefusedWithBothNames() {
    ExportException e =
        assertThrows(
            ExportException.class,
            () -> features("customer_id,monetary,Monetary,repurchased\nC1,1,2,1\n", "x.csv"));
    assertTrue(e.getMessage().contains("'monetary' and 'Monetary'"), e.getMessage());
    ExportException json =
        assertThrows(
            ExportException.class,
            () ->
                features(
                    "{\"customer_id\":\"C1\",\"monetary\":1,\"Monetary\":2,\"repurchased\":1}\n",
                    "x.jsonl"));
    assertTrue(json.getMessage().contains("'monetary' and 'Monetary'"), json.getMessage());
  }

  // ------------------------------------------------------------------ issue 18: refunds

  /**
   * A refund that repeats its order's id (how shop platforms export refunds) is netted against that
   * order whatever its place in the file: before, it was a "duplicate" after the purchase and
   * replaced it before.
   */
  @Test
  void aRefundRepeatingItsOrderIdIsNettedWhateverTheRowOrder() throws IOException {
    String header = "customer_id,order_id,order_date,amount,status\n";
    List<String> rows = new ArrayList<>();
    for (int c = 0; c < 60; c++) {
      rows.add("k" + c + ",a" + c + ",2026-02-01,100,paid");
      rows.add("k" + c + ",b" + c + ",2026-03-01,40,paid");
      rows.add("k" + c + ",z" + c + ",2026-08-01,40,paid"); // after the cutoff: the label
    }
    // k1: order a1 refunded in full; k2: 30 of a2's 100 refunded, by a refund row of a2's id.
    rows.add("k1,a1,2026-02-03,100,refunded");
    rows.add("k2,a2,2026-02-10,30,refunded");
    RfmFeatures.Derived first = null;
    Random random = new Random(7);
    for (int shuffle = 0; shuffle < 12; shuffle++) {
      List<String> order = new ArrayList<>(rows);
      if (shuffle > 0) {
        Collections.shuffle(order, random);
      }
      OrderExportReader.Result r = orders(header + String.join("\n", order) + "\n", "x.csv");
      RfmFeatures.Derived derived =
          RfmFeatures.forTraining(
              r.book(), r.columns(), new RfmOptions(30, LocalDate.of(2026, 6, 30)));
      assertEquals(0.5, feature(derived, "k1", "refund_share"), "a1 is refunded, b1 bought");
      assertEquals(40, feature(derived, "k1", "monetary"), 1e-12);
      assertEquals(0, feature(derived, "k2", "refund_share"), "a2 refunded in part: a purchase");
      assertEquals(110, feature(derived, "k2", "total_spend"), 1e-12);
      assertEquals(140, feature(derived, "k3", "total_spend"), 1e-12);
      if (first == null) {
        first = derived;
      } else {
        for (String id : first.customerIds()) {
          assertArrayEquals(row(first, id), row(derived, id), id + " in shuffle " + shuffle);
        }
        assertEquals(first.counts(), derived.counts());
      }
    }
  }

  // ------------------------------------------------------------------ issue 18: JSON Lines

  @Test
  void aJsonLinesStatusKeyFirstSeenAfterTheHundredthObjectCounts() throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      jsonl
          .append("{\"customer_id\":\"c")
          .append(i % 50)
          .append("\",\"order_id\":\"o")
          .append(i)
          .append("\",\"order_date\":\"2026-0")
          .append(1 + i % 5)
          .append("-01\",\"amount\":10");
      if (i >= 150 && i % 2 == 0) {
        jsonl.append(",\"status\":\"refunded\"");
      }
      jsonl.append("}\n");
    }
    OrderExportReader.Result r = orders(jsonl.toString(), "x.jsonl");
    RfmFeatures.Derived derived =
        RfmFeatures.forTraining(
            r.book(), r.columns(), new RfmOptions(30, LocalDate.of(2026, 4, 1)));
    assertTrue(
        derived.features().columns().contains("refund_share"),
        derived.features().columns().toString());
    assertTrue(derived.counts().ordersRefunded() > 0, derived.counts().toString());
  }

  @Test
  void aJsonLinesExportWithAByteOrderMarkKeepsItsFirstRow() throws IOException {
    StringBuilder jsonl = new StringBuilder("\uFEFF");
    for (int i = 0; i < 200; i++) {
      jsonl.append("{\"customer_id\":\"C").append(i).append("\",\"a\":").append(i % 7);
      jsonl.append(",\"repurchased\":").append(i % 2).append("}\n");
    }
    ReadResult r = features(jsonl.toString(), "x.jsonl");
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(200, r.features().rows());
  }

  // ------------------------------------------------------------------ issue 18: repeated ids

  @Test
  void aCustomerOnManyRowsOfAFeatureExportIsRefusedNamingLinesNotTheId() {
    StringBuilder csv = new StringBuilder(goodFeatures());
    for (int i = 0; i < 60; i++) {
      csv.append("ZZ-ONE-PERSON-9,3,4,1\n");
    }
    ExportException e =
        assertThrows(ExportException.class, () -> features(csv.toString(), "x.csv"));
    assertTrue(e.getMessage().contains("line 203 repeats the id of line 202"), e.getMessage());
    assertTrue(e.getMessage().startsWith("59 rows repeat a customer id"), e.getMessage());
    assertFalse(e.getMessage().contains("ZZ-ONE-PERSON-9"), e.getMessage());
  }

  // ------------------------------------------------------------------ issue 18: headers

  @Test
  void aHeaderlessExportSaysTheFirstLineLooksLikeDataWithoutItsCells() {
    String secretId = "ZZ-SECRET-ID-3141";
    String secretValue = "271828.5";
    List<String> messages = new ArrayList<>();
    messages.add(
        assertThrows(
                ExportException.class,
                () ->
                    features(
                        secretId + "," + secretValue + ",3,1\nC2,1,2,0\n" + goodFeatures(),
                        "x.csv"))
            .getMessage());
    messages.add(
        assertThrows(
                ExportException.class,
                () -> orders(secretId + ",o1,2026-01-05," + secretValue + "\n", "x.csv"))
            .getMessage());
    // Duplicate "names" in a header-less line: the values must not be printed either.
    messages.add(
        assertThrows(ExportException.class, () -> features(secretId + ",7,7,1\n", "x.csv"))
            .getMessage());
    for (String message : messages) {
      assertTrue(message.contains("the first line looks like data"), message);
      assertFalse(message.contains(secretId), message);
      assertFalse(message.contains(secretValue), message);
      assertFalse(message.contains("7,"), message);
    }
  }

  /**
   * A header-less export whose columns are runs of spaces (CDNOW's master file as its publisher
   * ships it: {@code " 00001 19970101 1 11.77"}): the line is one cell for any delimiter, and the
   * refusal printed it whole as the export's "columns" (a customer's id, date and amount).
   */
  @Test
  void aHeaderlessSpacePaddedExportIsRefusedWithoutPrintingItsFirstLine() {
    String first = " 00917 19970311  2   31.48";
    for (String text : List.of(first + "\r\n 00918 19970312  1   12.00\r\n", first + "\n")) {
      String features =
          assertThrows(ExportException.class, () -> features(text, "x.csv")).getMessage();
      String orders = assertThrows(ExportException.class, () -> orders(text, "x.csv")).getMessage();
      for (String message : List.of(features, orders)) {
        assertTrue(message.contains("the first line looks like data"), message);
        assertFalse(message.contains("00917"), message);
        assertFalse(message.contains("31.48"), message);
      }
    }
  }

  @Test
  void aSemicolonExportReadWithTheDefaultDelimiterNamesTheSetting() {
    ExportException e =
        assertThrows(
            ExportException.class,
            () -> features("customer_id;a;b;repurchased\nC1;1,5;2;1\n", "x.csv"));
    assertTrue(e.getMessage().contains("retention.export.delimiter"), e.getMessage());
  }

  @Test
  void aGzipOfAHundredTwentyThousandColumnsFailsClearlyNotOutOfMemory() throws IOException {
    StringBuilder header = new StringBuilder("customer_id");
    StringBuilder row = new StringBuilder("C1");
    for (int c = 0; c < 120_000; c++) {
      header.append(",f").append(c);
      row.append(",1");
    }
    String text = header + ",repurchased\n" + row + ",1\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    byte[] gzip = out.toByteArray();
    assertTrue(gzip.length < 300_000, gzip.length + " bytes");
    ExportException e =
        assertThrows(
            ExportException.class,
            () ->
                FeatureExportReader.read(
                    new ByteArrayInputStream(gzip),
                    ExportFormat.of("wide.csv.gz").orElseThrow(),
                    ExportSchema.defaults()));
    assertTrue(e.getMessage().contains("retention.export.max-columns"), e.getMessage());
  }

  // ------------------------------------------------------------------ issue 18: guest rows

  @Test
  void guestOrdersWithoutACustomerIdAreSkippedAndCountedNotBadRows() throws IOException {
    StringBuilder csv = new StringBuilder(goodOrders());
    for (int i = 0; i < 70; i++) { // a quarter of the rows, as in the UCI export
      csv.append(",g").append(i).append(",2026-03-01,12,1,paid\n");
    }
    OrderExportReader.Result r = orders(csv.toString(), "x.csv");
    assertEquals(0, r.rowsRejected());
    assertEquals(40, r.book().customers());
  }

  // ------------------------------------------------------------------ issue 24: label window

  @Test
  void aCutoffAfterTheLastOrderSaysSoNamingCutoffWindowAndDates() throws IOException {
    OrderExportReader.Result r = orders(goodOrders(), "x.csv");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RfmFeatures.forTraining(
                    r.book(), r.columns(), new RfmOptions(90, LocalDate.of(2026, 10, 1))));
    assertTrue(e.getMessage().contains("2026-10-01"), e.getMessage());
    assertTrue(e.getMessage().contains("90-day"), e.getMessage());
    assertTrue(e.getMessage().contains("2026-01-10"), e.getMessage());
    assertTrue(e.getMessage().contains("2026-09-18"), e.getMessage());
    IllegalArgumentException censored =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RfmFeatures.forTraining(
                    r.book(), r.columns(), new RfmOptions(90, LocalDate.of(2026, 8, 20))));
    assertTrue(censored.getMessage().contains("only 29 of its 90 days"), censored.getMessage());
    assertTrue(
        censored.getMessage().contains("retention.orders.allow-censored-window"),
        censored.getMessage());
  }
}
