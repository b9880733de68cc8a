package dev.retention.storage;

import java.time.Instant;

/**
 * What S3 says about an object.
 *
 * @param bucket bucket name
 * @param key object key (decoded)
 * @param etag entity tag without quotes
 * @param versionId version id when the bucket is versioned, else null
 * @param lastModified last-modified time
 * @param size bytes
 */
public record ObjectInfo(
    String bucket, String key, String etag, String versionId, Instant lastModified, long size) {

  /** {@code s3://bucket/key}. */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
