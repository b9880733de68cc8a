package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.service.train.TrainSettings;
import dev.retention.testing.RealExports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exports that write an order's order-level cells (its total, its financial status) on one of its
 * rows only, the others being its further line items with those cells empty: Shopify's orders
 * export, and many shop platforms' "one row per line item" CSV. Read with {@code
 * retention.orders.order-cells=ONE_ROW}; before the setting existed such an export was refused at
 * order grain (every further line a "missing value") and, at line grain, an order refunded as a
 * whole counted as a purchase of its other lines.
 */
class OrderLevelCellsTest {

  private static final LocalDate WRITTEN = LocalDate.of(2026, 12, 1);

  /**
   * Shopify's columns (a few of them), its dates with a space before the offset; order #1001 has
   * two lines, #1003 was refunded as a whole (its status on its first line only, as Shopify writes
   * it), #1005 is a guest's.
   */
  private static final String SHOPIFY =
      "Name,Email,Financial Status,Total,Created at,Lineitem quantity,Lineitem price\n"
          + "#1001,a@example.com,paid,30.00,2026-01-05 10:00:00 -0400,1,10.00\n"
          + "#1001,a@example.com,,,2026-01-05 10:00:00 -0400,1,20.00\n"
          + "#1002,a@example.com,paid,15.00,2026-02-05 23:30:00 -0400,1,15.00\n"
          + "#1003,b@example.com,refunded,25.00,2026-01-10 09:00:00 -0400,1,5.00\n"
          + "#1003,b@example.com,,,2026-01-10 09:00:00 -0400,1,20.00\n"
          + "#1004,b@example.com,paid,50.00,2026-02-10 09:00:00 -0400,2,25.00\n"
          + "#1005,,paid,12.00,2026-02-11 09:00:00 -0400,1,12.00\n"
          + "#1006,a@example.com,paid,40.00,2026-04-01 09:00:00 -0400,1,40.00\n"
          + "#1007,c@example.com,paid,9.00,2026-06-15 09:00:00 -0400,1,9.00\n";

  private static Map<String, String> orderGrain() {
    Map<String, String> s = new HashMap<>();
    s.put("retention.orders.customer-id-column", "Email");
    s.put("retention.orders.order-id-column", "Name");
    s.put("retention.orders.order-date-column", "Created at");
    s.put("retention.orders.amount-column", "Total");
    s.put("retention.orders.status-column", "Financial Status");
    s.put("retention.orders.date-formats", "yyyy-MM-dd HH:mm:ss xx");
    s.put("retention.orders.order-cells", "ONE_ROW");
    return s;
  }

  private static Map<String, String> lineGrain() {
    Map<String, String> s = orderGrain();
    s.remove("retention.orders.amount-column");
    s.put("retention.orders.quantity-column", "Lineitem quantity");
    s.put("retention.orders.unit-price-column", "Lineitem price");
    s.put("retention.orders.grain", "LINE");
    return s;
  }

