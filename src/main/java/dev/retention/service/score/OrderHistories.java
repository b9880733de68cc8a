package dev.retention.service.score;

import dev.retention.core.FeatureMatrix;
import dev.retention.data.ExportException;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders a score request sends, turned into the model's features by the trainer's own code:
 * each order through the orders export reader's row rules ({@link OrderExportReader.RowRules}: ids,
 * dates, future dates, numbers, items, refund statuses), all of a request's customers into one
 * order book (duplicates, order lines and refunds by the grain's rule), then {@link
 * RfmFeatures#asOf} at the request's as-of day. A customer's features are exactly what batch
 * scoring derives for the same orders as of the same day.
 */
final class OrderHistories {

  private OrderHistories() {}

  /**
   * The fields an order of a request may have: the orders schema's columns, without the customer id
   * (the request names the customer with {@code customerId}).
   */
  static List<String> orderFields(OrdersSchema schema) {
    List<String> fields = new ArrayList<>();
    for (String column : columns(schema)) {
      if (!column.equals(schema.customerIdColumn()) && !fields.contains(column)) {
        fields.add(column);
      }
    }
    return List.copyOf(fields);
  }

  private static List<String> columns(OrdersSchema schema) {
    return List.of(
        schema.customerIdColumn(),
        schema.orderIdColumn(),
        schema.orderDateColumn(),
        schema.amountColumn(),
        schema.itemsColumn(),
        schema.statusColumn(),
        schema.channelColumn());
  }

  /**
   * The features of each customer who sent orders, in {@code featureNames} order.
   *
   * @param fields the order fields the request was read with ({@link #orderFields})
   * @param latestAllowed orders dated after this day are refused as future dates
   * @return per customer index: the features, or null for a customer without orders or without a
   *     purchase on or before {@code asOf} (no purchase yet)
   * @throws BadRequest naming the first order a row rule refuses, and the rule
   */
  static double[][] derive(
      List<ScoreRequestReader.Customer> customers,
      boolean batch,
      OrdersSchema schema,
      List<String> fields,
      List<String> featureNames,
      LocalDate asOf,
      LocalDate latestAllowed,
      int labelWindowDays) {
    List<String> columns = new ArrayList<>();
    columns.add(schema.customerIdColumn());
    columns.addAll(fields);
    OrderExportReader.RowRules rules;
    try {
      rules = new OrderExportReader.RowRules(columns, schema, latestAllowed);
    } catch (ExportException e) {
      throw new IllegalStateException("the orders schema's columns do not read orders", e);
    }
    CharSequence[] cells = new CharSequence[columns.size()];
    for (int i = 0; i < customers.size(); i++) {
      List<String[]> orders = customers.get(i).orders();
      if (orders == null) {
        continue;
      }
      // The book keys customers by their place in the request: two entries with one id stay two.
      String key = Integer.toString(i);
      for (int o = 0; o < orders.size(); o++) {
        cells[0] = key;
        System.arraycopy(orders.get(o), 0, cells, 1, fields.size());
        OrderExportReader.RowProblem problem = rules.accept(o + 1L, cells);
        if (problem != null) {
          String at = (batch ? "customers[" + i + "]." : "") + "orders[" + o + "]";
          String field = problem.column() == null ? at : at + "." + problem.column();
          throw new BadRequest(
              "invalid_order", field + ": " + problem.problem(), field, batch ? i : null);
        }
      }
    }
    RfmFeatures.Derived derived =
        RfmFeatures.asOf(rules.book(), rules.optional(), asOf, labelWindowDays);
    FeatureMatrix table = derived.features();
    int[] column = new int[featureNames.size()];
    for (int f = 0; f < column.length; f++) {
      column[f] = table.columns().indexOf(featureNames.get(f));
      if (column[f] < 0) {
        throw new IllegalStateException(
            "the model reads '" + featureNames.get(f) + "', which orders do not give");
      }
    }
    double[][] out = new double[customers.size()][];
    double[] x = table.data();
    int d = table.cols();
    for (int row = 0; row < table.rows(); row++) {
      double[] values = new double[column.length];
      for (int f = 0; f < column.length; f++) {
        values[f] = x[row * d + column[f]];
      }
      out[Integer.parseInt(derived.customerIds().get(row))] = values;
    }
    return out;
  }
}
