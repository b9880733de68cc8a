package dev.retention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.config.ConfiguredSettings;
import dev.retention.config.KnownSettings;
import dev.retention.config.RetentionConfig;
import dev.retention.config.SettingsBinder;
import dev.retention.data.ExportSchema;
import dev.retention.service.score.ScoreSettings;
import dev.retention.training.TrainingOptions;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shipped application.properties builds exactly the documented defaults. */
class ConfigDefaultsTest {

  private static SmallRyeConfig config(Map<String, String> overrides) throws IOException {
    return new SmallRyeConfigBuilder()
        .withMapping(RetentionConfig.class)
        // Quarkus reads "60s"-style durations with this converter at run time.
        .withConverter(Duration.class, 200, new DurationConverter())
        .withSources(
            new PropertiesConfigSource(
                ConfigDefaultsTest.class.getResource("/application.properties")))
        .withSources(new PropertiesConfigSource(overrides, "overrides", 500))
        .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
        .build();
  }

  private static dev.retention.service.train.TrainSettings trainSettings(SmallRyeConfig config) {
    return ConfiguredSettings.train(config.getConfigMapping(RetentionConfig.class), config);
  }

  @Test
  void trainingSettingsEqualTheCodeDefaults() throws IOException {
    var settings = trainSettings(config(Map.of()));
    assertEquals(TrainingOptions.defaults(), settings.options());
    assertEquals(ExportSchema.defaults(), settings.schema());
    assertEquals("exports/features/", settings.exportPrefix());
    // The settings tests and tools start from are the shipped ones.
    assertEquals(dev.retention.service.train.TrainSettings.defaults(), settings);
  }

  @Test
  void everyTrainingSettingHasItsLineInApplicationProperties() throws IOException {
    Properties shipped = new Properties();
    try (InputStream in = ConfigDefaultsTest.class.getResourceAsStream("/application.properties")) {
      shipped.load(in);
    }
    List<String> keys = SettingsBinder.keys(KnownSettings.TRAIN_PREFIX, TrainingOptions.defaults());
    assertTrue(keys.contains("retention.train.kmeans.n-init"), keys.toString());
    for (String key : keys) {
      // log1p-columns defaults to none: documented as a commented example line.
      assertTrue(
          shipped.containsKey(key) || key.endsWith("log1p-columns"),
          key + " is a setting but has no line in application.properties");
    }
    for (String key : shipped.stringPropertyNames()) {
      if (key.startsWith(KnownSettings.TRAIN_PREFIX)) {
        assertTrue(keys.contains(key), key + " in application.properties is not a setting");
      }
    }
  }

  @Test
  void nestedSettingsBindByComponentName() throws IOException {
    TrainingOptions options =
        trainSettings(
                config(
                    Map.of(
                        "retention.train.kmeans.n-init", "3",
                        "retention.train.logistic.class-weight", "balanced",
                        "retention.train.non-linear.mode", "off",
                        "retention.train.log1p-columns", "monetary,frequency",
                        "retention.train.seed", "7")))
            .options();
    assertEquals(3, options.kmeans().nInit());
    assertEquals("BALANCED", options.logistic().classWeight().name());
    assertEquals("OFF", options.nonLinear().mode().name());
    assertEquals(List.of("monetary", "frequency"), options.log1pColumns());
    // The run's seed reaches every fit.
    assertEquals(7L, options.kmeans().seed());
  }

  @Test
  void aBadValueNamesItsKey() throws IOException {
    var config = config(Map.of("retention.train.kmeans.n-init", "many"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> trainSettings(config));
    assertTrue(e.getMessage().contains("retention.train.kmeans.n-init"), e.getMessage());
  }

  private static dev.retention.service.batch.BatchSettings.Campaign campaign(
      Map<String, String> overrides) throws IOException {
    return Services.campaign(config(overrides).getConfigMapping(RetentionConfig.class).campaign());
  }

  /** Campaign settings: off by default, the shipped defaults, and each bad value named. */
  @Test
  void campaignSettingsAreOffByDefaultAndABadOneNamesItsKey() throws IOException {
    var off = campaign(Map.of());
    assertTrue(!off.enabled());
    assertEquals(dev.retention.campaign.CampaignOptions.defaults(), off.options());
    var on =
        campaign(
            Map.of(
                "retention.campaign.id", "winter-2026",
                "retention.campaign.budget-money", "100",
                "retention.campaign.cost-per-contact", "0.25"));
    assertEquals("winter-2026", on.id());
    assertEquals(400, on.options().budget().maxContacts(0.25));
    Map<Map<String, String>, String> bad =
        Map.of(
            Map.of(
                "retention.campaign.budget-contacts", "5", "retention.campaign.budget-money", "9"),
            "retention.campaign.budget-contacts and retention.campaign.budget-money",
            Map.of("retention.campaign.budget-money", "100"),
            "retention.campaign.holdout-share / budget-money",
            Map.of("retention.campaign.holdout-share", "0.9"),
            "retention.campaign.holdout-share",
            Map.of("retention.campaign.gross-margin", "1.5"),
            "retention.campaign.cost-per-contact / gross-margin",
            Map.of("retention.campaign.budget-contacts", "-3"),
            "retention.campaign.budget-contacts",
            Map.of("retention.campaign.id", "../x"),
            "retention.campaign.id");
    for (var entry : bad.entrySet()) {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> campaign(entry.getKey()), entry.toString());
      assertTrue(e.getMessage().contains(entry.getValue()), e.getMessage());
      assertTrue(!e.getMessage().contains("../x"), "the value is not echoed");
    }
  }

