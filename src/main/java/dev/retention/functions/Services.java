package dev.retention.functions;

import dev.retention.core.LogisticOptions;
import dev.retention.data.ExportSchema;
import dev.retention.data.OrdersSchema;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmOptions;
import dev.retention.model.Playbook;
import dev.retention.service.BatchScoringService;
import dev.retention.service.BatchSettings;
import dev.retention.service.ModelCache;
import dev.retention.service.ScoreSettings;
import dev.retention.service.ScoringService;
import dev.retention.service.TrainSettings;
import dev.retention.service.TrainingService;
import dev.retention.storage.ModelStore;
import dev.retention.storage.S3Clients;
import dev.retention.storage.S3Settings;
import dev.retention.training.SegmentOptions;
import dev.retention.training.TrainingOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the plain services from configuration. Beans are created on first use, so the score
 * function never builds the training side and vice versa.
 */
@Singleton
public class Services {

  @Produces
  @Singleton
  S3Client s3(RetentionConfig config) {
    RetentionConfig.S3 s3 = config.s3();
    return S3Clients.create(new S3Settings(s3.region(), s3.endpointOverride(), s3.pathStyle()));
  }

  void close(@Disposes S3Client s3) {
    s3.close();
  }

  @Produces
  @Singleton
  ModelStore modelStore(S3Client s3, RetentionConfig config) {
    return new ModelStore(s3, config.s3().bucket(), config.model().prefix(), config.model().name());
  }

  @Produces
  @Singleton
  TrainingService training(ModelStore store, RetentionConfig config) {
    return new TrainingService(store, trainSettings(config), Clock.systemUTC());
  }

  @Produces
  @Singleton
  ScoringService scoring(ModelStore store, RetentionConfig config) {
    ScoreSettings settings = scoreSettings(config);
    return new ScoringService(
        new ModelCache(store, settings.cacheTtl(), System::nanoTime), settings);
  }

  @Produces
  @Singleton
  BatchScoringService batchScoring(ModelStore store, RetentionConfig config) {
    return new BatchScoringService(store, batchSettings(config));
  }

  static BatchSettings batchSettings(RetentionConfig config) {
    TrainSettings train = trainSettings(config);
    return new BatchSettings(
        config.batch().prefix(),
        config.batch().outputPrefix(),
        train.schema(),
        train.ordersSchema(),
        new RfmOptions(train.rfm().labelWindowDays(), config.batch().asOf().orElse(null)));
  }

  static TrainSettings trainSettings(RetentionConfig config) {
    RetentionConfig.Export export = config.export();
    RetentionConfig.Train t = config.train();
    ExportSchema schema =
        new ExportSchema(
            export.idColumn(),
            export.labelColumn(),
            export.includeColumns().orElse(List.of()),
            export.excludeColumns().orElse(List.of()),
            export.maxRejectedShare());
    TrainingOptions options =
        TrainingOptions.builder()
            .k(t.k())
            .kRange(t.kMin(), t.kMax())
            .silhouetteSampleRows(t.silhouetteSampleRows())
            .searchSampleRows(t.searchSampleRows())
            .searchNInit(t.searchNInit())
            .nInit(t.nInit())
            .maxIter(t.maxIter())
            .kmeansTol(t.kmeansTol())
            .c(t.c())
            .classWeight(
                LogisticOptions.ClassWeight.valueOf(t.classWeight().toUpperCase(Locale.ROOT)))
            .nonLinear(
                TrainingOptions.NonLinearMode.valueOf(t.nonLinear().toUpperCase(Locale.ROOT)))
            .nonLinearSampleRows(t.nonLinearSampleRows())
            .validationFraction(t.validationFraction())
            .threshold(t.threshold())
            .log1pColumns(t.log1pColumns().orElse(List.of()))
            .seed(t.seed())
            .threads(t.threads())
            .build();
    RetentionConfig.Orders orders = config.orders();
    OrdersSchema ordersSchema =
        new OrdersSchema(
            orders.customerIdColumn(),
            orders.orderIdColumn(),
            orders.orderDateColumn(),
            orders.amountColumn(),
            orders.itemsColumn(),
            orders.statusColumn(),
            orders.channelColumn(),
            Set.copyOf(orders.refundStatuses()),
            OrderBook.Grain.valueOf(orders.grain().toUpperCase(Locale.ROOT)),
            export.maxRejectedShare());
    RetentionConfig.Segments segments = config.segments();
    return new TrainSettings(
        export.prefix(),
        schema,
        options,
        orders.prefix(),
        ordersSchema,
        new RfmOptions(orders.labelWindowDays(), orders.cutoff().orElse(null)),
        new SegmentOptions(
            segments.minSize(),
            segments.recencyFeature(),
            segments.frequencyFeature(),
            segments.monetaryFeature()),
        playbook(config));
  }

  static Playbook playbook(RetentionConfig config) {
    return Playbook.of(
        config.playbook().highRiskBelow(),
        config.playbook().mediumRiskBelow(),
        config.playbook().overrides().orElse(null));
  }

  static ScoreSettings scoreSettings(RetentionConfig config) {
    RetentionConfig.Score s = config.score();
    return new ScoreSettings(s.cacheTtl(), s.maxBatch(), s.maxBodyBytes());
  }
}
