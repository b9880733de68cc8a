package dev.retention.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
