package dev.retention.service.score;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.ContactEconomics;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.Playbook;
import dev.retention.model.Priority;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.storage.ScoreIndex;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the score API's answers: one result per customer (segment, its name, the repurchase
 * probability, the churn-risk band, the suggested action, the top contributions, the customer value
 * where the model has it, what the answer is based on, the as-of day, the model version), a batch
 * wrapped as {@code {"modelVersion", "count", "results"}}, a customer's row of the latest batch
 * scores, and the error body {@code {"error": {"status", "code", "message", "field",
 * "customerIndex"}}}.
 */
final class ScoreResponseWriter {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The scores file's columns that are a result's own fields; the ones after are its value. */
  private static final int SCORE_COLUMNS = 5;

  /** How the scores file writes numbers. */
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  private final JsonFactory json;

  ScoreResponseWriter(JsonFactory json) {
    this.json = json;
  }

  /**
   * What an answer is based on ({@code basis}).
   *
   * <ul>
   *   <li>{@code features}: a model trained on a feature export, on the features sent;
   *   <li>{@code history}: a customer with at least two purchase days: the model's segment and
   *       probability, customer value from the history;
   *   <li>{@code one-purchase}: one purchase day: the model's segment and probability (such
   *       customers are in its training data); customer value with no repeat purchase ({@code x =
   *       0}), CLV at the population's mean spend;
   *   <li>{@code new-customer}: no purchase yet (on or before the as-of day): no segment ({@code
   *       "new"}), the population's base rate, a newcomer's customer value.
   * </ul>
   */
  enum Basis {
    FEATURES("features"),
    HISTORY("history"),
    ONE_PURCHASE("one-purchase"),
    NEW_CUSTOMER("new-customer");

    final String text;

    Basis(String text) {
      this.text = text;
    }
  }

  /**
   * A scored customer.
   *
   * @param customerId its id, or null
   * @param score the answer
   * @param basis what it is based on
   * @param derived the features derived from its orders (model order), or null when it sent
   *     features
   * @param fromOrders whether it sent orders
   */
  record Scored(
      String customerId, Scorer.Score score, Basis basis, double[] derived, boolean fromOrders) {}

  /**
   * The answer's body.
   *
   * @param asOf the day the features describe (today unless the request says): the next order date
   *     counts from it
   * @param features the model's feature names
   * @param value the model's customer-value layer, or null
   * @param basis what ranks the model's customers within a priority tier
   * @param economics the contact decision's cost and margin (for a model with an uplift part)
   */
  byte[] results(
      boolean batch,
      List<Scored> results,
      String version,
      LocalDate asOf,
      List<String> features,
      RetentionModel.CustomerValue value,
      Priority.Basis basis,
      ContactEconomics economics) {
    // Straight to UTF-8 bytes: the response event carries them as they are (HttpResult).
    ByteArrayBuilder out = new ByteArrayBuilder(batch ? 320 * results.size() : 320);
    try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
      if (batch) {
        g.writeStartObject();
        g.writeStringField("modelVersion", version);
        g.writeStringField("asOf", asOf.toString());
        g.writeNumberField("count", results.size());
        g.writeArrayFieldStart("results");
      }
      Texts texts = new Texts();
      for (Scored scored : results) {
        result(g, scored, version, asOf, features, value, basis, economics, texts);
      }
      if (batch) {
        g.writeEndArray();
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the response", e);
    }
    return out.toByteArray();
  }

