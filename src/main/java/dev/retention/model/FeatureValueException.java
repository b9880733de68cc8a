package dev.retention.model;

/** A feature vector that cannot be scored; names the offending feature. */
public class FeatureValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String feature;

  public FeatureValueException(String feature, String message) {
    super(message);
    this.feature = feature;
  }

  /** The feature at fault. */
  public String feature() {
    return feature;
  }
}
