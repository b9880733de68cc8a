package dev.retention.data;

import dev.retention.features.OrderBook;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The full dialect an orders export was read in: its {@link OrdersSchema} (columns, money, refund
 * marks, order key, grain, dates and zone, guest rows, ids) and its {@link TextFormat} (delimiter,
 * decimal separator, case collisions). A model derived from orders records it ({@code
 * derivation.dialect}, {@link #describe()}), and every other path that reads orders for that model
 * (batch scoring, scoring from a request's orders, the Spark trainer) builds its reader's rules
 * from the model alone through {@link #of(Map, double)}: the one way, so orders are read exactly as
 * training read them.
 */
public record OrdersDialect(OrdersSchema schema, TextFormat text) {

  /** The default dialect: the default orders columns in the default text layout. */
  public static OrdersDialect defaults() {
    return new OrdersDialect(OrdersSchema.defaults(), TextFormat.defaults());
  }

  /** The dialect as the model records it: setting-like names and their values, as text. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    OrdersSchema.Columns c = schema.columns();
    put(out, "customerIdColumn", c.customerId());
    if (schema.orderKey() == OrdersSchema.OrderKey.ORDER_ID) {
      put(out, "orderIdColumn", c.orderId());
    }
    put(out, "orderDateColumn", c.orderDate());
    if (schema.money()) {
      if (c.lineItems()) {
        put(out, "quantityColumn", c.quantity());
        put(out, "unitPriceColumn", c.unitPrice());
      } else {
        put(out, "amountColumn", c.amount());
      }
    }
    put(out, "itemsColumn", c.items());
    put(out, "statusColumn", c.status());
    put(out, "channelColumn", c.channel());
    put(out, "money", Boolean.toString(schema.money()));
    put(out, "orderKey", schema.orderKey().name());
    put(out, "grain", schema.grain().name());
    put(out, "orderCells", schema.orderCells().name());
    put(out, "refundStatuses", String.join(",", new TreeSet<>(schema.refunds().statuses())));
    put(out, "cancelPrefix", schema.refunds().cancelPrefix());
    if (!schema.dates().formats().isEmpty()) {
      put(out, "dateFormats", String.join("|", schema.dates().formats()));
    }
    if (schema.dates().zone() != null) {
      put(out, "timeZone", schema.dates().zone().getId());
    }
    put(out, "guestRows", schema.ids().guests().name());
    put(out, "idNormalisation", schema.ids().normalisation().name());
    put(out, "delimiter", TextFormat.name(text.delimiter()));
    put(out, "decimalSeparator", String.valueOf(text.decimalSeparator()));
    put(out, "allowCaseCollisions", Boolean.toString(text.allowCaseCollisions()));
    return out;
  }

  private static void put(Map<String, String> out, String key, String value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  /**
   * The dialect a model recorded, read back.
   *
   * @param maxRejectedShare the reader's rejected-share limit (a setting of the reading function,
   *     not of the dialect)
   * @throws IllegalArgumentException when the record is not one this code wrote
   */
  public static OrdersDialect of(Map<String, String> recorded, double maxRejectedShare) {
    String quantity = recorded.get("quantityColumn");
    OrdersSchema.Columns columns =
        new OrdersSchema.Columns(
            required(recorded, "customerIdColumn"),
            recorded.getOrDefault("orderIdColumn", "order_id"),
            required(recorded, "orderDateColumn"),
            recorded.getOrDefault("amountColumn", "amount"),
            quantity,
            quantity == null ? null : required(recorded, "unitPriceColumn"),
            recorded.get("itemsColumn"),
            recorded.get("statusColumn"),
            recorded.get("channelColumn"));
    String statuses = recorded.getOrDefault("refundStatuses", "");
    OrdersSchema.Refunds refunds =
        new OrdersSchema.Refunds(
            statuses.isEmpty()
                ? java.util.Set.of()
                : java.util.Set.copyOf(Arrays.asList(statuses.split(","))),
            recorded.get("cancelPrefix"));
    String formats = recorded.get("dateFormats");
    String zone = recorded.get("timeZone");
    OrdersSchema schema =
        new OrdersSchema(
            columns,
            refunds,
            OrderBook.Grain.valueOf(recorded.getOrDefault("grain", "ORDER")),
            OrdersSchema.OrderKey.valueOf(recorded.getOrDefault("orderKey", "ORDER_ID")),
            Boolean.parseBoolean(recorded.getOrDefault("money", "true")),
            new OrdersSchema.Dates(
                formats == null ? List.of() : Arrays.asList(formats.split("\\|")),
                zone == null ? null : ZoneId.of(zone)),
            new IdRules(
                IdRules.GuestRows.valueOf(recorded.getOrDefault("guestRows", "SKIP")),
                IdRules.Normalisation.valueOf(recorded.getOrDefault("idNormalisation", "EXACT"))),
            maxRejectedShare,
            // Models before this record have every order cell on every row.
            OrdersSchema.OrderCells.valueOf(recorded.getOrDefault("orderCells", "EVERY_ROW")));
    TextFormat text =
        TextFormat.of(
            recorded.getOrDefault("delimiter", ","),
            recorded.getOrDefault("decimalSeparator", "."),
            Boolean.parseBoolean(recorded.getOrDefault("allowCaseCollisions", "false")));
    return new OrdersDialect(schema, text);
  }

  private static String required(Map<String, String> recorded, String key) {
    String value = recorded.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "the model's recorded dialect has no " + key.toLowerCase(Locale.ROOT));
    }
    return value;
  }
}
