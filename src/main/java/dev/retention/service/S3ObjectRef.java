package dev.retention.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * An object named by an S3 event notification.
 *
 * @param bucket bucket name
 * @param key the decoded key
 * @param etag the event's ETag, or null
 * @param versionId the event's version id, or null (unversioned buckets)
 * @param sequencer the event's sequencer: orders two events of the same key (hex, longer or greater
 *     is later), or null
 */
public record S3ObjectRef(
    String bucket, String key, String etag, String versionId, String sequencer) {

  /** An object named without an event's identity (tests, tools): the current version. */
  public static S3ObjectRef current(String bucket, String key) {
    return new S3ObjectRef(bucket, key, null, null, null);
  }

  /**
   * Decodes a key as S3 event notifications encode it: URL form encoding, where {@code +} is a
   * space and {@code %xx} a UTF-8 byte (so {@code %2B} is a literal plus).
   */
  public static String decodeKey(String encoded) {
    return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
  }
}
