package dev.retention.model;

import java.time.Instant;

/**
 * Where a model stands among the models of one name: the later its source export, the newer the
 * model. {@code latest.json} only ever moves to a newer model, so a late finisher or a retried
 * older export never rolls the live model back.
 *
 * <p>Order: the source object's last-modified time; for two versions of the same key written in the
 * same second, the S3 event sequencer (hexadecimal; AWS: the greater value, compared after padding
 * the shorter with leading zeros, is the later event of that key); then the model version, so that
 * the order is total and the same on every machine.
 *
 * @param sourceLastModified the source object's last-modified instant (ISO-8601)
 * @param sourceKey the source object's key
 * @param sequencer the S3 event's sequencer for that key, or null
 * @param version the model version (the final tie-break)
 */
public record ModelOrder(
    String sourceLastModified, String sourceKey, String sequencer, String version)
    implements Comparable<ModelOrder> {

  @Override
  public int compareTo(ModelOrder other) {
    int byTime =
        Instant.parse(sourceLastModified).compareTo(Instant.parse(other.sourceLastModified));
    if (byTime != 0) {
      return byTime;
    }
    if (sourceKey.equals(other.sourceKey) && sequencer != null && other.sequencer != null) {
      int width = Math.max(sequencer.length(), other.sequencer.length());
      int bySequencer = pad(sequencer, width).compareToIgnoreCase(pad(other.sequencer, width));
      if (bySequencer != 0) {
        return bySequencer;
      }
    }
    return version.compareTo(other.version);
  }

  private static String pad(String hex, int width) {
    return "0".repeat(width - hex.length()) + hex;
  }
}