  private static void result(
      JsonGenerator json,
      Scored scored,
      String version,
      LocalDate asOf,
      List<String> features,
      RetentionModel.CustomerValue value,
      Priority.Basis basis,
      ContactEconomics economics,
      Texts texts)
      throws IOException {
    Scorer.Score score = scored.score();
    json.writeStartObject();
    if (scored.customerId() != null) {
      json.writeFieldName(CUSTOMER_ID);
      json.writeString(scored.customerId());
    }
    json.writeFieldName(SEGMENT);
    if (score.segment() == Scorer.NEW_SEGMENT) {
      json.writeNull();
    } else {
      json.writeNumber(score.segment());
    }
    json.writeFieldName(SEGMENT_NAME);
    json.writeString(texts.of(score.segmentName()));
    json.writeFieldName(PROBABILITY);
    json.writeNumber(score.probability());
    json.writeFieldName(CHURN_RISK_BAND);
    json.writeString(texts.of(score.churnRiskBand()));
    if (score.suggestedAction() != null) {
      json.writeFieldName(SUGGESTED_ACTION);
      json.writeString(texts.of(score.suggestedAction()));
    }
    json.writeFieldName(TOP_CONTRIBUTIONS);
    json.writeStartArray();
    for (Scorer.Contribution c : score.topContributions()) {
      json.writeStartObject();
      json.writeFieldName(FEATURE);
      json.writeString(texts.of(c.feature()));
      json.writeFieldName(CONTRIBUTION);
      json.writeNumber(c.value());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (score.value() != null) {
      CustomerValueModel.Quantities q = score.value();
      json.writeObjectFieldStart("customerValue");
      json.writeNumberField("pAlive", q.pAlive());
      json.writeNumberField("expectedPurchases" + value.windowDays() + "d", q.expectedPurchases());
      json.writeNumberField("pPurchase" + value.windowDays() + "d", q.pPurchase());
      json.writeStringField("expectedNextOrderDate", nextOrderDate(asOf, q).toString());
      if (q.predictedClv() != null) {
        json.writeNumberField("predictedClv" + value.horizonDays() + "d", q.predictedClv());
      }
      json.writeNumberField("historicClv", q.historicClv());
      json.writeEndObject();
    }
    ContactEconomics.Decision decision = score.decision(economics);
    if (score.uplift() != null) {
      // What a contact changes (issue 21): the uplift model's estimate and the decision by profit.
      json.writeNumberField("uplift", score.uplift());
      json.writeBooleanField("sleepingDog", score.uplift() < 0);
      if (decision != null) {
        json.writeBooleanField("contact", decision.worthContacting());
        json.writeNumberField("expectedIncrementalRevenue", decision.expectedIncrementalRevenue());
        json.writeNumberField("expectedIncrementalProfit", decision.expectedIncrementalProfit());
      }
    }
    priority(json, score, basis, decision, texts);
    json.writeFieldName(BASIS);
    json.writeString(texts.of(scored.basis().text));
    json.writeFieldName(AS_OF);
    json.writeString(texts.of(asOf));
    if (scored.fromOrders()) {
      if (scored.derived() == null) {
        json.writeNullField("derivedFeatures");
      } else {
        json.writeObjectFieldStart("derivedFeatures");
        for (int f = 0; f < features.size(); f++) {
          json.writeNumberField(features.get(f), scored.derived()[f]);
        }
        json.writeEndObject();
      }
    }
    json.writeFieldName(MODEL_VERSION);
    json.writeString(texts.of(version));
    json.writeEndObject();
  }

  // The names every result repeats, encoded once (a field name written from a String is encoded
  // character by character, which under Lambda's C1 was a tenth of a batch's time).
  private static final SerializedString CUSTOMER_ID = new SerializedString("customerId");
  private static final SerializedString SEGMENT = new SerializedString("segment");
  private static final SerializedString SEGMENT_NAME = new SerializedString("segmentName");
  private static final SerializedString PROBABILITY = new SerializedString("probability");
  private static final SerializedString CHURN_RISK_BAND = new SerializedString("churnRiskBand");
  private static final SerializedString SUGGESTED_ACTION = new SerializedString("suggestedAction");
  private static final SerializedString TOP_CONTRIBUTIONS =
      new SerializedString("topContributions");
  private static final SerializedString FEATURE = new SerializedString("feature");
  private static final SerializedString CONTRIBUTION = new SerializedString("contribution");
  private static final SerializedString PRIORITY = new SerializedString("priority");
  private static final SerializedString LIKELY_TO_LAPSE = new SerializedString("likelyToLapse");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString BY = new SerializedString("by");
  private static final SerializedString RANKS = new SerializedString("ranks");
  private static final SerializedString BASIS = new SerializedString("basis");
  private static final SerializedString AS_OF = new SerializedString("asOf");
  private static final SerializedString MODEL_VERSION = new SerializedString("modelVersion");

  /**
   * The texts one answer repeats across its customers (segment names, bands, actions, feature
   * names, the day, the version), each encoded once per answer.
   */
  private static final class Texts {
    private final Map<Object, SerializedString> encoded = new HashMap<>();

    SerializedString of(Object text) {
      SerializedString s = encoded.get(text);
      if (s == null) {
        s = new SerializedString(text.toString());
        encoded.put(text, s);
      }
      return s;
    }
  }

  /**
   * The customer's place in the one ordering ({@link Priority}, the scores file's order): {@code
   * {"likelyToLapse", "value", "by", "ranks"}}; customers sort by {@code likelyToLapse} (true
   * first), then {@code value} (largest first); {@code by} names what {@code value} is, {@code
   * ranks} whether that is {@code propensity} or {@code uplift}. With an uplift model the first key
   * is {@code worthContacting} and the value the expected incremental profit (null for a customer
   * the uplift model cannot score: a new customer has no features).
   */
  private static void priority(
      JsonGenerator json,
      Scorer.Score score,
      Priority.Basis basis,
      ContactEconomics.Decision decision,
      Texts texts)
      throws IOException {
    json.writeFieldName(PRIORITY);
    json.writeStartObject();
    if (basis.byUplift()) {
      json.writeBooleanField("worthContacting", decision != null && decision.worthContacting());
      if (decision == null) {
        json.writeNullField("value");
      } else {
        json.writeNumberField("value", Priority.ofProfit(decision).value());
      }
    } else {
      Priority p =
          Priority.of(
              basis,
              Playbook.BANDS.indexOf(score.churnRiskBand()),
              score.probability(),
              score.value());
      json.writeFieldName(LIKELY_TO_LAPSE);
      json.writeBoolean(p.likelyToLapse());
      json.writeFieldName(VALUE);
      json.writeNumber(p.value());
    }
    json.writeFieldName(BY);
    json.writeString(texts.of(basis.text));
    json.writeFieldName(RANKS);
    json.writeString(texts.of(basis.byUplift() ? "uplift" : "propensity"));
    json.writeEndObject();
  }

  /** The day by which half of the customers like this one who are still active buy again. */
  static LocalDate nextOrderDate(LocalDate asOf, CustomerValueModel.Quantities q) {
    double days = Math.min(q.daysToNextOrder(), 36_500);
    return asOf.plusDays((long) Math.ceil(days));
  }

  /**
   * A customer's row of a batch's scores ({@code GET /customers/{id}}): the scores file's cells as
   * written (numbers exactly as the file has them), the customer-value cells under {@code
   * customerValue}, and the batch's model version, as-of day, scores file and export.
   */
  String lookup(String customerId, ScoreIndex.Pointer batch, List<String> cells) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("customerId", customerId);
      List<String> columns = batch.columns();
      boolean valueOpen = false;
      for (int c = 0; c < columns.size() && c < cells.size(); c++) {
        // The uplift columns are the customer's own answer, not its customer value.
        boolean ofValue = c >= SCORE_COLUMNS && !UPLIFT_COLUMNS.contains(columns.get(c));
        if (ofValue && !valueOpen) {
          g.writeObjectFieldStart("customerValue");
          valueOpen = true;
        } else if (!ofValue && valueOpen) {
          g.writeEndObject();
          valueOpen = false;
        }
        cell(g, columns.get(c), cells.get(c));
      }
      if (valueOpen) {
        g.writeEndObject();
      }
      g.writeStringField("basis", "batch");
      g.writeStringField("asOf", batch.asOf());
      g.writeStringField("modelVersion", batch.modelVersion());
      g.writeObjectFieldStart("batch");
      g.writeStringField("scores", batch.scoresKey());
      g.writeStringField("export", batch.source());
      g.writeStringField("scoredAt", batch.writtenAt());
      g.writeNumberField("customers", batch.customers());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the response", e);
    }
    return out.toString();
  }

  /** The batch's columns of a model with an uplift part (BatchScores writes them). */
  static final java.util.Set<String> UPLIFT_COLUMNS =
      java.util.Set.of(
          "uplift",
          "sleeping_dog",
          "contact",
          "expected_incremental_revenue",
          "expected_incremental_profit");

  private static void cell(JsonGenerator g, String column, String text) throws IOException {
    String name = camelCase(column);
    switch (column) {
      case "sleeping_dog", "contact" -> g.writeBooleanField(name, "true".equals(text));
      case "segment_name", "churn_risk_band", "expected_next_order_date" ->
          g.writeStringField(name, text);
      case "suggested_action" -> {
        if (!text.isEmpty()) {
          g.writeStringField(name, text);
        }
      }
      default -> {
        g.writeFieldName(name);
        if (text.isEmpty()) {
          g.writeNull();
        } else if (NUMBER.matcher(text).matches()) {
          g.writeNumber(text); // the file's own digits
        } else {
          g.writeString(text);
        }
      }
    }
  }

  /** {@code expected_purchases_90d} → {@code expectedPurchases90d}. */
  static String camelCase(String column) {
    StringBuilder out = new StringBuilder(column.length());
    boolean upper = false;
    for (char c : column.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
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
