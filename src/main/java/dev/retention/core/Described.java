package dev.retention.core;

import java.util.Map;

/**
 * An options record that describes its own settings, by component name, for a model's provenance
 * (composed from parts, as Tribuo composes its provenance). The keys are exactly the record's
 * settings: configuration binds the same names (a value that is itself {@code Described} is a
 * nested group), so a setting is written once, in its record.
 */
public interface Described {

  /** Settings by component name, in declaration order; nested groups as nested maps. */
  Map<String, Object> describe();

  /**
   * Components that are settings of how the computation runs but never change its result (the
   * thread count): configurable like the described ones, but not recorded, so that the same data
   * and settings give the same model file on any machine.
   */
  default java.util.Set<String> runSettings() {
    return java.util.Set.of();
  }
}
