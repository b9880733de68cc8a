package dev.retention.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Captures standard output while a function runs (still passing it through) and reads the
 * CloudWatch Embedded Metric Format records in it, each checked against the EMF specification:
 * {@code _aws.Timestamp} in epoch milliseconds, one or more metric directives with a namespace,
 * dimension sets whose every name is a string member of the record, and metric definitions (at most
 * 100, a valid unit) whose every name is a numeric member.
 */
public final class EmfCapture implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> UNITS =
      Set.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");

  private final PrintStream original;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private EmfCapture() {
    original = System.out;
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (captured) {
              captured.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (captured) {
              captured.write(b, off, len);
            }
          }
        };
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  public static EmfCapture start() {
    return new EmfCapture();
  }

  /** The EMF records written so far, each validated. */
  public List<JsonNode> records() throws IOException {
    String text;
    synchronized (captured) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("{\"_aws\"")) {
        JsonNode record = MAPPER.readTree(line);
        validate(record);
        out.add(record);
      }
    }
    return out;
  }

  /** The records of one function that carry {@code metric}. */
  public List<JsonNode> records(String functionName, String metric) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode record : records()) {
      if (functionName.equals(record.path("FunctionName").asText()) && record.has(metric)) {
        out.add(record);
      }
    }
    return out;
  }

  public static void validate(JsonNode record) {
    JsonNode aws = record.get("_aws");
    assertTrue(aws.get("Timestamp").isIntegralNumber(), "Timestamp in epoch ms: " + record);
    long now = System.currentTimeMillis();
    assertTrue(Math.abs(aws.get("Timestamp").asLong() - now) < 600_000, "a current Timestamp");
    JsonNode directives = aws.get("CloudWatchMetrics");
    assertTrue(directives.isArray() && directives.size() > 0, "metric directives: " + record);
    for (JsonNode directive : directives) {
      assertTrue(directive.get("Namespace").isTextual(), "a namespace: " + record);
      for (JsonNode set : directive.get("Dimensions")) {
        assertTrue(set.size() <= 30, "at most 30 dimensions");
        for (JsonNode name : set) {
          assertTrue(
              record.path(name.asText()).isTextual(), "dimension " + name + " is a string member");
        }
      }
      JsonNode metrics = directive.get("Metrics");
      assertTrue(metrics.size() > 0 && metrics.size() <= 100, "1 to 100 metrics: " + record);
      for (JsonNode metric : metrics) {
        String name = metric.get("Name").asText();
        assertTrue(record.path(name).isNumber(), "metric " + name + " is a number: " + record);
        assertTrue(UNITS.contains(metric.get("Unit").asText()), "unit of " + name);
      }
    }
    assertEquals(1, directives.size(), "one directive per record");
  }

  @Override
  public void close() {
    System.setOut(original);
  }
}
