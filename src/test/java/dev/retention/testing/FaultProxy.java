package dev.retention.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 proxy in front of the real s3proxy that injects the faults S3 has in the field:
 * a body cut short after some bytes, a connection reset, an error status, a server that hangs, a
 * slow answer. Every request is forwarded to the real server unless its rule says otherwise; one
 * request per connection ({@code Connection: close}), which the SDK's URL-connection client
 * handles.
 *
 * <p>Rules are chosen per request from its method, path and body ({@link #rule}); the proxy counts
 * and records every request so tests can assert what was tried.
 */
public final class FaultProxy implements AutoCloseable {

  /** What to do with one request. */
  public sealed interface Fault permits Pass, CutBody, Reset, Status, Hang, Delay, Trickle {}

  /** Forward it untouched. */
  public record Pass() implements Fault {}

  /** Forward it, then send only the first {@code bytes} of the response body and close. */
  public record CutBody(int bytes) implements Fault {}

  /** Close the connection with a TCP reset instead of answering (before forwarding). */
  public record Reset() implements Fault {}

  /** Answer with this status and an S3-style error body; the request is not forwarded. */
  public record Status(int code) implements Fault {}

  /** Accept the request and never answer (until the proxy closes). */
  public record Hang() implements Fault {}

  /** Forward it after waiting {@code millis}. */
  public record Delay(long millis) implements Fault {}

  /**
   * Send the response's head at once, then its body {@code bytes} at a time, {@code millis} apart:
   * a connection that never stalls long enough for a socket timeout but is slower than a deadline.
   */
  public record Trickle(int bytes, long millis) implements Fault {}

  /** One request as the rule sees it. */
  public record Request(String method, String path, byte[] body, int number) {

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Chooses the fault of a request. */
  @FunctionalInterface
  public interface Rule {
    Fault apply(Request request);
  }

  private static final Fault PASS = new Pass();

  private final ServerSocket server;
  private final URI upstream;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private volatile Rule rule = request -> PASS;

  private FaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    pool.submit(this::acceptLoop);
  }

  /** A proxy on a free loopback port forwarding to {@code upstream}. */
  public static FaultProxy start(URI upstream) {
    try {
      return new FaultProxy(upstream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Sets the rule for the requests from now on. */
  public void rule(Rule newRule) {
    this.rule = newRule;
  }

  /** Back to forwarding everything. */
  public void pass() {
    rule(request -> PASS);
  }

  /** "METHOD path -> fault" for every request so far. */
  public List<String> log() {
    return List.copyOf(log);
  }

  public void clearLog() {
    log.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        pool.submit(() -> handle(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      List<String> head = readHead(in);
      if (head == null) {
        return;
      }
      String[] start = head.get(0).split(" ");
      boolean expectContinue = "100-continue".equalsIgnoreCase(header(head, "Expect"));
      if (expectContinue) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      byte[] body = readBody(in, head, false);
      Request request = new Request(start[0], start[1], body, requests.incrementAndGet());
      Fault fault = rule.apply(request);
      log.add(request.method() + " " + request.path() + " -> " + fault);
      if (fault instanceof Reset) {
        client.setSoLinger(true, 0);
        return;
      }
      if (fault instanceof Hang) {
        // Hold the connection open without answering until the client gives up or we close.
        while (!client.isClosed() && client.getInputStream().read() >= 0) {
          // discard
        }
        return;
      }
      if (fault instanceof Status s) {
        String code = s.code() == 503 ? "SlowDown" : "InternalError";
        byte[] error =
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                    + code
                    + "</Code><Message>injected by the fault proxy</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        out.write(
            message(
                List.of("HTTP/1.1 " + s.code() + " Injected", "Content-Type: application/xml"),
                error,
                false));
        return;
      }
      if (fault instanceof Delay d) {
        Thread.sleep(d.millis());
      }
      forward(head, body, start[0].equals("HEAD"), fault, client, out);
    } catch (IOException | RuntimeException e) {
      log.add("proxy error: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
    }
  }

  private void forward(
      List<String> head, byte[] body, boolean isHead, Fault fault, Socket client, OutputStream out)
      throws IOException {
    try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
      List<String> request = new ArrayList<>();
      for (String h : head) {
        if (!h.regionMatches(true, 0, "Expect:", 0, 7)) {
          request.add(h);
        }
      }
      OutputStream upOut = up.getOutputStream();
      upOut.write(message(request, body, false));
      upOut.flush();
      InputStream upIn = new BufferedInputStream(up.getInputStream());
      List<String> response = readHead(upIn);
      while (response != null && response.get(0).split(" ")[1].startsWith("1")) {
        response = readHead(upIn); // an interim 100 Continue
      }
      if (response == null) {
        client.setSoLinger(true, 0);
        return;
      }
      byte[] responseBody = readBody(upIn, response, isHead);
      byte[] whole = message(response, responseBody, isHead);
      if (fault instanceof Trickle trickle && !isHead) {
        int headLength = whole.length - responseBody.length;
        out.write(whole, 0, headLength);
        out.flush();
        for (int at = headLength; at < whole.length; at += trickle.bytes()) {
          try {
            Thread.sleep(trickle.millis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          out.write(whole, at, Math.min(trickle.bytes(), whole.length - at));
          out.flush(); // fails once the client has dropped the connection: the trickle ends
        }
        return;
      }
      if (fault instanceof CutBody cut && !isHead) {
        int headLength = whole.length - responseBody.length;
        out.write(whole, 0, headLength + Math.min(cut.bytes(), responseBody.length));
        out.flush();
        return; // closes: the announced Content-Length is more than was sent
      }
      out.write(whole);
      out.flush();
    }
  }

  /** A message with its body length set (de-chunked); for HEAD the headers pass unchanged. */
  private static byte[] message(List<String> head, byte[] body, boolean isHead) {
    StringBuilder text = new StringBuilder(head.get(0)).append("\r\n");
    for (String h : head.subList(1, head.size())) {
      String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim();
      boolean framing =
          name.equalsIgnoreCase("Transfer-Encoding")
              || name.equalsIgnoreCase("Connection")
              || (!isHead && name.equalsIgnoreCase("Content-Length"));
      if (!framing) {
        text.append(h).append("\r\n");
      }
    }
    if (!isHead) {
      text.append("Content-Length: ").append(body.length).append("\r\n");
    }
    text.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + body.length);
    out.writeBytes(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.write(c);
      }
    }
    if (c == -1 && line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      lines.add(line);
    }
    return lines.isEmpty() ? null : lines;
  }

  private static String header(List<String> head, String name) {
    for (String h : head.subList(1, head.size())) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static byte[] readBody(InputStream in, List<String> head, boolean isHead)
      throws IOException {
    if (isHead) {
      return new byte[0];
    }
    String encoding = header(head, "Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String size = readLine(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          while (true) {
            String trailer = readLine(in);
            if (trailer == null || trailer.isEmpty()) {
              break;
            }
          }
          return out.toByteArray();
        }
        out.write(in.readNBytes(n));
        readLine(in);
      }
    }
    String length = header(head, "Content-Length");
    return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket socket : open) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    pool.shutdownNow();
  }
}
