package dev.retention.service;

import dev.retention.data.OrdersDialect;
import dev.retention.model.RetentionModel;
import java.util.Map;

/**
 * How the orders scored with a model are read: the one place batch scoring and the score API take
 * the orders reader's rules from, so that both read a customer's orders exactly as the model's
 * training read them (columns, date formats, time zone, refunds, grain, delimiter, decimal
 * separator: the dialect the model recorded).
 */
public final class OrdersReading {

  private OrdersReading() {}

  /**
   * The dialect for scoring with {@code model}: the one it recorded, or for models before schema
   * 1.4 (which did not record one) the function's own {@code retention.orders.*} settings.
   *
   * @param configured the function's settings, for models without a recorded dialect
   * @throws IllegalArgumentException when the recorded dialect is not one this code wrote
   */
  public static OrdersDialect dialect(RetentionModel model, OrdersDialect configured) {
    Map<String, String> recorded = model.derivation() == null ? null : model.derivation().dialect();
    return recorded == null
        ? configured
        : OrdersDialect.of(recorded, configured.schema().maxRejectedShare());
  }
}
