package dev.retention.spark;

import dev.retention.config.ConfiguredSettings;
import dev.retention.config.KnownSettings;
import dev.retention.config.RetentionConfig;
import dev.retention.service.train.TrainSettings;
import dev.retention.storage.S3Settings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Spark job's settings: the packaged {@code application.properties} (the functions' defaults)
 * under the {@code --setting key=value} pairs the train function passed on, read through the same
 * configuration mapping and binder as the functions ({@link ConfiguredSettings#train}), so a
 * hand-off trains with exactly the function's settings. An unknown {@code retention.*} key fails
 * the job, naming it.
 */
final class JobSettings {

  private final SmallRyeConfig config;
  private final RetentionConfig mapping;

  private JobSettings(SmallRyeConfig config) {
    this.config = config;
    this.mapping = config.getConfigMapping(RetentionConfig.class);
  }

  static JobSettings of(Map<String, String> settings) {
    List<String> unknown = new ArrayList<>();
    List<String> known = KnownSettings.keys();
    for (String key : settings.keySet()) {
      if (!known.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting" + (unknown.size() > 1 ? "s " : " ") + new TreeSet<>(unknown));
    }
    URL defaults = JobSettings.class.getResource("/application.properties");
    try {
      return new JobSettings(
          new SmallRyeConfigBuilder()
              .withMapping(RetentionConfig.class)
              .withConverter(Duration.class, 200, JobSettings::duration)
              .withSources(new PropertiesConfigSource(defaults))
              .withSources(
                  new MapBackedConfigSource("job arguments", settings, 500) {
                    private static final long serialVersionUID = 1L;
                  })
              .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Durations as the functions read them (Quarkus' format): a number and a unit ({@code ms}, {@code
   * s}, {@code m}, {@code h}, {@code d}), a bare number of seconds, or ISO-8601 ({@code PT2S}). An
   * empty value is no value (null, as a MicroProfile Config converter answers it), which an
   * optional duration such as {@code retention.invocation.time-limit} reads as not set.
   */
  static Duration duration(String value) {
    String text = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (text.isEmpty()) {
      return null; // no value: SmallRye's convention (an optional duration left unset)
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(text);
    if (!m.matches()) {
      try {
        return Duration.parse(value.trim());
      } catch (java.time.format.DateTimeParseException e) {
        // A setting's value, not a customer's: named so the operator can find it.
        throw new IllegalArgumentException(
            "not a duration (a number and ms, s, m, h or d; or ISO-8601): '" + value + "'", e);
      }
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  TrainSettings train() {
    return ConfiguredSettings.train(mapping, config);
  }

  RetentionConfig mapping() {
    return mapping;
  }

  S3Settings s3(String bucket) {
    return ConfiguredSettings.s3(mapping.s3(), bucket);
  }
}
