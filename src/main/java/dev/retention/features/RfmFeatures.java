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
   * @param windowPurchases distinct purchase days in the window per customer; null when scoring
   * @param cutoff the last day the features see
   * @param labelWindowDays the label window
   * @param definitions the columns of {@code features}, with their meaning
   * @param counts how many customers and orders each rule touched
   */
  public record Derived(
      List<String> customerIds,
      FeatureMatrix features,
      int[] labels,
      int[] windowPurchases,
      LocalDate cutoff,
      int labelWindowDays,
      List<Definition> definitions,
      Counts counts) {}

  /**
   * How many customers and orders each rule touched.
   *
   * @param customersInExport distinct customers in the export
   * @param customersUsed customers with a purchase on or before the cutoff: the table's rows
   * @param customersRefundsOnly left out: only refunds on or before the cutoff
   * @param customersZeroAmountOnly left out: only zero-amount orders on or before the cutoff
   * @param customersFirstBuyingAfterCutoff left out: first purchase after the cutoff
   * @param orders distinct orders (repeats merged or ignored by the grain's rule)
   * @param ordersRefunded refunds on or before the cutoff
   * @param ordersZeroAmount zero-amount orders on or before the cutoff
   * @param ordersAfterCutoff orders after the cutoff (only the label reads them)
   * @param ordersAfterLabelWindow orders after the label window (read by nothing)
   * @param duplicateOrderRowsIgnored grain ORDER: repeated (customer, order id) rows
   * @param orderLinesMerged grain LINE: lines added to their order
   * @param orderLinesWithAnotherDate grain LINE: lines dated differently from their order
   */
  public record Counts(
      long customersInExport,
      long customersUsed,
      long customersRefundsOnly,
      long customersZeroAmountOnly,
      long customersFirstBuyingAfterCutoff,
      long orders,
      long ordersRefunded,
      long ordersZeroAmount,
      long ordersAfterCutoff,
      long ordersAfterLabelWindow,
      long duplicateOrderRowsIgnored,
      long orderLinesMerged,
      long orderLinesWithAnotherDate)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** These counts plus {@code other}'s: the counts of two disjoint sets of customers. */
    public Counts plus(Counts other) {
      return new Counts(
          customersInExport + other.customersInExport,
          customersUsed + other.customersUsed,
          customersRefundsOnly + other.customersRefundsOnly,
          customersZeroAmountOnly + other.customersZeroAmountOnly,
          customersFirstBuyingAfterCutoff + other.customersFirstBuyingAfterCutoff,
          orders + other.orders,
          ordersRefunded + other.ordersRefunded,
          ordersZeroAmount + other.ordersZeroAmount,
          ordersAfterCutoff + other.ordersAfterCutoff,
          ordersAfterLabelWindow + other.ordersAfterLabelWindow,
          duplicateOrderRowsIgnored + other.duplicateOrderRowsIgnored,
          orderLinesMerged + other.orderLinesMerged,
          orderLinesWithAnotherDate + other.orderLinesWithAnotherDate);
    }

    /** The counts by name, in declaration order (the model's {@code derivation.counts}). */
    public Map<String, Long> asMap() {
      Map<String, Long> out = new LinkedHashMap<>();
      out.put("customersInExport", customersInExport);
      out.put("customersUsed", customersUsed);
      out.put("customersRefundsOnly", customersRefundsOnly);
      out.put("customersZeroAmountOnly", customersZeroAmountOnly);
      out.put("customersFirstBuyingAfterCutoff", customersFirstBuyingAfterCutoff);
      out.put("orders", orders);
      out.put("ordersRefunded", ordersRefunded);
      out.put("ordersZeroAmount", ordersZeroAmount);
      out.put("ordersAfterCutoff", ordersAfterCutoff);
      out.put("ordersAfterLabelWindow", ordersAfterLabelWindow);
      out.put("duplicateOrderRowsIgnored", duplicateOrderRowsIgnored);
      out.put("orderLinesMerged", orderLinesMerged);
      out.put("orderLinesWithAnotherDate", orderLinesWithAnotherDate);
      return out;
    }
  }

  /** Which optional columns the export has. */
  public record Columns(boolean items, boolean status, boolean channel)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

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

  private RfmFeatures() {}

  /** Features and labels for training: the default cutoff leaves a full label window of data. */
  public static Derived forTraining(OrderBook book, Columns columns, RfmOptions options) {
    int cutoff = cutoffDay(book, options, true);
    return derive(book, columns, cutoff, options.labelWindowDays(), true, true);
  }

  /** Features for scoring today's customers: by default as of the latest order day. */
  public static Derived forScoring(OrderBook book, Columns columns, RfmOptions options) {
    int cutoff = cutoffDay(book, options, false);
    return derive(book, columns, cutoff, options.labelWindowDays(), false, true);
  }

  /**
   * Features of the customers of {@code book} as of the day {@code asOf}, with no label and no
   * customer required (a customer without a purchase on or before that day is simply not a row):
   * the score API's derivation of the orders a request sends, by the same rules as {@link
   * #forScoring} with that day as its cutoff.
   */
  public static Derived asOf(OrderBook book, Columns columns, LocalDate asOf, int labelWindowDays) {
    return derive(book, columns, (int) asOf.toEpochDay(), labelWindowDays, false, false);
  }

  private static int cutoffDay(OrderBook book, RfmOptions options, boolean training) {
    if (book.orders() == 0) {
      throw new IllegalArgumentException("the export has no orders");
    }
    return cutoffDay(book.minDay(), book.maxDay(), options, training);
  }

  /**
   * The cutoff of orders dated {@code minDay} to {@code maxDay} (epoch days, every accepted row):
   * the configured one, else for training the latest day minus the label window, for scoring the
   * latest day. The one place of the rule, for an export read whole or in parts.
   *
   * @throws IllegalArgumentException when the orders are shorter than the label window
   */
  public static int cutoffDay(int minDay, int maxDay, RfmOptions options, boolean training) {
    if (options.cutoff() != null) {
      return (int) options.cutoff().toEpochDay();
    }
    int cutoff = training ? maxDay - options.labelWindowDays() : maxDay;
    if (cutoff < minDay) {
      throw new IllegalArgumentException(
          "the orders span "
              + LocalDate.ofEpochDay(minDay)
              + " to "
              + LocalDate.ofEpochDay(maxDay)
              + ", shorter than the "
              + options.labelWindowDays()
              + "-day label window: no order is left before the default cutoff; export a longer"
              + " history or set the cutoff");
    }
    return cutoff;
  }

  /**
   * Features and labels of the customers of {@code book} (a part of an export's customers, each
   * with all its orders, in the export's order) as of {@code cutoff}: the same rules as {@link
   * #forTraining}, with no customer required. Their counts add up over disjoint parts.
   */
  public static Derived partForTraining(OrderBook book, Columns columns, int cutoff, int window) {
    return derive(book, columns, cutoff, window, true, false);
  }

  /** Feature definitions for an export with these optional columns, in column order. */
  public static List<Definition> definitions(Columns columns) {
    return RfmFeature.available(columns).stream()
        .map(f -> new Definition(f.column(), f.meaning()))
        .toList();
  }

  private static Derived derive(
      OrderBook book,
      Columns columns,
      int cutoff,
      int window,
      boolean withLabels,
      boolean requireCustomers) {
    List<RfmFeature> table = RfmFeature.available(columns);
    RfmFeature[] features = table.toArray(RfmFeature[]::new);
    int d = features.length;
    int customers = book.customers();
    double[] values = new double[customers * d];
    int[] labels = withLabels ? new int[customers] : null;
    int[] windowPurchases = withLabels ? new int[customers] : null;
    List<String> ids = new ArrayList<>();
    long[] standing = new long[CustomerHistory.Standing.values().length];
    long refundOrders = 0;
    long zeroAmountOrders = 0;
    long laterOrders = 0;
    long afterWindowOrders = 0;
    long duplicates = book.adjacentDuplicates();
    long merged = book.adjacentMerged();
    long conflicts = book.adjacentConflicts();
    long distinctOrders = 0;
    OrderBook.CustomerOrders scratch = new OrderBook.CustomerOrders();
    CustomerHistory history = new CustomerHistory();
    int rows = 0;
    for (int c = 0; c < customers; c++) {
      OrderBook.CustomerOrders orders = book.collect(c, scratch);
      duplicates += orders.duplicates;
      merged += orders.merged;
      conflicts += orders.conflicts;
      history.reset(cutoff, window);
      for (int o = 0; o < orders.count; o++) {
        history.add(
            orders.day[o], orders.amount[o], orders.items[o], orders.refund[o], orders.channel[o]);
      }
      distinctOrders += orders.count;
      refundOrders += history.refunds;
      zeroAmountOrders += history.zeros;
      laterOrders += history.ordersAfterCutoff;
      afterWindowOrders += history.ordersAfterWindow;
      CustomerHistory.Standing outcome = history.finish();
      standing[outcome.ordinal()]++;
      if (outcome != CustomerHistory.Standing.USED) {
        continue;
      }
      int at = rows * d;
      for (RfmFeature feature : features) {
        values[at++] = feature.of(history);
      }
      if (withLabels) {
        labels[rows] = history.repurchased() ? 1 : 0;
        windowPurchases[rows] = history.windowPurchaseDays();
      }
      ids.add(book.customerId(c));
      rows++;
    }
    if (rows == 0 && requireCustomers) {
      throw new IllegalArgumentException(
          "no customer has a purchase on or before the cutoff " + LocalDate.ofEpochDay(cutoff));
    }
    Counts counts =
        new Counts(
            customers,
            rows,
            standing[CustomerHistory.Standing.REFUNDS_ONLY.ordinal()],
            standing[CustomerHistory.Standing.ZERO_AMOUNT_ONLY.ordinal()],
            standing[CustomerHistory.Standing.FIRST_BUYING_AFTER_CUTOFF.ordinal()],
            distinctOrders,
            refundOrders,
            zeroAmountOrders,
            laterOrders,
            withLabels ? afterWindowOrders : 0,
            duplicates,
            merged,
            conflicts);
    List<Definition> definitions = definitions(columns);
    return new Derived(
        List.copyOf(ids),
        new FeatureMatrix(
            table.stream().map(RfmFeature::column).toList(), Arrays.copyOf(values, rows * d)),
        withLabels ? Arrays.copyOf(labels, rows) : null,
        withLabels ? Arrays.copyOf(windowPurchases, rows) : null,
        LocalDate.ofEpochDay(cutoff),
        window,
        definitions,
        counts);
  }
}
