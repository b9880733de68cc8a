package dev.retention.features;

import java.util.Arrays;

/**
 * One customer's orders folded at a cutoff: what every derived feature and the label are computed
 * from ({@link RfmFeature}), and how the customer counts under the edge rules. Reused from customer
 * to customer: {@link #reset}, one {@link #add} per distinct order (repeats already merged by the
 * grain's rule), then {@link #finish}.
 *
 * <p>The rules: a <em>purchase</em> is an order with a positive purchase amount that its refunds
 * (those dated up to the cutoff) did not refund in full; its spend is what is left. A
 * <em>refund</em> is an order refunded in full, or refund rows without a purchase of their own. A
 * zero-amount order is neither. Features read only orders dated on or before the cutoff; the label
 * reads only purchases in {@code (cutoff, cutoff + window]}, net of refunds dated in the window.
 */
public final class CustomerHistory {

  /** Window of {@link RfmFeature#ORDERS_30D}. */
  static final int RECENT_SHORT = 30;

  /** Window of {@link RfmFeature#ORDERS_90D}. */
  static final int RECENT_LONG = 90;

  /** How a customer enters the table, or why not. */
  public enum Standing {
    /** At least one purchase on or before the cutoff: a row of the table. */
    USED,
    /** Only refunds on or before the cutoff (and no purchase after it). */
    REFUNDS_ONLY,
    /** Only zero-amount orders on or before the cutoff. */
    ZERO_AMOUNT_ONLY,
    /** The first purchase is after the cutoff: not yet a customer at the cutoff. */
    FIRST_BUYING_AFTER_CUTOFF,
    /** Nothing on or before the cutoff and no purchase after it (e.g. only later refunds). */
    NONE
  }

  private int cutoff;
  private int window;
  private int[] days = new int[64];
  private int[] laterDays = new int[16];
  private int laterPurchases;
  private int windowPurchaseDays;
  private double windowRevenue;
  int purchases;
  int refunds;
  int partlyRefunded;
  int zeros;
  int first;
  int last;
  int recentShort;
  int recentLong;
  double spend;
  double items;
  long channels;
  boolean laterPurchase;
  boolean repurchased;
  long ordersAfterCutoff;
  long ordersAfterWindow;
  int distinctDays;
  double gapSum;
  double gapSquares;

  /** Starts a customer at {@code cutoff} (epoch day) with a label window of {@code window} days. */
  public void reset(int cutoff, int window) {
    this.cutoff = cutoff;
    this.window = window;
    purchases = 0;
    refunds = 0;
    partlyRefunded = 0;
    zeros = 0;
    first = Integer.MAX_VALUE;
    last = Integer.MIN_VALUE;
    recentShort = 0;
    recentLong = 0;
    spend = 0;
    items = 0;
    channels = 0;
    laterPurchase = false;
    repurchased = false;
    ordersAfterCutoff = 0;
    ordersAfterWindow = 0;
    distinctDays = 0;
    gapSum = 0;
    gapSquares = 0;
    laterPurchases = 0;
    windowPurchaseDays = 0;
    windowRevenue = 0;
  }

  /**
   * Adds one distinct order, its refund rows already netted ({@link OrderBook}).
   *
   * @param purchase the order's purchase amount (its purchase rows)
   * @param hasPurchase whether it has purchase rows (else it is a refund order of its own)
   * @param refundedByCutoff refunded by refund rows dated on or before the cutoff
   * @param refundedByHorizon refunded by refund rows dated on or before the label window's end
   * @param itemCount items, or NaN when not given
   * @param channel dense channel index, or a negative number for none
   */
  public void add(
      int day,
      double purchase,
      boolean hasPurchase,
      double refundedByCutoff,
      double refundedByHorizon,
      float itemCount,
      int channel) {
    if (day > cutoff) {
      // After the cutoff only the label reads it, with the refunds the window has seen.
      boolean bought = hasPurchase && purchase > refundedByHorizon;
      ordersAfterCutoff++;
      if (day > cutoff + window) {
        ordersAfterWindow++;
      } else if (bought) {
        repurchased = true;
        windowRevenue += purchase - refundedByHorizon;
        if (laterPurchases == laterDays.length) {
          laterDays = Arrays.copyOf(laterDays, laterPurchases * 2);
        }
        laterDays[laterPurchases++] = day;
      }
      laterPurchase |= bought;
      return;
    }
    if (!hasPurchase || (refundedByCutoff > 0 && refundedByCutoff >= purchase)) {
      refunds++;
      return;
    }
    if (!(purchase > 0)) {
      zeros++;
      return;
    }
    if (refundedByCutoff > 0) {
      partlyRefunded++;
    }
    if (purchases == days.length) {
      days = Arrays.copyOf(days, purchases * 2);
    }
    days[purchases++] = day;
    spend += purchase - refundedByCutoff;
    if (!Float.isNaN(itemCount)) {
      items += itemCount;
    }
    first = Math.min(first, day);
    last = Math.max(last, day);
    if (day > cutoff - RECENT_SHORT) {
      recentShort++;
    }
    if (day > cutoff - RECENT_LONG) {
      recentLong++;
    }
    if (channel >= 0) {
      channels |= 1L << (channel & 63);
    }
  }

  /** Folds the purchase days into distinct days and their gaps; returns how the customer counts. */
  public Standing finish() {
    Arrays.sort(laterDays, 0, laterPurchases);
    for (int i = 0; i < laterPurchases; i++) {
      if (i == 0 || laterDays[i] != laterDays[i - 1]) {
        windowPurchaseDays++;
      }
    }
    if (purchases == 0) {
      if (laterPurchase) {
        return Standing.FIRST_BUYING_AFTER_CUTOFF;
      }
      if (refunds > 0) {
        return Standing.REFUNDS_ONLY;
      }
      return zeros > 0 ? Standing.ZERO_AMOUNT_ONLY : Standing.NONE;
    }
    Arrays.sort(days, 0, purchases);
    int distinct = 0;
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
    distinctDays = distinct;
    return Standing.USED;
  }

  /**
   * Distinct purchase days within {@code (cutoff, cutoff + window]}: what the purchase model's
   * back-test compares its expectation with (never a feature).
   */
  public int windowPurchaseDays() {
    return windowPurchaseDays;
  }

  /**
   * Net revenue of the purchases within {@code (cutoff, cutoff + window]}: each order's amount less
   * the refunds dated up to the window's end (an order refunded in full is no purchase and adds
   * nothing). What a campaign's measured lift compares; never a feature.
   */
  public double windowRevenue() {
    return windowRevenue;
  }

  /** The label: a purchase within {@code (cutoff, cutoff + window]}. */
  public boolean repurchased() {
    return repurchased;
  }

  int cutoff() {
    return cutoff;
  }

  /** Days from the last purchase to the cutoff. */
  double recency() {
    return cutoff - last;
  }

  /** Gaps between consecutive distinct purchase days. */
  int gaps() {
    return distinctDays - 1;
  }
}
