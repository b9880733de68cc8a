package dev.retention.training;

import dev.retention.core.Described;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the classifier is evaluated before it is refit on all rows.
 *
 * @param validationFraction stratified, seeded held-out share (default 0.2)
 * @param threshold decision threshold for accuracy, precision, recall, F1 and the confusion matrix
 *     (default 0.5)
 */
public record EvaluationOptions(double validationFraction, double threshold) implements Described {

  public EvaluationOptions {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1), got " + validationFraction);
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
  }

  public static EvaluationOptions defaults() {
    return new EvaluationOptions(0.2, 0.5);
  }

  /** Every setting by name, for the model's provenance. */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("validationFraction", validationFraction);
    out.put("threshold", threshold);
    return out;
  }
}
