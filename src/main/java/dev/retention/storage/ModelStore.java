package dev.retention.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.ModelFormatException;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Models in a {@link Bucket}: {@code <prefix><modelName>/<version>.json} for each version, its
 * operator report at {@code <prefix><modelName>/<version>/report.html}, and {@code
 * <prefix><modelName>/latest.json}, a small pointer to the current version.
 *
 * <p>Publishing writes the report, then the version, then the pointer, so a reader that follows the
 * pointer always finds the model it names and its report. Readers poll the pointer with a
 * conditional GET on its ETag: an unchanged model costs one 304.
 */
public final class ModelStore {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Bucket bucket;
  private final String prefix;
  private final String modelName;

  public ModelStore(Bucket bucket, String prefix, String modelName) {
    this.bucket = bucket;
    this.prefix = prefix.endsWith("/") || prefix.isEmpty() ? prefix : prefix + "/";
    this.modelName = modelName;
  }

  /** The bucket the models (and the exports they are trained on) live in. */
  public Bucket bucket() {
    return bucket;
  }

  public String modelName() {
    return modelName;
  }

  public String versionKey(String version) {
    return prefix + modelName + "/" + version + ".json";
  }

  public String latestKey() {
    return prefix + modelName + "/latest.json";
  }

  /** Key of the operator report of a model version: next to the model. */
  public String reportKey(String version) {
    return prefix + modelName + "/" + version + "/report.html";
  }

  /**
   * The model of {@code version}, if it was published.
   *
   * @throws ModelFormatException if the stored file is not a valid model
   */
  public Optional<RetentionModel> find(String version) {
    return bucket.read(versionKey(version)).map(stored -> ModelJson.read(stored.bytes()));
  }

  /**
   * Writes the report, then the model under its version, then points latest.json at it: whoever
   * sees a version in latest.json also finds its report. Returns the model key.
   */
  public String publish(RetentionModel model, String reportHtml) {
    bucket.put(
        reportKey(model.version()),
        reportHtml.getBytes(StandardCharsets.UTF_8),
        "text/html; charset=utf-8");
    String key = versionKey(model.version());
    bucket.put(key, ModelJson.write(model), "application/json");
    pointLatestAt(model);
    return key;
  }

  /** Points latest.json at an already published model. */
  public void pointLatestAt(RetentionModel model) {
    ObjectNode pointer = MAPPER.createObjectNode();
    pointer.put("schemaVersion", RetentionModel.SCHEMA_VERSION);
    pointer.put("modelName", model.modelName());
    pointer.put("version", model.version());
    pointer.put("key", versionKey(model.version()));
    pointer.put("createdAt", model.createdAt());
    try {
      bucket.put(
          latestKey(),
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(pointer),
          "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether latest.json exists. */
  public boolean hasLatest() {
    return bucket.head(latestKey()).isPresent();
  }

  /**
   * The latest pointer's target, fetched only if latest.json changed since {@code knownEtag}.
   *
   * @return NOT_MODIFIED, NOT_FOUND, or the pointer's ETag with the model it names
   * @throws ModelFormatException if the pointer or the model it names is corrupt or missing
   * @throws StorageException if the bucket cannot be read
   */
  public Latest fetchLatest(String knownEtag) {
    Bucket.Read read = bucket.readIfChanged(latestKey(), knownEtag);
    switch (read.status()) {
      case NOT_MODIFIED:
        return Latest.notModified();
      case NOT_FOUND:
        return Latest.notFound();
      default:
        break;
    }
    String key = parsePointer(read.stored().bytes()).path("key").asText("");
    if (!key.startsWith(prefix + modelName + "/") || !key.endsWith(".json")) {
      throw new ModelFormatException(
          latestKey() + " points at '" + key + "', not a model of " + modelName);
    }
    Bucket.Stored model =
        bucket
            .read(key)
            .orElseThrow(() -> new ModelFormatException(latestKey() + " points at missing " + key));
    return Latest.found(read.stored().etag(), ModelJson.read(model.bytes()));
  }

  /** The current ETag of latest.json, or null when there is none. */
  public String latestEtag() {
    return bucket.head(latestKey()).map(ObjectInfo::etag).orElse(null);
  }

  private JsonNode parsePointer(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject() || !node.path("key").isTextual()) {
        throw new ModelFormatException(latestKey() + " is not a model pointer");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(latestKey() + " is not valid JSON", e);
    } catch (IOException e) {
      throw new ModelFormatException(latestKey() + " cannot be parsed", e);
    }
  }

  /** Outcome of {@link #fetchLatest}. */
  public record Latest(Status status, String etag, RetentionModel model) {

    /** What the conditional GET found. */
    public enum Status {
      FOUND,
      NOT_MODIFIED,
      NOT_FOUND
    }

    static Latest found(String etag, RetentionModel model) {
      return new Latest(Status.FOUND, etag, model);
    }

    static Latest notModified() {
      return new Latest(Status.NOT_MODIFIED, null, null);
    }

    static Latest notFound() {
      return new Latest(Status.NOT_FOUND, null, null);
    }
  }
}
