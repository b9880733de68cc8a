package dev.retention.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The AWS Lambda Runtime API (2018-06-01) as a custom runtime ({@code provided.al2023}) sees it, on
 * a free loopback port: a native {@code bootstrap} started with {@code
 * AWS_LAMBDA_RUNTIME_API=<address>} polls {@code GET /runtime/invocation/next} for each event,
 * posts {@code /runtime/invocation/<id>/response} or {@code /error}, and a start that fails posts
 * {@code /runtime/init/error} (the first report of the init phase is kept, a second is refused).
 * When no event is left, {@code next} waits, as Lambda freezes an idle environment. What the API
 * reference documents is what is emulated: the request id, deadline and function ARN headers, the
 * bodies as bytes.
 */
final class LambdaRuntimeApi implements AutoCloseable {

  /** What the function answered to one event: its response, or its error payload. */
  record Outcome(boolean error, String body, long answeredNanos) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Integer> pending = new LinkedBlockingQueue<>();
  private final List<byte[]> events;
  private final Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
  private final CountDownLatch done;
  private final CountDownLatch firstPoll = new CountDownLatch(1);
  private volatile String initError;
  private volatile long firstPollNanos;

  static {
    // Small responses written in parts would wait for delayed ACKs (about 40 ms each) without it:
    // the emulator must not add latency Lambda's Runtime API does not have.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private LambdaRuntimeApi(List<byte[]> events) throws IOException {
    this.events = List.copyOf(events);
    this.done = new CountDownLatch(events.size());
    for (int i = 0; i < events.size(); i++) {
      pending.add(i);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/2018-06-01/runtime/", this::handle);
    server.start();
  }

  /** Serves {@code events} in order, one per {@code next}. */
  static LambdaRuntimeApi serving(List<byte[]> events) throws IOException {
    return new LambdaRuntimeApi(events);
  }

  /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Waits until every event is answered or the start failed; false on timeout. */
  boolean awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (initError != null || done.await(100, TimeUnit.MILLISECONDS)) {
        return true;
      }
    }
    return false;
  }

  /** The answer to event {@code index} (0-based), or null. */
  Outcome outcome(int index) {
    return outcomes.get(index);
  }

  /** The body of {@code /runtime/init/error}, or null when the start did not fail. */
  String initError() {
    return initError;
  }

  /** When the function first asked for an event (System.nanoTime), waiting up to timeout. */
  long firstPollNanos(Duration timeout) throws InterruptedException {
    firstPoll.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return firstPollNanos;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring("/2018-06-01/runtime/".length());
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
        next(exchange);
      } else if (path.equals("init/error")) {
        // Lambda keeps the first report of an init phase and refuses a second one.
        if (initError != null) {
          reply(exchange, 403, "{\"errorType\":\"InvalidStateTransition\"}");
        } else {
          initError = new String(body, StandardCharsets.UTF_8);
          reply(exchange, 202, "{\"status\":\"OK\"}");
        }
      } else if (path.startsWith("invocation/")) {
        String[] parts = path.split("/");
        int index = Integer.parseInt(parts[1].substring("request-".length()));
        boolean error = parts[2].equals("error");
        outcomes.put(
            index, new Outcome(error, new String(body, StandardCharsets.UTF_8), System.nanoTime()));
        done.countDown();
        reply(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        reply(exchange, 404, "{\"errorMessage\":\"unknown path\"}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void next(HttpExchange exchange) throws IOException, InterruptedException {
    if (firstPollNanos == 0) {
      firstPollNanos = System.nanoTime();
      firstPoll.countDown();
    }
    Integer index = pending.take(); // blocks while idle, like a frozen environment
    var headers = exchange.getResponseHeaders();
    headers.add("Lambda-Runtime-Aws-Request-Id", "request-" + index);
    headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 900_000));
    headers.add(
        "Lambda-Runtime-Invoked-Function-Arn",
        "arn:aws:lambda:us-east-1:000000000000:function:local");
    headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
    headers.add("Content-Type", "application/json");
    byte[] event = events.get(index);
    exchange.sendResponseHeaders(200, event.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(event);
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Every answer so far, in event order (for messages). */
  List<Outcome> outcomes() {
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      out.add(outcomes.get(i));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
