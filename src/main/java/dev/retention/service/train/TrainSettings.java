package dev.retention.service.train;

import dev.retention.data.ExportSchema;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.data.TextFormat;
import dev.retention.features.RfmOptions;
import dev.retention.model.Playbook;
import dev.retention.training.SegmentOptions;
import dev.retention.training.TrainingOptions;

/**
 * What the train function does with an export.
 *
 * @param exportPrefix feature exports: keys under this prefix are trained on as they are
 * @param schema columns and rejection limit of feature exports
 * @param options training hyper-parameters
 * @param ordersPrefix orders exports: keys under this prefix become features and labels first
 * @param ordersSchema columns, grain and rejection limit of orders exports
 * @param rfm label window and cutoff of the derivation
 * @param segments minimum segment size and the RFM roles for naming
 * @param playbook risk bands and suggested actions, recorded in each model
 * @param limits what reading one export may cost
 * @param qualityGate when a new model may not become latest
 * @param text the exports' delimiter, decimal separator and case-collision rule
 */
public record TrainSettings(
    String exportPrefix,
    ExportSchema schema,
    TrainingOptions options,
    String ordersPrefix,
    OrdersSchema ordersSchema,
    RfmOptions rfm,
    SegmentOptions segments,
    Playbook playbook,
    ReadLimits limits,
    QualityGate qualityGate,
    TextFormat text) {

  /** Settings for exports in the default text layout. */
  public TrainSettings(
      String exportPrefix,
      ExportSchema schema,
      TrainingOptions options,
      String ordersPrefix,
      OrdersSchema ordersSchema,
      RfmOptions rfm,
      SegmentOptions segments,
      Playbook playbook,
      ReadLimits limits,
      QualityGate qualityGate) {
    this(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        ordersSchema,
        rfm,
        segments,
        playbook,
        limits,
        qualityGate,
        TextFormat.defaults());
  }
}
