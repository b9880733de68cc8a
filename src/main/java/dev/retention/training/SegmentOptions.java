package dev.retention.training;

/**
 * How segments are named and reported.
 *
 * @param minSize a segment with fewer customers never gets its own profile (default 50)
 * @param recencyFeature the feature holding days since the last purchase (default recency_days)
 * @param frequencyFeature the feature holding purchase frequency (default frequency)
 * @param monetaryFeature the feature holding spend per order (default monetary)
 */
public record SegmentOptions(
    int minSize, String recencyFeature, String frequencyFeature, String monetaryFeature) {

  public SegmentOptions {
    if (minSize < 1) {
      throw new IllegalArgumentException("the minimum segment size must be >= 1, got " + minSize);
    }
  }

  public static SegmentOptions defaults() {
    return new SegmentOptions(50, "recency_days", "frequency", "monetary");
  }
}
