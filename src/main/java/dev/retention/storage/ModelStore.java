package dev.retention.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.ModelFormatException;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Models in S3: {@code <prefix><modelName>/<version>.json} for each version and {@code
 * <prefix><modelName>/latest.json}, a small pointer to the current version.
 *
 * <p>Publishing writes the version first and the pointer last, so a reader that follows the pointer
 * always finds the model it names. Readers poll the pointer with a conditional GET on its ETag: an
 * unchanged model costs one 304.
 */
public final class ModelStore {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String modelName;

  public ModelStore(S3Client s3, String bucket, String prefix, String modelName) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix.endsWith("/") || prefix.isEmpty() ? prefix : prefix + "/";
    this.modelName = modelName;
  }

  public String bucket() {
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

  /** The model of {@code version}, if it was published. */
  public Optional<RetentionModel> find(String version) {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(GetObjectRequest.builder().bucket(bucket).key(versionKey(version)).build())) {
      return Optional.of(ModelJson.read(in));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + versionKey(version), e);
    }
  }

  /** Key of the operator report of a model version: next to the model. */
  public String reportKey(String version) {
    return prefix + modelName + "/" + version + "/report.html";
  }

  /**
   * Writes the report, then the model under its version, then points latest.json at it: whoever
   * sees a version in latest.json also finds its report. Returns the model key.
   */
  public String publish(RetentionModel model, String reportHtml) {
    put(
        reportKey(model.version()),
        reportHtml.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "text/html; charset=utf-8");
    String key = versionKey(model.version());
    put(key, ModelJson.write(model), "application/json");
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
      put(
          latestKey(),
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(pointer),
          "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether latest.json exists. */
  public boolean hasLatest() {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(latestKey()).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The latest pointer's target, fetched only if latest.json changed since {@code knownEtag}.
   *
   * @return NOT_MODIFIED, NOT_FOUND, or the pointer's ETag with the model it names
   * @throws ModelFormatException if the pointer or the model it names is corrupt
   */
  public Latest fetchLatest(String knownEtag) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(latestKey());
    if (knownEtag != null) {
      request.ifNoneMatch("\"" + knownEtag + "\"");
    }
    String etag;
    JsonNode pointer;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build())) {
      etag = unquote(in.response().eTag());
      pointer = parsePointer(in);
    } catch (NoSuchKeyException e) {
      return Latest.notFound();
    } catch (S3Exception e) {
      if (e.statusCode() == 304) {
        return Latest.notModified();
      }
      if (e.statusCode() == 404) {
        return Latest.notFound();
      }
      throw e;
    } catch (IOException e) {
      throw new StorageException("cannot read " + latestKey(), e);
    }
    String key = pointer.path("key").asText("");
    if (!key.startsWith(prefix + modelName + "/") || !key.endsWith(".json")) {
      throw new ModelFormatException(
          latestKey() + " points at '" + key + "', not a model of " + modelName);
    }
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
      return Latest.found(etag, ModelJson.read(in));
    } catch (NoSuchKeyException e) {
      throw new ModelFormatException(latestKey() + " points at missing " + key);
    } catch (IOException e) {
      throw new StorageException("cannot read " + key, e);
    }
  }

  private JsonNode parsePointer(InputStream in) throws IOException {
    try {
      JsonNode node = MAPPER.readTree(in);
      if (node == null || !node.isObject() || !node.path("key").isTextual()) {
        throw new ModelFormatException(latestKey() + " is not a model pointer");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(latestKey() + " is not valid JSON", e);
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

  private void put(String key, byte[] bytes, String contentType) {
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build(),
        RequestBody.fromBytes(bytes));
  }

  /** Uploads a file with user metadata to any key of the bucket (batch scores). */
  public void upload(
      String key, java.nio.file.Path file, String contentType, Map<String, String> metadata) {
    s3.putObject(
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .metadata(metadata)
            .build(),
        RequestBody.fromFile(file));
  }

  /** HEAD of any object in the bucket. */
  public ObjectInfo head(String key) {
    HeadObjectResponse head =
        s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
    return new ObjectInfo(
        bucket,
        key,
        unquote(head.eTag()),
        head.versionId(),
        head.lastModified(),
        head.contentLength());
  }

  /** Opens an object of the bucket for streaming. */
  public InputStream open(ObjectInfo object) {
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(object.bucket()).key(object.key());
    if (object.versionId() != null) {
      request.versionId(object.versionId());
    } else if (object.etag() != null) {
      request.ifMatch("\"" + object.etag() + "\"");
    }
    // A large buffer between the HTTP stream and the decoder: the reader then pulls big chunks.
    return new java.io.BufferedInputStream(s3.getObject(request.build()), 1 << 20);
  }

  static String unquote(String etag) {
    if (etag == null) {
      return null;
    }
    return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }
}
