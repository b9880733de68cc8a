package dev.retention.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.ModelFormatException;
import dev.retention.model.ModelJson;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Models in a {@link Bucket}: {@code <prefix><modelName>/<version>.json} for each version, its
 * operator report at {@code <prefix><modelName>/<version>/report.html}, and {@code
 * <prefix><modelName>/latest.json}, a small pointer to the live version.
 *
 * <p><b>Publish order.</b> The companions ({@code <version>/report.html}, and for orders models
 * {@code <version>/features.csv.gz}), then the version (created only if absent), then the pointer:
 * a reader that follows the pointer always finds the model it names and its companions, and a
 * version file always has them. A failure after a companion and before the version deletes the
 * companions again, so a failed training leaves no orphan; a failure at the pointer leaves a
 * complete version that is not yet live, which the retry of the same event makes live. A version
 * held by the quality gate is published without moving the pointer.
 *
 * <p><b>Forward only.</b> The pointer records the live model's {@link ModelOrder}; it is moved only
 * to a newer model, with a conditional write on its ETag ({@code If-None-Match: *} when there is
 * none yet), re-read and retried until it holds the newest of the competitors. On S3 the
 * conditional write is atomic; on a server that checks {@code If-Match} without locking (s3proxy),
 * two overlapping writers may both succeed, and the re-read after each write lets the newer one
 * write again, so the pointer still ends at the newest model (it may point at the older one for the
 * moment between the two writes, never at a missing object).
 */
public final class ModelStore {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int POINTER_ATTEMPTS = 10;

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

  /** The report's name among a version's companions. */
  public static final String REPORT = "report.html";

  /** Key of the operator report of a model version: next to the model. */
  public String reportKey(String version) {
    return companionKey(version, REPORT);
  }

  /**
   * The model of {@code version}, if it was published.
   *
   * @throws ModelFormatException if the stored file is not a valid model
   */
  public Optional<RetentionModel> find(String version) {
    return bucket.read(versionKey(version)).map(stored -> ModelJson.read(stored.bytes()));
  }

  /** What became of {@code latest.json} when a model was published. */
  public enum Pointer {
    /** It now points at this model. */
    MOVED,
    /** It already pointed at this model (a redelivered or retried event). */
    ALREADY_LIVE,
    /** A newer model is live: this one is published as a version and the pointer left alone. */
    NEWER_IS_LIVE,
    /** The quality gate held it: published as a version, the pointer left at the live model. */
    HELD_BY_QUALITY_GATE
  }

  /**
   * An object published next to a version, under {@code <version>/<name>}: from memory or, when
   * large, from a file.
   */
  public record Companion(String name, String contentType, byte[] bytes, Path file) {

    public static Companion of(String name, String contentType, byte[] bytes) {
      return new Companion(name, contentType, bytes, null);
    }

    public static Companion ofFile(String name, String contentType, Path file) {
      return new Companion(name, contentType, null, file);
    }
  }

  /** Key of a companion of a model version. */
  public String companionKey(String version, String name) {
    return prefix + modelName + "/" + version + "/" + name;
  }

  /**
   * The outcome of a publish.
   *
   * @param modelKey key of the model version
   * @param pointer what happened to latest.json
   * @param liveVersion the version latest.json points at afterwards
   */
  public record Published(String modelKey, Pointer pointer, String liveVersion) {}

  /** Publishes a new version with its report and moves the pointer if the model is newer. */
  public Published publish(RetentionModel model, String reportHtml) {
    return publish(
        model,
        List.of(
            Companion.of(
                REPORT, "text/html; charset=utf-8", reportHtml.getBytes(StandardCharsets.UTF_8))),
        true);
  }

  /**
   * Publishes a new version: its companions, the version itself, then the pointer if {@code goLive}
   * and the model is newer than the live one.
   *
   * @param goLive false when the quality gate holds the model: the pointer is left alone
   * @throws StorageException when a write fails; no companion is left without its version
   */
  public Published publish(RetentionModel model, List<Companion> companions, boolean goLive) {
    String key = versionKey(model.version());
    // Serialized (and validated) before anything is written: a model that cannot be written
    // leaves nothing behind.
    byte[] json = ModelJson.write(model);
    List<String> written = new ArrayList<>();
    try {
      for (Companion companion : companions) {
        String companionKey = companionKey(model.version(), companion.name());
        written.add(companionKey);
        write(companionKey, companion);
      }
      // Absent: written. Present: an earlier attempt of the same export (a retried write whose
      // answer was lost, or a concurrent redelivery) wrote the same version.
      bucket.putIfAbsent(key, json, "application/json");
    } catch (RuntimeException e) {
      // Any failure, not only storage's: a companion never stays without its version.
      removeOrphans(written, key, e);
      throw e;
    }
    return goLive ? advanceLatest(model, sha256(json)) : held(key);
  }

