package dev.retention.functions;

import dev.retention.data.ExportSchema;
import dev.retention.data.IdRules;
import dev.retention.data.OrdersDialect;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.data.TextFormat;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmOptions;
import dev.retention.model.Playbook;
import dev.retention.service.EmfMetrics;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.batch.BatchSettings;
import dev.retention.service.score.CustomerLookup;
import dev.retention.service.score.ModelCache;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.score.ScoreSettings;
import dev.retention.service.train.HandOff;
import dev.retention.service.train.QualityGate;
import dev.retention.service.train.TrainSettings;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.S3Clients;
import dev.retention.storage.S3Settings;
import dev.retention.storage.SparkRuns;
import dev.retention.training.SegmentOptions;
import dev.retention.training.TrainingOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * The composition root: builds the storage, the plain services and their settings from
 * configuration. Beans are created on first use, so the score function never builds the training
 * side and vice versa.
 */
@Singleton
public class Services {

  /** Where the training hyper-parameters are configured. */
  static final String TRAIN_PREFIX = "retention.train.";

  /** The hand-off's own settings: not passed on to the Spark job. */
  static final String SPARK_PREFIX = "retention.spark.";

  @Produces
  @Singleton
  Bucket bucket(RetentionConfig mapping) {
    return S3Clients.open(s3Settings(mapping.s3(), mapping.s3().bucket()));
  }

  /** The storage settings of the {@code retention.s3.*} group, for {@code bucket}. */
  public static S3Settings s3Settings(RetentionConfig.S3 s3, String bucket) {
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

  void close(@Disposes Bucket bucket) {
    bucket.close();
  }

  @Produces
  @Singleton
  ModelStore modelStore(Bucket bucket, RetentionConfig mapping) {
    return new ModelStore(bucket, mapping.model().prefix(), mapping.model().name());
  }

  @Produces
  @Singleton
  TrainingService training(
      ModelStore store, RetentionConfig mapping, Config config, HandOff handOff) {
    return new TrainingService(
        store,
        trainSettings(mapping, config),
        Clock.systemUTC(),
        metrics(mapping, "train"),
        handOff);
  }

  /**
   * The hand-off of large exports to the Spark job. Its Step Functions client is built on the first
   * hand-off, and only when a state machine is configured: other functions never build this bean,
   * and a train function that never hands off never builds the client.
   */
  @Produces
  @Singleton
  HandOff handOff(RetentionConfig mapping, Config config) {
    return handOff(mapping.spark(), config, mapping.export().maxTextBytes());
  }

  void close(@Disposes HandOff handOff) {
    handOff.close();
  }

  static HandOff handOff(RetentionConfig.Spark spark, Config config) {
    return handOff(spark, config, 0);
  }

  static HandOff handOff(RetentionConfig.Spark spark, Config config, long maxTextBytes) {
    SparkRuns.Settings runs = null;
    if (spark.stateMachineArn().isPresent()) {
      try {
        runs =
            new SparkRuns.Settings(
                spark.stateMachineArn().get().strip(),
                spark.endpointOverride(),
                spark.apiCallTimeout());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            SPARK_PREFIX + "state-machine-arn: " + e.getMessage(), e);
      }
    }
    SparkRuns.Settings opened = runs;
    return new HandOff(
        spark.handOffBytes(),
        spark.gzipExpansion(),
        KnownSettings.effective(config, SPARK_PREFIX),
        opened == null ? null : () -> SparkRuns.open(opened),
        maxTextBytes);
  }

  @Produces
  @Singleton
  ScoreApi scoring(ModelStore store, RetentionConfig mapping) {
    ScoreSettings settings = scoreSettings(mapping);
    return new ScoreApi(
        new ModelCache(store, settings.cacheTtl(), settings.refreshTimeout(), System::nanoTime),
        settings,
        Clock.systemUTC(),
        metrics(mapping, "score"),
        ordersDialect(mapping),
        new CustomerLookup(
            store.bucket(),
            mapping.lookup().prefix(),
            settings.cacheTtl(),
            settings.refreshTimeout(),
            mapping.lookup().cacheBytes(),
            System::nanoTime));
  }

