package dev.retention.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.retention.service.S3ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The S3 event notification as delivered to Lambda (only the fields the S3-triggered functions
 * read).
 *
 * @param records one entry per object event
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3Event(@JsonProperty("Records") List<Record> records) {

  /** The created objects the event names, keys URL-decoded; other event types are left out. */
  public List<S3ObjectRef> createdObjects() {
    List<S3ObjectRef> objects = new ArrayList<>();
    if (records == null) {
      return objects;
    }
    for (Record record : records) {
      if (record == null || record.s3() == null || record.s3().object() == null) {
        continue;
      }
      if (record.eventName() != null && !record.eventName().startsWith("ObjectCreated:")) {
        continue;
      }
      S3Object object = record.s3().object();
      objects.add(
          new S3ObjectRef(
              record.s3().bucket().name(),
              S3ObjectRef.decodeKey(object.key()),
              object.eTag(),
              object.versionId(),
              object.sequencer()));
    }
    return objects;
  }

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
   * @param sequencer orders the events of one key
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3Object(String key, String eTag, String versionId, Long size, String sequencer) {}
}
