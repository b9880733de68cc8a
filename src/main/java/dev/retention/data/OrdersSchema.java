package dev.retention.data;

import dev.retention.features.OrderBook;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which columns of an orders export mean what. Items, status and channel are optional: used when
 * the export has them.
 *
 * @param customerIdColumn the customer's id (required)
 * @param orderIdColumn the order's id (required)
 * @param orderDateColumn {@code yyyy-MM-dd}, optionally followed by a time (required)
 * @param amountColumn order or line amount; negative = refund (required)
 * @param itemsColumn item count (optional)
 * @param statusColumn order status or refund flag (optional)
 * @param channelColumn sales channel (optional)
 * @param refundStatuses status values (case-insensitive) that mark a refund or cancellation; a
 *     true/1/yes flag always does
 * @param grain one row per order or per order line
 * @param maxRejectedShare if more than this share of rows is rejected, the read fails
 */
public record OrdersSchema(
    String customerIdColumn,
    String orderIdColumn,
    String orderDateColumn,
    String amountColumn,
    String itemsColumn,
    String statusColumn,
    String channelColumn,
    Set<String> refundStatuses,
    OrderBook.Grain grain,
    double maxRejectedShare)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public OrdersSchema {
    refundStatuses =
        refundStatuses.stream()
            .map(s -> s.trim().toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    if (!(maxRejectedShare >= 0 && maxRejectedShare <= 1)) {
      throw new IllegalArgumentException(
          "maxRejectedShare must be in [0, 1], got " + maxRejectedShare);
    }
  }

  public static OrdersSchema defaults() {
    return new OrdersSchema(
        "customer_id",
        "order_id",
        "order_date",
        "amount",
        "items",
        "status",
        "channel",
        Set.of("refunded", "returned", "cancelled", "canceled", "chargeback"),
        OrderBook.Grain.ORDER,
        0.01);
  }
}
