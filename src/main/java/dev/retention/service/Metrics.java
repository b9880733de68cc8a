package dev.retention.service;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CloudWatch metrics in the Embedded Metric Format: each record is one JSON line on standard
 * output, which Lambda sends to CloudWatch Logs, where CloudWatch extracts the metrics (no API
 * call, no SDK, nothing to wait for). Every function writes through this one class (as Powertools'
 * metrics utility does), so the namespace, the dimensions and the format are defined once.
 *
 * <p>A record's dimension set is {@code [FunctionName]} (the Lambda function's name, so alarms and
 * dashboards of one stack select its functions), plus the record's own dimensions. Values are
 * aggregates only: counts, durations, held-out scores; never a customer id or value.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">Embedded
 *     Metric Format specification</a>
 */
public final class Metrics {

  /** A metric's unit, as CloudWatch names it. */
  public enum Unit {
    COUNT("Count"),
    MILLISECONDS("Milliseconds"),
    MICROSECONDS("Microseconds"),
    PERCENT("Percent"),
    NONE("None");

    private final String cloudWatch;

    Unit(String cloudWatch) {
      this.cloudWatch = cloudWatch;
    }
  }

  private final Consumer<String> out;
  private final String namespace;
  private final String functionName;
  private final Clock clock;
  private final boolean enabled;

  /**
   * @param out where each record's line goes (standard output on Lambda)
   * @param namespace the CloudWatch namespace
   * @param functionName the FunctionName dimension's value
   * @param enabled false writes nothing
   */
  public Metrics(
      Consumer<String> out, String namespace, String functionName, Clock clock, boolean enabled) {
    this.out = out;
    this.namespace = namespace;
    this.functionName = functionName;
    this.clock = clock;
    this.enabled = enabled;
  }

  /** Metrics that write nothing (tools and tests that do not look at them). */
  public static Metrics disabled() {
    return new Metrics(line -> {}, "none", "none", Clock.systemUTC(), false);
  }

  /** A new record; nothing is written until {@link Record#emit}. */
  public Record record() {
    return new Record();
  }

  /** One EMF record: metrics, extra dimensions and plain properties. */
  public final class Record {
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, Object[]> metrics = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Record() {}

    /** Adds a dimension (part of the metric's identity, e.g. {@code Stage}). */
    public Record dimension(String name, String value) {
      dimensions.put(name, value);
      return this;
    }

    public Record put(String name, double value, Unit unit) {
      if (Double.isFinite(value)) {
        metrics.put(name, new Object[] {value, unit});
      }
      return this;
    }

    /** A searchable field of the log line that is not a metric (e.g. the model version). */
    public Record property(String name, String value) {
      if (value != null) {
        properties.put(name, value);
      }
      return this;
    }

    /** Writes the record as one line; a record without metrics writes nothing. */
    public void emit() {
      if (!enabled || metrics.isEmpty()) {
        return;
      }
      StringBuilder json = new StringBuilder(256);
      json.append("{\"_aws\":{\"Timestamp\":")
          .append(clock.millis())
          .append(",\"CloudWatchMetrics\":[{\"Namespace\":");
      string(json, namespace);
      json.append(",\"Dimensions\":[[\"FunctionName\"");
      for (String name : dimensions.keySet()) {
        json.append(',');
        string(json, name);
      }
      json.append("]],\"Metrics\":[");
      boolean first = true;
      for (Map.Entry<String, Object[]> metric : metrics.entrySet()) {
        json.append(first ? "" : ",").append("{\"Name\":");
        string(json, metric.getKey());
        json.append(",\"Unit\":");
        string(json, ((Unit) metric.getValue()[1]).cloudWatch);
        json.append('}');
        first = false;
      }
      json.append("]}]},\"FunctionName\":");
      string(json, functionName);
      for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
        json.append(',');
        string(json, dimension.getKey());
        json.append(':');
        string(json, dimension.getValue());
      }
      for (Map.Entry<String, Object[]> metric : metrics.entrySet()) {
        json.append(',');
        string(json, metric.getKey());
        json.append(':').append(number((double) metric.getValue()[0]));
      }
      for (Map.Entry<String, String> property : properties.entrySet()) {
        json.append(',');
        string(json, property.getKey());
        json.append(':');
        string(json, property.getValue());
      }
      json.append('}');
      out.accept(json.toString());
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.6g", v);
  }

  private static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