  @Test
  void anUnknownSettingIsAnErrorThatListsTheKnownOnes() throws IOException {
    var config = config(Map.of("retention.train.kmeans.n-inits", "3"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> KnownSettings.check(config, Map.of()));
    assertTrue(e.getMessage().contains("retention.train.kmeans.n-inits"), e.getMessage());
    assertTrue(e.getMessage().contains("retention.train.kmeans.n-init,"), e.getMessage());
    IllegalArgumentException env =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> KnownSettings.check(config(Map.of()), Map.of("RETENTION_S3_BUCKIT", "x")));
    assertTrue(env.getMessage().contains("RETENTION_S3_BUCKIT (environment)"), env.getMessage());
    // The shipped file and the documented environment form of every key pass.
    KnownSettings.check(config(Map.of()), Map.of("RETENTION_TRAIN_KMEANS_N_INIT", "3"));
  }

  @Test
  void theHandOffToSparkIsOffUnlessAStateMachineIsSet() throws IOException {
    SmallRyeConfig shipped = config(Map.of());
    RetentionConfig.Spark spark = shipped.getConfigMapping(RetentionConfig.class).spark();
    assertEquals(java.util.Optional.empty(), spark.stateMachineArn());
    assertEquals(256L << 20, spark.handOffBytes());
    assertEquals(5.0, spark.gzipExpansion());
    assertEquals(Duration.ofSeconds(20), spark.apiCallTimeout());
    var off = Services.handOff(spark, shipped);
    org.junit.jupiter.api.Assertions.assertFalse(off.configured());
    assertEquals(256L << 20, off.thresholdBytes());

    SmallRyeConfig on =
        config(
            Map.of(
                "retention.spark.state-machine-arn",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:train",
                "retention.model.name",
                "shop"));
    var handOff = Services.handOff(on.getConfigMapping(RetentionConfig.class).spark(), on);
    assertTrue(handOff.configured());
    List<String> passed =
        handOff.arguments(
            new dev.retention.storage.ObjectInfo(
                "b", "k.csv", "e", null, java.time.Instant.EPOCH, 1),
            null,
            "v");
    assertTrue(passed.contains("retention.model.name=shop"), passed.toString());
    assertTrue(passed.stream().noneMatch(a -> a.startsWith("retention.spark.")), passed.toString());

    SmallRyeConfig version =
        config(
            Map.of(
                "retention.spark.state-machine-arn",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:train:3"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                Services.handOff(version.getConfigMapping(RetentionConfig.class).spark(), version));
    assertTrue(e.getMessage().startsWith("retention.spark.state-machine-arn: "), e.getMessage());
  }

  @Test
  void scoreSettingsAreTheDocumentedOnes() throws IOException {
    assertEquals(
        new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 1000, 1_048_576),
        Services.scoreSettings(config(Map.of()).getConfigMapping(RetentionConfig.class)));
  }

  /** Every known setting is in the README: in a table row or in the text, with its full key. */
  @Test
  void everySettingIsDocumentedInTheReadme() throws IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    // "`retention.a.b-c` / `d-e`" documents retention.a.b-c and retention.a.d-e.
    java.util.Set<String> documented = new java.util.HashSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("`(retention\\.[a-z0-9.-]+)`((?: / `[a-z0-9-]+`)*)")
            .matcher(readme);
    while (m.find()) {
      documented.add(m.group(1));
      String parent = m.group(1).substring(0, m.group(1).lastIndexOf('.') + 1);
      for (String sibling : m.group(2).split(" / ")) {
        if (!sibling.isBlank()) {
          documented.add(parent + sibling.replace("`", "").trim());
        }
      }
    }
    List<String> missing =
        KnownSettings.keys().stream()
            .map(k -> k.replace("[*]", "")) // list settings are documented by their name
            .filter(k -> !documented.contains(k))
            .toList();
    assertEquals(List.of(), missing, "settings the README does not describe");
  }
}
