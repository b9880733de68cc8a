package dev.retention.storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One S3 bucket, the only place the services' S3 calls go through: a missing object is an empty
 * {@link Optional}, every other SDK failure a {@link StorageException}, and every read checks that
 * it got exactly the object's bytes, so no caller ever imports the AWS SDK.
 */
public final class Bucket implements AutoCloseable {

  private final S3Client s3;
  private final String name;

  public Bucket(S3Client s3, String name) {
    this.s3 = s3;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** {@code s3://bucket/key}. */
  public String uri(String key) {
    return "s3://" + name + "/" + key;
  }

  /** The current version's metadata, or empty when there is no such object. */
  public Optional<ObjectInfo> head(String key) {
    return head(key, null);
  }

  /**
   * The metadata of one version of an object (the current one when {@code versionId} is null), or
   * empty when it does not exist.
   */
  public Optional<ObjectInfo> head(String key, String versionId) {
    return head(key, versionId, null);
  }

  /** {@link #head(String, String)} within {@code timeout} (null: the client's own). */
  public Optional<ObjectInfo> head(String key, String versionId, Duration timeout) {
    HeadObjectRequest.Builder request = HeadObjectRequest.builder().bucket(name).key(key);
    if (versionId != null) {
      request.versionId(versionId);
    }
    if (timeout != null) {
      request.overrideConfiguration(o -> o.apiCallTimeout(positive(timeout)));
    }
    try {
      HeadObjectResponse head = s3.headObject(request.build());
      return Optional.of(
          new ObjectInfo(
              name,
              key,
              unquote(head.eTag()),
              head.versionId(),
              head.lastModified(),
              head.contentLength()));
    } catch (SdkException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw failure("HEAD", key, e);
    }
  }

  /**
   * Opens exactly the object version described by {@code object} for streaming: by its version id
   * when it has one, else on the condition that its ETag is unchanged. The stream fails with a
   * {@link TruncatedReadException} when the body ends before, or runs past, the object's size, so a
   * broken connection is never mistaken for the end of the export.
   */
  public InputStream open(ObjectInfo object) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(name).key(object.key());
    if (object.versionId() != null) {
      request.versionId(object.versionId());
    }
    if (object.etag() != null) {
      request.ifMatch("\"" + object.etag() + "\"");
    }
    try {
      ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build());
      // A large buffer between the HTTP stream and the decoder: readers then pull big chunks.
      return new BufferedInputStream(
          new LengthCheckedInputStream(in, object.size(), object.uri()), 1 << 20);
    } catch (SdkException e) {
      throw failure("GET", object.key(), e);
    }
  }

  /** A whole small object (a model, a pointer) and its ETag, or empty when it does not exist. */
  public Optional<Stored> read(String key) {
    return read(key, null);
  }

  /** {@link #read(String)} within {@code timeout} (null: the client's own). */
  public Optional<Stored> read(String key, Duration timeout) {
    Read read = readIfChanged(key, null, timeout);
    return read.status() == Read.Status.FOUND ? Optional.of(read.stored()) : Optional.empty();
  }

  private static Duration positive(Duration timeout) {
    return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
  }

  /**
   * A whole small object, fetched only if its ETag is no longer {@code knownEtag} (a conditional
   * GET: an unchanged object costs one 304 and no body).
   */
  public Read readIfChanged(String key, String knownEtag) {
    return readIfChanged(key, knownEtag, null);
  }

