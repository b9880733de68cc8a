package dev.retention.faults;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.testing.Events;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The fault tests' direct view of the bucket (through s3proxy, never through the fault proxy). */
final class Bucketed {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Bucketed() {}

  static void upload(String key, byte[] bytes) {
    try (S3Client s3 = FaultyS3Resource.server.client()) {
      s3.putObject(b -> b.bucket(FaultyS3Resource.BUCKET).key(key), RequestBody.fromBytes(bytes));
    }
  }

  static Optional<byte[]> download(String key) {
    try (S3Client s3 = FaultyS3Resource.server.client()) {
      return Optional.of(
          s3.getObjectAsBytes(b -> b.bucket(FaultyS3Resource.BUCKET).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  static List<String> keys(String prefix) {
    try (S3Client s3 = FaultyS3Resource.server.client()) {
      return s3
          .listObjectsV2(b -> b.bucket(FaultyS3Resource.BUCKET).prefix(prefix))
          .contents()
          .stream()
          .map(S3Object::key)
          .sorted()
          .toList();
    }
  }

  /** The version latest.json points at, or empty. */
  static Optional<String> live() {
    return download("models/default/latest.json").map(Bucketed::version);
  }

  private static String version(byte[] json) {
    try {
      return MAPPER.readTree(json).get("version").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample S3 event naming {@code key}, as S3 would send it (the object's real ETag). */
  static String event(String template, String key) {
    try (S3Client s3 = FaultyS3Resource.server.client()) {
      return Events.asS3Sends(Events.s3WithKey(template, key), s3);
    }
  }

  static Response invoke(String event) {
    return given().contentType("application/json").body(event).when().post();
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
