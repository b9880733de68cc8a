package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.features.RfmFeatures;
import dev.retention.service.train.TrainSettings;
import dev.retention.testing.EuropeanLocaleExports;
import dev.retention.testing.PlainDerivation;
import dev.retention.testing.RealExports;
import dev.retention.testing.ShopifyExports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real public exports (and generated ones in the shapes of Shopify's orders export and of a
 * European-locale spreadsheet's order lines) read as they ship, with the settings the README
 * documents: every row read (guests counted, nothing rejected), the derived features equal to
 * {@link PlainDerivation}'s for every customer, and the same features for every customer in other
 * row orders.
 */
class RealExportsTest {

  private static final LocalDate WRITTEN = LocalDate.of(2026, 12, 1);

  private static OrderExportReader.Result read(byte[] bytes, String key, TrainSettings settings)
      throws IOException {
    return OrderExportReader.read(
        new ByteArrayInputStream(bytes),
        ExportFormat.of(key).orElseThrow().withText(settings.text()),
        settings.ordersSchema(),
        WRITTEN);
  }

  private static Map<String, double[]> byCustomer(RfmFeatures.Derived derived) {
    Map<String, double[]> out = new HashMap<>();
    int d = derived.features().cols();
    for (int i = 0; i < derived.features().rows(); i++) {
      double[] row = new double[d + 1];
      System.arraycopy(derived.features().data(), i * d, row, 0, d);
      row[d] = derived.labels()[i];
      out.put(derived.customerIds().get(i), row);
    }
    return out;
  }

  /** The product's features equal the plain derivation's, customer by customer. */
  private static void assertSameAsPlain(
      RfmFeatures.Derived derived, Map<String, PlainDerivation.Customer> plain) {
    assertEquals(plain.keySet(), Map.copyOf(byCustomer(derived)).keySet(), "the same customers");
    List<String> columns = derived.features().columns();
    for (int i = 0; i < derived.features().rows(); i++) {
      String id = derived.customerIds().get(i);
      PlainDerivation.Customer expected = plain.get(id);
      assertEquals(List.copyOf(expected.features().keySet()), columns, "the same features");
      for (int c = 0; c < columns.size(); c++) {
        double want = expected.features().get(columns.get(c));
        double got = derived.features().get(i, c);
        assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), id + " " + columns.get(c));
      }
      assertEquals(expected.label(), derived.labels()[i], id + " label");
    }
  }

  private static void assertSameInAnyRowOrder(
      String text, String key, TrainSettings settings, RfmFeatures.Derived original)
      throws IOException {
    Map<String, double[]> expected = byCustomer(original);
    for (long seed : new long[] {1, 2, 3}) {
      String shuffled = RealExports.shuffled(text, seed);
      OrderExportReader.Result r = read(shuffled.getBytes(StandardCharsets.UTF_8), key, settings);
      RfmFeatures.Derived derived = RfmFeatures.forTraining(r.book(), r.columns(), settings.rfm());
      Map<String, double[]> actual = byCustomer(derived);
      assertEquals(expected.keySet(), actual.keySet());
      for (String id : expected.keySet()) {
        assertArrayEquals(expected.get(id), actual.get(id), id + " in row order " + seed);
      }
      assertEquals(original.counts(), derived.counts());
    }
  }

  @Test
  void onlineRetailLineItemsAsShipped() throws IOException {
    TrainSettings settings = RealExports.trainSettings(RealExports.ONLINE_RETAIL_SETTINGS);
    byte[] gz = RealExports.bytes(RealExports.ONLINE_RETAIL);
    OrderExportReader.Result r = read(gz, "online_retail.csv.gz", settings);
    assertEquals(206_745, r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(53_218, r.guestRows());
    assertEquals(1_622, r.book().customers());
    RfmFeatures.Derived derived = RfmFeatures.forTraining(r.book(), r.columns(), settings.rfm());
    assertEquals(LocalDate.of(2011, 9, 10), derived.cutoff(), "the last day minus 90");
    String text = RealExports.text(RealExports.ONLINE_RETAIL);
    Map<String, PlainDerivation.Customer> plain =
        PlainDerivation.derive(
            RealExports.onlineRetailRows(text),
            derived.cutoff().toEpochDay(),
            90,
            true,
            true,
            true,
            true);
    assertSameAsPlain(derived, plain);
    assertTrue(derived.counts().ordersRefunded() > 500, derived.counts().toString());
    assertSameInAnyRowOrder(text, "online_retail.csv", settings, derived);
  }

  @Test
  void onlineRetailsCsvFormWithUsDatesAndCrlf() throws IOException {
    Map<String, String> settings = new HashMap<>(RealExports.ONLINE_RETAIL_SETTINGS);
    settings.put("retention.orders.date-formats", "M/d/yyyy H:mm");
    TrainSettings trainSettings = RealExports.trainSettings(settings);
    OrderExportReader.Result r =
        read(RealExports.bytes(RealExports.ONLINE_RETAIL_HEAD), "head.csv", trainSettings);
    assertEquals(1_071, r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(50, r.book().customers());
    // With the ISO default the same file is refused, naming the date column and its format.
    ExportException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExportException.class,
            () ->
                read(
                    RealExports.bytes(RealExports.ONLINE_RETAIL_HEAD),
                    "head.csv",
                    RealExports.trainSettings(RealExports.ONLINE_RETAIL_SETTINGS)));
    assertTrue(
        e.getMessage().contains("column 'InvoiceDate': not a date (yyyy-MM-dd)"), e.getMessage());
    assertFalse(e.getMessage().contains("12/1/2010"), e.getMessage());
  }

  @Test
  void cdnowsOrderLogWithoutOrderIds() throws IOException {
    TrainSettings settings = RealExports.trainSettings(RealExports.CDNOW_SETTINGS);
    OrderExportReader.Result r =
        read(RealExports.bytes(RealExports.CDNOW), "cdnowElog.csv", settings);
    assertEquals(6_919, r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(2_357, r.book().customers());
    RfmFeatures.Derived derived = RfmFeatures.forTraining(r.book(), r.columns(), settings.rfm());
    String text = RealExports.text(RealExports.CDNOW);
    Map<String, PlainDerivation.Customer> plain =
        PlainDerivation.derive(
            RealExports.cdnowRows(text),
            derived.cutoff().toEpochDay(),
            90,
            true,
            true,
            false,
            true);
    assertSameAsPlain(derived, plain);
    assertEquals(223, derived.counts().orderLinesMerged(), "purchases of one day: one order");
    assertSameInAnyRowOrder(text, "cdnowElog.csv", settings, derived);
  }

  @Test
  void groceriesPurchaseLogWithoutMoney() throws IOException {
    TrainSettings settings = RealExports.trainSettings(RealExports.GROCERIES_SETTINGS);
    OrderExportReader.Result r =
        read(RealExports.bytes(RealExports.GROCERIES), "groceries.csv.gz", settings);
    assertEquals(38_765, r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(3_898, r.book().customers());
    assertFalse(r.columns().money());
    RfmFeatures.Derived derived = RfmFeatures.forTraining(r.book(), r.columns(), settings.rfm());
    assertFalse(derived.features().columns().contains("monetary"));
    assertFalse(derived.features().columns().contains("total_spend"));
    String text = RealExports.text(RealExports.GROCERIES);
    Map<String, PlainDerivation.Customer> plain =
        PlainDerivation.derive(
            RealExports.groceriesRows(text),
            derived.cutoff().toEpochDay(),
            90,
            true,
            false,
            false,
            false);
    assertSameAsPlain(derived, plain);
    assertSameInAnyRowOrder(text, "groceries.csv", settings, derived);
  }

  /** Shopify's order-grain and line-grain settings (the README's). */
  private static Map<String, String> shopifyLineGrain() {
    Map<String, String> s = new HashMap<>(RealExports.SHOPIFY_SETTINGS);
    s.remove("retention.orders.amount-column");
    s.put("retention.orders.quantity-column", "Lineitem quantity");
    s.put("retention.orders.unit-price-column", "Lineitem price");
    s.put("retention.orders.grain", "LINE");
    return s;
  }

  @Test
  void shopifysOrdersExportWithOrderCellsOnTheFirstLineOfEachOrder() throws IOException {
    String text = ShopifyExports.orders();
    byte[] shipped = text.getBytes(StandardCharsets.UTF_8);
    // The export's lines counted the plain way: guests' lines, customers' further lines.
    long lines = 0;
    long guests = 0;
    long further = 0;
    for (String line : text.substring(text.indexOf('\n') + 1).split("\n")) {
      List<String> f = PlainDerivation.fields(line, ',');
      assertEquals(79, f.size(), line);
      lines++;
      if (f.get(1).isEmpty()) {
        guests++;
      } else if (f.get(11).isEmpty()) {
        further++;
      }
    }
    assertTrue(guests > 0 && further > 100, guests + " " + further);
    for (String status : List.of("paid", "pending", "refunded", "partially_refunded", "voided")) {
      assertTrue(text.contains("," + status + ","), status);
    }

    // Order grain: an order is its first line's Total; its further lines add nothing.
    TrainSettings settings = RealExports.trainSettings(RealExports.SHOPIFY_SETTINGS);
    OrderExportReader.Result r = read(shipped, "orders_export.csv", settings);
    assertEquals(lines, r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(guests, r.guestRows(), "orders without an e-mail");
    assertEquals(further, r.furtherLines(), "the customers' orders' further lines");
    RfmFeatures.Derived derived = RfmFeatures.forTraining(r.book(), r.columns(), settings.rfm());
    assertTrue(derived.customerIds().size() >= 200, "customers: " + derived.customerIds().size());
    assertSameAsPlain(
        derived,
        PlainDerivation.derive(
            RealExports.shopifyRows(text, false),
            derived.cutoff().toEpochDay(),
            90,
            false,
            true,
            true,
            false));
    assertSameInAnyRowOrder(text, "orders_export.csv", settings, derived);

    // Line grain: each line is quantity x price, a refund status still refunds the whole order.
    TrainSettings lineGrain = RealExports.trainSettings(shopifyLineGrain());
    OrderExportReader.Result lineRead = read(shipped, "orders_export.csv", lineGrain);
    assertEquals(0, lineRead.rowsRejected(), lineRead.rejections().toString());
    assertEquals(0, lineRead.furtherLines(), "every line is read as a line");
    RfmFeatures.Derived byLine =
        RfmFeatures.forTraining(lineRead.book(), lineRead.columns(), lineGrain.rfm());
    assertSameAsPlain(
        byLine,
        PlainDerivation.derive(
            RealExports.shopifyRows(text, true),
            byLine.cutoff().toEpochDay(),
            90,
            true,
            true,
            true,
            false));
    assertSameInAnyRowOrder(text, "orders_export.csv", lineGrain, byLine);

    // Read with the default, every further line of an order is a bad row; the message names the
    // setting and never a cell.
    Map<String, String> everyRow = new HashMap<>(RealExports.SHOPIFY_SETTINGS);
    everyRow.remove("retention.orders.order-cells");
    ExportException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExportException.class,
            () -> read(shipped, "orders_export.csv", RealExports.trainSettings(everyRow)));
    assertTrue(e.getMessage().contains("column 'Total': missing value"), e.getMessage());
    assertTrue(e.getMessage().contains("retention.orders.order-cells=ONE_ROW"), e.getMessage());
    assertFalse(e.getMessage().contains("@"), e.getMessage());
    // Its dates carry a space before the offset: the ISO default refuses them, naming the column.
    Map<String, String> iso = new HashMap<>(RealExports.SHOPIFY_SETTINGS);
    iso.remove("retention.orders.date-formats");
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExportException.class,
            () -> read(shipped, "orders_export.csv", RealExports.trainSettings(iso)));
    assertTrue(
        e.getMessage().contains("column 'Created at': not a date (yyyy-MM-dd)"), e.getMessage());
    assertFalse(e.getMessage().contains("-0400"), e.getMessage());
  }

  @Test
  void superstoresSemicolonsDecimalCommasAndDayFirstDates() throws IOException {
    String text = EuropeanLocaleExports.superstore();
    assertTrue(text.startsWith("\uFEFFRow ID;Order ID;Order Date;"), "a byte-order mark");
    assertTrue(text.endsWith("\r\n") && !text.replace("\r\n", "").contains("\n"), "CRLF");
    TrainSettings settings = RealExports.trainSettings(RealExports.SUPERSTORE_SETTINGS);
    OrderExportReader.Result r = read(RealExports.gzip(text), "superstore.csv.gz", settings);
    List<PlainDerivation.Row> rows = RealExports.superstoreRows(text);
    assertEquals(rows.size(), r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(
        rows.stream().map(PlainDerivation.Row::customer).distinct().count(), r.book().customers());
    RfmFeatures.Derived derived = RfmFeatures.forTraining(r.book(), r.columns(), settings.rfm());
    long lastDay = rows.stream().mapToLong(PlainDerivation.Row::day).max().orElseThrow();
    assertEquals(LocalDate.ofEpochDay(lastDay - 90), derived.cutoff(), "the last day minus 90");
    Map<String, PlainDerivation.Customer> plain =
        PlainDerivation.derive(rows, derived.cutoff().toEpochDay(), 90, true, true, false, true);
    assertSameAsPlain(derived, plain);
    assertSameInAnyRowOrder(text, "superstore.csv", settings, derived);
  }

  @Test
  void theGeneratedExportsAreTheSameForASeedAndSpanMoreThanTheLabelWindow() {
    LocalDate first = LocalDate.of(2024, 1, 1);
    LocalDate last = LocalDate.of(2025, 1, 1);
    assertEquals(
        ShopifyExports.orders(7, 50, first, last), ShopifyExports.orders(7, 50, first, last));
    assertFalse(
        ShopifyExports.orders(7, 50, first, last)
            .equals(ShopifyExports.orders(8, 50, first, last)));
    assertEquals(
        EuropeanLocaleExports.superstore(7, 50, first, last),
        EuropeanLocaleExports.superstore(7, 50, first, last));
    assertFalse(
        EuropeanLocaleExports.superstore(7, 50, first, last)
            .equals(EuropeanLocaleExports.superstore(8, 50, first, last)));
    // The exports the tests train on: a few hundred customers, histories longer than 90 days.
    List<PlainDerivation.Row> rows = RealExports.superstoreRows(EuropeanLocaleExports.superstore());
    long firstDay = rows.stream().mapToLong(PlainDerivation.Row::day).min().orElseThrow();
    long lastDay = rows.stream().mapToLong(PlainDerivation.Row::day).max().orElseThrow();
    assertTrue(lastDay - firstDay > 3 * 365, "days: " + (lastDay - firstDay));
    assertTrue(rows.stream().map(PlainDerivation.Row::customer).distinct().count() >= 500);
  }
}
