package dev.retention.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.testing.Events;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's local API command, checked in the build: {@link LocalRun} with {@code
 * -Dlocal.serve=0} as its own process, on the packaged function.zip; the three request kinds over
 * real HTTP, then the run stopped as Ctrl-C stops it, leaving nothing running.
 */
class LocalApiIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern SERVING =
      Pattern.compile("score API on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern FIRST_ID = Pattern.compile("/customers/(\\S+)");

  @Test
  void theLocalApiAnswersOrdersFeaturesAndIdsAndStopsWithTheRun() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Dlocal.serve=0",
            "-Ds3proxy.jar=" + System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"),
            "-Daws.accessKeyId=local",
            "-Daws.secretAccessKey=local-secret",
            "-cp",
            System.getProperty("java.class.path"),
            LocalRun.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("RETENTION_"));
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<String> serving = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  Matcher m = SERVING.matcher(line);
                  if (m.find()) {
                    serving.complete(m.group(1));
                  }
                }
              } catch (java.io.IOException e) {
                serving.completeExceptionally(e);
              }
              serving.complete(null);
            });
    reader.start();
    try {
      String url = serving.get(6, TimeUnit.MINUTES);
      assertNotNull(url, () -> "the local API did not start: " + output(lines));
      Thread.sleep(500); // the example lines after the address
      String output = output(lines);
      Matcher id = FIRST_ID.matcher(output);
      assertTrue(id.find(), output);
      HttpClient http = HttpClient.newHttpClient();

      JsonNode orders = post(http, url, Events.json("score-orders.json").get("body").asText(), 200);
      assertEquals("history", orders.get("basis").asText(), orders.toString());
      JsonNode derived = orders.get("derivedFeatures");

      ObjectNode featuresRequest = MAPPER.createObjectNode();
      featuresRequest.put("customerId", "C-77").set("features", derived);
      JsonNode features = post(http, url, featuresRequest.toString(), 200);
      assertEquals(orders.get("probability"), features.get("probability"));
      assertEquals(orders.get("segment"), features.get("segment"));

      HttpResponse<String> byId =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/customers/" + id.group(1))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, byId.statusCode(), byId.body());
      assertEquals("application/json", byId.headers().firstValue("content-type").orElse(""));
      assertEquals("batch", MAPPER.readTree(byId.body()).get("basis").asText());

      JsonNode malformed = post(http, url, "{\"orders\": [", 400);
      assertEquals("malformed_json", malformed.get("error").get("code").asText());
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/customers/nobody")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());
    } finally {
      // SIGTERM, as Ctrl-C stops it (through the handle: Process.destroy would also close the
      // pipe this test still reads the run's last lines from).
      process.toHandle().destroy();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the local run did not stop");
      reader.join(10_000);
    }
    String output =
        output(lines)
            + "\n(exit "
            + process.exitValue()
            + ", reader alive "
            + reader.isAlive()
            + ")";
    assertTrue(output.contains("stopped the local score API"), output);
    assertTrue(output.contains("stopped the local S3 server"), output);
    for (String started :
        List.of("s3proxy\\) started, pid (\\d+)", "local score API started, pid (\\d+)")) {
      Matcher pid = Pattern.compile(started).matcher(output);
      assertTrue(pid.find(), output);
      long own = Long.parseLong(pid.group(1));
      assertFalse(
          ProcessHandle.of(own).map(ProcessHandle::isAlive).orElse(false),
          "a process the run started is still running: " + own);
    }
    assertTrue(process.descendants().noneMatch(ProcessHandle::isAlive), "a child left running");
  }

  private static JsonNode post(HttpClient http, String url, String body, int status)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/score"))
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, response.statusCode(), response.body());
    return MAPPER.readTree(response.body());
  }

  private static String output(List<String> lines) {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }
}
