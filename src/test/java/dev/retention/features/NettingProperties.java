package dev.retention.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Refund rows are netted against their order whatever the row order: any shuffle of the same rows
 * (purchases, repeats, lines, partial and full refunds before and after their purchase, refunds
 * without a purchase) derives the same features, labels and counts for every customer, with either
 * grain.
 */
class NettingProperties {

  /** One export row, as the reader hands it to the book. */
  record Row(
      String customer,
      String order,
      int day,
      double amount,
      float items,
      boolean refund,
      String channel) {}

  private static List<Row> rows(long seed, int customers) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    int start = (int) LocalDate.of(2026, 1, 1).toEpochDay();
    for (int c = 0; c < customers; c++) {
      String id = "c" + c;
      int orders = 1 + random.nextInt(6);
      for (int o = 0; o < orders; o++) {
        String order = "o" + c + "-" + o;
        int day = start + random.nextInt(200);
        double amount = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(200);
        String channel = random.nextBoolean() ? "web" : "store";
        int lines = 1 + random.nextInt(3);
        for (int l = 0; l < lines; l++) {
          // Lines of one order may carry another date; an exact repeat now and then.
          int lineDay = random.nextInt(6) == 0 ? day + random.nextInt(3) : day;
          rows.add(new Row(id, order, lineDay, amount, 1 + random.nextInt(3), false, channel));
          if (random.nextInt(8) == 0) {
            rows.add(rows.get(rows.size() - 1));
          }
        }
        switch (random.nextInt(6)) {
          case 0 -> // refunded in full, after the purchase
              rows.add(new Row(id, order, day + random.nextInt(60), amount * lines, 1, true, null));
          case 1 -> // refunded in part, possibly listed before it
              rows.add(new Row(id, order, day + random.nextInt(60) - 5, amount / 3, 1, true, null));
          case 2 -> // a status-only cancellation: the whole order
              rows.add(new Row(id, order, day + 1, OrderBook.WHOLE_ORDER, Float.NaN, true, null));
          default -> {}
        }
      }
      if (random.nextInt(10) == 0) { // a refund without a purchase of its own
        rows.add(new Row(id, "r" + c, start + random.nextInt(200), 25, 1, true, "web"));
      }
    }
    return rows;
  }

  private static RfmFeatures.Derived derive(List<Row> rows, OrderBook.Grain grain) {
    OrderBook book = new OrderBook(grain);
    for (Row r : rows) {
      book.add(r.customer(), r.order(), r.day(), r.amount(), r.items(), r.refund(), r.channel());
    }
    RfmFeatures.Columns columns = new RfmFeatures.Columns(true, true, true);
    return RfmFeatures.forTraining(
        book, columns, new RfmOptions(60, LocalDate.of(2026, 5, 1), true));
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

  @Property(tries = 200)
  void anyRowOrderDerivesTheSameCustomers(@ForAll long seed) {
    List<Row> rows = rows(seed, 40);
    for (OrderBook.Grain grain : OrderBook.Grain.values()) {
      RfmFeatures.Derived original = derive(rows, grain);
      List<Row> shuffled = new ArrayList<>(rows);
      Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
      RfmFeatures.Derived other = derive(shuffled, grain);
      Map<String, double[]> a = byCustomer(original);
      Map<String, double[]> b = byCustomer(other);
      assertEquals(a.keySet(), b.keySet(), grain.name());
      for (String id : a.keySet()) {
        assertArrayEquals(a.get(id), b.get(id), grain + " " + id);
      }
      assertEquals(original.counts(), other.counts(), grain.name());
    }
  }
}
