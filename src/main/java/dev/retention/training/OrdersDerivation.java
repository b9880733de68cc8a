package dev.retention.training;

import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeature;
import dev.retention.features.RfmFeatures;
import dev.retention.model.RetentionModel;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
      "batch scoring (exports/score/) derives the same features from an orders export, read in"
          + " the dialect recorded here, as of its latest order day, or retention.batch.as-of when"
          + " set; no label is needed";

  /** Why money features are left out of an export without money. */
  static final String NO_MONEY =
      "the export has no money (retention.orders.money=false): no amount was read";

  /**
   * How the export was read: its dialect (as {@code OrdersDialect.describe()} gives it) and the
   * reader's own counts.
   *
   * @param dialect the dialect's record; null when unknown (tools, tests)
   * @param guestRows rows without a customer id, skipped
   * @param customerIdsMerged ids the id normalisation made one with another spelling
   */
  public record Reading(
      Map<String, String> dialect, long guestRows, long customerIdsMerged, long furtherLines) {

    /** A reading without further lines (every order cell on every row). */
    public Reading(Map<String, String> dialect, long guestRows, long customerIdsMerged) {
      this(dialect, guestRows, customerIdsMerged, 0);
    }

    /** Nothing known about the reading. */
    public static Reading unknown() {
      return new Reading(null, 0, 0);
    }
  }

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
    return input(
        derived, grain, Reading.unknown(), rowsRead, rowsRejected, rejections, source, timingsMs);
  }

  /** {@link #input} with how the export was read. */
  public static Trainer.Input input(
      RfmFeatures.Derived derived,
      OrderBook.Grain grain,
      Reading reading,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      String source,
      Map<String, Long> timingsMs) {
    return new Trainer.Input(
        derived.features(),
        derived.labels(),
        derived.windowPurchases(),
        new Trainer.About(
            labelName(derived.labelWindowDays()),
            rowsRead,
            rowsRejected,
            rejections,
            source,
            timingsMs,
            describe(derived, grain, reading)));
  }

  public static RetentionModel.Derivation describe(
      RfmFeatures.Derived derived, OrderBook.Grain grain) {
    return describe(derived, grain, Reading.unknown());
  }

  public static RetentionModel.Derivation describe(
      RfmFeatures.Derived derived, OrderBook.Grain grain, Reading reading) {
    return describe(
        derived.cutoff(),
        derived.labelWindowDays(),
        derived.definitions(),
        derived.counts(),
        grain,
        derived.columns(),
        reading,
        derived.warnings());
  }

  /** The record of a derivation made in parts (its counts summed over them). */
  public static RetentionModel.Derivation describe(
      LocalDate cutoff,
      int labelWindowDays,
      List<RfmFeatures.Definition> definitions,
      RfmFeatures.Counts counts,
      OrderBook.Grain grain) {
    return describe(
        cutoff,
        labelWindowDays,
        definitions,
        counts,
        grain,
        new RfmFeatures.Columns(false, false, false, true),
        Reading.unknown(),
        List.of());
  }

  /** The record of a derivation, with the export's columns, its reading and warnings. */
  public static RetentionModel.Derivation describe(
      LocalDate cutoff,
      int labelWindowDays,
      List<RfmFeatures.Definition> definitions,
      RfmFeatures.Counts counts,
      OrderBook.Grain grain,
      RfmFeatures.Columns columns,
      Reading reading,
      List<String> warnings) {
    Map<String, Long> allCounts = new LinkedHashMap<>(counts.asMap());
    allCounts.put("guestRowsSkipped", reading.guestRows());
    allCounts.put("customerIdsMerged", reading.customerIdsMerged());
    if (reading.furtherLines() > 0) {
      // retention.orders.order-cells=ONE_ROW: rows that were an order's further lines.
      allCounts.put("orderLinesWithoutOrderCells", reading.furtherLines());
    }
    List<String> leftOut = new ArrayList<>();
    for (RfmFeature feature : RfmFeature.values()) {
      if (feature.money() && !columns.money()) {
        leftOut.add(feature.column() + ": " + NO_MONEY);
      }
    }
    return new RetentionModel.Derivation(
        "orders",
        cutoff.toString(),
        labelWindowDays,
        grain.name(),
        definitions.stream()
            .map(d -> new RetentionModel.FeatureDefinition(d.name(), d.meaning()))
            .toList(),
        RfmFeatures.RULES,
        allCounts,
        SCORING,
        columns.money(),
        List.copyOf(leftOut),
        reading.dialect() == null
            ? null
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reading.dialect())),
        List.copyOf(warnings));
  }
}
