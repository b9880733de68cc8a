package dev.retention.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.testing.EmfCapture;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The EMF lines: valid records, with the invocation's cold start and request id where known. */
class EmfMetricsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> lines = new ArrayList<>();
  private final AtomicReference<Optional<EmfMetrics.Invocation>> invocation =
      new AtomicReference<>(Optional.empty());
  private final EmfMetrics metrics =
      new EmfMetrics(lines::add, "Test", "score", Clock.systemUTC(), true, invocation::get);

  private JsonNode emit() throws Exception {
    metrics
        .record()
        .dimension("Stage", "kmeans")
        .put("Latency", 1.25, EmfMetrics.Unit.MILLISECONDS)
        .put("HeldOutAuc", Double.NaN, EmfMetrics.Unit.NONE)
        .property("modelVersion", "v1")
        .emit();
    JsonNode record = MAPPER.readTree(lines.get(lines.size() - 1));
    EmfCapture.validate(record);
    return record;
  }

  private static List<String> metricNames(JsonNode record) {
    List<String> names = new ArrayList<>();
    record.at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> names.add(m.get("Name").asText()));
    return names;
  }

  @Test
  void aRecordHasItsValuesUnitsDimensionsAndProperties() throws Exception {
    JsonNode record = emit();
    assertEquals(List.of("Latency"), metricNames(record), "a value that is not finite is left out");
    assertEquals("Milliseconds", record.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText());
    assertEquals(1.25, record.get("Latency").asDouble());
    assertEquals("score", record.get("FunctionName").asText());
    assertEquals("kmeans", record.get("Stage").asText());
    assertEquals("v1", record.get("modelVersion").asText());
    assertFalse(record.has(EmfMetrics.COLD_START), "outside an invocation: no ColdStart");
    assertFalse(record.has(EmfMetrics.REQUEST_ID));
  }

  @Test
  void inAnInvocationEveryRecordCarriesColdStartAndTheRequestId() throws Exception {
    invocation.set(Optional.of(new EmfMetrics.Invocation(true, "req-1")));
    JsonNode cold = emit();
    assertEquals(List.of("Latency", "ColdStart"), metricNames(cold));
    assertEquals(1, cold.get("ColdStart").asInt());
    assertEquals("Count", cold.at("/_aws/CloudWatchMetrics/0/Metrics/1/Unit").asText());
    assertEquals("req-1", cold.get("function_request_id").asText());

    invocation.set(Optional.of(new EmfMetrics.Invocation(false, "req-2")));
    JsonNode warm = emit();
    assertEquals(0, warm.get("ColdStart").asInt());
    assertEquals("req-2", warm.get("function_request_id").asText());

    invocation.set(Optional.of(new EmfMetrics.Invocation(false, null)));
    JsonNode noId = emit();
    assertEquals(0, noId.get("ColdStart").asInt());
    assertFalse(noId.has("function_request_id"), "no request id where the runtime gives none");
  }

  @Test
  void aRecordWithoutMetricsOrDisabledMetricsWriteNothing() {
    invocation.set(Optional.of(new EmfMetrics.Invocation(true, "req-1")));
    metrics.record().property("modelVersion", "v1").emit();
    assertTrue(lines.isEmpty(), "ColdStart alone does not make a record");
    EmfMetrics.disabled().record().put("Latency", 1, EmfMetrics.Unit.MILLISECONDS).emit();
    assertTrue(lines.isEmpty());
  }
}
