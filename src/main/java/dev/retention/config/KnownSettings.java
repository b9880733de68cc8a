package dev.retention.config;

import dev.retention.training.TrainingOptions;
import io.smallrye.config.ConfigMappings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Every {@code retention.*} setting the functions read, and the check that nothing else is set: a
 * misspelt key in a system property, an environment variable or a properties file fails the
 * function's start with the list of known settings, instead of being ignored without a word.
 */
public final class KnownSettings {

  /** Where the training hyper-parameters are configured (bound by {@link SettingsBinder}). */
  public static final String TRAIN_PREFIX = "retention.train.";

  private KnownSettings() {}

  /** The known keys, sorted: the {@link RetentionConfig} mapping and the training options. */
  public static List<String> keys() {
    TreeSet<String> keys =
        new TreeSet<>(
            ConfigMappings.getProperties(
                    ConfigMappings.ConfigClass.configClass(RetentionConfig.class, "retention"))
                .keySet());
    keys.addAll(SettingsBinder.keys(TRAIN_PREFIX, TrainingOptions.defaults()));
    return List.copyOf(keys);
  }

  /**
   * Every known setting that has a value, as {@code key=value} in key order, except those under
   * {@code excludedPrefix}: the raw text as configured (application.properties, overridden by an
   * environment variable or a system property), so another process that reads the same settings
   * gets the same values.
   */
  public static List<String> effective(Config config, String excludedPrefix) {
    List<String> out = new ArrayList<>();
    for (String key : keys()) {
      if (!key.startsWith(excludedPrefix)) {
        config.getOptionalValue(key, String.class).ifPresent(value -> out.add(key + "=" + value));
      }
    }
    return out;
  }

  /**
   * Fails on a {@code retention.*} property, or a {@code RETENTION_*} environment variable, that is
   * not a known setting.
   *
   * @throws IllegalArgumentException naming the unknown settings and listing the known ones
   */
  public static void check(Config config, Map<String, String> environment) {
    List<String> known = keys();
    TreeSet<String> knownEnv = new TreeSet<>();
    for (String key : known) {
      knownEnv.add(envName(key));
    }
    List<String> unknown = new ArrayList<>();
    for (String name : config.getPropertyNames()) {
      if (name.startsWith("retention.") && !known.contains(name)) {
        unknown.add(name);
      }
    }
    for (String name : environment.keySet()) {
      if (name.startsWith("RETENTION_") && !knownEnv.contains(name)) {
        unknown.add(name + " (environment)");
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", new TreeSet<>(unknown))
              + "; the known settings are "
              + String.join(", ", known)
              + " (as environment variables: upper-case, '.' and '-' as '_')");
    }
  }

  /** {@code retention.s3.path-style} → {@code RETENTION_S3_PATH_STYLE}. */
  public static String envName(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
