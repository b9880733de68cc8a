package dev.retention.service.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.retention.model.Scorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a score request: one customer {@code {"customerId": "...", "features": {...}}} or a batch
 * {@code {"customers": [...]}}. Streams the body straight into primitive feature vectors in the
 * model's order (no JSON tree, no boxed maps), checking each field as it goes; the first problem is
 * a {@link BadRequest} naming the field and the customer index. One customer reader serves both
 * shapes.
 */
final class ScoreRequestReader {

  /** One customer of a request: id (or null) and raw features in the model's order. */
  record Customer(String id, double[] features) {}

  /** A parsed request: one customer, or a batch. */
  record Request(boolean batch, List<Customer> customers) {}

  private final JsonFactory json;
  private final Scorer scorer;
  private final int maxBatch;

  ScoreRequestReader(JsonFactory json, Scorer scorer, int maxBatch) {
    this.json = json;
    this.scorer = scorer;
    this.maxBatch = maxBatch;
  }

  /**
   * Refuses an empty body or one over {@code maxBodyBytes}, before any model is needed.
   *
   * @throws BadRequest naming the problem
   */
  static void checkBody(String body, int maxBodyBytes) {
    if (body == null || body.isBlank()) {
      throw new BadRequest(
          "empty_body",
          "the request body is empty; send JSON with 'features' or 'customers'",
          null,
          null);
    }
    if (tooLarge(body, maxBodyBytes)) {
      throw new BadRequest(
          "body_too_large",
          "the request body is larger than " + maxBodyBytes + " bytes",
          null,
          null);
    }
  }

  /** Parses a body that passed {@link #checkBody}. */
  Request read(String body) {
    try (JsonParser parser = json.createParser(body)) {
      return read(parser);
    } catch (JsonProcessingException e) {
      throw new BadRequest(
          "malformed_json",
          "the request body is not valid JSON: " + e.getOriginalMessage(),
          null,
          null);
    } catch (IOException e) {
      throw new BadRequest("malformed_json", "the request body cannot be read", null, null);
    }
  }

  private Request read(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new BadRequest("malformed_json", "the request body must be a JSON object", null, null);
    }
    List<Customer> batch = null;
    CustomerFields single = new CustomerFields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("customers")) {
        batch = readBatch(parser, value);
      } else {
        single.accept(parser, field, value, "", null);
      }
    }
    if (parser.nextToken() != null) {
      throw new BadRequest(
          "malformed_json", "the request body has content after its JSON object", null, null);
    }
    if (batch != null) {
      return new Request(true, batch);
    }
    if (single.features == null) {
      throw new BadRequest(
          "invalid_field",
          "the body needs 'features' (one customer) or 'customers' (a batch)",
          null,
          null);
    }
    return new Request(false, List.of(single.customer("", null)));
  }

  private List<Customer> readBatch(JsonParser parser, JsonToken start) throws IOException {
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
      if (token != JsonToken.START_OBJECT) {
        throw new BadRequest(
            "invalid_field",
            "each customer must be a JSON object",
            "customers[" + index + "]",
            index);
      }
      String prefix = "customers[" + index + "].";
      CustomerFields fields = new CustomerFields();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        fields.accept(parser, field, parser.nextToken(), prefix, index);
      }
      customers.add(fields.customer(prefix, index));
    }
    if (customers.isEmpty()) {
      throw new BadRequest("empty_batch", "'customers' is empty", "customers", null);
    }
    return customers;
  }

  /** The fields of one customer object, as they arrive; the one customer reader. */
  private final class CustomerFields {
    private String id;
    private boolean idSeen;
    private JsonToken idToken;
    private double[] features;

    void accept(JsonParser parser, String field, JsonToken value, String prefix, Integer index)
        throws IOException {
      switch (field) {
        case "customerId" -> {
          idSeen = true;
          idToken = value;
          id = value == JsonToken.VALUE_STRING || value.isNumeric() ? parser.getText() : null;
          parser.skipChildren();
        }
        case "features" -> features = readFeatures(parser, value, prefix, index);
        default -> parser.skipChildren();
      }
    }

    Customer customer(String prefix, Integer index) {
      if (idSeen
          && idToken != JsonToken.VALUE_STRING
          && !idToken.isNumeric()
          && idToken != JsonToken.VALUE_NULL) {
        throw new BadRequest(
            "invalid_field", "'customerId' must be a string", prefix + "customerId", index);
      }
      if (features == null) {
        throw new BadRequest(
            "invalid_field", "'features' must be an object of numbers", prefix + "features", index);
      }
      return new Customer(id, features);
    }
  }

  private double[] readFeatures(JsonParser parser, JsonToken start, String prefix, Integer index)
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
      default -> token.name().toLowerCase(Locale.ROOT);
    };
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
}
