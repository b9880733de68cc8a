package dev.retention.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The score function's event binding ({@link HttpApiBinding}, issue 22) reads and writes what
 * Jackson's reflective binding of the same records read and wrote: every field of the example
 * events, the body to the character, and a response body that any JSON reader gives back exactly.
 * The whole path (Funqy, the function, the API) runs in {@code ScoreFunctionTest} and the other
 * function tests.
 */
class HttpApiBindingTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void readsEveryFieldOfTheExampleEventsAsTheirJsonSays() throws Exception {
    for (String name :
        List.of(
            "score-single.json",
            "score-batch.json",
            "score-orders.json",
            "score-bad-request.json",
            "get-customer.json",
            "get-model.json")) {
      byte[] bytes = Files.readAllBytes(Path.of("events", name));
      JsonNode tree = MAPPER.readTree(bytes);
      HttpApiRequest request = MAPPER.readValue(bytes, HttpApiRequest.class);
      assertEquals(tree.path("version").textValue(), request.version(), name);
      assertEquals(tree.path("routeKey").textValue(), request.routeKey(), name);
      assertEquals(tree.path("rawPath").textValue(), request.rawPath(), name);
      assertEquals(
          MAPPER.convertValue(tree.get("headers"), TreeMap.class),
          new TreeMap<>(request.headers()),
          name);
      JsonNode context = tree.get("requestContext");
      assertEquals(context.path("stage").textValue(), request.requestContext().stage(), name);
      assertEquals(
          context.path("requestId").textValue(), request.requestContext().requestId(), name);
      assertEquals(
          context.path("http").path("method").textValue(),
          request.requestContext().http().method(),
          name);
      assertEquals(
          context.path("http").path("path").textValue(),
          request.requestContext().http().path(),
          name);
      String body = tree.path("body").textValue();
      assertEquals(body, request.body() == null ? null : new String(request.body()), name);
      assertEquals(tree.path("isBase64Encoded").asBoolean(), request.isBase64Encoded(), name);
    }
  }

  @Test
  void aBodyWithEscapesNonAsciiAndSurrogatesComesThroughToTheCharacter() throws Exception {
    String body = "{\"customerId\": \"Zoë \\\"quoted\\\" \\\\ 𝄞\\n\", \"features\": {}}\n";
    ObjectNode event = MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.putObject("unknown").putArray("nested").add(1).addObject().put("body", "not this one");
    event.put("body", body);
    event.put("isBase64Encoded", true);
    HttpApiRequest request =
        MAPPER.readValue(MAPPER.writeValueAsBytes(event), HttpApiRequest.class);
    assertArrayEquals(body.toCharArray(), request.body());
    assertTrue(request.isBase64Encoded());
    assertNull(request.requestContext());
    assertNull(request.headers());
  }

  @Test
  void theResponseBodyReadsBackAsTheJsonTextItWas() throws Exception {
    Random random = new Random(22);
    for (int trial = 0; trial < 200; trial++) {
      ObjectNode answer = MAPPER.createObjectNode();
      answer.put("text", randomText(random));
      answer.putArray("numbers").add(random.nextDouble()).add(-3);
      // Pretty-printed: raw new lines between tokens, which the escape writes as \\u000a.
      String json =
          trial % 2 == 0
              ? MAPPER.writeValueAsString(answer)
              : MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer);
      HttpApiResponse response =
          new HttpApiResponse(201, Map.of("content-type", "application/json"), utf8(json), false);
      // Through bytes (what the Lambda runtime writes) and through a Writer.
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      MAPPER.writeValue(bytes, response);
      for (String written :
          List.of(bytes.toString(StandardCharsets.UTF_8), MAPPER.writeValueAsString(response))) {
        JsonNode event = MAPPER.readTree(written);
        assertEquals(201, event.get("statusCode").intValue());
        assertEquals("application/json", event.get("headers").get("content-type").textValue());
        assertFalse(event.get("isBase64Encoded").booleanValue());
        assertEquals(json, event.get("body").textValue(), written);
      }
    }
  }

  @Test
  void escapingLeavesTextWithoutQuotesUntouched() {
    byte[] plain = utf8("12345");
    assertTrue(plain == HttpApiBinding.escapedJsonText(plain));
    assertArrayEquals(
        utf8("{\\\"a\\\":\\\"\\\\\\\"\\\"}"),
        HttpApiBinding.escapedJsonText(utf8("{\"a\":\"\\\"\"}")));
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> text.append('"');
        case 1 -> text.append('\\');
        case 2 -> text.append((char) random.nextInt(0x20));
        case 3 -> text.append("é€");
        case 4 -> text.appendCodePoint(0x1D11E);
        default -> text.append((char) ('a' + random.nextInt(26)));
      }
    }
    return text.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
