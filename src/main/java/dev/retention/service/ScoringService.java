package dev.retention.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.FeatureValueException;
import dev.retention.model.ModelJson;
import dev.retention.model.Scorer;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The score API, independent of how requests arrive.
 *
 * <ul>
 *   <li>{@code POST /score}: one customer {@code {"customerId": "...", "features": {...}}} or a
 *       batch {@code {"customers": [...]}}; each answer has the segment, its name, the repurchase
 *       probability, the churn-risk band, the top three feature contributions and the model
 *       version.
 *   <li>{@code GET /model}: the current model file (aggregates only).
 * </ul>
 *
 * <p>Errors are JSON {@code {"error": {"status", "code", "message", "field", "customerIndex"}}}:
 * 400 for a bad body (naming the field and customer index; the whole batch is refused, nothing is
 * half-scored), 404 unknown route, 405 wrong method, 503 no model. Never a stack trace.
 */
public final class ScoringService {

  private static final Logger LOG = Logger.getLogger(ScoringService.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = MAPPER.getFactory();
  private static final Map<String, String> ROUTES = Map.of("/score", "POST", "/model", "GET");

  private final ModelCache cache;
  private final ScoreSettings settings;

  public ScoringService(ModelCache cache, ScoreSettings settings) {
    this.cache = cache;
    this.settings = settings;
  }

  /** The API's routes: path to method. */
  public static Map<String, String> routes() {
    return ROUTES;
  }

  public HttpResult handle(String method, String path, String body) {
    String allowed = ROUTES.get(path);
    if (allowed == null) {
      return error(
          404,
          "not_found",
          "no route " + path + "; routes are POST /score and GET /model",
          null,
          null);
    }
    if (!allowed.equalsIgnoreCase(method)) {
      HttpResult e =
          error(
              405,
              "method_not_allowed",
              method + " is not allowed on " + path + "; use " + allowed,
              null,
              null);
      return new HttpResult(e.status(), e.body(), Map.of("allow", allowed));
    }
    try {
      return path.equals("/model") ? model() : score(body);
    } catch (BadRequest e) {
      return error(400, e.code, e.getMessage(), e.field, e.customerIndex);
    } catch (NoModelException e) {
      Log.event(LOG, Logger.Level.WARN, "score.unavailable", "reason", e.getMessage());
      return error(503, "no_model", e.getMessage(), null, null);
    } catch (RuntimeException e) {
      LOG.error("score.internal-error", e);
      return error(500, "internal_error", "internal error; see the function's logs", null, null);
    }
  }

  private HttpResult model() {
    return new HttpResult(
        200,
        new String(ModelJson.write(cache.current().model()), StandardCharsets.UTF_8),
        Map.of());
  }

  private HttpResult score(String body) {
    if (body == null || body.isBlank()) {
      throw new BadRequest(
          "empty_body",
          "the request body is empty; send JSON with 'features' or 'customers'",
          null,
          null);
    }
    if (tooLarge(body, settings.maxBodyBytes())) {
      throw new BadRequest(
          "body_too_large",
          "the request body is larger than " + settings.maxBodyBytes() + " bytes",
          null,
          null);
    }
    Scorer scorer = cache.current();
    Request request;
    try (JsonParser parser = JSON.createParser(body)) {
      request = new RequestReader(parser, scorer, settings.maxBatch()).read();
    } catch (JsonProcessingException e) {
      throw new BadRequest(
          "malformed_json",
          "the request body is not valid JSON: " + e.getOriginalMessage(),
          null,
          null);
    } catch (IOException e) {
      throw new BadRequest("malformed_json", "the request body cannot be read", null, null);
    }
    String version = scorer.model().version();
    StringWriter out = new StringWriter(request.batch ? 256 * request.customers.size() : 256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      if (request.batch) {
        json.writeStartObject();
        json.writeStringField("modelVersion", version);
        json.writeNumberField("count", request.customers.size());
        json.writeArrayFieldStart("results");
      }
      for (int i = 0; i < request.customers.size(); i++) {
        Customer customer = request.customers.get(i);
        Scorer.Score score;
        try {
          score = scorer.score(customer.features);
        } catch (FeatureValueException e) {
          String prefix = request.batch ? "customers[" + i + "]." : "";
          throw new BadRequest(
              "invalid_feature",
              e.getMessage(),
              prefix + "features." + e.feature(),
              request.batch ? i : null);
        }
        writeResult(json, customer.id, score, version);
      }
      if (request.batch) {
        json.writeEndArray();
        json.writeEndObject();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the response", e);
    }
    Log.event(
        LOG,
        Logger.Level.DEBUG,
        "score.done",
        "customers",
        request.customers.size(),
        "version",
        version);
    return new HttpResult(200, out.toString(), Map.of());
  }

  private void writeResult(
      JsonGenerator json, String customerId, Scorer.Score score, String version)
      throws IOException {
    json.writeStartObject();
    if (customerId != null) {
      json.writeStringField("customerId", customerId);
    }
    json.writeNumberField("segment", score.segment());
    json.writeStringField("segmentName", score.segmentName());
    json.writeNumberField("probability", score.probability());
    json.writeStringField("churnRiskBand", score.churnRiskBand());
    if (score.suggestedAction() != null) {
      json.writeStringField("suggestedAction", score.suggestedAction());
    }
    json.writeArrayFieldStart("topContributions");
    for (Scorer.Contribution c : score.topContributions()) {
      json.writeStartObject();
      json.writeStringField("feature", c.feature());
      json.writeNumberField("contribution", c.value());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeStringField("modelVersion", version);
    json.writeEndObject();
  }

  /**
   * Whether {@code text} encodes to more than {@code limit} UTF-8 bytes. A UTF-16 char is 1 to 3
   * UTF-8 bytes (a surrogate pair 4 for 2 chars), so only lengths between {@code limit / 3} and
   * {@code limit} chars need counting.
   */
  static boolean tooLarge(String text, int limit) {
    if (text.length() <= limit / 3) {
      return false;
    }
    return text.length() > limit || utf8Length(text) > limit;
  }

  /** UTF-8 length of {@code text} without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** One customer of a request: id (or null) and raw features in the model's order. */
  private record Customer(String id, double[] features) {}

  /** A parsed request: one customer, or a batch. */
  private record Request(boolean batch, List<Customer> customers) {}

  /**
   * Streams the request body straight into primitive feature vectors (no JSON tree, no boxed maps),
   * checking each field as it goes and naming the first problem by field and customer index.
   */
  private static final class RequestReader {
    private final JsonParser parser;
    private final Scorer scorer;
    private final int maxBatch;

    RequestReader(JsonParser parser, Scorer scorer, int maxBatch) {
      this.parser = parser;
      this.scorer = scorer;
      this.maxBatch = maxBatch;
    }

    Request read() throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequest(
            "malformed_json", "the request body must be a JSON object", null, null);
      }
      List<Customer> batch = null;
      String id = null;
      boolean idSeen = false;
      double[] features = null;
      JsonToken idToken = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "customers" -> batch = readBatch(value);
          case "customerId" -> {
            idSeen = true;
            idToken = value;
            id = value == JsonToken.VALUE_STRING || value.isNumeric() ? parser.getText() : null;
            parser.skipChildren();
          }
          case "features" -> features = readFeatures(value, "", null);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new BadRequest(
            "malformed_json", "the request body has content after its JSON object", null, null);
      }
      if (batch != null) {
        return new Request(true, batch);
      }
      if (features == null) {
        throw new BadRequest(
            "invalid_field",
            "the body needs 'features' (one customer) or 'customers' (a batch)",
            null,
            null);
      }
      checkId(idSeen, idToken, "", null);
      return new Request(false, List.of(new Customer(id, features)));
    }

    private List<Customer> readBatch(JsonToken start) throws IOException {
      if (start != JsonToken.START_ARRAY) {
        throw new BadRequest("invalid_field", "'customers' must be an array", "customers", null);
      }
      List<Customer> customers = new ArrayList<>();
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        int index = customers.size();
        if (index == maxBatch) {
          throw new BadRequest(
              "batch_too_large",
              "'customers' has more than "
                  + maxBatch
                  + " entries; at most "
                  + maxBatch
                  + " per request",
              "customers",
              null);
        }
        String prefix = "customers[" + index + "].";
        if (token != JsonToken.START_OBJECT) {
          throw new BadRequest(
              "invalid_field",
              "each customer must be a JSON object",
              "customers[" + index + "]",
              index);
        }
        String id = null;
        boolean idSeen = false;
        JsonToken idToken = null;
        double[] features = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (field.equals("customerId")) {
            idSeen = true;
            idToken = value;
            id = value == JsonToken.VALUE_STRING || value.isNumeric() ? parser.getText() : null;
            parser.skipChildren();
          } else if (field.equals("features")) {
            features = readFeatures(value, prefix, index);
          } else {
            parser.skipChildren();
          }
        }
        checkId(idSeen, idToken, prefix, index);
        if (features == null) {
          throw new BadRequest(
              "invalid_field",
              "'features' must be an object of numbers",
              prefix + "features",
              index);
        }
        customers.add(new Customer(id, features));
      }
      if (customers.isEmpty()) {
        throw new BadRequest("empty_batch", "'customers' is empty", "customers", null);
      }
      return customers;
    }

    private static void checkId(boolean seen, JsonToken token, String prefix, Integer index) {
      if (seen
          && token != JsonToken.VALUE_STRING
          && !token.isNumeric()
          && token != JsonToken.VALUE_NULL) {
        throw new BadRequest(
            "invalid_field", "'customerId' must be a string", prefix + "customerId", index);
      }
    }

    private double[] readFeatures(JsonToken start, String prefix, Integer index)
        throws IOException {
      if (start != JsonToken.START_OBJECT) {
        throw new BadRequest(
            "invalid_field", "'features' must be an object of numbers", prefix + "features", index);
      }
      List<String> names = scorer.featureNames();
      double[] raw = new double[names.size()];
      boolean[] seen = new boolean[names.size()];
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        int c = scorer.featureIndex(name);
        if (c < 0) {
          throw new BadRequest(
              "invalid_feature",
              "unknown feature '" + name + "'; the model expects " + names,
              prefix + "features." + name,
              index);
        }
        if (!value.isNumeric()) {
          throw new BadRequest(
              "invalid_feature",
              "feature '" + name + "' must be a number, got " + typeName(value),
              prefix + "features." + name,
              index);
        }
        raw[c] = parser.getDoubleValue();
        seen[c] = true;
      }
      for (int c = 0; c < seen.length; c++) {
        if (!seen[c]) {
          throw new BadRequest(
              "invalid_feature",
              "missing feature '" + names.get(c) + "'",
              prefix + "features." + names.get(c),
              index);
        }
      }
      return raw;
    }

    private static String typeName(JsonToken token) {
      return switch (token) {
        case VALUE_STRING -> "string";
        case VALUE_NULL -> "null";
        case VALUE_TRUE, VALUE_FALSE -> "boolean";
        case START_OBJECT -> "object";
        case START_ARRAY -> "array";
        default -> token.name().toLowerCase(java.util.Locale.ROOT);
      };
    }
  }

  static HttpResult error(
      int status, String code, String message, String field, Integer customerIndex) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("status", status);
    error.put("code", code);
    error.put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    if (customerIndex != null) {
      error.put("customerIndex", customerIndex);
    }
    return new HttpResult(status, root.toString(), Map.of());
  }

  /** A client error, with the field and customer at fault. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final String field;
    private final Integer customerIndex;

    BadRequest(String code, String message, String field, Integer customerIndex) {
      super(message, null, false, false);
      this.code = code;
      this.field = field;
      this.customerIndex = customerIndex;
    }
  }
}
