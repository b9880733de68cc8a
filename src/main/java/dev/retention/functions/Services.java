package dev.retention.functions;

import dev.retention.campaign.CampaignOptions;
import dev.retention.campaign.ContactBudget;
import dev.retention.config.ConfiguredSettings;
import dev.retention.config.KnownSettings;
import dev.retention.config.RetentionConfig;
import dev.retention.features.RfmOptions;
import dev.retention.model.ContactEconomics;
import dev.retention.service.EmfMetrics;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.batch.BatchSettings;
import dev.retention.service.score.CustomerLookup;
import dev.retention.service.score.ModelCache;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.score.ScoreSettings;
import dev.retention.service.train.HandOff;
import dev.retention.service.train.TrainSettings;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.S3Clients;
import dev.retention.storage.SparkRuns;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;

/**
 * The composition root: builds the storage, the plain services and their settings from
 * configuration. Beans are created on first use, so the score function never builds the training
 * side and vice versa.
 */
@Singleton
public class Services {

  /** The hand-off's own settings: not passed on to the Spark job. */
  static final String SPARK_PREFIX = "retention.spark.";

  @Produces
  @Singleton
  Bucket bucket(RetentionConfig mapping) {
    return S3Clients.open(ConfiguredSettings.s3(mapping.s3(), mapping.s3().bucket()));
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
        ConfiguredSettings.train(mapping, config),
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
        ConfiguredSettings.ordersDialect(mapping),
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
    TrainSettings train = ConfiguredSettings.train(mapping, config);
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
            mapping.lookup().uploadThreads()),
        campaign(mapping.campaign()));
  }

  /**
   * The campaign of batch scoring: off without an id; each bad value refused naming its setting.
   */
  /**
   * The contact decision's economics ({@code retention.campaign.cost-per-contact}, {@code
   * gross-margin}): one reading for the batch's campaigns and the score API's decisions.
   */
  static ContactEconomics economics(RetentionConfig.Campaign campaign) {
    try {
      return new ContactEconomics(campaign.costPerContact(), campaign.grossMargin());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "retention.campaign.cost-per-contact / gross-margin: " + e.getMessage(), e);
    }
  }

  static BatchSettings.Campaign campaign(RetentionConfig.Campaign campaign) {
    if (campaign.budgetContacts().isPresent() && campaign.budgetMoney().isPresent()) {
      throw new IllegalArgumentException(
          "retention.campaign.budget-contacts and retention.campaign.budget-money are both set;"
              + " give the contact budget one way");
    }
    ContactBudget budget;
    try {
      budget =
          campaign.budgetContacts().isPresent()
              ? ContactBudget.contacts(campaign.budgetContacts().get())
              : campaign.budgetMoney().map(ContactBudget::money).orElse(ContactBudget.unlimited());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (campaign.budgetContacts().isPresent()
                  ? "retention.campaign.budget-contacts: "
                  : "retention.campaign.budget-money: ")
              + e.getMessage(),
          e);
    }
    ContactEconomics economics = economics(campaign);
    CampaignOptions options;
    try {
      options = new CampaignOptions(campaign.holdoutShare(), budget, economics);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "retention.campaign.holdout-share / budget-money: " + e.getMessage(), e);
    }
    return new BatchSettings.Campaign(campaign.id().orElse(null), options);
  }

  static ScoreSettings scoreSettings(RetentionConfig mapping) {
    RetentionConfig.Score s = mapping.score();
    return new ScoreSettings(
        s.cacheTtl(),
        s.refreshTimeout(),
        s.maxBatch(),
        s.maxBodyBytes(),
        s.maxOrdersPerCustomer(),
        s.maxOrdersPerRequest(),
        economics(mapping.campaign()));
  }
}
