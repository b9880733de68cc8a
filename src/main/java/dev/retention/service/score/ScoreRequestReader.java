package dev.retention.service.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.retention.data.Numbers;
import dev.retention.model.Scorer;
import java.io.IOException;
import java.nio.CharBuffer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a score request: one customer, {@code {"customerId": "...", "features": {...}}} or {@code
 * {"customerId": "...", "orders": [...]}}, or a batch {@code {"customers": [...]}}, each with an
 * optional {@code "asOf": "yyyy-MM-dd"}. Streams the body (no JSON tree, no boxed maps): features
 * go straight into primitive vectors in the model's order, orders into text cells in the orders
 * schema's column order, for the orders reader's own row rules to check ({@link OrderHistories}).
 *
 * <p>Strict, and in the project's words: a malformed body names the line and column of the JSON
 * error (never the parser's message, which quotes the text); a field named twice in one object (a
 * feature, an order's amount, {@code customerId}) is refused naming it, never "the last one wins";
 * an unknown field is refused naming it and the fields that are known; a value of the wrong type
 * names the field and the type it got, never the value. The first problem is a {@link BadRequest}
 * naming the field and the customer index; nothing of that request is scored.
 */
final class ScoreRequestReader {

  /**
   * One customer of a request: exactly one of {@code features} (raw, in the model's order) and
   * {@code orders} (each order's cells in {@link Limits#orderColumns()} order; null where absent).
   */
  record Customer(String id, double[] features, List<String[]> orders) {}

  /**
   * A parsed request.
   *
   * @param asOf the day the features describe, or null for today
   */
  record Request(boolean batch, LocalDate asOf, List<Customer> customers) {}

  /**
   * What a request may hold.
   *
   * @param maxBatch customers per request
   * @param maxOrdersPerCustomer orders of one customer
   * @param maxOrdersPerRequest orders of all customers of a request
   * @param orderColumns the fields of an order (the orders schema's columns, without the customer
   *     id column); null when the model was not trained on orders
   */
  record Limits(
      int maxBatch, int maxOrdersPerCustomer, int maxOrdersPerRequest, List<String> orderColumns) {}

  private static final List<String> SINGLE_FIELDS =
      List.of("customerId", "features", "orders", "asOf", "customers");
  private static final List<String> CUSTOMER_FIELDS = List.of("customerId", "features", "orders");

  private final JsonFactory json;
  private final Scorer scorer;
  private final Limits limits;
  private int ordersInRequest;

  ScoreRequestReader(JsonFactory json, Scorer scorer, Limits limits) {
    this.json = json;
    this.scorer = scorer;
    this.limits = limits;
  }

  /**
   * Refuses an empty body or one over {@code maxBodyBytes}, before any model is needed.
   *
   * @throws BadRequest naming the problem
   */
  static void checkBody(char[] body, int maxBodyBytes) {
    if (body == null || blankFrom(body, 0)) {
      throw new BadRequest(
          "empty_body",
          "the request body is empty; send JSON with 'features', 'orders' or 'customers'",
          null,
          null);
    }
    if (tooLarge(CharBuffer.wrap(body), maxBodyBytes)) {
      throw new BadRequest(
          "body_too_large",
          "the request body is larger than "
              + maxBodyBytes
              + " bytes (retention.score.max-body-bytes)",
          null,
          null);
    }
  }

  /** Parses a body that passed {@link #checkBody}. */
  Request read(char[] body) {
    try (JsonParser parser = json.createParser(body, 0, body.length)) {
      return read(parser);
    } catch (JsonProcessingException e) {
      throw malformed(e, body);
    } catch (IOException e) {
      throw new BadRequest("malformed_json", "the request body cannot be read", null, null);
    }
  }

  /**
   * A JSON syntax error in the project's words: where it is and what kind it is, never the parser's
   * message (which quotes the offending text, perhaps a customer's value) or its class names.
   */
  static BadRequest malformed(JsonProcessingException e, char[] body) {
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    boolean atEnd =
        e instanceof JsonEOFException
            || at != null
                && at.getCharOffset() >= 0
                && blankFrom(body, (int) Math.min(body.length, at.getCharOffset()));
    String what = atEnd ? "it ends before its JSON is complete" : "it is not valid JSON";
    return new BadRequest(
        "malformed_json", "the request body is malformed" + where + ": " + what, null, null);
  }

  private Request read(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new BadRequest("malformed_json", "the request body must be a JSON object", null, null);
    }
    List<Customer> batch = null;
    LocalDate asOf = null;
    CustomerFields single = new CustomerFields("", null);
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!seen.add(field)) {
        throw duplicate(field, field, null);
      }
      switch (field) {
        case "customers" -> batch = readBatch(parser, value);
        case "asOf" -> asOf = asOf(parser, value);
        case "customerId", "features", "orders" -> single.accept(parser, field, value);
        default -> throw unknown(field, field, null, SINGLE_FIELDS);
      }
    }
    if (parser.nextToken() != null) {
      throw new BadRequest(
          "malformed_json", "the request body has content after its JSON object", null, null);
    }
    if (batch != null) {
      if (single.any()) {
        throw new BadRequest(
            "invalid_field",
            "a batch has only 'customers' (and 'asOf'); put 'customerId', 'features' and"
                + " 'orders' inside each customer",
            "customers",
            null);
      }
      return new Request(true, asOf, batch);
    }
    if (!single.any()) {
      throw new BadRequest(
          "invalid_field",
          "the body needs 'features' or 'orders' (one customer) or 'customers' (a batch)",
          null,
          null);
    }
    return new Request(false, asOf, List.of(single.customer()));
  }

  private static LocalDate asOf(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      if (text.length() == 10) {
        try {
          return LocalDate.parse(text);
        } catch (DateTimeException e) {
          // refused below, without the text
        }
      }
    }
    parser.skipChildren();
    throw new BadRequest("invalid_field", "'asOf' must be a date written yyyy-MM-dd", "asOf", null);
  }

  private List<Customer> readBatch(JsonParser parser, JsonToken start) throws IOException {
    if (start != JsonToken.START_ARRAY) {
      throw new BadRequest(
          "invalid_field",
          "'customers' must be an array, got " + typeName(start),
          "customers",
          null);
    }
    List<Customer> customers = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      int index = customers.size();
      if (index == limits.maxBatch()) {
        throw new BadRequest(
            "batch_too_large",
            "'customers' has more than "
                + limits.maxBatch()
                + " entries; at most "
                + limits.maxBatch()
                + " per request (retention.score.max-batch)",
            "customers",
            null);
      }
      String prefix = "customers[" + index + "]";
      if (token != JsonToken.START_OBJECT) {
        throw new BadRequest("invalid_field", "each customer must be a JSON object", prefix, index);
      }
      CustomerFields fields = new CustomerFields(prefix + ".", index);
      Set<String> seen = new HashSet<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!seen.add(field)) {
          throw duplicate(field, prefix + "." + field, index);
        }
        if (!CUSTOMER_FIELDS.contains(field)) {
          throw unknown(field, prefix + "." + field, index, CUSTOMER_FIELDS);
        }
        fields.accept(parser, field, value);
      }
      customers.add(fields.customer());
    }
    if (customers.isEmpty()) {
      throw new BadRequest("empty_batch", "'customers' is empty", "customers", null);
    }
    return customers;
  }

  /** The fields of one customer object, as they arrive; the one customer reader. */
  private final class CustomerFields {
    private final String prefix;
    private final Integer index;
    private String id;
    private double[] features;
    private List<String[]> orders;

    CustomerFields(String prefix, Integer index) {
      this.prefix = prefix;
      this.index = index;
    }

    boolean any() {
      return id != null || features != null || orders != null;
    }

    void accept(JsonParser parser, String field, JsonToken value) throws IOException {
      switch (field) {
        case "customerId" -> {
          if (value == JsonToken.VALUE_STRING || value.isNumeric()) {
            id = parser.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            throw new BadRequest(
                "invalid_field",
                "'customerId' must be a string, got " + typeName(value),
                prefix + "customerId",
                index);
          }
        }
        case "features" -> features = readFeatures(parser, value, prefix, index);
        case "orders" -> orders = readOrders(parser, value, prefix, index);
        default -> throw new IllegalStateException(field);
      }
    }

    Customer customer() {
      if (features != null && orders != null) {
        throw new BadRequest(
            "invalid_field",
            "send either 'features' or 'orders' for a customer, not both",
            prefix + "orders",
            index);
      }
      if (features == null && orders == null) {
        throw new BadRequest(
            "invalid_field",
            "a customer needs 'features' (an object of numbers) or 'orders' (an array of orders)",
            prefix + "features",
            index);
      }
      return new Customer(id, features, orders);
    }
  }

  private double[] readFeatures(JsonParser parser, JsonToken start, String prefix, Integer index)
      throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw new BadRequest(
          "invalid_field",
          "'features' must be an object of numbers, got " + typeName(start),
          prefix + "features",
          index);
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
      if (seen[c]) {
        throw new BadRequest(
            "duplicate_field",
            "feature '" + name + "' is given twice; send each feature once",
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
      // JSON's number grammar is a subset of the exports' one; one parser reads both.
      raw[c] =
          Numbers.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
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

  private List<String[]> readOrders(
      JsonParser parser, JsonToken start, String prefix, Integer index) throws IOException {
    List<String> columns = limits.orderColumns();
    if (columns == null) {
      throw new BadRequest(
          "invalid_field",
          "the live model was trained on a feature export, not on orders: send 'features'"
              + " (GET /model lists them)",
          prefix + "orders",
          index);
    }
    if (start != JsonToken.START_ARRAY) {
      throw new BadRequest(
          "invalid_field",
          "'orders' must be an array of orders, got " + typeName(start),
          prefix + "orders",
          index);
    }
    List<String[]> orders = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      String at = prefix + "orders[" + orders.size() + "]";
      if (orders.size() == limits.maxOrdersPerCustomer()) {
        throw new BadRequest(
            "too_many_orders",
            "a customer has more than "
                + limits.maxOrdersPerCustomer()
                + " orders; at most "
                + limits.maxOrdersPerCustomer()
                + " per customer (retention.score.max-orders-per-customer)",
            prefix + "orders",
            index);
      }
      if (++ordersInRequest > limits.maxOrdersPerRequest()) {
        throw new BadRequest(
            "too_many_orders",
            "the request has more than "
                + limits.maxOrdersPerRequest()
                + " orders in all; at most "
                + limits.maxOrdersPerRequest()
                + " per request (retention.score.max-orders-per-request)",
            prefix + "orders",
            index);
      }
      if (token != JsonToken.START_OBJECT) {
        throw new BadRequest(
            "invalid_order", "each order must be a JSON object, got " + typeName(token), at, index);
      }
      orders.add(readOrder(parser, columns, at, index));
    }
    return orders;
  }

  /**
   * One order's fields as the text cells a JSON Lines export row gives: strings as they are,
   * numbers as written, {@code true}/{@code false}, null as absent.
   */
  private static String[] readOrder(
      JsonParser parser, List<String> columns, String at, Integer index) throws IOException {
    String[] cells = new String[columns.size()];
    boolean[] seen = new boolean[columns.size()];
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      String field = at + "." + name;
      int c = columns.indexOf(name);
      if (c < 0) {
        throw new BadRequest(
            "invalid_order",
            "unknown order field '"
                + name
                + "'; an order has "
                + columns
                + " (the orders export's columns; the customer is named by 'customerId')",
            field,
            index);
      }
      if (seen[c]) {
        throw new BadRequest(
            "duplicate_field", "order field '" + name + "' is given twice", field, index);
      }
      seen[c] = true;
      switch (value) {
        case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> cells[c] = parser.getText();
        case VALUE_TRUE -> cells[c] = "true";
        case VALUE_FALSE -> cells[c] = "false";
        case VALUE_NULL -> cells[c] = null;
        default ->
            throw new BadRequest(
                "invalid_order",
                "order field '" + name + "' must be text or a number, got " + typeName(value),
                field,
                index);
      }
    }
    return cells;
  }

  private static BadRequest duplicate(String name, String field, Integer index) {
    return new BadRequest(
        "duplicate_field",
        "field '" + name + "' is given twice; send each field once",
        field,
        index);
  }

  private static BadRequest unknown(String name, String field, Integer index, List<String> known) {
    return new BadRequest(
        "invalid_field",
        "unknown field '" + name + "'; the known fields are " + known,
        field,
        index);
  }

  static String typeName(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "string";
      case VALUE_NULL -> "null";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      default -> token.name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * Whether {@code text} encodes to more than {@code limit} UTF-8 bytes. A UTF-16 char is 1 to 3
   * UTF-8 bytes (a surrogate pair 4 for 2 chars), so only lengths between {@code limit / 3} and
   * {@code limit} chars need counting.
   */
  static boolean tooLarge(CharSequence text, int limit) {
    if (text.length() <= limit / 3) {
      return false;
    }
    return text.length() > limit || utf8Length(text) > limit;
  }

  /** Whether {@code body} holds only white space from {@code from} on (as String.isBlank). */
  private static boolean blankFrom(char[] body, int from) {
    for (int i = from; i < body.length; i++) {
      if (!Character.isWhitespace(body[i])) {
        return false;
      }
    }
    return true;
  }

  /** UTF-8 length of {@code text} without encoding it. */
  static long utf8Length(CharSequence text) {
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
