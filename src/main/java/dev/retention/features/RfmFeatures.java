package dev.retention.features;

import dev.retention.core.FeatureMatrix;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer features and labels from an {@link OrderBook} as of a cutoff day: recency, frequency and
 * monetary value (the RFM model of Hughes, "Strategic Database Marketing", 1994; see also Fader,
 * Hardie and Lee, "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 2005) plus
 * tenure, inter-purchase timing, recent activity, items, refunds and channels.
 *
 * <p>No leakage: every feature reads only orders dated on or before the cutoff; the label reads
 * only purchases in the window {@code (cutoff, cutoff + labelWindowDays]}. Orders after the window
 * are ignored. Moving or removing orders after the cutoff can change a label, never a feature.
 *
 * <p>Rules, each counted in {@link Derived#counts()}:
 *
 * <ul>
 *   <li>A <em>purchase</em> is an order that is not a refund and has a positive amount. A refund is
 *       an order whose status marks it refunded or cancelled, or whose amount is negative. A
 *       zero-amount order is neither (free samples, fully discounted orders) and is ignored.
 *   <li>A customer enters the table only with at least one purchase on or before the cutoff.
 *       Customers with refunds only, with zero-amount orders only, or whose first purchase is after
 *       the cutoff are counted and left out: they were not buying customers at the cutoff.
 *   <li>Frequency counts distinct purchase days: several orders on one day are one buying occasion.
 *       The mean gap is the mean of the day gaps between consecutive purchase days; for a single
 *       purchase day it is the recency (the gap is at least that long so far); the gap's standard
 *       deviation (population) is 0 with fewer than two gaps.
 * </ul>
 */
public final class RfmFeatures {

  /** A feature's name and meaning, recorded in the model. */
  public record Definition(String name, String meaning) {}

  /**
   * The derived table.
   *
   * @param customerIds one per row
   * @param features one row per customer with a purchase on or before the cutoff
   * @param labels 1 if the customer bought again within the window, else 0; null when scoring
   * @param cutoff the last day the features see
   * @param labelWindowDays the label window
   * @param definitions the columns of {@code features}, with their meaning
   * @param counts how many customers and orders each rule touched
   */
  public record Derived(
      List<String> customerIds,
      FeatureMatrix features,
      int[] labels,
      LocalDate cutoff,
      int labelWindowDays,
      List<Definition> definitions,
      Map<String, Long> counts) {}

  /** Which optional columns the export has. */
  public record Columns(boolean items, boolean status, boolean channel) {}

  /** The edge rules, as recorded in each model derived from orders. */
  public static final List<String> RULES =
      List.of(
          "features read only orders dated on or before the cutoff; the label reads only purchases"
              + " in (cutoff, cutoff + window]; later orders are ignored",
          "a purchase is an order that is not refunded or cancelled and has a positive amount",
          "an order is a refund when its status is a refund status or its amount is negative",
          "zero-amount orders are ignored",
          "customers with refunds only, zero-amount orders only, or a first purchase after the"
              + " cutoff are left out and counted",
          "grain ORDER: a repeated (customer, order id) row is a duplicate, ignored and counted;"
              + " grain LINE: rows of one order add up, a line with another date keeps the"
              + " order's first date and is counted",
          "rows dated more than a day after the export was written (future dates; the day of"
              + " slack covers shop time zones) are rejected as bad rows",
          "frequency counts distinct purchase days; the mean gap of a single purchase day is its"
              + " recency");

  private static final int RECENT_SHORT = 30;
  private static final int RECENT_LONG = 90;

  private RfmFeatures() {}

  /** Features and labels for training: the default cutoff leaves a full label window of data. */
  public static Derived forTraining(OrderBook book, Columns columns, RfmOptions options) {
    int cutoff = cutoffDay(book, options, true);
    return derive(book, columns, cutoff, options.labelWindowDays(), true);
  }

  /** Features for scoring today's customers: by default as of the latest order day. */
  public static Derived forScoring(OrderBook book, Columns columns, RfmOptions options) {
    int cutoff = cutoffDay(book, options, false);
    return derive(book, columns, cutoff, options.labelWindowDays(), false);
  }

  private static int cutoffDay(OrderBook book, RfmOptions options, boolean training) {
    if (book.orders() == 0) {
      throw new IllegalArgumentException("the export has no orders");
    }
    if (options.cutoff() != null) {
      return (int) options.cutoff().toEpochDay();
    }
    int cutoff = training ? book.maxDay() - options.labelWindowDays() : book.maxDay();
    if (cutoff < book.minDay()) {
      throw new IllegalArgumentException(
          "the orders span "
              + LocalDate.ofEpochDay(book.minDay())
              + " to "
              + LocalDate.ofEpochDay(book.maxDay())
              + ", shorter than the "
              + options.labelWindowDays()
              + "-day label window: no order is left before the default cutoff; export a longer"
              + " history or set the cutoff");
    }
    return cutoff;
  }

  /** Feature definitions for an export with these optional columns, in column order. */
  public static List<Definition> definitions(Columns columns) {
    List<Definition> out = new ArrayList<>();
    out.add(new Definition("recency_days", "days from the last purchase to the cutoff"));
    out.add(new Definition("frequency", "distinct purchase days up to the cutoff"));
    out.add(new Definition("monetary", "mean purchase amount per order"));
    out.add(new Definition("total_spend", "sum of purchase amounts"));
    out.add(new Definition("tenure_days", "days from the first purchase to the cutoff"));
    out.add(
        new Definition(
            "mean_days_between",
            "mean days between consecutive purchase days; the recency for a single purchase day"));
    out.add(
        new Definition(
            "std_days_between",
            "standard deviation (population) of days between purchase days; 0 below two gaps"));
    out.add(
        new Definition(
            "orders_30d", "purchase orders in the " + RECENT_SHORT + " days up to the cutoff"));
    out.add(
        new Definition(
            "orders_90d", "purchase orders in the " + RECENT_LONG + " days up to the cutoff"));
    if (columns.items()) {
      out.add(new Definition("items", "items bought in purchases"));
    }
    if (columns.status()) {
      out.add(new Definition("refund_share", "refunded or cancelled orders over all orders"));
    }
    if (columns.channel()) {
      out.add(new Definition("channels", "distinct sales channels of purchases"));
    }
    return List.copyOf(out);
  }

  private static Derived derive(
      OrderBook book, Columns columns, int cutoff, int window, boolean withLabels) {
    List<Definition> definitions = definitions(columns);
    int d = definitions.size();
    int customers = book.customers();
    double[] values = new double[customers * d];
    int[] labels = withLabels ? new int[customers] : null;
    List<String> ids = new ArrayList<>();
    int[] days = new int[64];
    long refundOnly = 0;
    long zeroOnly = 0;
    long newAfterCutoff = 0;
    long refundOrders = 0;
    long zeroAmountOrders = 0;
    long laterOrders = 0;
    long afterWindowOrders = 0;
    long duplicates = book.adjacentDuplicates();
    long merged = book.adjacentMerged();
    long conflicts = book.adjacentConflicts();
    long distinctOrders = 0;
    OrderBook.CustomerOrders scratch = new OrderBook.CustomerOrders();
    int rows = 0;
    for (int c = 0; c < customers; c++) {
      int purchases = 0;
      int refunds = 0;
      int zeros = 0;
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      int recentShort = 0;
      int recentLong = 0;
      double spend = 0;
      double items = 0;
      long channels = 0;
      boolean laterPurchase = false;
      boolean repurchased = false;
      OrderBook.CustomerOrders orders = book.collect(c, scratch);
      duplicates += orders.duplicates;
      merged += orders.merged;
      conflicts += orders.conflicts;
      for (int o = 0; o < orders.count; o++) {
        int day = orders.day[o];
        double amount = orders.amount[o];
        boolean refund = orders.refund[o] || amount < 0;
        boolean purchase = !refund && amount > 0;
        if (day > cutoff) {
          laterOrders++;
          if (day > cutoff + window) {
            afterWindowOrders++;
          } else if (purchase) {
            repurchased = true;
          }
          laterPurchase |= purchase;
          continue;
        }
        if (refund) {
          refunds++;
          continue;
        }
        if (!purchase) {
          zeros++;
          continue;
        }
        if (purchases == days.length) {
          days = Arrays.copyOf(days, purchases * 2);
        }
        days[purchases++] = day;
        spend += amount;
        float n = orders.items[o];
        if (!Float.isNaN(n)) {
          items += n;
        }
        first = Math.min(first, day);
        last = Math.max(last, day);
        if (day > cutoff - RECENT_SHORT) {
          recentShort++;
        }
        if (day > cutoff - RECENT_LONG) {
          recentLong++;
        }
        int ch = orders.channel[o];
        if (ch != OrderBook.NO_CHANNEL) {
          channels |= 1L << (ch & 63);
        }
      }
      distinctOrders += orders.count;
      refundOrders += refunds;
      zeroAmountOrders += zeros;
      if (purchases == 0) {
        if (laterPurchase) {
          newAfterCutoff++;
        } else if (refunds > 0) {
          refundOnly++;
        } else if (zeros > 0) {
          zeroOnly++;
        }
        continue;
      }
      Arrays.sort(days, 0, purchases);
      int distinct = 0;
      double gapSum = 0;
      double gapSquares = 0;
      for (int i = 0; i < purchases; i++) {
        if (i == 0 || days[i] != days[i - 1]) {
          if (distinct > 0) {
            double gap = days[i] - days[distinct - 1];
            gapSum += gap;
            gapSquares += gap * gap;
          }
          days[distinct++] = days[i];
        }
      }
      int gaps = distinct - 1;
      double recency = cutoff - last;
      double meanGap = gaps == 0 ? recency : gapSum / gaps;
      double stdGap =
          gaps < 2
              ? 0
              : Math.sqrt(Math.max(0, gapSquares / gaps - (gapSum / gaps) * (gapSum / gaps)));
      int at = rows * d;
      values[at++] = recency;
      values[at++] = distinct;
      values[at++] = spend / purchases;
      values[at++] = spend;
      values[at++] = cutoff - first;
      values[at++] = meanGap;
      values[at++] = stdGap;
      values[at++] = recentShort;
      values[at++] = recentLong;
      if (columns.items()) {
        values[at++] = items;
      }
      if (columns.status()) {
        values[at++] = (double) refunds / (purchases + refunds);
      }
      if (columns.channel()) {
        values[at++] = Long.bitCount(channels);
      }
      if (withLabels) {
        labels[rows] = repurchased ? 1 : 0;
      }
      ids.add(book.customerId(c));
      rows++;
    }
    if (rows == 0) {
      throw new IllegalArgumentException(
          "no customer has a purchase on or before the cutoff " + LocalDate.ofEpochDay(cutoff));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("customersInExport", (long) customers);
    counts.put("customersUsed", (long) rows);
    counts.put("customersRefundsOnly", refundOnly);
    counts.put("customersZeroAmountOnly", zeroOnly);
    counts.put("customersFirstBuyingAfterCutoff", newAfterCutoff);
    counts.put("orders", distinctOrders);
    counts.put("ordersRefunded", refundOrders);
    counts.put("ordersZeroAmount", zeroAmountOrders);
    counts.put("ordersAfterCutoff", laterOrders);
    counts.put("ordersAfterLabelWindow", withLabels ? afterWindowOrders : 0);
    counts.put("duplicateOrderRowsIgnored", duplicates);
    counts.put("orderLinesMerged", merged);
    counts.put("orderLinesWithAnotherDate", conflicts);
    List<String> names = definitions.stream().map(Definition::name).toList();
    return new Derived(
        List.copyOf(ids),
        new FeatureMatrix(names, Arrays.copyOf(values, rows * d)),
        withLabels ? Arrays.copyOf(labels, rows) : null,
        LocalDate.ofEpochDay(cutoff),
        window,
        definitions,
        counts);
  }
}