  private static OrderExportReader.Result read(String text, Map<String, String> settings)
      throws IOException {
    TrainSettings ts = RealExports.trainSettings(settings);
    return OrderExportReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ExportFormat.of("orders_export.csv").orElseThrow().withText(ts.text()),
        ts.ordersSchema(),
        WRITTEN);
  }

  private static RfmFeatures.Derived derive(OrderExportReader.Result r) {
    return RfmFeatures.forTraining(
        r.book(), r.columns(), new RfmOptions(90, LocalDate.of(2026, 3, 1)));
  }

  private static double feature(RfmFeatures.Derived derived, String id, String name) {
    int i = derived.customerIds().indexOf(id);
    assertTrue(i >= 0, id + " is not in the table");
    return derived.features().get(i, derived.features().columns().indexOf(name));
  }

  private static double[] row(RfmFeatures.Derived derived, String id) {
    int i = derived.customerIds().indexOf(id);
    int d = derived.features().cols();
    double[] out = new double[d];
    System.arraycopy(derived.features().data(), i * d, out, 0, d);
    return out;
  }

  private static void assertShopifyFeatures(RfmFeatures.Derived derived) {
    // a: #1001 (30, the order's total, not its first line) and #1002; #1006 is the label's.
    assertEquals(45, feature(derived, "a@example.com", "total_spend"), 1e-12);
    assertEquals(2, feature(derived, "a@example.com", "frequency"));
    assertEquals(0, feature(derived, "a@example.com", "refund_share"));
    assertEquals(1, derived.labels()[derived.customerIds().indexOf("a@example.com")]);
    // b: #1003 refunded as a whole (a refund order), #1004 bought.
    assertEquals(50, feature(derived, "b@example.com", "total_spend"), 1e-12);
    assertEquals(0.5, feature(derived, "b@example.com", "refund_share"));
    assertEquals(1, feature(derived, "b@example.com", "frequency"));
  }

  @Test
  void withoutTheSettingTheFurtherLinesAreMissingTotalsNamedByLineAndColumn() {
    Map<String, String> settings = orderGrain();
    settings.remove("retention.orders.order-cells");
    ExportException e = assertThrows(ExportException.class, () -> read(SHOPIFY, settings));
    assertTrue(e.getMessage().contains("line 3, column 'Total': missing value"), e.getMessage());
    assertTrue(e.getMessage().contains("retention.orders.order-cells"), e.getMessage());
    assertFalse(e.getMessage().contains("example.com"), e.getMessage());
  }

  @Test
  void orderGrainReadsTheOrdersTotalAndSkipsItsFurtherLinesWhateverTheRowOrder()
      throws IOException {
    OrderExportReader.Result r = read(SHOPIFY, orderGrain());
    assertEquals(9, r.rowsRead());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(1, r.guestRows());
    assertEquals(2, r.furtherLines(), "#1001's and #1003's second lines");
    RfmFeatures.Derived derived = derive(r);
    // The model counts them (only when there are some: other exports' counts are unchanged).
    var counts =
        dev.retention.training.OrdersDerivation.describe(
                derived,
                dev.retention.features.OrderBook.Grain.ORDER,
                new dev.retention.training.OrdersDerivation.Reading(
                    null, r.guestRows(), r.customerIdsMerged(), r.furtherLines()))
            .counts();
    assertEquals(2L, counts.get("orderLinesWithoutOrderCells"));
    assertShopifyFeatures(derived);
    for (long seed = 1; seed <= 5; seed++) {
      RfmFeatures.Derived shuffled =
          derive(read(RealExports.shuffled(SHOPIFY, seed), orderGrain()));
      for (String id : derived.customerIds()) {
        assertArrayEquals(row(derived, id), row(shuffled, id), id + " in row order " + seed);
      }
    }
  }

  @Test
  void lineGrainRefundsTheWholeOrderWhenItsStatusSaysSo() throws IOException {
    OrderExportReader.Result r = read(SHOPIFY, lineGrain());
    assertEquals(0, r.rowsRejected(), r.rejections().toString());
    assertEquals(0, r.furtherLines(), "every line is read as a line");
    RfmFeatures.Derived derived = derive(r);
    assertShopifyFeatures(derived);
    for (long seed = 1; seed <= 5; seed++) {
      RfmFeatures.Derived shuffled = derive(read(RealExports.shuffled(SHOPIFY, seed), lineGrain()));
      for (String id : derived.customerIds()) {
        assertArrayEquals(row(derived, id), row(shuffled, id), id + " in row order " + seed);
      }
    }
  }

  @Test
  void lineGrainWithoutTheSettingNetsTheStatusRowAsARefundOfItsOwnLineOnly() throws IOException {
    Map<String, String> settings = lineGrain();
    settings.remove("retention.orders.order-cells");
    RfmFeatures.Derived derived = derive(read(SHOPIFY, settings));
    // The documented line-level reading: #1003's first line (5) is its refund, the rest bought.
    assertEquals(65, feature(derived, "b@example.com", "total_spend"), 1e-12);
  }

  @Test
  void oneRowNeedsOrderIds() {
    Map<String, String> settings = orderGrain();
    settings.put("retention.orders.order-key", "CUSTOMER_DAY");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RealExports.trainSettings(settings));
    assertTrue(e.getMessage().contains("retention.orders.order-cells"), e.getMessage());
  }
}
