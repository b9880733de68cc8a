package dev.retention.functions;

import static io.restassured.RestAssured.given;

import dev.retention.testing.Events;
import dev.retention.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Starts s3proxy for a @QuarkusTest and points the functions at it. */
public class LocalS3Resource implements QuarkusTestResourceLifecycleManager {

  /** The bucket the sample events in events/ name. */
  public static final String BUCKET = "retention-data";

  static S3ProxyServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = S3ProxyServer.start(Files.createTempDirectory("s3proxy-data"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createBucket(BUCKET);
    return Map.of(
        "retention.s3.endpoint-override",
        server.endpoint().toString(),
        "retention.s3.path-style",
        "true",
        "retention.s3.bucket",
        BUCKET,
        "retention.s3.region",
        "us-east-1");
  }

  /** Puts {@code bytes} at {@code key} in the test bucket. */
  static void upload(String key, byte[] bytes) {
    try (S3Client s3 = server.client()) {
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }
  }

  /** The bytes at {@code key} in the test bucket. */
  static byte[] download(String key) {
    try (S3Client s3 = server.client()) {
      return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }
  }

  /**
   * Posts an S3 event to the function under test as S3 would send it for the objects as they now
   * are (their real ETags and sizes).
   */
  static Response invoke(String event) {
    try (S3Client s3 = server.client()) {
      return given()
          .contentType("application/json")
          .body(Events.asS3Sends(event, s3))
          .when()
          .post();
    }
  }

  /**
   * Posts events/s3-put-csv.json for {@code key} to the function under test, as S3 sends it for the
   * object as it now is (its real ETag and size).
   */
  static Response invokeCsvEvent(String key) {
    try (S3Client s3 = server.client()) {
      return given()
          .contentType("application/json")
          .body(Events.asS3Sends(Events.s3WithKey("s3-put-csv.json", key), s3))
          .when()
          .post();
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
