package dev.retention.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (JSON over a WebSocket, with
 * the JDK's own client): navigate, evaluate, collect console errors, take screenshots. Chromium is
 * found on the PATH or installed from the Debian package when the tests run as root.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final List<String> NAMES =
      List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The browser binary on the PATH (or $CHROME_BIN), if any. */
  public static Optional<Path> find() {
    String configured = System.getenv("CHROME_BIN");
    if (configured != null && Files.isExecutable(Path.of(configured))) {
      return Optional.of(Path.of(configured));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : NAMES) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The browser binary, installing Debian's {@code chromium} package when missing and allowed.
   *
   * @return the binary, or empty with {@code why} holding the reason it could not be had
   */
  public static Optional<Path> findOrInstall(StringBuilder why) {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found;
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      why.append("no chromium on the PATH and no apt-get to install it");
      return Optional.empty();
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> prefix = root ? List.of() : List.of("sudo", "-n");
    try {
      run(prefix, "apt-get", "update", "-qq");
      int code =
          run(prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium");
      if (code != 0) {
        why.append("apt-get install chromium exited with ").append(code);
        return Optional.empty();
      }
    } catch (IOException e) {
      why.append("cannot run apt-get: ").append(e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why.append("interrupted while installing chromium");
      return Optional.empty();
    }
    found = find();
    if (found.isEmpty()) {
      why.append("chromium was installed but is not on the PATH");
    }
    return found;
  }

  private static int run(List<String> prefix, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(prefix);
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = builder.start();
    p.getInputStream().transferTo(System.out);
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Starts the browser and attaches to its blank page. */
  public static HeadlessChromium launch(Path binary) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    String browserUrl = null;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    StringBuilder seen = new StringBuilder();
    while (browserUrl == null && System.nanoTime() < deadline) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        browserUrl = m.group(1);
      }
    }
    if (browserUrl == null) {
      process.destroyForcibly();
      throw new IOException("chromium did not start its DevTools endpoint:\n" + seen);
    }
    // Keep draining the browser's output so that it never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded
                }
              } catch (IOException e) {
                // the browser is gone
              }
            },
            "chromium-output");
    drain.setDaemon(true);
    drain.start();

    URI browser = URI.create(browserUrl);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String pageUrl = null;
    for (JsonNode target : MAPPER.readTree(list.body())) {
      if ("page".equals(target.path("type").asText())) {
        pageUrl = target.get("webSocketDebuggerUrl").asText();
        break;
      }
    }
    if (pageUrl == null) {
      process.destroyForcibly();
      throw new IOException("chromium has no page target: " + list.body());
    }
    Listener listener = new Listener();
    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), listener).join();
    HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
    listener.owner = chromium;
    return chromium;
  }

  /** Calls a DevTools method and waits for its result. */
  public JsonNode call(String method, Map<String, Object> params) throws IOException {
    int id = ids.incrementAndGet();
    ObjectNode message = MAPPER.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", MAPPER.valueToTree(params));
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    pending.put(id, result);
    socket.sendText(message.toString(), true).join();
    JsonNode response;
    try {
      response = result.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("no answer to " + method, e);
    }
    if (response.has("error")) {
      throw new IOException(method + " failed: " + response.get("error"));
    }
    return response.get("result");
  }

  /** Navigates and waits for the load event. */
  public void navigate(URI url) throws IOException, InterruptedException {
    int before = eventCount("Page.loadEventFired");
    call("Page.navigate", Map.of("url", url.toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (events) {
      while (eventCount("Page.loadEventFired") == before) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("the page did not finish loading: " + url);
        }
        events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  /** Evaluates a JavaScript expression that returns a JSON string, and parses it. */
  public JsonNode evaluateJson(String expression) throws IOException {
    JsonNode result =
        call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new IOException("evaluation failed: " + result.get("exceptionDetails"));
    }
    return MAPPER.readTree(result.get("result").get("value").asText());
  }

  /** Console errors, uncaught exceptions and error log entries so far. */
  public List<String> errors() {
    List<String> out = new ArrayList<>();
    synchronized (events) {
      for (JsonNode event : events) {
        String method = event.get("method").asText();
        JsonNode params = event.get("params");
        if (method.equals("Runtime.exceptionThrown")) {
          out.add("exception: " + params.get("exceptionDetails"));
        } else if (method.equals("Runtime.consoleAPICalled")
            && List.of("error", "assert").contains(params.get("type").asText())) {
          out.add("console." + params.get("type").asText() + ": " + params.get("args"));
        } else if (method.equals("Log.entryAdded")
            && "error".equals(params.get("entry").get("level").asText())) {
          out.add("log: " + params.get("entry").get("text").asText());
        }
      }
    }
    return out;
  }

  /** URLs of every network request the page made. */
  public List<String> requests() {
    List<String> out = new ArrayList<>();
    synchronized (events) {
      for (JsonNode event : events) {
        if (event.get("method").asText().equals("Network.requestWillBeSent")) {
          out.add(event.get("params").get("request").get("url").asText());
        }
      }
    }
    return out;
  }

  private int eventCount(String method) {
    synchronized (events) {
      int n = 0;
      for (JsonNode event : events) {
        if (event.get("method").asText().equals(method)) {
          n++;
        }
      }
      return n;
    }
  }

  private void onMessage(String text) {
    JsonNode message;
    try {
      message = MAPPER.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> future = pending.remove(message.get("id").asInt());
      if (future != null) {
        future.complete(message);
      }
    } else if (message.has("method")) {
      synchronized (events) {
        events.add(message);
        events.notifyAll();
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Reassembles text frames into messages. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile HeadlessChromium owner;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        HeadlessChromium target = owner;
        if (target != null) {
          target.onMessage(text);
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
