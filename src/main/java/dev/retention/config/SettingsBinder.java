package dev.retention.config;

import dev.retention.core.Described;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Binds an options record from configuration by the names its {@link Described#describe()} and
 * {@link Described#runSettings()} list: component {@code nInit} of the group at {@code
 * retention.train.kmeans.} is the key {@code retention.train.kmeans.n-init}; a described value that
 * is itself described is a nested group. A key that is not set keeps the record's default.
 * Components a record does not describe (the training run's seed and threads inside the K-means
 * options, say) are not settings of that group and keep the value the defaults give.
 *
 * <p>Why not a {@code @ConfigMapping} interface: the option records are the single place a training
 * setting is written (component, default, validation, provenance); an interface would repeat every
 * one of them and its conversion (decision 0013).
 */
public final class SettingsBinder {

  private SettingsBinder() {}

  /**
   * The record {@code defaults} with every described component read from {@code config} under
   * {@code prefix} (ending with a dot) where set.
   *
   * @throws IllegalArgumentException naming the key of a value that cannot be converted or that the
   *     record rejects
   */
  static <R extends Record & Described> R bind(Config config, String prefix, R defaults) {
    return bindRecord(config, prefix, defaults);
  }

  /** Every key {@link #bind} reads for this record, in order. */
  public static List<String> keys(String prefix, Described defaults) {
    List<String> out = new ArrayList<>();
    for (String name : settings(defaults)) {
      String key = prefix + kebab(name);
      Object value = component(defaults, name);
      if (value instanceof Described nested) {
        out.addAll(keys(key + ".", nested));
      } else {
        out.add(key);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <R> R bindRecord(Config config, String prefix, R defaults) {
    Class<?> type = defaults.getClass();
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Set<String> settings = settings((Described) defaults);
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      Object current = read(component, defaults);
      values[i] = current;
      if (!settings.contains(component.getName())) {
        continue;
      }
      String key = prefix + kebab(component.getName());
      if (current instanceof Described && current instanceof Record) {
        values[i] = bindRecord(config, key + ".", current);
      } else {
        values[i] = value(config, key, component, current);
      }
    }
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      return (R) canonical.newInstance(values);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException(
          "the settings under " + prefix + "* are invalid: " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getName(), e);
    }
  }

  private static Object value(Config config, String key, RecordComponent component, Object dflt) {
    Class<?> type = component.getType();
    try {
      if (type == List.class) {
        if (!(component.getGenericType() instanceof ParameterizedType generic)
            || generic.getActualTypeArguments()[0] != String.class) {
          throw new IllegalStateException(key + ": only List<String> settings are supported");
        }
        Optional<List<String>> list = config.getOptionalValues(key, String.class);
        return list.<Object>map(List::copyOf).orElse(dflt);
      }
      Optional<String> text = config.getOptionalValue(key, String.class);
      if (text.isEmpty() || text.get().isBlank()) {
        return dflt;
      }
      String v = text.get().trim();
      if (type == int.class) {
        return Integer.parseInt(v);
      }
      if (type == long.class) {
        return Long.parseLong(v);
      }
      if (type == double.class) {
        return Double.parseDouble(v);
      }
      if (type == boolean.class) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("not true or false");
        }
        return Boolean.parseBoolean(v);
      }
      if (type == String.class) {
        return v;
      }
      if (type.isEnum()) {
        for (Object constant : type.getEnumConstants()) {
          if (((Enum<?>) constant).name().equalsIgnoreCase(v.replace('-', '_'))) {
            return constant;
          }
        }
        throw new IllegalArgumentException(
            "expected one of " + Arrays.toString(type.getEnumConstants()));
      }
      throw new IllegalStateException(key + ": unsupported setting type " + type.getName());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "setting " + key + " has an invalid value: " + e.getMessage(), e);
    }
  }

  /** The described components, then the run settings, in that order. */
  private static Set<String> settings(Described record) {
    Set<String> names = new LinkedHashSet<>(record.describe().keySet());
    names.addAll(new TreeSet<>(record.runSettings()));
    return names;
  }

  private static Object component(Object record, String name) {
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      if (component.getName().equals(name)) {
        return read(component, record);
      }
    }
    throw new IllegalStateException(
        record.getClass().getName() + " describes '" + name + "', which is not a component");
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  /** {@code nInit} → {@code n-init}, {@code log1pColumns} → {@code log1p-columns}. */
  static String kebab(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
