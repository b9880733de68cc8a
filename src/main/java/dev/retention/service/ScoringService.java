package dev.retention.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.FeatureValueException;
import dev.retention.model.ModelJson;
import dev.retention.model.Scorer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    if (body.getBytes(StandardCharsets.UTF_8).length > settings.maxBodyBytes()) {
      throw new BadRequest(
          "body_too_large",
          "the request body is larger than " + settings.maxBodyBytes() + " bytes",
          null,
          null);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest(
          "malformed_json",
          "the request body is not valid JSON: " + e.getOriginalMessage(),
          null,
          null);
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest("malformed_json", "the request body must be a JSON object", null, null);
    }
    boolean batch = root.has("customers");
    List<JsonNode> customers = new ArrayList<>();
    if (batch) {
      JsonNode list = root.get("customers");
      if (!list.isArray()) {
        throw new BadRequest("invalid_field", "'customers' must be an array", "customers", null);
      }
      if (list.isEmpty()) {
        throw new BadRequest("empty_batch", "'customers' is empty", "customers", null);
      }
      if (list.size() > settings.maxBatch()) {
        throw new BadRequest(
            "batch_too_large",
            "'customers' has "
                + list.size()
                + " entries; at most "
                + settings.maxBatch()
                + " per request",
            "customers",
            null);
      }
      list.forEach(customers::add);
    } else if (root.has("features")) {
      customers.add(root);
    } else {
      throw new BadRequest(
          "invalid_field",
          "the body needs 'features' (one customer) or 'customers' (a batch)",
          null,
          null);
    }

    Scorer scorer = cache.current();
    List<ObjectNode> results = new ArrayList<>(customers.size());
    for (int i = 0; i < customers.size(); i++) {
      Integer index = batch ? i : null;
      String prefix = batch ? "customers[" + i + "]." : "";
      JsonNode customer = customers.get(i);
      if (!customer.isObject()) {
        throw new BadRequest(
            "invalid_field",
            "each customer must be a JSON object",
            prefix.isEmpty() ? null : "customers[" + i + "]",
            index);
      }
      JsonNode id = customer.get("customerId");
      if (id != null && !id.isTextual() && !id.isNumber()) {
        throw new BadRequest(
            "invalid_field", "'customerId' must be a string", prefix + "customerId", index);
      }
      Map<String, Double> features = features(customer.get("features"), prefix, index);
      Scorer.Score score;
      try {
        score = scorer.score(features);
      } catch (FeatureValueException e) {
        throw new BadRequest(
            "invalid_feature", e.getMessage(), prefix + "features." + e.feature(), index);
      }
      results.add(result(id == null ? null : id.asText(), score, scorer.model().version()));
    }
    Log.event(
        LOG,
        Logger.Level.DEBUG,
        "score.done",
        "customers",
        results.size(),
        "version",
        scorer.model().version());
    if (!batch) {
      return ok(results.get(0));
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("modelVersion", scorer.model().version());
    out.put("count", results.size());
    ArrayNode array = out.putArray("results");
    results.forEach(array::add);
    return ok(out);
  }

  private static Map<String, Double> features(JsonNode node, String prefix, Integer index) {
    if (node == null || !node.isObject()) {
      throw new BadRequest(
          "invalid_field", "'features' must be an object of numbers", prefix + "features", index);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isNumber()) {
        throw new BadRequest(
            "invalid_feature",
            "feature '"
                + field.getKey()
                + "' must be a number, got "
                + field.getValue().getNodeType().name().toLowerCase(java.util.Locale.ROOT),
            prefix + "features." + field.getKey(),
            index);
      }
      out.put(field.getKey(), field.getValue().asDouble());
    }
    return out;
  }

  private ObjectNode result(String customerId, Scorer.Score score, String version) {
    ObjectNode out = MAPPER.createObjectNode();
    if (customerId != null) {
      out.put("customerId", customerId);
    }
    out.put("segment", score.segment());
    out.put("segmentName", score.segmentName());
    out.put("probability", score.probability());
    out.put("churnRiskBand", settings.band(score.probability()));
    ArrayNode top = out.putArray("topContributions");
    for (Scorer.Contribution c : score.topContributions()) {
      top.addObject().put("feature", c.feature()).put("contribution", c.value());
    }
    out.put("modelVersion", version);
    return out;
  }

  private static HttpResult ok(JsonNode body) {
    return new HttpResult(200, body.toString(), Map.of());
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
