package dev.retention.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/** The sample events in events/ (the same files `sam local invoke` uses). */
public final class Events {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Events() {}

  public static Path dir() {
    return Path.of("events");
  }

  public static String text(String name) {
    try {
      return Files.readString(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode json(String name) {
    try {
      return (ObjectNode) MAPPER.readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An S3 event file with another (already URL-encoded) key. */
  public static String s3WithKey(String name, String encodedKey) {
    ObjectNode event = json(name);
    ((ObjectNode) event.withArray("Records").get(0).get("s3").get("object")).put("key", encodedKey);
    return event.toString();
  }

  /**
   * An S3 event as S3 would send it for the objects as they are now: each record's ETag and size
   * set from a HEAD of its (decoded) key; records whose object does not exist are left as they are.
   * The sample events carry made-up ETags, and the functions skip an event whose ETag is not the
   * object's (an overwritten object is handled by its own, later event).
   */
  public static String asS3Sends(String event, S3Client s3) {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(event);
      for (var record : root.withArray("Records")) {
        ObjectNode bucket = (ObjectNode) record.get("s3").get("bucket");
        ObjectNode object = (ObjectNode) record.get("s3").get("object");
        String key =
            java.net.URLDecoder.decode(
                object.get("key").asText(), java.nio.charset.StandardCharsets.UTF_8);
        try {
          var head = s3.headObject(b -> b.bucket(bucket.get("name").asText()).key(key));
          String etag = head.eTag().replace("\"", "");
          object.put("eTag", etag).put("size", head.contentLength());
        } catch (software.amazon.awssdk.services.s3.model.S3Exception missing) {
          // left as it is: the function sees a missing object
        }
      }
      return root.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP API event file with another method, path and body. */
  public static String http(String method, String path, String body) {
    ObjectNode event = json("get-model.json");
    event.put("routeKey", method + " " + path);
    event.put("rawPath", path);
    ObjectNode http = (ObjectNode) event.get("requestContext").get("http");
    http.put("method", method);
    http.put("path", path);
    if (body != null) {
      event.put("body", body);
    } else {
      event.remove("body");
    }
    return event.toString();
  }
}
