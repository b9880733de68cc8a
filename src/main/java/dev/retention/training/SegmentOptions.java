package dev.retention.training;

import dev.retention.core.Described;

/**
 * How segments are named and reported.
 *
 * @param minSize a segment with fewer customers never gets its own profile (default 50)
 * @param recencyFeature the feature holding days since the last purchase (default recency_days)
 * @param frequencyFeature the feature holding purchase frequency (default frequency)
 * @param monetaryFeature the feature holding spend per order (default monetary)
 */
public record SegmentOptions(
    int minSize, String recencyFeature, String frequencyFeature, String monetaryFeature)
    implements Described {

  public SegmentOptions {
    if (minSize < 1) {
      throw new IllegalArgumentException("the minimum segment size must be >= 1, got " + minSize);
    }
  }

  public static SegmentOptions defaults() {
    return new SegmentOptions(50, "recency_days", "frequency", "monetary");
  }

  /** Every setting by name, for the model's provenance. */
  @Override
  public java.util.Map<String, Object> describe() {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("minSize", minSize);
    out.put("recencyFeature", recencyFeature);
    out.put("frequencyFeature", frequencyFeature);
    out.put("monetaryFeature", monetaryFeature);
    return out;
  }
}