  /**
   * {@link #readIfChanged(String, String)} that gives up after {@code timeout} (retries included):
   * for callers that must answer within a budget, such as the score function's model refresh.
   *
   * @param timeout the whole call's limit, or null for the client's own
   */
  public Read readIfChanged(String key, String knownEtag, Duration timeout) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(name).key(key);
    if (knownEtag != null) {
      request.ifNoneMatch("\"" + knownEtag + "\"");
    }
    if (timeout != null) {
      request.overrideConfiguration(o -> o.apiCallTimeout(positive(timeout)));
    }
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build())) {
      GetObjectResponse response = in.response();
      Long length = response.contentLength();
      byte[] bytes =
          new LengthCheckedInputStream(in, length == null ? -1 : length, uri(key)).readAllBytes();
      return Read.found(new Stored(key, unquote(response.eTag()), bytes));
    } catch (SdkException e) {
      if (isNotFound(e)) {
        return Read.notFound();
      }
      if (e instanceof S3Exception s && s.statusCode() == 304) {
        return Read.notModified();
      }
      throw failure("GET", key, e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small object. */
  public void put(String key, byte[] bytes, String contentType) {
    try {
      s3.putObject(
          PutObjectRequest.builder().bucket(name).key(key).contentType(contentType).build(),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("PUT", key, e);
    }
  }

  /**
   * Writes a small object only if no object has its key ({@code If-None-Match: *}, atomic on S3 and
   * s3proxy).
   *
   * @return false when the key already exists (412), nothing written; note that an SDK retry of a
   *     write whose answer was lost also sees 412, so callers treat "exists" as "maybe mine"
   */
  public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
    return conditionalPut(
        PutObjectRequest.builder().bucket(name).key(key).contentType(contentType).ifNoneMatch("*"),
        key,
        bytes);
  }

  /**
   * Replaces a small object only if its ETag is still {@code etag} ({@code If-Match}: atomic on S3;
   * s3proxy checks it but does not lock between the check and the write).
   *
   * @return false when the object changed or disappeared (412 or 404), nothing written
   */
  public boolean putIfMatch(String key, byte[] bytes, String contentType, String etag) {
    return conditionalPut(
        PutObjectRequest.builder()
            .bucket(name)
            .key(key)
            .contentType(contentType)
            .ifMatch("\"" + etag + "\""),
        key,
        bytes);
  }

  private boolean conditionalPut(PutObjectRequest.Builder request, String key, byte[] bytes) {
    try {
      s3.putObject(request.build(), RequestBody.fromBytes(bytes));
      return true;
    } catch (SdkException e) {
      if (e instanceof S3Exception s
          && (s.statusCode() == 412 || s.statusCode() == 409 || s.statusCode() == 404)) {
        // 409 ConditionalRequestConflict: a concurrent conditional write won; read and retry.
        return false;
      }
      throw failure("conditional PUT", key, e);
    }
  }

  /** Deletes an object (no error when it does not exist). */
  public void delete(String key) {
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(name).key(key).build());
    } catch (SdkException e) {
      if (!isNotFound(e)) {
        throw failure("DELETE", key, e);
      }
    }
  }

  /**
   * Deletes objects, up to 1,000 per request (missing keys are no error).
   *
   * @throws StorageException when a request fails or S3 reports a key it could not delete
   */
  public void deleteAll(java.util.List<String> keys) {
    for (int from = 0; from < keys.size(); from += 1000) {
      java.util.List<ObjectIdentifier> chunk =
          keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
              .map(k -> ObjectIdentifier.builder().key(k).build())
              .toList();
      try {
        DeleteObjectsResponse response =
            s3.deleteObjects(
                DeleteObjectsRequest.builder()
                    .bucket(name)
                    .delete(Delete.builder().objects(chunk).quiet(true).build())
                    .build());
        if (response.hasErrors() && !response.errors().isEmpty()) {
          throw new StorageException(
              "DELETE of "
                  + response.errors().size()
                  + " objects in "
                  + uri("")
                  + " failed, first: "
                  + response.errors().get(0).key()
                  + " ("
                  + response.errors().get(0).code()
                  + ")",
              null);
        }
      } catch (SdkException e) {
        throw failure("DELETE (multiple)", keys.get(from), e);
      }
    }
  }

  /** Uploads a file with user metadata. */
  public void upload(String key, Path file, String contentType, Map<String, String> metadata) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(name)
              .key(key)
              .contentType(contentType)
              .metadata(metadata)
              .build(),
          RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw failure("PUT", key, e);
    } catch (UncheckedIOException e) {
      throw new StorageException("cannot upload " + file + " to " + uri(key), e);
    }
  }

  private static boolean isNotFound(SdkException e) {
    return e instanceof NoSuchKeyException || e instanceof S3Exception s && s.statusCode() == 404;
  }

  private StorageException failure(String operation, String key, SdkException e) {
    return new StorageException(operation + " " + uri(key) + " failed: " + e.getMessage(), e);
  }

  /** Closes the client this bucket was opened with. */
  @Override
  public void close() {
    s3.close();
  }

  static String unquote(String etag) {
    if (etag == null) {
      return null;
    }
    return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  /** A small object read whole. */
  public record Stored(String key, String etag, byte[] bytes) {}

  /** Outcome of {@link #readIfChanged}. */
  public record Read(Status status, Stored stored) {

    /** What the conditional GET found. */
    public enum Status {
      FOUND,
      NOT_MODIFIED,
      NOT_FOUND
    }

    static Read found(Stored stored) {
      return new Read(Status.FOUND, stored);
    }

    static Read notModified() {
      return new Read(Status.NOT_MODIFIED, null);
    }

    static Read notFound() {
      return new Read(Status.NOT_FOUND, null);
    }
  }
}
