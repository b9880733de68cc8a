package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dialect corpus: each dialect an export may be written in, declared by settings and read as it
 * is (never rewritten), one test each.
 */
class DialectsTest {

  private static final LocalDate WRITTEN = LocalDate.of(2026, 11, 28);

  private static OrderExportReader.Result orders(
      String text, String key, OrdersSchema schema, TextFormat layout) throws IOException {
    return OrderExportReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ExportFormat.of(key).orElseThrow().withText(layout),
        schema,
        WRITTEN);
  }

  private static OrderExportReader.Result orders(String text, OrdersSchema schema)
      throws IOException {
    return orders(text, "x.csv", schema, TextFormat.defaults());
  }

  private static ReadResult features(String text, String key, ExportSchema schema, TextFormat t)
      throws IOException {
    return FeatureExportReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ExportFormat.of(key).orElseThrow().withText(t),
        schema);
  }

  /** Features at a cutoff (these tests are about reading, not about the label window). */
  private static RfmFeatures.Derived derive(OrderExportReader.Result r, int window, String cutoff) {
    return RfmFeatures.forTraining(
        r.book(), r.columns(), new RfmOptions(window, LocalDate.parse(cutoff), true));
  }

  private static double feature(RfmFeatures.Derived derived, String id, String name) {
    int i = derived.customerIds().indexOf(id);
    assertTrue(i >= 0, id + " is not in the table " + derived.customerIds());
    int c = derived.features().columns().indexOf(name);
    assertTrue(c >= 0, name + " is not derived: " + derived.features().columns());
    return derived.features().get(i, c);
  }

  /** The UCI Online Retail dialect: line items, US dates, cancellations prefixed C. */
  static OrdersSchema onlineRetail() {
    return OrdersSchema.defaults()
        .withColumns(
            new OrdersSchema.Columns(
                "CustomerID",
                "InvoiceNo",
                "InvoiceDate",
                "amount",
                "Quantity",
                "UnitPrice",
                "Quantity",
                "status",
                "Country"))
        .withRefunds(new OrdersSchema.Refunds(Set.of(), "C"))
        .withGrain(OrderBook.Grain.LINE)
        .withDates(new OrdersSchema.Dates(List.of("M/d/yyyy H:mm"), null));
  }

  @Test
  void lineItemsQuantityTimesPriceUsDatesCancellationsAndGuestsAsShipped() throws IOException {
    String csv =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
            + "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom\n"
            + "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850,United Kingdom\n"
            + "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047,United Kingdom\n"
            + "C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom\n"
            + "536381,22719,GUMBALL MONOCHROME COAT RACK,36,12/1/2010 9:41,1.06,14527,United Kingdom\n"
            + "536414,22139,,56,12/1/2010 11:52,0,,United Kingdom\n"
            + "536370,22728,\"ALARM CLOCK BAKELIKE PINK\",24,12/1/2010 8:45,3.75,12583,France\n"
            + "C536391,22556,PLASTERS IN TIN CIRCUS PARADE ,-12,12/1/2010 10:24,1.65,17548,United Kingdom\n"
            + "536500,22556,PLASTERS,12,12/3/2010 10:24,1.65,17548,United Kingdom\n"
            + "536600,22556,PLASTERS,1,2/3/2011 10:24,1.65,17850,United Kingdom\n";
    OrderExportReader.Result r = orders(csv, onlineRetail());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(1, r.guestRows(), "the line without a CustomerID is a guest row");
    RfmFeatures.Derived d = derive(r, 45, "2010-12-20");
    // 17850: invoices 536365 (2 lines: 15.30 + 20.34) and 536366 (11.10).
    assertEquals(46.74, feature(d, "17850", "total_spend"), 1e-9);
    assertEquals(1, feature(d, "17850", "frequency"), "two orders on one day: one buying day");
    assertEquals(18, feature(d, "17850", "items"));
    assertEquals(1, d.labels()[d.customerIds().indexOf("17850")], "bought in Feb 2011");
    // 14527: a cancellation invoice C536379 (its own refund order) and a purchase.
    assertEquals(0.5, feature(d, "14527", "refund_share"));
    assertEquals(38.16, feature(d, "14527", "total_spend"), 1e-9);
    // 17548: the cancelled plasters came first (refund order), then a purchase.
    assertEquals(19.8, feature(d, "17548", "monetary"), 1e-9);
    assertEquals(2, d.counts().ordersRefunded());
  }

  @Test
  void dateFormatsAreTriedInOrderStrictlyAndAZoneMovesOffsetsToItsDay() throws IOException {
    OrdersSchema schema =
        OrdersSchema.defaults()
            .withDates(
                new OrdersSchema.Dates(
                    List.of("d.M.uuuu", "uuuu-MM-dd'T'HH:mmXXX"), ZoneId.of("Europe/Berlin")));
    String csv =
        "customer_id,order_id,order_date,amount\n"
            + "a,1,28.2.2026,10\n"
            + "a,2,2026-03-01T23:30+00:00,10\n" // 00:30 on 2 March in Berlin
            + "a,3,31.2.2026,10\n" // no such day: strict
            + "a,4,2026-03-05,10\n"; // neither format
    OrderExportReader.Result r =
        orders(csv, "x.csv", schema.withMaxRejectedShare(0.5), TextFormat.defaults());
    assertEquals(2, r.rowsRejected(), r.rejections().toString());
    assertEquals(
        List.of(
            "line 4, column 'order_date': not a date (d.M.uuuu or uuuu-MM-dd'T'HH:mmXXX)",
            "line 5, column 'order_date': not a date (d.M.uuuu or uuuu-MM-dd'T'HH:mmXXX)"),
        r.rejections().subList(0, 2));
    assertEquals(LocalDate.of(2026, 3, 2).toEpochDay(), r.book().maxDay());
    // ISO with a zone: an offset is that zone's day; a local time is taken as the zone's.
    OrdersSchema iso =
        OrdersSchema.defaults()
            .withDates(new OrdersSchema.Dates(List.of(), ZoneId.of("America/New_York")));
    OrderExportReader.Result ny =
        orders(
            "customer_id,order_id,order_date,amount\n"
                + "a,1,2026-03-02T03:00:00Z,10\n" // 22:00 on 1 March in New York
                + "a,2,2026-03-01 23:59,10\n",
            iso);
    assertEquals(LocalDate.of(2026, 3, 1).toEpochDay(), ny.book().maxDay());
    // Without a zone, each date's own day as written.
    OrderExportReader.Result asWritten =
        orders(
            "customer_id,order_id,order_date,amount\na,1,2026-03-02T03:00:00+09:00,10\n",
            OrdersSchema.defaults());
    assertEquals(LocalDate.of(2026, 3, 2).toEpochDay(), asWritten.book().maxDay());
  }

  @Test
  void aBadDatePatternNamesTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new OrdersSchema.Dates(List.of("yyyy-MM-dd{"), null));
    assertTrue(e.getMessage().startsWith("retention.orders.date-formats"), e.getMessage());
  }

  @Test
  void semicolonsAndDecimalCommasAsSpreadsheetsWriteThem() throws IOException {
    TextFormat european = new TextFormat(';', ',');
    String csv =
        "customer_id;order_id;order_date;amount\n"
            + "a;1;2026-01-05;12,50\n"
            + "a;2;2026-02-05;\"1,5e2\"\n"
            + "b;3;2026-02-07;7\n";
    OrderExportReader.Result r = orders(csv, "x.csv", OrdersSchema.defaults(), european);
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    RfmFeatures.Derived d = derive(r, 10, "2026-02-06");
    assertEquals(162.5, feature(d, "a", "total_spend"), 1e-12);
    // A decimal point under a comma dialect is named, with the setting that reads it.
    String features = "customer_id;a;repurchased\n";
    StringBuilder rows = new StringBuilder(features);
    for (int i = 0; i < 200; i++) {
      rows.append("C").append(i).append(";").append(i).append(",25;").append(i % 2).append('\n');
    }
    rows.append("X;3.5;1\n");
    ReadResult read = features(rows.toString(), "x.csv", ExportSchema.defaults(), european);
    assertEquals(200, read.features().rows());
    assertEquals(0.25, read.features().get(0, 0));
    assertEquals(
        List.of(
            "line 202, column 'a': not a number (a decimal '.'? set"
                + " retention.export.decimal-separator=.)"),
        read.rejections());
    // Refused by default, naming the setting.
    ExportException e =
        assertThrows(
            ExportException.class,
            () -> orders(csv, "x.csv", OrdersSchema.defaults(), TextFormat.defaults()));
    assertTrue(e.getMessage().contains("retention.export.delimiter=;"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TextFormat(',', ','));
    assertEquals('\t', TextFormat.of("tab", ".", false).delimiter());
  }

  @Test
  void tabSeparatedExports() throws IOException {
    OrderExportReader.Result r =
        orders(
            "customer_id\torder_id\torder_date\tamount\na\t1\t2026-01-05\t3\n",
            "x.csv",
            OrdersSchema.defaults(),
            new TextFormat('\t', '.'));
    assertEquals(1, r.book().customers());
    assertEquals(0, r.rowsRejected());
  }

  @Test
  void aPurchaseLogWithoutMoneyOrOrderIdsLeavesTheMoneyFeaturesOut() throws IOException {
    // As grocery loyalty systems export it: one row per item bought, dd-MM-yyyy.
    OrdersSchema log =
        OrdersSchema.defaults()
            .withColumns(
                new OrdersSchema.Columns(
                    "Member_number",
                    "order_id",
                    "Date",
                    "amount",
                    null,
                    null,
                    "items",
                    "status",
                    "channel"))
            .withMoney(false)
            .withOrderKey(OrdersSchema.OrderKey.CUSTOMER_DAY)
            .withDates(new OrdersSchema.Dates(List.of("dd-MM-yyyy"), null));
    assertEquals(OrderBook.Grain.LINE, log.grain(), "a customer's day: its rows are lines");
    String csv =
        "Member_number,Date,itemDescription\n"
            + "1808,21-07-2015,tropical fruit\n"
            + "1808,21-07-2015,whole milk\n"
            + "1808,05-09-2015,pip fruit\n"
            + "2552,05-01-2015,whole milk\n"
            + "2552,10-09-2015,yogurt\n";
    OrderExportReader.Result r = orders(csv, log);
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertFalse(r.columns().money());
    RfmFeatures.Derived d = derive(r, 30, "2015-08-31");
    assertFalse(d.features().columns().contains("monetary"));
    assertFalse(d.features().columns().contains("total_spend"));
    assertEquals(1, feature(d, "1808", "frequency"));
    assertEquals(1, d.labels()[d.customerIds().indexOf("1808")], "bought again on 5 Sep");
    assertEquals(0, d.counts().orderLinesWithAnotherDate());
    assertEquals(1, d.counts().orderLinesMerged(), "two items of one day: one order");
  }

  @Test
  void trimmedIdsAreMergedOnlyBySettingAndCounted() throws IOException {
    String csv =
        "customer_id,order_id,order_date,amount\n"
            + "\" P-77\",o1,2026-01-05,10\n"
            + "P-77,o2,2026-02-05,20\n"
            + "\"P-77 \",o3,2026-03-05,30\n"
            + "\"Q-1 \",o4,2026-03-05,30\n";
    OrderExportReader.Result exact = orders(csv, OrdersSchema.defaults());
    assertEquals(4, exact.book().customers());
    assertEquals(0, exact.customerIdsMerged());
    OrderExportReader.Result trimmed =
        orders(
            csv,
            OrdersSchema.defaults()
                .withIds(new IdRules(IdRules.GuestRows.SKIP, IdRules.Normalisation.TRIM)));
    assertEquals(2, trimmed.book().customers());
    assertEquals(2, trimmed.customerIdsMerged(), "three spellings of P-77: two merged");
  }

  @Test
  void featureExportsRepeatedIdsMeanedBySettingAndGuestRowsSkippedBySetting() throws IOException {
    String csv =
        "customer_id,a,b,repurchased\n"
            + "C1,1,10,0\n"
            + "C2,5,5,1\n"
            + "C1,3,20,1\n"
            + ",9,9,1\n"
            + "C1,5,30,0\n";
    ExportSchema mean =
        ExportSchema.defaults()
            .withDuplicateIds(ExportSchema.DuplicateIds.MEAN)
            .withIds(new IdRules(IdRules.GuestRows.SKIP, IdRules.Normalisation.EXACT));
    ReadResult r = features(csv, "x.csv", mean, TextFormat.defaults());
    assertEquals(List.of("C1", "C2"), r.customerIds());
    assertArrayEquals(new double[] {3, 20, 5, 5}, r.features().data());
    assertArrayEquals(new int[] {1, 1}, r.labels());
    assertEquals(2, r.rowsAggregated());
    assertEquals(1, r.guestRows());
    assertEquals(0, r.rowsRejected());
    // By default the row without an id is a bad row, and the repeats refuse the export.
    ExportException e =
        assertThrows(
            ExportException.class,
            () ->
                features(
                    csv,
                    "x.csv",
                    new ExportSchema("customer_id", "repurchased", List.of(), List.of(), 0.5),
                    TextFormat.defaults()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "2 rows repeat a customer id of an earlier row (line 4 repeats the id of line 2,"
                    + " line 6 repeats the id of line 2)"),
        e.getMessage());
  }

  @Test
  void caseCollisionsAreReadWhenTheSettingSaysTheyAreMeant() throws IOException {
    ReadResult r =
        features(
            "customer_id,monetary,Monetary,repurchased\nC1,1,2,1\n",
            "x.csv",
            ExportSchema.defaults(),
            new TextFormat(',', '.', true));
    assertEquals(List.of("monetary", "Monetary"), r.features().columns());
  }

  @Test
  void aJsonLinesFeatureKeyFirstSeenLateFailsNamingItsLineAndTheSettings() throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      jsonl.append("{\"customer_id\":\"C").append(i).append("\",\"a\":").append(i % 7);
      if (i == 120) {
        jsonl.append(",\"sessions_30d\":4");
      }
      jsonl.append(",\"repurchased\":").append(i % 2).append("}\n");
    }
    ExportException e =
        assertThrows(
            ExportException.class,
            () ->
                features(
                    jsonl.toString(), "x.jsonl", ExportSchema.defaults(), TextFormat.defaults()));
    assertTrue(
        e.getMessage().startsWith("line 121: key 'sessions_30d' first appears"), e.getMessage());
    assertTrue(e.getMessage().contains("retention.export.include-columns"), e.getMessage());
    // Excluded, or features named: the key is listed as ignored, never silently.
    ReadResult excluded =
        features(
            jsonl.toString(),
            "x.jsonl",
            new ExportSchema(
                "customer_id", "repurchased", List.of(), List.of("sessions_30d"), 0.01),
            TextFormat.defaults());
    assertEquals(List.of("sessions_30d (excluded)"), excluded.ignoredColumns());
    ReadResult named =
        features(
            jsonl.toString(),
            "x.jsonl",
            new ExportSchema("customer_id", "repurchased", List.of("a"), List.of(), 0.01),
            TextFormat.defaults());
    assertEquals(
        List.of("sessions_30d (not included; first seen at line 121)"), named.ignoredColumns());
  }

  @Test
  void aRecordedDialectReadsBackAsTheSameRules() {
    OrdersSchema schema =
        onlineRetail()
            .withDates(
                new OrdersSchema.Dates(
                    List.of("M/d/yyyy H:mm", "M/d/yyyy"), ZoneId.of("Europe/London")))
            .withIds(new IdRules(IdRules.GuestRows.REJECT, IdRules.Normalisation.TRIM))
            .withOrderCells(OrdersSchema.OrderCells.ONE_ROW);
    OrdersDialect dialect = new OrdersDialect(schema, new TextFormat(';', ',', true));
    Map<String, String> recorded = dialect.describe();
    assertEquals("Quantity", recorded.get("quantityColumn"));
    assertNull(recorded.get("amountColumn"), "the amount column is not read");
    assertEquals("M/d/yyyy H:mm|M/d/yyyy", recorded.get("dateFormats"));
    OrdersDialect back = OrdersDialect.of(recorded, schema.maxRejectedShare());
    assertEquals(dialect.text(), back.text());
    assertEquals(schema.columns(), back.schema().columns());
    assertEquals(schema.refunds(), back.schema().refunds());
    assertEquals(schema.dates(), back.schema().dates());
    assertEquals(schema.ids(), back.schema().ids());
    assertEquals(schema.grain(), back.schema().grain());
    assertEquals(schema.orderKey(), back.schema().orderKey());
    assertEquals(OrdersSchema.OrderCells.ONE_ROW, back.schema().orderCells());
    assertEquals(recorded, back.describe());
    // A model recorded before order-cells existed reads every row's cells as that row's.
    Map<String, String> older = new java.util.HashMap<>(recorded);
    older.remove("orderCells");
    assertEquals(
        OrdersSchema.OrderCells.EVERY_ROW,
        OrdersDialect.of(older, schema.maxRejectedShare()).schema().orderCells());
  }

  @Test
  void aCensoredLabelWindowTrainsOnlyBySettingAndSaysSo() throws IOException {
    String csv =
        "customer_id,order_id,order_date,amount\n"
            + "a,1,2026-01-05,10\n"
            + "a,2,2026-03-05,10\n"
            + "b,3,2026-02-05,10\n";
    OrderExportReader.Result r = orders(csv, OrdersSchema.defaults());
    RfmFeatures.Derived d =
        RfmFeatures.forTraining(
            r.book(), r.columns(), new RfmOptions(90, LocalDate.of(2026, 2, 10), true));
    assertEquals(1, d.warnings().size());
    assertTrue(
        d.warnings().get(0).contains("only 23 of its 90 days are observed"),
        d.warnings().toString());
    RfmFeatures.Derived observed =
        RfmFeatures.forTraining(
            r.book(), r.columns(), new RfmOptions(20, LocalDate.of(2026, 2, 10)));
    assertEquals(List.of(), observed.warnings());
  }

  /** The README's spreadsheet example, read with exactly its settings. */
  @Test
  void aEuropeanSpreadsheetExportWithTheReadmeSettings() throws IOException {
    String csv =
        "Kunde;Bestellung;Datum;Betrag\n"
            + "K-1;A-7;31.01.2026;12,50\n"
            + "K-1;A-9;14.02.2026;\"1.234,5\"\n"
            + "K-2;A-8;02.02.2026;-3,5\n";
    var settings =
        dev.retention.testing.RealExports.trainSettings(
            Map.of(
                "retention.orders.customer-id-column", "Kunde",
                "retention.orders.order-id-column", "Bestellung",
                "retention.orders.order-date-column", "Datum",
                "retention.orders.amount-column", "Betrag",
                "retention.orders.date-formats", "dd.MM.yyyy",
                "retention.export.delimiter", ";",
                "retention.export.decimal-separator", ",",
                "retention.export.max-rejected-share", "0.5"));
    OrderExportReader.Result r = orders(csv, "x.csv", settings.ordersSchema(), settings.text());
    assertEquals(1, r.rowsRejected(), "a thousands separator is not a number");
    assertEquals(List.of("line 3, column 'Betrag': not a number"), r.rejections());
    assertEquals(LocalDate.of(2026, 2, 2).toEpochDay(), r.book().maxDay());
    ExportException e =
        assertThrows(
            ExportException.class,
            () -> orders(csv, "x.csv", OrdersSchema.defaults(), TextFormat.defaults()));
    assertEquals(
        "the header is one column that holds ';': the export looks ';'-separated; set"
            + " retention.export.delimiter=; (and retention.export.decimal-separator=, for decimal"
            + " commas)",
        e.getMessage());
  }
}
