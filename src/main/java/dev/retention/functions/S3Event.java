package dev.retention.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The S3 event notification as delivered to Lambda (only the fields the train function reads).
 *
 * @param records one entry per object event
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3Event(@JsonProperty("Records") List<Record> records) {

  /** One object event. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Record(String eventSource, String eventName, Entity s3) {}

  /** The bucket and object. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entity(Bucket bucket, S3Object object) {}

  /** The bucket. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Bucket(String name) {}

  /**
   * The object; {@code key} is URL-encoded as S3 sends it.
   *
   * @param key encoded key
   * @param eTag entity tag
   * @param versionId version id on versioned buckets
   * @param size bytes
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3Object(String key, String eTag, String versionId, Long size) {}
}
