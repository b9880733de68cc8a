package dev.retention.service.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Writes the score API's answers: one result per customer (segment, its name, the repurchase
 * probability, the churn-risk band, the suggested action, the top contributions, the model
 * version), a batch wrapped as {@code {"modelVersion", "count", "results"}}, and the error body
 * {@code {"error": {"status", "code", "message", "field", "customerIndex"}}}.
 */
final class ScoreResponseWriter {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonFactory json;

  ScoreResponseWriter(JsonFactory json) {
    this.json = json;
  }

  /** A scored customer: its id (or null) and its score. */
  record Scored(String customerId, Scorer.Score score) {}

  /**
   * The answer's body.
   *
   * @param asOf the day the features describe (today for the API): the next order date counts from
   *     it
   * @param value the model's customer-value layer, or null
   */
  String results(
      boolean batch,
      List<Scored> results,
      String version,
      LocalDate asOf,
      RetentionModel.CustomerValue value) {
    StringWriter out = new StringWriter(batch ? 256 * results.size() : 256);
    try (JsonGenerator g = json.createGenerator(out)) {
      if (batch) {
        g.writeStartObject();
        g.writeStringField("modelVersion", version);
        g.writeNumberField("count", results.size());
        g.writeArrayFieldStart("results");
      }
      for (Scored scored : results) {
        result(g, scored.customerId(), scored.score(), version, asOf, value);
      }
      if (batch) {
        g.writeEndArray();
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the response", e);
    }
    return out.toString();
  }

  private static void result(
      JsonGenerator json,
      String customerId,
      Scorer.Score score,
      String version,
      LocalDate asOf,
      RetentionModel.CustomerValue value)
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
    if (score.value() != null) {
      CustomerValueModel.Quantities q = score.value();
      json.writeObjectFieldStart("customerValue");
      json.writeNumberField("pAlive", q.pAlive());
      json.writeNumberField("expectedPurchases" + value.windowDays() + "d", q.expectedPurchases());
      json.writeStringField("expectedNextOrderDate", nextOrderDate(asOf, q).toString());
      if (q.predictedClv() != null) {
        json.writeNumberField("predictedClv" + value.horizonDays() + "d", q.predictedClv());
      }
      json.writeNumberField("historicClv", q.historicClv());
      json.writeEndObject();
    }
    json.writeStringField("modelVersion", version);
    json.writeEndObject();
  }

  /** The day by which half of the customers like this one who are still active buy again. */
  static LocalDate nextOrderDate(LocalDate asOf, CustomerValueModel.Quantities q) {
    double days = Math.min(q.daysToNextOrder(), 36_500);
    return asOf.plusDays((long) Math.ceil(days));
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
}