  @Produces
  @Singleton
  BatchScoringService batchScoring(ModelStore store, RetentionConfig mapping, Config config) {
    return new BatchScoringService(
        store, batchSettings(mapping, config), Clock.systemUTC(), metrics(mapping, "batch-score"));
  }

  /** One line on standard output as it is now (a test may have replaced it), flushed. */
  private static void standardOutput(String line) {
    java.io.PrintStream out = System.out;
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /**
   * The metrics of one function: its FunctionName dimension is the Lambda function's name (unique
   * per stack, what the template's alarms select), or {@code function} outside Lambda; each record
   * carries the invocation's cold start and request id ({@link Invocation}).
   */
  static EmfMetrics metrics(RetentionConfig mapping, String function) {
    String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    return new EmfMetrics(
        Services::standardOutput,
        mapping.metrics().namespace(),
        name == null || name.isBlank() ? function : name,
        Clock.systemUTC(),
        mapping.metrics().enabled(),
        Invocation::forMetrics);
  }

  static BatchSettings batchSettings(RetentionConfig mapping, Config config) {
    TrainSettings train = trainSettings(mapping, config);
    return new BatchSettings(
        mapping.batch().prefix(),
        mapping.batch().outputPrefix(),
        train.schema(),
        train.ordersSchema(),
        train.limits(),
        new RfmOptions(train.rfm().labelWindowDays(), mapping.batch().asOf().orElse(null)),
        BatchSettings.Order.valueOf(mapping.batch().order().toUpperCase(Locale.ROOT)),
        train.text(),
        new BatchSettings.Lookup(
            mapping.lookup().enabled(),
            mapping.lookup().prefix(),
            mapping.lookup().customersPerPartition(),
            mapping.lookup().uploadThreads()));
  }

  /** The train function's settings from configuration (also the Spark trainer's). */
  public static TrainSettings trainSettings(RetentionConfig mapping, Config config) {
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
                export.duplicateIds()));
    TrainingOptions options = SettingsBinder.bind(config, TRAIN_PREFIX, TrainingOptions.defaults());
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

  /**
   * The orders dialect of the {@code retention.orders.*} and {@code retention.export.*} settings:
   * how the train function reads orders exports, and for models that recorded no dialect of their
   * own ({@code OrdersReading}), batch scoring and the score API.
   */
  static OrdersDialect ordersDialect(RetentionConfig mapping) {
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
        maxRejectedShare);
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

  /**
   * The orders columns of {@code retention.orders.*}: how the train function reads orders exports,
   * and (through the model's own record, {@code OrdersReading}) batch scoring and the score API.
   */
  static OrdersSchema ordersSchema(RetentionConfig mapping) {
    RetentionConfig.Orders orders = mapping.orders();
    return new OrdersSchema(
        orders.customerIdColumn(),
        orders.orderIdColumn(),
        orders.orderDateColumn(),
        orders.amountColumn(),
        orders.itemsColumn(),
        orders.statusColumn(),
        orders.channelColumn(),
        Set.copyOf(orders.refundStatuses()),
        OrderBook.Grain.valueOf(orders.grain().toUpperCase(Locale.ROOT)),
        mapping.export().maxRejectedShare());
  }

  static Playbook playbook(RetentionConfig config) {
    return Playbook.of(
        config.playbook().highRiskBelow(),
        config.playbook().mediumRiskBelow(),
        config.playbook().overrides().orElse(null));
  }

  static ScoreSettings scoreSettings(RetentionConfig mapping) {
    RetentionConfig.Score s = mapping.score();
    return new ScoreSettings(
        s.cacheTtl(),
        s.refreshTimeout(),
        s.maxBatch(),
        s.maxBodyBytes(),
        s.maxOrdersPerCustomer(),
        s.maxOrdersPerRequest());
  }
}
