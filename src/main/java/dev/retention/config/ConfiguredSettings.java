package dev.retention.config;

import dev.retention.data.ExportSchema;
import dev.retention.data.IdRules;
import dev.retention.data.OrdersDialect;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.data.TextFormat;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmOptions;
import dev.retention.model.Playbook;
import dev.retention.service.train.QualityGate;
import dev.retention.service.train.TrainSettings;
import dev.retention.storage.S3Settings;
import dev.retention.training.SegmentOptions;
import dev.retention.training.TrainingOptions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * What the {@code retention.*} settings mean for training and storage: the train settings, the
 * orders dialect and the S3 settings, built from the mapping ({@link RetentionConfig}) and the
 * binder ({@link SettingsBinder}). One reading for the functions and the Spark job, so a hand-off
 * trains with exactly the function's settings; a value that is not one of a setting's choices fails
 * naming the setting.
 */
public final class ConfiguredSettings {

  private ConfiguredSettings() {}

  /** The storage settings of the {@code retention.s3.*} group, for {@code bucket}. */
  public static S3Settings s3(RetentionConfig.S3 s3, String bucket) {
    return new S3Settings(
        bucket,
        s3.region(),
        s3.endpointOverride(),
        s3.pathStyle(),
        s3.connectTimeout(),
        s3.socketTimeout(),
        s3.apiCallAttemptTimeout(),
        s3.apiCallTimeout(),
        s3.maxAttempts());
  }

  /** The train function's settings from configuration (also the Spark trainer's). */
  public static TrainSettings train(RetentionConfig mapping, Config config) {
    RetentionConfig.Export export = mapping.export();
    IdRules.Normalisation normalisation =
        setting(
            IdRules.Normalisation.class,
            "retention.export.id-normalisation",
            export.idNormalisation());
    ExportSchema schema =
        new ExportSchema(
            export.idColumn(),
            export.labelColumn(),
            export.includeColumns().orElse(List.of()),
            export.excludeColumns().orElse(List.of()),
            export.maxRejectedShare(),
            new IdRules(
                setting(IdRules.GuestRows.class, "retention.export.guest-rows", export.guestRows()),
                normalisation),
            setting(
                ExportSchema.DuplicateIds.class,
                "retention.export.duplicate-ids",
                export.duplicateIds()),
            treatment(export));
    TrainingOptions options =
        SettingsBinder.bind(config, KnownSettings.TRAIN_PREFIX, TrainingOptions.defaults());
    RetentionConfig.Segments segments = mapping.segments();
    return new TrainSettings(
        export.prefix(),
        schema,
        options,
        mapping.orders().prefix(),
        ordersSchema(mapping.orders(), normalisation, export.maxRejectedShare()),
        new RfmOptions(
            mapping.orders().labelWindowDays(),
            mapping.orders().cutoff().orElse(null),
            mapping.orders().allowCensoredWindow()),
        new SegmentOptions(
            segments.minSize(),
            segments.recencyFeature(),
            segments.frequencyFeature(),
            segments.monetaryFeature()),
        playbook(mapping),
        new ReadLimits(export.maxLineBytes(), export.maxGzipRatio(), export.maxColumns()),
        new QualityGate(
            mapping.qualityGate().margin(),
            mapping.qualityGate().force(),
            mapping.qualityGate().minAucLift(),
            mapping.qualityGate().allowDroppedFeatures()),
        TextFormat.of(export.delimiter(), export.decimalSeparator(), export.allowCaseCollisions()));
  }

  /** The treatment column of a randomized campaign, or null when none is set. */
  static ExportSchema.Treatment treatment(RetentionConfig.Export export) {
    String column = export.treatmentColumn().map(String::strip).orElse("");
    if (column.isEmpty()) {
      return null;
    }
    return new ExportSchema.Treatment(
        column,
        export.treatedValues(),
        export.controlValues(),
        export.outsideTreatmentValues().orElse(List.of()));
  }

  /**
   * The orders dialect of the {@code retention.orders.*} and {@code retention.export.*} settings:
   * how the train function reads orders exports, and for models that recorded no dialect of their
   * own ({@code OrdersReading}), batch scoring and the score API.
   */
  public static OrdersDialect ordersDialect(RetentionConfig mapping) {
    RetentionConfig.Export export = mapping.export();
    IdRules.Normalisation normalisation =
        setting(
            IdRules.Normalisation.class,
            "retention.export.id-normalisation",
            export.idNormalisation());
    return new OrdersDialect(
        ordersSchema(mapping.orders(), normalisation, export.maxRejectedShare()),
        TextFormat.of(export.delimiter(), export.decimalSeparator(), export.allowCaseCollisions()));
  }

  /** The orders dialect of the {@code retention.orders.*} settings. */
  static OrdersSchema ordersSchema(
      RetentionConfig.Orders orders, IdRules.Normalisation normalisation, double maxRejectedShare) {
    List<String> formats =
        orders.dateFormats().stream()
            .flatMap(f -> java.util.Arrays.stream(f.split("\\|")))
            .map(String::strip)
            .filter(f -> !f.isEmpty())
            .toList();
    java.time.ZoneId zone = null;
    if (orders.timeZone().isPresent()) {
      try {
        zone = java.time.ZoneId.of(orders.timeZone().get().strip());
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException(
            "retention.orders.time-zone: not a time zone (e.g. UTC, Europe/London, +02:00): "
                + e.getMessage(),
            e);
      }
    }
    return new OrdersSchema(
        new OrdersSchema.Columns(
            orders.customerIdColumn(),
            orders.orderIdColumn(),
            orders.orderDateColumn(),
            orders.amountColumn(),
            orders.quantityColumn().orElse(null),
            orders.unitPriceColumn().orElse(null),
            orders.itemsColumn(),
            orders.statusColumn(),
            orders.channelColumn()),
        new OrdersSchema.Refunds(
            Set.copyOf(orders.refundStatuses()), orders.cancelPrefix().orElse(null)),
        setting(OrderBook.Grain.class, "retention.orders.grain", orders.grain()),
        setting(OrdersSchema.OrderKey.class, "retention.orders.order-key", orders.orderKey()),
        orders.money(),
        new OrdersSchema.Dates(formats, zone),
        new IdRules(
            setting(IdRules.GuestRows.class, "retention.orders.guest-rows", orders.guestRows()),
            normalisation),
        maxRejectedShare,
        setting(
            OrdersSchema.OrderCells.class, "retention.orders.order-cells", orders.orderCells()));
  }

  /** The constant of {@code type} named by a setting's value, or an error naming the setting. */
  static <E extends Enum<E>> E setting(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key
              + ": '"
              + value
              + "' is not one of "
              + java.util.Arrays.toString(type.getEnumConstants()),
          e);
    }
  }

  /** The playbook of the {@code retention.playbook.*} settings. */
  static Playbook playbook(RetentionConfig config) {
    return Playbook.of(
        config.playbook().highRiskBelow(),
        config.playbook().mediumRiskBelow(),
        config.playbook().overrides().orElse(null));
  }
}
