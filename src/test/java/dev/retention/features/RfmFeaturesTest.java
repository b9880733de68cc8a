package dev.retention.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Feature derivation against a hand-computed fixture ({@code orders/fixture.csv}). */
class RfmFeaturesTest {

  private static final ExportFormat CSV = ExportFormat.of("x.csv").orElseThrow();
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 28);

  private static OrdersSchema schema(OrderBook.Grain grain, double maxRejected) {
    OrdersSchema d = OrdersSchema.defaults();
    return new OrdersSchema(
        d.customerIdColumn(),
        d.orderIdColumn(),
        d.orderDateColumn(),
        d.amountColumn(),
        d.itemsColumn(),
        d.statusColumn(),
        d.channelColumn(),
        d.refundStatuses(),
        grain,
        maxRejected);
  }

  private static OrderExportReader.Result fixture() throws IOException {
    try (InputStream in = RfmFeaturesTest.class.getResourceAsStream("/orders/fixture.csv")) {
      return OrderExportReader.read(in, CSV, schema(OrderBook.Grain.ORDER, 0.5), AS_OF);
    }
  }

  private static OrderExportReader.Result read(String csv, OrdersSchema schema) throws IOException {
    return OrderExportReader.read(
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), CSV, schema, null);
  }

  private static double[] row(RfmFeatures.Derived derived, String id) {
    int i = derived.customerIds().indexOf(id);
    int d = derived.features().cols();
    double[] out = new double[d];
    System.arraycopy(derived.features().data(), i * d, out, 0, d);
    return out;
  }

  @Test
  void matchesTheHandComputedFixture() throws IOException {
    OrderExportReader.Result read = fixture();
    assertEquals(18, read.rowsRead());
    assertEquals(3, read.rowsRejected());
    assertEquals(
        List.of(
            "line 16, column 'order_date': a future date, after 2026-11-28",
            "line 17, column 'order_date': not a date (yyyy-MM-dd)",
            "line 18, column 'amount': not a number"),
        read.rejections());

    RfmFeatures.Derived derived =
        RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
    // Latest order 2026-09-28 minus the 90-day window.
    assertEquals(LocalDate.of(2026, 6, 30), derived.cutoff());
    assertEquals(
        List.of(
            "recency_days",
            "frequency",
            "monetary",
            "total_spend",
            "tenure_days",
            "mean_days_between",
            "std_days_between",
            "orders_30d",
            "orders_90d",
            "items",
            "refund_share",
            "channels"),
        derived.features().columns());
    assertEquals(List.of("c1", "c4", "c5"), derived.customerIds());
    // c1: purchase days Jan 10, Mar 1 (two orders), Jun 20; the repeated o1 row is ignored.
    // Gaps 50 and 111 days: mean 80.5, population std 30.5. Jul 15 is in the label window.
    assertArrayEquals(
        new double[] {10, 3, 50, 200, 171, 80.5, 30.5, 1, 1, 7, 0, 2}, row(derived, "c1"), 1e-12);
    // c4: one purchase on Apr 1, exactly 90 days before the cutoff, so outside orders_90d's
    // (cutoff - 90, cutoff]; a cancelled order (refund share 1/2); a zero-amount order ignored;
    // Sep 28 is the last day of the window.
    assertArrayEquals(
        new double[] {90, 1, 80, 80, 90, 90, 0, 0, 0, 2, 0.5, 1}, row(derived, "c4"), 1e-12);
    // c5: a negative amount is a refund; the purchase is on the cutoff day; no items given.
    assertArrayEquals(
        new double[] {0, 1, 10, 10, 0, 0, 0, 1, 1, 0, 0.5, 1}, row(derived, "c5"), 1e-12);
    assertArrayEquals(new int[] {1, 1, 0}, derived.labels());

    RfmFeatures.Counts counts = derived.counts();
    assertEquals(6, counts.customersInExport());
    assertEquals(3, counts.customersUsed());
    assertEquals(1, counts.customersRefundsOnly()); // c2
    assertEquals(1, counts.customersFirstBuyingAfterCutoff()); // c3
    assertEquals(1, counts.customersZeroAmountOnly()); // c6
    assertEquals(1, counts.duplicateOrderRowsIgnored());
    assertEquals(3, counts.ordersRefunded()); // o6, o9, o12
    assertEquals(2, counts.ordersZeroAmount()); // o10, o17
    assertEquals(3, counts.ordersAfterCutoff()); // o5, o7, o11
  }

  @Test
  void jsonLinesOrdersGiveTheSameFeaturesAsCsv() throws IOException {
    String csv;
    try (InputStream in = RfmFeaturesTest.class.getResourceAsStream("/orders/fixture.csv")) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> lines = csv.lines().toList();
    String[] header = lines.get(0).split(",");
    StringBuilder jsonl = new StringBuilder();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      StringBuilder object = new StringBuilder("{");
      for (int c = 0; c < header.length; c++) {
        if (cells[c].isEmpty()) {
          continue; // an absent key, as JSON exports leave out empty values
        }
        boolean number = (c == 3 || c == 4) && cells[c].matches("-?[0-9.]+");
        object.append(object.length() > 1 ? "," : "").append('"').append(header[c]).append("\":");
        object.append(number ? cells[c] : "\"" + cells[c] + "\"");
      }
      jsonl.append(object).append("}\n");
    }
    OrderExportReader.Result fromJson =
        OrderExportReader.read(
            new ByteArrayInputStream(jsonl.toString().getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("x.jsonl").orElseThrow(),
            schema(OrderBook.Grain.ORDER, 0.5),
            AS_OF);
    OrderExportReader.Result fromCsv = fixture();
    // The same rows rejected for the same reasons; JSON Lines has no header line.
    assertEquals(
        List.of(
            "line 15, column 'order_date': a future date, after 2026-11-28",
            "line 16, column 'order_date': not a date (yyyy-MM-dd)",
            "line 17, column 'amount': not a number"),
        fromJson.rejections());
    assertEquals(fromCsv.rowsRead(), fromJson.rowsRead());
    RfmFeatures.Derived a =
        RfmFeatures.forTraining(fromCsv.book(), fromCsv.columns(), RfmOptions.defaults());
    RfmFeatures.Derived b =
        RfmFeatures.forTraining(fromJson.book(), fromJson.columns(), RfmOptions.defaults());
    assertEquals(a.customerIds(), b.customerIds());
    assertArrayEquals(a.features().data(), b.features().data(), 0.0);
    assertArrayEquals(a.labels(), b.labels());
    assertEquals(a.counts(), b.counts());
  }

  @Test
  void scoringUsesEveryOrderUpToTheLatestDay() throws IOException {
    OrderExportReader.Result read = fixture();
    RfmFeatures.Derived now =
        RfmFeatures.forScoring(read.book(), read.columns(), RfmOptions.defaults());
    assertEquals(LocalDate.of(2026, 9, 28), now.cutoff());
    assertNull(now.labels());
    // c3 bought on Aug 1 and is a customer now; c2 (refunds) and c6 (zero amounts) are not.
    assertEquals(List.of("c1", "c3", "c4", "c5"), now.customerIds());
    // c1 now: days Jan 10, Mar 1, Jun 20, Jul 15; last purchase 75 days before Sep 28.
    assertEquals(75, row(now, "c1")[0]);
    assertEquals(4, row(now, "c1")[1]);
  }

  @Test
  void orderLinesAddUpIntoOneOrder() throws IOException {
    String csv =
        "customer_id,order_id,order_date,amount,items\n"
            + "a,1,2026-01-01,10,1\n"
            + "a,1,2026-01-01,15,2\n"
            + "a,1,2026-01-01,0,\n"
            + "a,1,2026-01-02,5,1\n"
            + "a,2,2026-01-05,30,1\n"
            + "b,3,2026-01-03,8,1\n"
            + "a,9,2026-05-20,1,1\n";
    OrderExportReader.Result read = read(csv, schema(OrderBook.Grain.LINE, 0));
    RfmFeatures.Derived derived =
        RfmFeatures.forTraining(
            read.book(), read.columns(), new RfmOptions(90, LocalDate.of(2026, 1, 31)));
    // Order 1 = 30 over three lines (one dated a day late keeps the order's first date);
    // order 2 = 30: two orders on two days, mean order value 30.
    double[] a = row(derived, "a");
    assertEquals(2, a[1]);
    assertEquals(30, a[2]);
    assertEquals(60, a[3]);
    assertEquals(5, a[9]); // items; a line without a count adds none
    assertEquals(3, derived.counts().orderLinesMerged());
    assertEquals(1, derived.counts().orderLinesWithAnotherDate());
    assertEquals(1, derived.counts().ordersAfterLabelWindow());
    assertArrayEquals(new int[] {0, 0}, derived.labels());
  }

  @Test
  void tooShortAHistoryIsAClearError() throws IOException {
    String csv = "customer_id,order_id,order_date,amount\na,1,2026-01-01,10\na,2,2026-02-01,10\n";
    OrderExportReader.Result read = read(csv, OrdersSchema.defaults());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults()));
    assertTrue(e.getMessage().contains("shorter than the 90-day label window"), e.getMessage());
  }

  @Test
  void ordersAfterTheCutoffNeverChangeAFeature() throws IOException {
    LocalDate cutoff = LocalDate.of(2026, 6, 30);
    int cutoffDay = (int) cutoff.toEpochDay();
    SplittableRandom random = new SplittableRandom(7);
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      int day = cutoffDay - random.nextInt(400);
      before.add(order(random, i, day));
    }
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      first.append(order(random, 10_000 + i, cutoffDay + 1 + random.nextInt(200)));
      second.append(order(random, 20_000 + i, cutoffDay + 1 + random.nextInt(200)));
    }
    RfmFeatures.Derived a = derive(String.join("", before) + first, cutoff);
    RfmFeatures.Derived b = derive(second + String.join("", before), cutoff);
    // Rows follow each customer's first appearance in the export; compare customer by customer.
    assertEquals(
        new java.util.TreeSet<>(a.customerIds()), new java.util.TreeSet<>(b.customerIds()));
    for (String id : a.customerIds()) {
      assertArrayEquals(row(a, id), row(b, id), 0.0, id);
    }
    assertTrue(!java.util.Arrays.equals(a.labels(), b.labels()), "labels do see the window");
  }

  private static String order(SplittableRandom random, int id, int day) {
    String status = random.nextInt(20) == 0 ? "refunded" : "paid";
    return "c"
        + random.nextInt(300)
        + ","
        + id
        + ","
        + LocalDate.ofEpochDay(day)
        + ","
        + (random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(200))
        + ","
        + (1 + random.nextInt(5))
        + ","
        + status
        + ","
        + (random.nextBoolean() ? "web" : "app")
        + "\n";
  }

  private static RfmFeatures.Derived derive(String rows, LocalDate cutoff) throws IOException {
    String csv = "customer_id,order_id,order_date,amount,items,status,channel\n" + rows;
    OrderExportReader.Result read = read(csv, OrdersSchema.defaults());
    return RfmFeatures.forTraining(read.book(), read.columns(), new RfmOptions(90, cutoff));
  }
}
