package dev.retention.service;

import dev.retention.data.OrdersSchema;
import dev.retention.features.OrderBook;
import dev.retention.model.RetentionModel;

/**
 * How the orders scored with a model are read: the one place batch scoring and the score API take
 * the orders reader's rules from, so that both read a customer's orders as the model's training
 * read them. Today that is the configured columns and statuses with the grain the model recorded; a
 * model that records its whole export dialect is read with that dialect here, and nowhere else.
 */
public final class OrdersReading {

  private OrdersReading() {}

  /**
   * The orders schema for scoring with {@code model}.
   *
   * @param configured the function's {@code retention.orders.*} settings
   * @return {@code configured}, with the grain the model was trained with when it records one
   */
  public static OrdersSchema schema(RetentionModel model, OrdersSchema configured) {
    RetentionModel.Derivation derivation = model.derivation();
    if (derivation == null || derivation.grain() == null) {
      return configured;
    }
    OrderBook.Grain grain = OrderBook.Grain.valueOf(derivation.grain());
    if (grain == configured.grain()) {
      return configured;
    }
    return new OrdersSchema(
        configured.customerIdColumn(),
        configured.orderIdColumn(),
        configured.orderDateColumn(),
        configured.amountColumn(),
        configured.itemsColumn(),
        configured.statusColumn(),
        configured.channelColumn(),
        configured.refundStatuses(),
        grain,
        configured.maxRejectedShare());
  }
}
