package dev.retention.training;

import dev.retention.core.Described;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the classifier gets squared and pairwise interaction terms of the standardized features.
 *
 * @param mode OFF, ON, or AUTO (default): only when the validation log loss improves by at least
 *     {@code minImprovement} (relative)
 * @param sampleRows AUTO compares the two variants on at most this many training rows (default
 *     50,000)
 * @param minImprovement relative log-loss improvement AUTO requires (default 0.005)
 */
public record NonLinearOptions(Mode mode, int sampleRows, double minImprovement)
    implements Described {

  /** Whether the classifier gets squared and interaction terms. */
  public enum Mode {
    OFF,
    ON,
    AUTO
  }

  public NonLinearOptions {
    if (mode == null) {
      throw new IllegalArgumentException("the non-linear mode must be set");
    }
    if (sampleRows < 2) {
      throw new IllegalArgumentException("nonLinear sampleRows must be >= 2, got " + sampleRows);
    }
    if (!(minImprovement >= 0 && minImprovement < 1)) {
      throw new IllegalArgumentException(
          "nonLinear minImprovement must be in [0, 1), got " + minImprovement);
    }
  }

  public static NonLinearOptions defaults() {
    return new NonLinearOptions(Mode.AUTO, 50_000, 0.005);
  }

  /** Every setting by name, for the model's provenance. */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", mode.name());
    out.put("sampleRows", sampleRows);
    out.put("minImprovement", minImprovement);
    return out;
  }

  public NonLinearOptions withMode(Mode newMode) {
    return new NonLinearOptions(newMode, sampleRows, minImprovement);
  }
}
