package dev.retention.service.batch;

import dev.retention.data.ExportSchema;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.data.TextFormat;
import dev.retention.features.RfmOptions;

/**
 * What the batch-score function does with an export.
 *
 * @param prefix exports under this prefix are scored
 * @param outputPrefix scores go to {@code <outputPrefix><model version>/<export name>.csv}
 * @param features id column and rejection limit of feature exports
 * @param orders columns of orders exports (for models derived from orders)
 * @param limits what reading one export may cost
 * @param rfm the cutoff for scoring ({@code null} = the export's latest order day)
 * @param order PRIORITY (most value at risk, else lowest probability, first) or INPUT
 * @param text the exports' delimiter, decimal separator and case-collision rule (an orders model
 *     reads its orders in the dialect it recorded instead)
 */
public record BatchSettings(
    String prefix,
    String outputPrefix,
    ExportSchema features,
    OrdersSchema orders,
    ReadLimits limits,
    RfmOptions rfm,
    Order order,
    TextFormat text) {

  /** Settings for exports in the default text layout. */
  public BatchSettings(
      String prefix,
      String outputPrefix,
      ExportSchema features,
      OrdersSchema orders,
      ReadLimits limits,
      RfmOptions rfm,
      Order order) {
    this(prefix, outputPrefix, features, orders, limits, rfm, order, TextFormat.defaults());
  }

  /** The order of the scores CSV's rows. */
  public enum Order {
    /** The most value at risk first (or the lowest repurchase probability first). */
    PRIORITY,
    /** As the export lists the customers. */
    INPUT
  }
}
