package dev.retention.service;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * CloudWatch metrics in the Embedded Metric Format: each record is one JSON line on standard
 * output, which Lambda sends to CloudWatch Logs, where CloudWatch extracts the metrics (no API
 * call, no SDK, nothing to wait for). Every function writes through this one class (as Powertools'
 * metrics utility does), so the namespace, the dimensions and the format are defined once. (Not the
 * model's evaluation metrics: those are {@code core.EvaluationMetrics}.)
 *
 * <p>A record's dimension set is {@code [FunctionName]} (the Lambda function's name, so alarms and
 * dashboards of one stack select its functions), plus the record's own dimensions. Values are
 * aggregates only: counts, durations, held-out scores; never a customer id or value.
 *
 * <p>Inside a Lambda invocation every record also carries, as Powertools' metrics do, the metric
 * {@code ColdStart} (1 in the first invocation of the process, 0 after) and the property {@code
 * function_request_id} (the invocation's {@code awsRequestId}, where the runtime gives it), so a
 * metric line can be found next to the invocation's logs.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">Embedded
 *     Metric Format specification</a>
 * @see <a href="https://docs.powertools.aws.dev/lambda/java/core/metrics/">Powertools for AWS
 *     Lambda (Java): metrics, cold start and request id</a>
 */
public final class EmfMetrics {

  /** The metric every record of an invocation carries: 1 in the process's first, 0 after. */
  public static final String COLD_START = "ColdStart";

  /** The property naming the invocation's request id (Powertools' name). */
  public static final String REQUEST_ID = "function_request_id";

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

  /** One metric value of a record. */
  public record Value(double value, Unit unit) {}

  /**
   * The Lambda invocation a record is written in.
   *
   * @param coldStart whether it is the first invocation of the process
   * @param requestId the Lambda context's {@code awsRequestId}; null where the runtime gives none
   */
  public record Invocation(boolean coldStart, String requestId) {}

  private final Consumer<String> out;
  private final String namespace;
  private final String functionName;
  private final Clock clock;
  private final boolean enabled;
  private final Supplier<Optional<Invocation>> invocation;

  /**
   * Metrics written outside any Lambda invocation (the Spark job): no {@code ColdStart}, no request
   * id.
   *
   * @param out where each record's line goes (standard output on Lambda)
   * @param namespace the CloudWatch namespace
   * @param functionName the FunctionName dimension's value
   * @param enabled false writes nothing
   */
  public EmfMetrics(
      Consumer<String> out, String namespace, String functionName, Clock clock, boolean enabled) {
    this(out, namespace, functionName, clock, enabled, Optional::empty);
  }

  /**
   * @param invocation the invocation in progress when a record is written, empty outside one
   */
  public EmfMetrics(
      Consumer<String> out,
      String namespace,
      String functionName,
      Clock clock,
      boolean enabled,
      Supplier<Optional<Invocation>> invocation) {
    this.out = out;
    this.namespace = namespace;
    this.functionName = functionName;
    this.clock = clock;
    this.enabled = enabled;
    this.invocation = invocation;
  }

  /** Metrics that write nothing (tools and tests that do not look at them). */
  public static EmfMetrics disabled() {
    return new EmfMetrics(line -> {}, "none", "none", Clock.systemUTC(), false);
  }

  /** A new record; nothing is written until {@link Record#emit}. */
  public Record record() {
    return new Record();
  }

  /** One EMF record: metrics, extra dimensions and plain properties. */
  public final class Record {
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, Value> metrics = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Record() {}

    /** Adds a dimension (part of the metric's identity, e.g. {@code Stage}). */
    public Record dimension(String name, String value) {
      dimensions.put(name, value);
      return this;
    }

    /** Adds a metric; a value that is not finite (no held-out AUC, say) is left out. */
    public Record put(String name, double value, Unit unit) {
      if (Double.isFinite(value)) {
        metrics.put(name, new Value(value, unit));
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
      Map<String, Value> values = new LinkedHashMap<>(metrics);
      Map<String, String> fields = new LinkedHashMap<>(properties);
      invocation
          .get()
          .ifPresent(
              now -> {
                values.put(COLD_START, new Value(now.coldStart() ? 1 : 0, Unit.COUNT));
                if (now.requestId() != null) {
                  fields.put(REQUEST_ID, now.requestId());
                }
              });
      out.accept(line(values, fields));
    }

    private String line(Map<String, Value> values, Map<String, String> fields) {
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
      for (Map.Entry<String, Value> metric : values.entrySet()) {
        json.append(first ? "" : ",").append("{\"Name\":");
        string(json, metric.getKey());
        json.append(",\"Unit\":");
        string(json, metric.getValue().unit().cloudWatch);
        json.append('}');
        first = false;
      }
      json.append("]}]},\"FunctionName\":");
      string(json, functionName);
      for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
        member(json, dimension.getKey()).append(':');
        string(json, dimension.getValue());
      }
      for (Map.Entry<String, Value> metric : values.entrySet()) {
        member(json, metric.getKey()).append(':').append(number(metric.getValue().value()));
      }
      for (Map.Entry<String, String> field : fields.entrySet()) {
        member(json, field.getKey()).append(':');
        string(json, field.getValue());
      }
      return json.append('}').toString();
    }
  }

  private static StringBuilder member(StringBuilder json, String name) {
    json.append(',');
    string(json, name);
    return json;
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
