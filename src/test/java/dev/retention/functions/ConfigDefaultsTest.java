package dev.retention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.data.ExportSchema;
import dev.retention.service.ScoreSettings;
import dev.retention.training.TrainingOptions;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shipped application.properties builds exactly the documented defaults. */
class ConfigDefaultsTest {

  private static RetentionConfig shipped() throws IOException {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(RetentionConfig.class)
            // Quarkus reads "60s"-style durations with this converter at run time.
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(
                new PropertiesConfigSource(
                    ConfigDefaultsTest.class.getResource("/application.properties")))
            .build();
    return config.getConfigMapping(RetentionConfig.class);
  }

  @Test
  void trainingSettingsEqualTheCodeDefaults() throws IOException {
    var settings = Services.trainSettings(shipped());
    assertEquals(TrainingOptions.defaults(), settings.options());
    assertEquals(ExportSchema.defaults(), settings.schema());
    assertEquals("exports/features/", settings.exportPrefix());
  }

  @Test
  void scoreSettingsAreTheDocumentedOnes() throws IOException {
    assertEquals(
        new ScoreSettings(Duration.ofSeconds(60), 1000, 1_048_576),
        Services.scoreSettings(shipped()));
  }
}
