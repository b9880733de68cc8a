package dev.retention.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Does locally what the AWS Lambda Java runtime does with a JVM function: in a JVM whose class path
 * is the unpacked function.zip (its root and {@code lib/*.jar}), it instantiates the configured
 * handler ({@code dev.retention.functions.RetentionHandler::handleRequest}, Funqy's stream handler)
 * once and calls it with each event's bytes, like a warm container serving successive invocations.
 * An exception becomes Lambda's error payload {@code {"errorType", "errorMessage"}}.
 *
 * <p>Arguments: {@code Handler::method}, then pairs of event file and response file. Prints one
 * timing line per invocation, the first measured from JVM start (cold start).
 *
 * <p>Or {@code --serve PORT Handler::method}: a local HTTP server on the loopback address that does
 * what API Gateway's HTTP API does for the score function: each HTTP request becomes a payload 2.0
 * event ({@code rawPath}, query, lower-cased headers, method and path, the body as text, base64
 * when it is not UTF-8), the handler is invoked with it (one invocation at a time, as one warm
 * Lambda container takes them), and its {@code statusCode}, {@code headers} and {@code body} are
 * the HTTP response; a failed invocation is a 502, as API Gateway answers it. For developers:
 * {@code curl} the packaged function.
 */
public final class LambdaJavaRuntime {

  private LambdaJavaRuntime() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--serve")) {
      serve(Integer.parseInt(args[1]), args[2]);
      return;
    }
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    String[] handler = args[0].split("::");
    Class<?> type = Class.forName(handler[0]);
    Object instance = type.getDeclaredConstructor().newInstance();
    Method method =
        type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
    for (int i = 1; i + 1 < args.length; i += 2) {
      Path event = Path.of(args[i]);
      Path response = Path.of(args[i + 1]);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long started = System.nanoTime();
      byte[] bytes;
      try {
        method.invoke(
            instance, new ByteArrayInputStream(Files.readAllBytes(event)), out, new LocalContext());
        bytes = out.toByteArray();
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        while (cause.getCause() != null
            && cause.getClass().getName().contains("ApplicationException")) {
          cause = cause.getCause();
        }
        bytes =
            ("{\"errorType\":"
                    + quote(cause.getClass().getName())
                    + ",\"errorMessage\":"
                    + quote(String.valueOf(cause.getMessage()))
                    + "}")
                .getBytes(StandardCharsets.UTF_8);
      }
      double ms = (System.nanoTime() - started) / 1e6;
      Files.write(response, bytes);
      if (i == 1) {
        System.out.printf(
            "timing %s invoke_ms=%.1f since_jvm_start_ms=%d%s%n",
            event.getFileName(), ms, System.currentTimeMillis() - jvmStartMs, peakRss());
      } else {
        System.out.printf("timing %s invoke_ms=%.1f%s%n", event.getFileName(), ms, peakRss());
      }
    }
    System.exit(0); // Quarkus keeps non-daemon threads; Lambda freezes the process instead
  }

  /** The HTTP server of {@code --serve}: runs until the process is stopped. */
  private static void serve(int port, String handlerName) throws Exception {
    String[] handler = handlerName.split("::");
    Class<?> type = Class.forName(handler[0]);
    Object instance = type.getDeclaredConstructor().newInstance();
    Method method =
        type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
    ObjectMapper json = new ObjectMapper();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    Object oneAtATime = new Object();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] event = event(json, exchange);
            byte[] response;
            int status;
            Map<String, String> headers = new TreeMap<>();
            byte[] body;
            try {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              synchronized (oneAtATime) {
                method.invoke(instance, new ByteArrayInputStream(event), out, new LocalContext());
              }
              response = out.toByteArray();
              JsonNode r = json.readTree(response);
              status = r.path("statusCode").asInt(502);
              r.path("headers")
                  .properties()
                  .forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
              String text = r.path("body").asText("");
              body =
                  r.path("isBase64Encoded").asBoolean()
                      ? Base64.getDecoder().decode(text)
                      : text.getBytes(StandardCharsets.UTF_8);
            } catch (InvocationTargetException | IllegalAccessException | RuntimeException e) {
              status = 502; // API Gateway's answer when the integration fails
              headers.put("content-type", "application/json");
              body = "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);
              System.out.println("invocation failed: " + e);
            }
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              exchange.getResponseBody().write(body);
            }
            System.out.printf(
                "%s %s -> %d%n", exchange.getRequestMethod(), route(exchange), status);
          }
        });
    server.start();
    System.out.printf(
        "serving http://127.0.0.1:%d (POST /score, GET /customers/{id}, GET /model)%n",
        server.getAddress().getPort());
    System.out.flush();
    Thread.currentThread().join(); // until the process is stopped
  }

  /** The request's path, with a customer's id left out (the log stays free of ids). */
  private static String route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    return path.startsWith("/customers/") ? "/customers/{id}" : path;
  }

  /** An HTTP request as API Gateway's HTTP API hands it to a function (payload format 2.0). */
  static byte[] event(ObjectMapper json, HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    ObjectNode event = json.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", uri.getRawPath());
    event.put("rawQueryString", uri.getRawQuery() == null ? "" : uri.getRawQuery());
    ObjectNode headers = event.putObject("headers");
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    ObjectNode context = event.putObject("requestContext");
    context.put("requestId", UUID.randomUUID().toString());
    context.put("stage", "$default");
    context.put("timeEpoch", System.currentTimeMillis());
    ObjectNode http = context.putObject("http");
    http.put("method", method);
    http.put("path", uri.getPath());
    http.put("protocol", exchange.getProtocol());
    http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
    if (bytes.length > 0) {
      CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
      try {
        event.put("body", utf8.decode(ByteBuffer.wrap(bytes)).toString());
        event.put("isBase64Encoded", false);
      } catch (CharacterCodingException e) {
        event.put("body", Base64.getEncoder().encodeToString(bytes));
        event.put("isBase64Encoded", true);
      }
    } else {
      event.put("isBase64Encoded", false);
    }
    return json.writeValueAsBytes(event);
  }

  /** Peak resident set size of this JVM so far (Linux), as " peak_rss_mb=N", else "". */
  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return " peak_rss_mb=" + (kb >> 10);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no RSS figure
    }
    return "";
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** The invocation context a local run can honestly provide. */
  private static final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final long deadline = System.currentTimeMillis() + 900_000;

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/local";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return System.getenv().getOrDefault("QUARKUS_FUNQY_EXPORT", "local");
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:" + getFunctionName();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
      return (int) (Runtime.getRuntime().maxMemory() >> 20);
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.out.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.out.write(message, 0, message.length);
        }
      };
    }
  }
}
