package dev.retention.training;

import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeatures;
import dev.retention.model.RetentionModel;
import java.util.List;
import java.util.Map;

/**
 * What a model trained on an orders export records about its features: the model-owned {@link
 * RetentionModel.Derivation}, mapped from the derivation's own records so that the published JSON
 * does not follow renames in {@code features}. Every trainer (the train function, the Spark job)
 * maps through here.
 */
public final class OrdersDerivation {

  private OrdersDerivation() {}

  /** How the scores of such a model are computed from an orders export. */
  static final String SCORING =
      "batch scoring (exports/score/) derives the same features from an orders export as of its"
          + " latest order day, or retention.batch.as-of when set; no label is needed";

  /** The label's name in a model derived from orders. */
  public static String labelName(int windowDays) {
    return "bought_again_within_" + windowDays + "_days";
  }

  /**
   * The trainer's input from an orders export's derivation: the one mapping of derived features,
   * label, read counts and derivation record that every trainer of an orders export uses.
   */
  public static Trainer.Input input(
      RfmFeatures.Derived derived,
      OrderBook.Grain grain,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      String source,
      Map<String, Long> timingsMs) {
    return new Trainer.Input(
        derived.features(),
        derived.labels(),
        labelName(derived.labelWindowDays()),
        rowsRead,
        rowsRejected,
        rejections,
        source,
        timingsMs,
        describe(derived, grain),
        derived.windowPurchases());
  }

  public static RetentionModel.Derivation describe(
      RfmFeatures.Derived derived, OrderBook.Grain grain) {
    return describe(
        derived.cutoff(),
        derived.labelWindowDays(),
        derived.definitions(),
        derived.counts(),
        grain);
  }

  /** The record of a derivation made in parts (its counts summed over them). */
  public static RetentionModel.Derivation describe(
      java.time.LocalDate cutoff,
      int labelWindowDays,
      List<RfmFeatures.Definition> definitions,
      RfmFeatures.Counts counts,
      OrderBook.Grain grain) {
    return new RetentionModel.Derivation(
        "orders",
        cutoff.toString(),
        labelWindowDays,
        grain.name(),
        definitions.stream()
            .map(d -> new RetentionModel.FeatureDefinition(d.name(), d.meaning()))
            .toList(),
        RfmFeatures.RULES,
        counts.asMap(),
        SCORING);
  }
}
