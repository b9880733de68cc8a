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

  /**
   * The documented defaults (README "Configuration", application.properties): what a test or tool
   * starts from, changing only what it is about with the {@code with...} methods, instead of
   * spelling out eleven positional components.
   */
  public static TrainSettings defaults() {
    return new TrainSettings(
        "exports/features/",
        ExportSchema.defaults(),
        TrainingOptions.defaults(),
        "exports/orders/",
        OrdersSchema.defaults(),
        RfmOptions.defaults(),
        SegmentOptions.defaults(),
        Playbook.of(Playbook.DEFAULT_HIGH_RISK_BELOW, Playbook.DEFAULT_MEDIUM_RISK_BELOW, null),
        ReadLimits.defaults(),
        QualityGate.defaults(),
        TextFormat.defaults());
  }

  public TrainSettings withSchema(ExportSchema value) {
    return new TrainSettings(
        exportPrefix,
        value,
        options,
        ordersPrefix,
        ordersSchema,
        rfm,
        segments,
        playbook,
        limits,
        qualityGate,
        text);
  }

  public TrainSettings withOptions(TrainingOptions value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        value,
        ordersPrefix,
        ordersSchema,
        rfm,
        segments,
        playbook,
        limits,
        qualityGate,
        text);
  }

  public TrainSettings withOrdersSchema(OrdersSchema value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        value,
        rfm,
        segments,
        playbook,
        limits,
        qualityGate,
        text);
  }

  public TrainSettings withRfm(RfmOptions value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        ordersSchema,
        value,
        segments,
        playbook,
        limits,
        qualityGate,
        text);
  }

  public TrainSettings withSegments(SegmentOptions value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        ordersSchema,
        rfm,
        value,
        playbook,
        limits,
        qualityGate,
        text);
  }

  public TrainSettings withPlaybook(Playbook value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        ordersSchema,
        rfm,
        segments,
        value,
        limits,
        qualityGate,
        text);
  }

  public TrainSettings withLimits(ReadLimits value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        ordersSchema,
        rfm,
        segments,
        playbook,
        value,
        qualityGate,
        text);
  }

  public TrainSettings withQualityGate(QualityGate value) {
    return new TrainSettings(
        exportPrefix,
        schema,
        options,
        ordersPrefix,
        ordersSchema,
        rfm,
        segments,
        playbook,
        limits,
        value,
        text);
  }

  public TrainSettings withText(TextFormat value) {
    return new TrainSettings(
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
        value);
  }
}
