package dev.retention.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Step Functions API: an HTTP server on a free loopback port that speaks
 * its JSON 1.0 protocol ({@code X-Amz-Target: AWSStepFunctions.<Operation>}, {@code
 * application/x-amz-json-1.0}) for StartExecution and DescribeExecution, and records every request.
 *
 * <p>It keeps executions as the documented rules for Standard workflows say: a name is unique per
 * state machine; StartExecution with the name of a running execution and the same input returns
 * that execution; with the name of a closed execution, or another input, it answers {@code
 * ExecutionAlreadyExists}. Executions stay RUNNING until a test {@link #finish finishes} one. What
 * it cannot show: that AWS answers so (the stand-in was written from the API reference), signatures
 * (it checks none), and anything the state machine then does.
 */
public final class StepFunctionsStandIn implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON = "application/x-amz-json-1.0";

  /** One request as it arrived. */
  public record Request(String target, String contentType, String authorization, JsonNode body) {
    public String operation() {
      return target == null ? null : target.substring(target.indexOf('.') + 1);
    }
  }

  /** One execution the stand-in keeps. */
  public record Execution(
      String arn, String stateMachineArn, String name, String input, String status, long start) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Execution> executions = new LinkedHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();

  private StepFunctionsStandIn(HttpServer server) {
    this.server = server;
  }

  /** Starts the stand-in on a free loopback port. */
  public static StepFunctionsStandIn start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      StepFunctionsStandIn standIn = new StepFunctionsStandIn(server);
      server.createContext("/", standIn::handle);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, in order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests of one operation ({@code StartExecution}, {@code DescribeExecution}). */
  public synchronized List<Request> requests(String operation) {
    return requests.stream().filter(r -> operation.equals(r.operation())).toList();
  }

  /** The executions started so far. */
  public synchronized List<Execution> executions() {
    return List.copyOf(executions.values());
  }

  /** Ends an execution with {@code status} (SUCCEEDED, FAILED, ...): its name stays taken. */
  public synchronized void finish(String executionArn, String status) {
    Execution e = executions.get(executionArn);
    if (e == null) {
      throw new IllegalArgumentException("no execution " + executionArn);
    }
    executions.put(
        executionArn,
        new Execution(e.arn(), e.stateMachineArn(), e.name(), e.input(), status, e.start()));
  }

  /** Answers the next {@code count} requests with HTTP 500 (a service fault, which is retried). */
  public void failNext(int count) {
    failures.set(count);
  }

  /** Forgets every request and execution. */
  public synchronized void reset() {
    requests.clear();
    executions.clear();
    failures.set(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body =
          raw.length == 0
              ? MAPPER.createObjectNode()
              : MAPPER.readTree(new String(raw, StandardCharsets.UTF_8));
      synchronized (this) {
        requests.add(
            new Request(
                target,
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"),
                body));
      }
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(exchange, 500, "ServiceUnavailable", "the stand-in was told to fail");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod()) || target == null) {
        error(exchange, 400, "UnknownOperationException", "POST with X-Amz-Target expected");
        return;
      }
      switch (target) {
        case "AWSStepFunctions.StartExecution" -> startExecution(exchange, body);
        case "AWSStepFunctions.DescribeExecution" -> describeExecution(exchange, body);
        default -> error(exchange, 400, "UnknownOperationException", "not emulated: " + target);
      }
    }
  }

  private void startExecution(HttpExchange exchange, JsonNode body) throws IOException {
    String machine = body.path("stateMachineArn").asText();
    String name = body.path("name").asText();
    String input = body.path("input").asText("{}");
    if (!machine.contains(":stateMachine:") || name.isEmpty()) {
      error(exchange, 400, "InvalidArn", "stateMachineArn and name expected");
      return;
    }
    String arn = machine.replace(":stateMachine:", ":execution:") + ":" + name;
    Execution execution;
    synchronized (this) {
      Execution existing = executions.get(arn);
      if (existing != null
          && !(existing.status().equals("RUNNING") && existing.input().equals(input))) {
        execution = null;
      } else if (existing != null) {
        execution = existing;
      } else {
        execution =
            new Execution(arn, machine, name, input, "RUNNING", System.currentTimeMillis() / 1000);
        executions.put(arn, execution);
      }
    }
    if (execution == null) {
      error(exchange, 400, "ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
      return;
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("executionArn", execution.arn());
    out.put("startDate", (double) execution.start());
    send(exchange, 200, out);
  }

  private void describeExecution(HttpExchange exchange, JsonNode body) throws IOException {
    String arn = body.path("executionArn").asText();
    Execution execution;
    synchronized (this) {
      execution = executions.get(arn);
    }
    if (execution == null) {
      error(exchange, 400, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
      return;
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("executionArn", execution.arn());
    out.put("stateMachineArn", execution.stateMachineArn());
    out.put("name", execution.name());
    out.put("status", execution.status());
    out.put("startDate", (double) System.currentTimeMillis() / 1000);
    out.put("input", execution.input());
    send(exchange, 200, out);
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("__type", type);
    out.put("message", message);
    exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
    send(exchange, status, out);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", JSON);
    exchange.getResponseHeaders().add("x-amzn-RequestId", "stand-in-" + System.nanoTime());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
