package dev.retention.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The derivation's documented rules (README "Orders exports"), written again the plain way for the
 * tests: maps of lists, one customer at a time, no primitive arrays, hashes or canonical sorting.
 * The product's derivation is checked against this on real exports.
 */
public final class PlainDerivation {

  private PlainDerivation() {}

  /**
   * One export row as the dialect reads it.
   *
   * @param orderId the order id, or the day's text for a customer-day order
   * @param amount the row's amount (negative for a refund by amount); 1 without money
   * @param items items, or NaN
   * @param refund whether the row is a refund row (status, negative amount or quantity, prefix)
   */
  public record Row(
      String customer, String orderId, long day, double amount, double items, boolean refund) {}

  /** One customer's features (by name) and label. */
  public record Customer(Map<String, Double> features, int label) {}

  /** An order as the rules settle it. */
  private record Order(
      long day, boolean hasPurchase, double purchase, double items, List<Row> refunds) {}

  /**
   * Features and labels as of {@code cutoff} with a {@code window}-day label.
   *
   * @param lineGrain true: rows of an order add up; false: the earliest row is the order
   * @param money whether the money features are derived
   * @param refundShare whether refund_share is derived
   * @param withItems whether the items feature is derived
   */
  public static Map<String, Customer> derive(
      List<Row> rows,
      long cutoff,
      int window,
      boolean lineGrain,
      boolean money,
      boolean refundShare,
      boolean withItems) {
    Map<String, Map<String, List<Row>>> byCustomer = new LinkedHashMap<>();
    for (Row row : rows) {
      byCustomer
          .computeIfAbsent(row.customer(), c -> new LinkedHashMap<>())
          .computeIfAbsent(row.orderId(), o -> new ArrayList<>())
          .add(row);
    }
    Map<String, Customer> out = new HashMap<>();
    for (Map.Entry<String, Map<String, List<Row>>> customer : byCustomer.entrySet()) {
      List<Order> orders = new ArrayList<>();
      for (List<Row> orderRows : customer.getValue().values()) {
        orders.add(order(orderRows, lineGrain));
      }
      Customer derived = customer(orders, cutoff, window, money, refundShare, withItems);
      if (derived != null) {
        out.put(customer.getKey(), derived);
      }
    }
    return out;
  }

  private static Order order(List<Row> rows, boolean lineGrain) {
    List<Row> purchases = new ArrayList<>();
    List<Row> refunds = new ArrayList<>();
    for (Row row : rows) {
      (row.refund() ? refunds : purchases).add(row);
    }
    if (purchases.isEmpty()) {
      long day = Long.MAX_VALUE;
      for (Row r : refunds) {
        day = Math.min(day, r.day());
      }
      return new Order(day, false, 0, Double.NaN, refunds);
    }
    if (!lineGrain) {
      Row first = purchases.get(0);
      for (Row r : purchases) {
        if (r.day() < first.day() || (r.day() == first.day() && r.amount() < first.amount())) {
          first = r;
        }
      }
      return new Order(first.day(), true, first.amount(), first.items(), refunds);
    }
    long day = Long.MAX_VALUE;
    double sum = 0;
    double items = Double.NaN;
    for (Row r : purchases) {
      day = Math.min(day, r.day());
      sum += r.amount();
      if (!Double.isNaN(r.items())) {
        items = (Double.isNaN(items) ? 0 : items) + r.items();
      }
    }
    return new Order(day, true, sum, items, refunds);
  }

  /** What refund rows dated up to {@code until} take from an order. */
  private static double refunded(Order order, long until) {
    double sum = 0;
    for (Row r : order.refunds()) {
      if (r.day() <= until) {
        sum += r.amount() == 0 ? Double.POSITIVE_INFINITY : Math.abs(r.amount());
      }
    }
    return sum;
  }

  private static double returnedItems(Order order, long until) {
    double sum = 0;
    for (Row r : order.refunds()) {
      if (r.day() <= until && !Double.isNaN(r.items())) {
        sum += Math.abs(r.items());
      }
    }
    return sum;
  }

  private static Customer customer(
      List<Order> orders,
      long cutoff,
      int window,
      boolean money,
      boolean refundShare,
      boolean withItems) {
    List<Long> purchaseDays = new ArrayList<>();
    double spend = 0;
    double items = 0;
    int refunds = 0;
    int recent30 = 0;
    int recent90 = 0;
    int label = 0;
    for (Order order : orders) {
      if (order.day() > cutoff) {
        double left = order.purchase() - refunded(order, cutoff + window);
        if (order.day() <= cutoff + window && order.hasPurchase() && left > 0) {
          label = 1;
        }
        continue;
      }
      double refundedByCutoff = refunded(order, cutoff);
      if (!order.hasPurchase() || (refundedByCutoff > 0 && refundedByCutoff >= order.purchase())) {
        refunds++;
        continue;
      }
      if (!(order.purchase() > 0)) {
        continue; // a zero-amount order
      }
      purchaseDays.add(order.day());
      spend += order.purchase() - refundedByCutoff;
      if (!Double.isNaN(order.items())) {
        items += Math.max(0, order.items() - returnedItems(order, cutoff));
      }
      if (order.day() > cutoff - 30) {
        recent30++;
      }
      if (order.day() > cutoff - 90) {
        recent90++;
      }
    }
    if (purchaseDays.isEmpty()) {
      return null;
    }
    TreeSet<Long> days = new TreeSet<>(purchaseDays);
    List<Long> distinct = new ArrayList<>(days);
    long first = distinct.get(0);
    long last = distinct.get(distinct.size() - 1);
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < distinct.size(); i++) {
      gaps.add((double) (distinct.get(i) - distinct.get(i - 1)));
    }
    double meanGap = cutoff - last;
    double stdGap = 0;
    if (!gaps.isEmpty()) {
      double sum = 0;
      for (double g : gaps) {
        sum += g;
      }
      meanGap = sum / gaps.size();
      if (gaps.size() >= 2) {
        double squares = 0;
        for (double g : gaps) {
          squares += (g - meanGap) * (g - meanGap);
        }
        stdGap = Math.sqrt(squares / gaps.size());
      }
    }
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("recency_days", (double) (cutoff - last));
    f.put("frequency", (double) distinct.size());
    if (money) {
      f.put("monetary", spend / purchaseDays.size());
      f.put("total_spend", spend);
    }
    f.put("tenure_days", (double) (cutoff - first));
    f.put("mean_days_between", meanGap);
    f.put("std_days_between", stdGap);
    f.put("orders_30d", (double) recent30);
    f.put("orders_90d", (double) recent90);
    if (withItems) {
      f.put("items", items);
    }
    if (refundShare) {
      f.put("refund_share", (double) refunds / (purchaseDays.size() + refunds));
    }
    return new Customer(f, label);
  }

  /** RFC 4180 fields of one line without line breaks in quotes (what these exports hold). */
  public static List<String> fields(String line, char delimiter) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter) {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }
}
