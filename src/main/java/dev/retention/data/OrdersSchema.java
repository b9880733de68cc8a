package dev.retention.data;

import dev.retention.features.OrderBook;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An orders export's dialect: which columns mean what and how its rows are read, declared by
 * settings ({@code retention.orders.*}), never by rewriting the file.
 *
 * @param columns which columns mean what
 * @param refunds what marks a refund row
 * @param grain one row per order, or per order line
 * @param orderKey what one order is: an order id, or a customer's day
 * @param money whether the export has money (an amount, or quantity × unit price); without it the
 *     money features are left out and the model says so
 * @param dates the date formats and the time zone of order days
 * @param ids guest rows and id normalisation
 * @param maxRejectedShare if more than this share of rows is rejected, the read fails
 * @param orderCells whether every row of an order holds its order-level cells, or one row only
 */
public record OrdersSchema(
    Columns columns,
    Refunds refunds,
    OrderBook.Grain grain,
    OrderKey orderKey,
    boolean money,
    Dates dates,
    IdRules ids,
    double maxRejectedShare,
    OrderCells orderCells)
    implements java.io.Serializable {
  private static final long serialVersionUID = 3L;

  /**
   * Where an order's order-level cells (its amount when the export has an amount column, its
   * status) are written.
   */
  public enum OrderCells {
    /** On every row of the order: each row's status and amount are that row's. */
    EVERY_ROW,
    /**
     * On one row of the order; its other rows are further line items that leave them empty
     * (Shopify's orders export). At order grain a row with neither an amount nor a status is such a
     * line and adds nothing (the order's amount is the one row's); a refund status refunds the
     * whole order, at line grain too (the row's own line still counts as bought, then the order is
     * netted). Each row is decided by itself, so the row order does not matter.
     */
    ONE_ROW
  }

  /** The dialect with every order-level cell on every row ({@link OrderCells#EVERY_ROW}). */
  public OrdersSchema(
      Columns columns,
      Refunds refunds,
      OrderBook.Grain grain,
      OrderKey orderKey,
      boolean money,
      Dates dates,
      IdRules ids,
      double maxRejectedShare) {
    this(
        columns,
        refunds,
        grain,
        orderKey,
        money,
        dates,
        ids,
        maxRejectedShare,
        OrderCells.EVERY_ROW);
  }

  /** What one order is. */
  public enum OrderKey {
    /** The order id column. */
    ORDER_ID,
    /**
     * A customer's day: purchase logs without order ids; the rows of one customer and day are the
     * lines of one order.
     */
    CUSTOMER_DAY
  }

  /**
   * The columns. The amount is either {@code amount} or, when both are set, {@code quantity} ×
   * {@code unitPrice} (line-item exports); items, status and channel are optional (used when the
   * export has them).
   *
   * @param customerId the customer's id (required)
   * @param orderId the order's id (required unless the order key is a customer's day)
   * @param orderDate the order's date (required)
   * @param amount order or line amount; negative = refund (required with money, unless quantity and
   *     unit price are set)
   * @param quantity quantity of a line (null: not used); negative = a cancellation
   * @param unitPrice unit price of a line (null: not used)
   * @param items item count (optional)
   * @param status order status or refund flag (optional)
   * @param channel sales channel (optional)
   */
  public record Columns(
      String customerId,
      String orderId,
      String orderDate,
      String amount,
      String quantity,
      String unitPrice,
      String items,
      String status,
      String channel)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Columns {
      if ((quantity == null) != (unitPrice == null)) {
        throw new IllegalArgumentException(
            "retention.orders.quantity-column and retention.orders.unit-price-column are set"
                + " together (amount = quantity × unit price) or not at all");
      }
    }

    /** Whether the amount is quantity × unit price. */
    public boolean lineItems() {
      return quantity != null;
    }

    public static Columns defaults() {
      return new Columns(
          "customer_id",
          "order_id",
          "order_date",
          "amount",
          null,
          null,
          "items",
          "status",
          "channel");
    }
  }

  /**
   * What marks a refund row (besides a negative amount or quantity, which always does).
   *
   * @param statuses status values (case-insensitive) that mark a refund or cancellation; a
   *     true/1/yes flag always does
   * @param cancelPrefix an order id starting with this marks a cancellation (e.g. {@code C}); null
   *     for none
   */
  public record Refunds(Set<String> statuses, String cancelPrefix) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Refunds {
      statuses =
          statuses.stream()
              .map(s -> s.trim().toLowerCase(Locale.ROOT))
              .collect(Collectors.toUnmodifiableSet());
      if (cancelPrefix != null && cancelPrefix.isEmpty()) {
        cancelPrefix = null;
      }
    }

    public static Refunds defaults() {
      return new Refunds(
          Set.of("refunded", "returned", "cancelled", "canceled", "chargeback"), null);
    }
  }

  /**
   * How order dates are read.
   *
   * @param formats {@link java.time.format.DateTimeFormatter} patterns, tried in order; empty = the
   *     ISO forms ({@code yyyy-MM-dd}, optionally with a time and an offset)
   * @param zone the zone whose day a date-time with an offset falls on; null = each date's own day
   *     as written
   */
  public record Dates(List<String> formats, ZoneId zone) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Dates {
      formats = List.copyOf(formats);
      DateParser.compile(formats); // a bad pattern fails here, naming the setting
    }

    public static Dates iso() {
      return new Dates(List.of(), null);
    }

    /** The accepted forms, in words. */
    public String describe() {
      return DateParser.describe(formats);
    }
  }

  public OrdersSchema {
    if (!(maxRejectedShare >= 0 && maxRejectedShare <= 1)) {
      throw new IllegalArgumentException(
          "maxRejectedShare must be in [0, 1], got " + maxRejectedShare);
    }
    if (orderCells == null) {
      orderCells = OrderCells.EVERY_ROW;
    }
    if (orderCells == OrderCells.ONE_ROW && orderKey != OrderKey.ORDER_ID) {
      throw new IllegalArgumentException(
          "retention.orders.order-cells=ONE_ROW needs order ids (retention.orders.order-key=ORDER_ID):"
              + " the rows of one order are told by their order id");
    }
    if (orderKey == OrderKey.CUSTOMER_DAY) {
      // The rows of one customer and day are the lines of one order.
      grain = OrderBook.Grain.LINE;
    }
  }

  /** The dialect of the plain order table: the given columns, ISO dates, ids exact, money. */
  public OrdersSchema(
      String customerIdColumn,
      String orderIdColumn,
      String orderDateColumn,
      String amountColumn,
      String itemsColumn,
      String statusColumn,
      String channelColumn,
      Set<String> refundStatuses,
      OrderBook.Grain grain,
      double maxRejectedShare) {
    this(
        new Columns(
            customerIdColumn,
            orderIdColumn,
            orderDateColumn,
            amountColumn,
            null,
            null,
            itemsColumn,
            statusColumn,
            channelColumn),
        new Refunds(refundStatuses, null),
        grain,
        OrderKey.ORDER_ID,
        true,
        Dates.iso(),
        IdRules.ordersDefaults(),
        maxRejectedShare);
  }

  public String customerIdColumn() {
    return columns.customerId();
  }

  public String orderIdColumn() {
    return columns.orderId();
  }

  public String orderDateColumn() {
    return columns.orderDate();
  }

  public String amountColumn() {
    return columns.amount();
  }

  public String itemsColumn() {
    return columns.items();
  }

  public String statusColumn() {
    return columns.status();
  }

  public String channelColumn() {
    return columns.channel();
  }

  public Set<String> refundStatuses() {
    return refunds.statuses();
  }

  public static OrdersSchema defaults() {
    return new OrdersSchema(
        Columns.defaults(),
        Refunds.defaults(),
        OrderBook.Grain.ORDER,
        OrderKey.ORDER_ID,
        true,
        Dates.iso(),
        IdRules.ordersDefaults(),
        0.01);
  }

  public OrdersSchema withColumns(Columns newColumns) {
    return new OrdersSchema(
        newColumns, refunds, grain, orderKey, money, dates, ids, maxRejectedShare, orderCells);
  }

  public OrdersSchema withRefunds(Refunds newRefunds) {
    return new OrdersSchema(
        columns, newRefunds, grain, orderKey, money, dates, ids, maxRejectedShare, orderCells);
  }

  public OrdersSchema withGrain(OrderBook.Grain newGrain) {
    return new OrdersSchema(
        columns, refunds, newGrain, orderKey, money, dates, ids, maxRejectedShare, orderCells);
  }

  public OrdersSchema withOrderKey(OrderKey newOrderKey) {
    return new OrdersSchema(
        columns, refunds, grain, newOrderKey, money, dates, ids, maxRejectedShare, orderCells);
  }

  public OrdersSchema withMoney(boolean newMoney) {
    return new OrdersSchema(
        columns, refunds, grain, orderKey, newMoney, dates, ids, maxRejectedShare, orderCells);
  }

  public OrdersSchema withDates(Dates newDates) {
    return new OrdersSchema(
        columns, refunds, grain, orderKey, money, newDates, ids, maxRejectedShare, orderCells);
  }

  public OrdersSchema withMaxRejectedShare(double share) {
    return new OrdersSchema(
        columns, refunds, grain, orderKey, money, dates, ids, share, orderCells);
  }

  public OrdersSchema withOrderCells(OrderCells newOrderCells) {
    return new OrdersSchema(
        columns, refunds, grain, orderKey, money, dates, ids, maxRejectedShare, newOrderCells);
  }

  public OrdersSchema withIds(IdRules newIds) {
    return new OrdersSchema(
        columns, refunds, grain, orderKey, money, dates, newIds, maxRejectedShare, orderCells);
  }
}
