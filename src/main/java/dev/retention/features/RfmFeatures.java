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
 *   <li>Rows are purchase rows or refund rows (a refund or cancel status, a negative amount or
 *       quantity, a cancellation prefix); per (customer, order id) they are netted ({@link
 *       OrderBook}): an order refunded in full is a refund, one refunded in part a purchase of what
 *       is left, whatever the rows' order. A <em>purchase</em> is an order with a positive amount
 *       left; a zero-amount order (free samples, fully discounted orders) is neither and is
 *       ignored. Features see refunds dated up to the cutoff, the label those up to the window's
 *       end.
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
   * @param columns which optional columns the export had, and whether it had money
   * @param warnings what the model must say about its labels (a censored label window)
   */
  public record Derived(
      List<String> customerIds,
      FeatureMatrix features,
      int[] labels,
      int[] windowPurchases,
      LocalDate cutoff,
      int labelWindowDays,
      List<Definition> definitions,
      Counts counts,
      Columns columns,
      List<String> warnings) {

    public Derived {
      warnings = List.copyOf(warnings);
    }

    /** The same derivation with these warnings. */
    public Derived withWarnings(List<String> newWarnings) {
      return new Derived(
          customerIds,
          features,
          labels,
          windowPurchases,
          cutoff,
          labelWindowDays,
          definitions,
          counts,
          columns,
          newWarnings);
    }
  }

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
   * @param duplicateOrderRowsIgnored grain ORDER: repeated purchase rows of one (customer, order
   *     id)
   * @param orderLinesMerged grain LINE: purchase lines added to their order
   * @param orderLinesWithAnotherDate grain LINE: lines dated differently from their order's
   *     earliest line
   * @param ordersPartlyRefunded purchases on or before the cutoff that refund rows reduced
   * @param refundRowsNetted refund rows netted against a purchase of the same order id
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
      long orderLinesWithAnotherDate,
      long ordersPartlyRefunded,
      long refundRowsNetted)
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
          orderLinesWithAnotherDate + other.orderLinesWithAnotherDate,
          ordersPartlyRefunded + other.ordersPartlyRefunded,
          refundRowsNetted + other.refundRowsNetted);
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
      out.put("ordersPartlyRefunded", ordersPartlyRefunded);
      out.put("refundRowsNetted", refundRowsNetted);
      return out;
    }
  }

  /**
   * Which optional columns the export has, and whether it has money at all.
   *
   * @param status whether the export marks refunds beyond negative amounts (a status column, a
   *     cancellation prefix, line items' negative quantities): then {@code refund_share} is derived
   * @param money false for a purchase log without amounts: the money features are left out
   */
  public record Columns(boolean items, boolean status, boolean channel, boolean money)
      implements java.io.Serializable {
    private static final long serialVersionUID = 2L;

    /** An export with money. */
    public Columns(boolean items, boolean status, boolean channel) {
      this(items, status, channel, true);
    }

    /** These columns, or those of either of two parts of one export. */
    public Columns or(Columns other) {
      return new Columns(
          items || other.items, status || other.status, channel || other.channel, money);
    }
  }

  /** The edge rules, as recorded in each model derived from orders. */
  public static final List<String> RULES =
      List.of(
          "features read only orders dated on or before the cutoff; the label reads only purchases"
              + " in (cutoff, cutoff + window]; later orders are ignored",
          "a row is a refund row when its status is a refund status, its amount or quantity is"
              + " negative, or its order id has the cancellation prefix; other rows are purchase"
              + " rows",
          "per (customer, order id) purchase rows and refund rows are kept apart and netted,"
              + " whatever the row order: refund rows add up (one without an amount refunds the"
              + " whole order); an order refunded in full is a refund, one refunded in part a"
              + " purchase of what is left; refund rows without a purchase row are a refund order"
              + " dated by the earliest of them",
          "features see refunds dated on or before the cutoff; the label sees refunds dated up to"
              + " the window's end",
          "a purchase is an order with a positive amount left; zero-amount orders are ignored",
          "customers with refunds only, zero-amount orders only, or a first purchase after the"
              + " cutoff are left out and counted",
          "grain ORDER: of repeated purchase rows of one (customer, order id) the earliest (then"
              + " the smallest amount) is the order, the others are duplicates, ignored and"
              + " counted; grain LINE: purchase lines add up, the order is dated by its earliest"
              + " line and lines with another date are counted",
          "rows dated more than a day after the export was written (future dates; the day of"
              + " slack covers shop time zones) are rejected as bad rows",
          "frequency counts distinct purchase days; the mean gap of a single purchase day is its"
              + " recency");

  private RfmFeatures() {}

  /** Features and labels for training: the default cutoff leaves a full label window of data. */
  public static Derived forTraining(OrderBook book, Columns columns, RfmOptions options) {
    int cutoff = cutoffDay(book, options, true);
    Derived derived = derive(book, columns, cutoff, options.labelWindowDays(), true, true);
    String censored =
        censoredWindowWarning(cutoff, book.minDay(), book.maxDay(), options.labelWindowDays());
    return censored == null ? derived : derived.withWarnings(List.of(censored));
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

  /**
   * What each customer of {@code book} bought within {@code (after, last]} (epoch days): the
   * label's rule ({@link CustomerHistory}: an order counts when its amount exceeds the refunds
   * dated up to {@code last}), with the net revenue of those orders. Every customer of the book is
   * listed, bought or not, in the book's order.
   *
   * @param customerIds one per customer
   * @param bought whether the customer bought in the window
   * @param revenue net revenue of the window's purchases (0 when none)
   */
  public record WindowOutcomes(List<String> customerIds, boolean[] bought, double[] revenue) {}

  /** The purchases of every customer within {@code (after, last]} (epoch days, last >= after). */
  public static WindowOutcomes windowOutcomes(OrderBook book, int after, int last) {
    int customers = book.customers();
    List<String> ids = new ArrayList<>(customers);
    boolean[] bought = new boolean[customers];
    double[] revenue = new double[customers];
    OrderBook.CustomerOrders scratch = new OrderBook.CustomerOrders();
    CustomerHistory history = new CustomerHistory();
    for (int c = 0; c < customers; c++) {
      OrderBook.CustomerOrders orders = book.collect(c, scratch, after, last);
      history.reset(after, last - after);
      for (int k = 0; k < orders.count; k++) {
        int o = orders.order[k];
        history.add(
            orders.day[o],
            orders.amount[o],
            orders.hasPurchase[o],
            orders.refundedByCutoff[o],
            orders.refundedByHorizon[o],
            orders.items[o],
            orders.channel[o]);
      }
      history.finish();
      ids.add(book.customerId(c));
      bought[c] = history.repurchased();
      revenue[c] = history.windowRevenue();
    }
    return new WindowOutcomes(ids, bought, revenue);
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
   * <p>For training, the label window must be observed: a configured cutoff after the last order,
   * or one whose window ends after it, is refused naming the cutoff, the window and the export's
   * first and last order dates, unless {@link RfmOptions#allowCensoredWindow()} (then {@link
   * #censoredWindow} says so, for the model's warnings). A cutoff before the first order leaves no
   * history to learn from and is refused too.
   *
   * @throws IllegalArgumentException when the orders do not cover the cutoff and its window
   */
  public static int cutoffDay(int minDay, int maxDay, RfmOptions options, boolean training) {
    int window = options.labelWindowDays();
    if (options.cutoff() != null) {
      int cutoff = (int) options.cutoff().toEpochDay();
      if (training) {
        checkWindow(cutoff, minDay, maxDay, options);
      }
      return cutoff;
    }
    int cutoff = training ? maxDay - window : maxDay;
    if (cutoff < minDay) {
      throw new IllegalArgumentException(
          "the orders span "
              + LocalDate.ofEpochDay(minDay)
              + " to "
              + LocalDate.ofEpochDay(maxDay)
              + ", shorter than the "
              + window
              + "-day label window: no order is left before the default cutoff; export a longer"
              + " history or set the cutoff");
    }
    return cutoff;
  }

  private static void checkWindow(int cutoff, int minDay, int maxDay, RfmOptions options) {
    int window = options.labelWindowDays();
    String span =
        "the export's orders run from "
            + LocalDate.ofEpochDay(minDay)
            + " to "
            + LocalDate.ofEpochDay(maxDay);
    if (cutoff < minDay) {
      throw new IllegalArgumentException(
          "the cutoff "
              + LocalDate.ofEpochDay(cutoff)
              + " is before the first order: "
              + span
              + "; no customer has a history at the cutoff (retention.orders.cutoff)");
    }
    if (cutoff >= maxDay) {
      throw new IllegalArgumentException(
          "the cutoff "
              + LocalDate.ofEpochDay(cutoff)
              + " is on or after the export's last order ("
              + span
              + "): no day of the "
              + window
              + "-day label window is observed; set retention.orders.cutoff to at most "
              + LocalDate.ofEpochDay(maxDay - window)
              + ", or leave it unset");
    }
    if (cutoff + window > maxDay && !options.allowCensoredWindow()) {
      throw new IllegalArgumentException(
          censoredWindow(cutoff, minDay, maxDay, window)
              + "; set retention.orders.cutoff to at most "
              + LocalDate.ofEpochDay(maxDay - window)
              + ", or retention.orders.allow-censored-window=true to train on censored labels");
    }
  }

  /**
   * The warning of a training whose label window runs past the export's last order, or null when
   * the window is observed.
   */
  public static String censoredWindowWarning(int cutoff, int minDay, int maxDay, int window) {
    if (cutoff + window <= maxDay) {
      return null;
    }
    return censoredWindow(cutoff, minDay, maxDay, window)
        + ": customers who would buy in the unobserved days count as not buying again (censored"
        + " labels; retention.orders.allow-censored-window=true)";
  }

  private static String censoredWindow(int cutoff, int minDay, int maxDay, int window) {
    return "the "
        + window
        + "-day label window after the cutoff "
        + LocalDate.ofEpochDay(cutoff)
        + " ends on "
        + LocalDate.ofEpochDay(cutoff + window)
        + ", after the export's last order ("
        + "the export's orders run from "
        + LocalDate.ofEpochDay(minDay)
        + " to "
        + LocalDate.ofEpochDay(maxDay)
        + "): only "
        + Math.max(0, maxDay - cutoff)
        + " of its "
        + window
        + " days are observed";
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
    long duplicates = 0;
    long merged = 0;
    long conflicts = 0;
    long partlyRefunded = 0;
    long netted = 0;
    long distinctOrders = 0;
    OrderBook.CustomerOrders scratch = new OrderBook.CustomerOrders();
    CustomerHistory history = new CustomerHistory();
    int rows = 0;
    for (int c = 0; c < customers; c++) {
      OrderBook.CustomerOrders orders =
          book.collect(c, scratch, cutoff, withLabels ? cutoff + window : cutoff);
      duplicates += orders.duplicates;
      merged += orders.merged;
      conflicts += orders.conflicts;
      netted += orders.refundRowsNetted;
      history.reset(cutoff, window);
      for (int k = 0; k < orders.count; k++) {
        int o = orders.order[k];
        history.add(
            orders.day[o],
            orders.amount[o],
            orders.hasPurchase[o],
            orders.refundedByCutoff[o],
            orders.refundedByHorizon[o],
            orders.items[o],
            orders.channel[o]);
      }
      partlyRefunded += history.partlyRefunded;
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
            conflicts,
            partlyRefunded,
            netted);
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
        counts,
        columns,
        List.of());
  }
}