  /**
   * Finishes what an earlier attempt of a published version may have left undone: its report
   * (written again when missing; the other companions were written before the version, so they are
   * there) and the pointer (moved if {@code goLive} and the model is newer than the live one).
   * Idempotent.
   */
  public Published complete(PublishedModel published, Supplier<String> reportHtml, boolean goLive) {
    RetentionModel model = published.model();
    String report = reportKey(model.version());
    if (bucket.head(report).isEmpty()) {
      bucket.put(
          report, reportHtml.get().getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }
    return goLive ? advanceLatest(model, published.sha256()) : held(versionKey(model.version()));
  }

  /**
   * A published version and the SHA-256 of its file, as the pointer to it records.
   *
   * @param sha256 lower-case hex of the SHA-256 of the stored file's bytes
   */
  public record PublishedModel(RetentionModel model, String sha256) {}

  /**
   * The model of {@code version} with its file's hash, if it was published.
   *
   * @throws ModelFormatException if the stored file is not a valid model
   */
  public Optional<PublishedModel> findPublished(String version) {
    return bucket
        .read(versionKey(version))
        .map(stored -> new PublishedModel(ModelJson.read(stored.bytes()), sha256(stored.bytes())));
  }

  /** Lower-case hex SHA-256 of {@code bytes}: what the pointer records of a model file. */
  public static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Published held(String key) {
    return new Published(key, Pointer.HELD_BY_QUALITY_GATE, liveVersion());
  }

  /** The version latest.json names, or null when there is none (or it is not a pointer). */
  public String liveVersion() {
    return bucket.read(latestKey()).map(stored -> LivePointer.parse(stored).version()).orElse(null);
  }

  private void write(String key, Companion companion) {
    if (companion.file() != null) {
      bucket.upload(key, companion.file(), companion.contentType(), Map.of());
    } else {
      bucket.put(key, companion.bytes(), companion.contentType());
    }
  }

  private void removeOrphans(List<String> companions, String key, RuntimeException cause) {
    try {
      if (bucket.head(key).isEmpty()) {
        for (String companion : companions) {
          bucket.delete(companion);
        }
      }
    } catch (StorageException e) {
      cause.addSuppressed(e); // the retry of this event writes them again and finishes
    }
  }

  /**
   * Moves latest.json to {@code model} (whose stored file hashes to {@code sha256}) if it is newer
   * than the model it points at.
   */
  Published advanceLatest(RetentionModel model, String sha256) {
    byte[] pointer = pointerJson(model, sha256);
    String key = versionKey(model.version());
    // Once this call has written the pointer, finding it at this model means the write landed
    // (its answer lost, or its read-back not yet consistent): that is MOVED, not ALREADY_LIVE.
    boolean written = false;
    for (int attempt = 0; attempt < POINTER_ATTEMPTS; attempt++) {
      Optional<Bucket.Stored> stored = bucket.read(latestKey());
      if (stored.isEmpty()) {
        written = true;
        if (bucket.putIfAbsent(latestKey(), pointer, "application/json")) {
          Published verified = verify(model, key);
          if (verified != null) {
            return verified;
          }
        }
        continue;
      }
      LivePointer live = LivePointer.parse(stored.get());
      if (model.version().equals(live.version())) {
        return new Published(key, written ? Pointer.MOVED : Pointer.ALREADY_LIVE, model.version());
      }
      if (live.valid() && !newer(model.order(), orderOf(live))) {
        return new Published(key, Pointer.NEWER_IS_LIVE, live.version());
      }
      written = true;
      if (bucket.putIfMatch(latestKey(), pointer, "application/json", stored.get().etag())) {
        Published verified = verify(model, key);
        if (verified != null) {
          return verified;
        }
      }
    }
    throw new StorageException(
        latestKey() + " kept changing under " + POINTER_ATTEMPTS + " attempts to move it", null);
  }

  /**
   * After a write: the pointer holds this model (done), a newer one (done, not live), or an older
   * one that an overlapping writer put after us (null: try again).
   */
  private Published verify(RetentionModel model, String key) {
    Optional<Bucket.Stored> now = bucket.read(latestKey());
    if (now.isEmpty()) {
      return null;
    }
    LivePointer live = LivePointer.parse(now.get());
    if (model.version().equals(live.version())) {
      return new Published(key, Pointer.MOVED, model.version());
    }
    if (live.valid() && !newer(model.order(), orderOf(live))) {
      return new Published(key, Pointer.NEWER_IS_LIVE, live.version());
    }
    return null;
  }

  /**
   * Whether a model of order {@code candidate} may replace the live one. Models without an order
   * (published by tools and tests, or written before schema 1.2) replace and are replaced as
   * before: the last writer wins. The train function always records an order.
   */
  static boolean newer(ModelOrder candidate, ModelOrder live) {
    return candidate == null || live == null || candidate.compareTo(live) > 0;
  }

  /** The live model's order: from the pointer, or (older pointers) from the model it names. */
  private ModelOrder orderOf(LivePointer live) {
    if (live.order() != null) {
      return live.order();
    }
    return bucket
        .read(live.key())
        .map(stored -> ModelJson.read(stored.bytes()).order())
        .orElse(null);
  }

  private byte[] pointerJson(RetentionModel model, String sha256) {
    ObjectNode pointer = MAPPER.createObjectNode();
    pointer.put("schemaVersion", RetentionModel.SCHEMA_VERSION);
    pointer.put("modelName", model.modelName());
    pointer.put("version", model.version());
    pointer.put("key", versionKey(model.version()));
    pointer.put("sha256", sha256);
    pointer.put("createdAt", model.createdAt());
    if (model.order() != null) {
      pointer.set("order", MAPPER.valueToTree(model.order()));
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(pointer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What latest.json says.
   *
   * @param valid false when the pointer is not a model pointer (it is then replaced)
   */
  private record LivePointer(boolean valid, String version, String key, ModelOrder order) {

    static LivePointer parse(Bucket.Stored stored) {
      try {
        JsonNode node = MAPPER.readTree(stored.bytes());
        if (node == null || !node.path("key").isTextual() || !node.path("version").isTextual()) {
          return new LivePointer(false, null, null, null);
        }
        ModelOrder order =
            node.hasNonNull("order")
                ? MAPPER.treeToValue(node.get("order"), ModelOrder.class)
                : null;
        return new LivePointer(true, node.get("version").asText(), node.get("key").asText(), order);
      } catch (IOException | IllegalArgumentException e) {
        return new LivePointer(false, null, null, null);
      }
    }
  }

  /** Whether latest.json exists. */
  public boolean hasLatest() {
    return bucket.head(latestKey()).isPresent();
  }

  /** {@link #fetchLatest(String, Duration)} with the client's own timeouts. */
  public Latest fetchLatest(String knownEtag) {
    return fetchLatest(knownEtag, null);
  }

  /**
   * The latest pointer's target, fetched only if latest.json changed since {@code knownEtag}, all
   * within {@code timeout} (pointer and model together; null: the client's own timeouts).
   *
   * @return NOT_MODIFIED, NOT_FOUND, or the pointer's ETag with the model it names
   * @throws ModelFormatException if the pointer or the model it names is corrupt or missing
   * @throws StorageException if the bucket cannot be read in time
   */
  public Latest fetchLatest(String knownEtag, Duration timeout) {
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    Bucket.Read read = bucket.readIfChanged(latestKey(), knownEtag, remaining(deadline, timeout));
    switch (read.status()) {
      case NOT_MODIFIED:
        return Latest.notModified();
      case NOT_FOUND:
        return Latest.notFound();
      default:
        break;
    }
    JsonNode pointer = parsePointer(read.stored().bytes());
    String key = pointer.path("key").asText("");
    if (!key.startsWith(prefix + modelName + "/") || !key.endsWith(".json")) {
      throw new ModelFormatException(
          latestKey() + " points at '" + key + "', not a model of " + modelName);
    }
    Bucket.Stored stored =
        bucket
            .read(key, remaining(deadline, timeout))
            .orElseThrow(() -> new ModelFormatException(latestKey() + " points at missing " + key));
    String expected = pointer.path("sha256").isTextual() ? pointer.get("sha256").asText() : null;
    if (expected != null && !expected.equalsIgnoreCase(sha256(stored.bytes()))) {
      throw new ModelIntegrityException(
          key
              + " is not the file "
              + latestKey()
              + " published: its SHA-256 differs from the pointer's (altered after publishing)");
    }
    RetentionModel model = ModelJson.read(stored.bytes());
    String version = pointer.path("version").asText(null);
    if (version != null && (!version.equals(model.version()) || !key.equals(versionKey(version)))) {
      throw new ModelIntegrityException(
          latestKey()
              + " names version "
              + version
              + " but points at "
              + key
              + ", whose model is version "
              + model.version());
    }
    return Latest.found(read.stored().etag(), model, expected != null);
  }

  private static Duration remaining(long deadline, Duration timeout) {
    return timeout == null ? null : Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  /** The current ETag of latest.json, or null when there is none. */
  public String latestEtag(Duration timeout) {
    return bucket.head(latestKey(), null, timeout).map(ObjectInfo::etag).orElse(null);
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

  /**
   * Outcome of {@link #fetchLatest}.
   *
   * @param verified whether the model file's SHA-256 was checked against the pointer's (false for
   *     pointers written before the hash was recorded, which are read when their version agrees)
   */
  public record Latest(Status status, String etag, RetentionModel model, boolean verified) {

    /** What the conditional GET found. */
    public enum Status {
      FOUND,
      NOT_MODIFIED,
      NOT_FOUND
    }

    static Latest found(String etag, RetentionModel model, boolean verified) {
      return new Latest(Status.FOUND, etag, model, verified);
    }

    static Latest notModified() {
      return new Latest(Status.NOT_MODIFIED, null, null, false);
    }

    static Latest notFound() {
      return new Latest(Status.NOT_FOUND, null, null, false);
    }
  }
}
