package dev.retention.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

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

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /**
   * The name of what is made from this object version: {@code <last-modified day>-<16 hex of
   * SHA-256(bucket, key, etag, version id)>}, sortable by day and the same for the same object
   * version, whoever delivers its event how often (a model's version, a batch's lookup index).
   */
  public String derivedName() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String identity = bucket + "\n" + key + "\n" + etag + "\n" + versionId;
      byte[] digest = sha.digest(identity.getBytes(StandardCharsets.UTF_8));
      return DAY.format(lastModified) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
