package dev.retention.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.config.KnownSettings;
import dev.retention.data.CsvTokenizer;
import dev.retention.testing.Events;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The README's first command: runs the product locally with no AWS account and no Docker.
 *
 * <ol>
 *   <li>checks the settings: every {@code -Dretention.*} property and {@code RETENTION_*}
 *       environment variable must be a known setting (else it stops, listing the known ones); they
 *       are passed to every function it runs, as a deployed function gets them;
 *   <li>starts a real S3-compatible server (s3proxy) on a free loopback port, data in {@code
 *       .local/s3};
 *   <li>uploads an export (the bundled sample, or {@code -Dlocal.export=FILE});
 *   <li>runs the packaged {@code target/function.zip} as the train function, the way the Lambda
 *       Java runtime does, with the S3 event of {@code events/s3-put-csv.json} (its key replaced
 *       for a user's file);
 *   <li>runs it as the score function: on the bundled sample with the API Gateway events of {@code
 *       events/} (one of them a deliberately bad request), on a user's export with requests built
 *       from the user's own rows and model; and with a CSV of customers to score ({@code
 *       -Dlocal.score=FILE}) written to {@code -Dlocal.out} (default {@code .local/scored.csv});
 *   <li>orders: on the bundled run, or with {@code -Dlocal.orders=FILE|synthetic}, uploads an
 *       orders export under {@code exports/orders/} and trains on it, then drops today's orders
 *       ({@code -Dlocal.orders-today=FILE}, synthetic by default) under {@code exports/score/} and
 *       runs the batch-score function, copying the scores to {@code .local/scores.csv};
 *   <li>copies the report of the user's model (else of the orders model) to {@code
 *       .local/report.html}, prints a short summary, and stops everything it started.
 * </ol>
 */
public final class LocalRun {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";
  private static final int BATCH = 1000;
  private static final String SYNTHETIC = "synthetic";

  /** Settings the local run decides itself: the local S3 server's address and bucket. */
  private static final List<String> OWN =
      List.of(
          "retention.s3.bucket",
          "retention.s3.endpoint-override",
          "retention.s3.path-style",
          "retention.s3.region");

  private final Path work = Path.of(".local");
  private final Map<String, String> settings;
  private final List<String> produced = new ArrayList<>();
  private S3ProxyServer s3;
  private Process scoreApi;
  private PackagedFunction packaged;

  private LocalRun(Map<String, String> settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    String export = System.getProperty("local.export", "");
    String score = System.getProperty("local.score", "");
    String out = System.getProperty("local.out", "");
    String orders = System.getProperty("local.orders", "");
    String ordersToday = System.getProperty("local.orders-today", "");
    String serve = System.getProperty("local.serve", "");
    Map<String, String> settings;
    try {
      settings = settings(System.getProperties(), System.getenv());
    } catch (LocalRunException e) {
      System.out.println("FAILED: " + e.getMessage());
      System.exit(2);
      return;
    }
    LocalRun run = new LocalRun(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(run::stop));
    boolean userExport = !export.isBlank();
    try {
      run.start();
      String featureReport =
          run.run(
              userExport ? Path.of(export) : Path.of("src/test/resources/reference/customers.csv"),
              userExport,
              score.isBlank() ? null : Path.of(score),
              out.isBlank() ? Path.of(".local/scored.csv") : Path.of(out));
      String ordersReport = null;
      if (!userExport || !orders.isBlank()) {
        ordersReport =
            run.runOrders(
                orders.isBlank() || orders.equals(SYNTHETIC) ? null : Path.of(orders),
                ordersToday.isBlank() ? null : Path.of(ordersToday));
      }
      // The report people open: the user's own model's, else the orders demo's; the line says
      // which, since the same report is also under its own name.
      boolean featureModel = userExport || ordersReport == null;
      String reportKey = featureModel ? featureReport : ordersReport;
      Path report = run.work.resolve("report.html");
      run.download(reportKey, report);
      Path featuresReport = run.work.resolve("features-report.html");
      run.download(featureReport, featuresReport);
      run.produced.add(0, "feature export model report: " + featuresReport.toAbsolutePath());
      run.produced.add(
          0,
          "report: "
              + report.toAbsolutePath()
              + " = the "
              + (featureModel ? "feature export" : "orders")
              + " model's report, also saved as "
              + (featureModel ? featuresReport : run.work.resolve("orders-report.html"))
                  .getFileName()
              + " (s3://"
              + BUCKET
              + "/"
              + reportKey
              + ")");
      System.out.println();
      System.out.println("done:");
      for (String line : run.produced) {
        System.out.println("  " + line);
      }
      System.out.println("  models, reports, scores and the local S3 data are under .local/s3");
      if (!serve.isBlank()) {
        run.serve(port(serve), Long.getLong("local.serve-seconds", 0));
      }
    } catch (LocalRunException e) {
      System.out.println();
      System.out.println("FAILED: " + e.getMessage());
      System.out.println(
          "  .local/ holds no report, model or scores of this run, and none of an earlier run"
              + " (cleared when this run started)"
              + (run.produced.isEmpty() ? "" : "; written before the failure: " + run.produced));
      run.stop();
      System.exit(1);
    } finally {
      run.stop();
    }
  }

  /**
   * The settings for the functions: {@code retention.*} system properties (from {@code -D}) and
   * {@code RETENTION_*} environment variables, each a known setting, as environment variables (the
   * way a deployed function gets them).
   *
   * @throws LocalRunException naming unknown settings and listing the known ones
   */
  static Map<String, String> settings(Properties properties, Map<String, String> environment) {
    List<String> known = KnownSettings.keys();
    Map<String, String> byEnv = new TreeMap<>();
    for (String key : known) {
      byEnv.put(KnownSettings.envName(key), key);
    }
    Map<String, String> out = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    List<String> own = new ArrayList<>();
    for (String name : properties.stringPropertyNames()) {
      if (!name.startsWith("retention.")) {
        continue;
      }
      if (!known.contains(name)) {
        unknown.add("-D" + name);
      } else if (OWN.contains(name)) {
        own.add(name);
      } else {
        out.put(KnownSettings.envName(name), properties.getProperty(name));
      }
    }
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      if (!variable.getKey().startsWith("RETENTION_")) {
        continue;
      }
      String key = byEnv.get(variable.getKey());
      if (key == null) {
        unknown.add(variable.getKey() + " (environment)");
      } else if (!OWN.contains(key)) { // a shell's own S3 settings give way to the local server

        out.putIfAbsent(variable.getKey(), variable.getValue()); // -D wins over the environment
      }
    }
    if (!unknown.isEmpty()) {
      throw new LocalRunException(
          "unknown setting"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + ". Known settings (README \"Configuration\"): "
              + String.join(", ", known));
    }
    if (!own.isEmpty()) {
      throw new LocalRunException(
          String.join(", ", own)
              + ": the local run sets the S3 settings itself (its own local server and bucket)");
    }
    return out;
  }

  /**
   * The header synthetic orders are written under for the settings' dialect: the seven columns
   * named as {@code retention.orders.*-column} name them; null when the dialect is more than names
   * (line items, another date format, delimiter or decimal separator, no money or no order ids),
   * which synthetic orders cannot be written in.
   */
  static String syntheticHeader(Map<String, String> settings) {
    for (String key :
        List.of(
            "retention.orders.quantity-column",
            "retention.orders.unit-price-column",
            "retention.orders.date-formats",
            "retention.orders.order-key",
            "retention.orders.money",
            "retention.export.delimiter",
            "retention.export.decimal-separator")) {
      String value = settings.get(KnownSettings.envName(key));
      boolean plain =
          value == null
              || (key.endsWith("order-key") && value.equalsIgnoreCase("ORDER_ID"))
              || (key.endsWith("money") && value.equalsIgnoreCase("true"))
              || (key.endsWith("delimiter") && value.equals(","))
              || (key.endsWith("decimal-separator") && value.equals("."));
      if (!plain) {
        return null;
      }
    }
    List<String> names = new ArrayList<>();
    String[][] columns = {
      {"customer-id-column", "customer_id"},
      {"order-id-column", "order_id"},
      {"order-date-column", "order_date"},
      {"amount-column", "amount"},
      {"items-column", "items"},
      {"status-column", "status"},
      {"channel-column", "channel"}
    };
    for (String[] column : columns) {
      names.add(
          settings.getOrDefault(KnownSettings.envName("retention.orders." + column[0]), column[1]));
    }
    return names.stream().map(CsvTokenizer::quote).reduce((a, b) -> a + "," + b).orElseThrow();
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new LocalRunException("-Dlocal.serve needs a port number (0 for any free one): " + text);
  }

  /**
   * The score function as a local HTTP API: the packaged function.zip in its own JVM behind a
   * loopback HTTP server that turns each request into the API Gateway event a deployed function
   * gets ({@link LambdaJavaRuntime} {@code --serve}), against the models, batch scores and lookup
   * index this run wrote. Prints a request of each kind, then serves until stopped (Ctrl-C), or for
   * {@code seconds} when that is above 0.
   */
  private void serve(int port, long seconds) throws Exception {
    Path log = work.resolve("function-score-api.log");
    synchronized (this) {
      scoreApi =
          packaged.start(
              "score",
              s3.endpoint(),
              BUCKET,
              settings,
              List.of(),
              LambdaJavaRuntime.class.getName(),
              List.of("--serve", Integer.toString(port), PackagedFunction.HANDLER),
              log);
    }
    String url = null;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (url == null && scoreApi.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("serving http://")) {
          url = line.substring("serving ".length(), line.indexOf(' ', "serving ".length()));
        }
      }
    }
    if (url == null) {
      throw new LocalRunException(
          "the score function did not start serving (is port " + port + " free?); see " + log);
    }
    System.out.println();
    System.out.printf("  local score API started, pid %d%n", scoreApi.pid());
    System.out.println(
        "score API on " + url + " (the packaged score function, as API Gateway calls it):");
    String id = firstScoredCustomer();
    System.out.println("  curl -s " + url + "/model | head -c 300");
    if (id != null) {
      System.out.println(
          "  curl -s "
              + url
              + "/customers/"
              + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
    }
    System.out.println(
        "  curl -s "
            + url
            + "/score -H 'content-type: application/json' -d '"
            + "{\"customerId\":\"C-77\",\"orders\":[{\"order_id\":\"A-1\",\"order_date\":"
            + "\"2026-06-02\",\"amount\":54.90,\"items\":2,\"status\":\"paid\","
            + "\"channel\":\"web\"}]}'");
    System.out.println(
        "  (README \"Score API\" shows each kind; requests are logged to " + log + ")");
    System.out.println(
        seconds > 0
            ? "  serving for " + seconds + " s"
            : "  serving until you stop it (Ctrl-C); the local S3 server stays up meanwhile");
    System.out.flush();
    if (seconds > 0) {
      scoreApi.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } else {
      scoreApi.waitFor();
    }
  }

  /** The first customer of the batch scores copied to .local/scores.csv, or null. */
  private String firstScoredCustomer() throws IOException {
    Path scores = work.resolve("scores.csv");
    if (!Files.isRegularFile(scores)) {
      return null;
    }
    try (Reader reader = Files.newBufferedReader(scores, StandardCharsets.UTF_8)) {
      CsvTokenizer csv = new CsvTokenizer(reader);
      csv.next();
      String[] row = csv.next();
      return row == null ? null : row[0];
    }
  }

  /** A setting as the functions will see it: passed in, else the packaged default. */
  private String setting(String key, String fallback) {
    return settings.getOrDefault(KnownSettings.envName(key), fallback);
  }

  /**
   * What a run writes under {@code .local/}: cleared when a run starts, so that after a failed run
   * no report, model or scores of an earlier run sit there as if they were this run's.
   */
  static final List<String> OUTPUTS =
      List.of(
          "report.html",
          "features-report.html",
          "orders-report.html",
          "orders-model.json",
          "orders-features.csv.gz",
          "orders-history.csv",
          "orders-today.csv",
          "scores.csv",
          "scores-report.html",
          "scored.csv");

  /** Deletes the outputs of an earlier run under {@code work} (and its logs and events). */
  static void clearOutputs(Path work) throws IOException {
    for (String name : OUTPUTS) {
      Files.deleteIfExists(work.resolve(name));
    }
    PackagedFunction.deleteTree(work.resolve("events"));
    if (Files.isDirectory(work)) {
      try (var logs = Files.newDirectoryStream(work, "function-*.log")) {
        for (Path log : logs) {
          Files.delete(log);
        }
      }
    }
  }

  private void start() throws Exception {
    clearOutputs(work);
    PackagedFunction.deleteTree(work.resolve("s3"));
    PackagedFunction.deleteTree(work.resolve("function"));
    Files.createDirectories(work.resolve("events"));
    packaged = PackagedFunction.unpack(Path.of("target/function.zip"), work.resolve("function"));
    System.out.println("retention-functions local run");
    if (!settings.isEmpty()) {
      System.out.println("  settings passed to every function: " + settings);
    }
    s3 = S3ProxyServer.start(work.resolve("s3"));
    System.out.printf("  local S3 server (s3proxy) started, pid %d%n", s3.pid());
    s3.createBucket(BUCKET);
    System.out.printf(
        "  local S3 (s3proxy) at %s, bucket %s, objects under %s%n",
        s3.endpoint(), BUCKET, work.resolve("s3"));
  }

  /** Trains on a feature export and scores with it; returns the key of its report. */
  private String run(Path export, boolean userExport, Path scoreFile, Path scoredOut)
      throws Exception {
    if (!Files.isRegularFile(export)) {
      throw new LocalRunException("export file not found: " + export.toAbsolutePath());
    }
    System.out.println();
    JsonNode summary =
        uploadAndRun(
            "train",
            "s3-put-csv.json",
            setting("retention.export.prefix", "exports/features/") + export.getFileName(),
            export);
    if (!"TRAINED".equals(summary.get("status").asText())
        && !"ALREADY_PUBLISHED".equals(summary.get("status").asText())) {
      throw new LocalRunException("the export was not trained: " + summary);
    }
    JsonNode model;
    try (S3Client client = s3.client()) {
      model =
          MAPPER.readTree(
              client
                  .getObjectAsBytes(b -> b.bucket(BUCKET).key(summary.get("modelKey").asText()))
                  .asByteArray());
    }
    printModel(summary, model);

    // The score function: the sample events on the sample; the user's own rows on their export.
    List<Path> events = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    if (userExport) {
      List<List<String>> unused = new ArrayList<>();
      List<Path> own =
          export.getFileName().toString().matches(".*\\.csv(\\.gz)?")
              ? scoringEvents(export, model, unused, new ArrayList<>(), 4, "score-export-rows")
              : List.of();
      if (own.isEmpty()) {
        System.out.println(
            "  (no sample requests: the export is not a CSV; pass -Dlocal.score=FILE.csv to score)");
      } else {
        events.add(own.get(0));
        labels.add("POST /score with the first 4 rows of " + export.getFileName());
      }
    } else {
      for (String name :
          List.of("score-single.json", "score-batch.json", "score-bad-request.json")) {
        events.add(Path.of("events", name));
        labels.add(
            "events/"
                + name
                + (name.equals("score-bad-request.json") ? " (a deliberately bad request)" : ""));
      }
    }
    events.add(Path.of("events/get-model.json"));
    labels.add("events/get-model.json");
    int shown = events.size();
    List<List<String>> ids = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (scoreFile != null) {
      events.addAll(scoringEvents(scoreFile, model, ids, skipped, Integer.MAX_VALUE, "score-file"));
    }
    System.out.println();
    System.out.println("score function (QUARKUS_FUNQY_EXPORT=score):");
    List<JsonNode> responses = invoke("score", events);
    for (int i = 0; i < shown; i++) {
      printScoreResponse(labels.get(i), responses.get(i));
    }
    if (scoreFile != null) {
      writeScored(responses.subList(shown, responses.size()), ids, scoredOut);
      System.out.printf(
          "  scored %d customers from %s -> %s%n",
          ids.stream().mapToInt(List::size).sum(), scoreFile, scoredOut);
      produced.add("scored customers: " + scoredOut.toAbsolutePath());
      if (!skipped.isEmpty()) {
        System.out.printf(
            "  skipped %d rows with bad values, first: %s%n",
            skipped.size(), skipped.subList(0, Math.min(5, skipped.size())));
      }
    }
    return companion(summary, "report.html");
  }

  /** The key of a companion of the summary's model version (next to the model JSON). */
  private static String companion(JsonNode summary, String name) {
    String modelKey = summary.get("modelKey").asText();
    return modelKey.substring(0, modelKey.length() - ".json".length()) + "/" + name;
  }

  /** The sample S3 event {@code template} naming {@code key}, encoded as S3 encodes it. */
  private Path s3Event(String template, String key, Path file, String name) throws IOException {
    ObjectNode event = (ObjectNode) MAPPER.readTree(Path.of("events", template).toFile());
    ((ObjectNode) event.withArray("Records").get(0).get("s3").get("object"))
        .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
        .put("size", Files.size(file));
    Path path = work.resolve("events").resolve(name);
    try (S3Client client = s3.client()) {
      // As S3 sends it: the object's real ETag (the functions skip an event for a changed object).
      Files.writeString(path, Events.asS3Sends(event.toString(), client));
    }
    return path;
  }

  /**
   * Uploads {@code file} under {@code key} and runs the packaged {@code function} with the sample
   * S3 event {@code eventTemplate} naming it, as S3 would; returns the summary of that object.
   */
  private JsonNode uploadAndRun(String function, String eventTemplate, String key, Path file)
      throws Exception {
    return uploadAndRun(function, eventTemplate, key, file, settings);
  }

  /** {@link #uploadAndRun(String, String, String, Path)} with the function's settings given. */
  private JsonNode uploadAndRun(
      String function, String eventTemplate, String key, Path file, Map<String, String> with)
      throws Exception {
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
    }
    System.out.printf("  uploaded %s -> s3://%s/%s%n", file, BUCKET, key);
    System.out.printf(
        "%s function (QUARKUS_FUNQY_EXPORT=%s), event events/%s (key replaced):%n",
        function, function, eventTemplate);
    Path event = s3Event(eventTemplate, key, file, function + "-" + file.getFileName() + ".json");
    JsonNode response = invoke(function, List.of(event), with).get(0);
    if (response.has("errorMessage")) {
      throw new LocalRunException(
          function + " failed on " + file + ": " + response.get("errorMessage").asText());
    }
    return response.get("results").get(0);
  }

  private void download(String key, Path file) throws IOException {
    try (S3Client client = s3.client()) {
      Files.write(file, client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
    }
  }

  /**
   * Orders in, model and report out, then today's orders scored in batch; returns the key of the
   * orders model's report. Synthetic orders stand in for files not given.
   */
  private String runOrders(Path history, Path today) throws Exception {
    boolean synthetic = history == null && today == null;
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    String header = syntheticHeader(settings);
    if (history == null) {
      if (header == null) {
        throw new LocalRunException(
            "synthetic orders are written with ISO dates, ',' and an amount per order; the"
                + " dialect set here (retention.orders.* / retention.export.delimiter ...) reads"
                + " other exports: pass your own orders with -Dlocal.orders=FILE");
      }
      history = work.resolve("orders-history.csv");
      try (Writer out = Files.newBufferedWriter(history, StandardCharsets.UTF_8)) {
        SyntheticOrders.write(out, 60_000, 6_000, yesterday.minusDays(60), 20261128L, header);
      }
      System.out.println();
      System.out.println(
          "  generated synthetic orders (60,000 orders of 6,000 customers): " + history);
    }
    if (today == null) {
      if (header == null) {
        // A dialect synthetic orders cannot be written in: today's customers are the export's.
        today = history;
        System.out.println(
            "  today's orders: your export itself, scored as of its last day"
                + " (-Dlocal.orders-today=FILE for another)");
      } else {
        today = work.resolve("orders-today.csv");
        try (Writer out = Files.newBufferedWriter(today, StandardCharsets.UTF_8)) {
          SyntheticOrders.write(out, 30_000, 3_000, yesterday, 20261129L, header);
        }
      }
    }
    for (Path file : List.of(history, today)) {
      if (!Files.isRegularFile(file)) {
        throw new LocalRunException("orders file not found: " + file.toAbsolutePath());
      }
    }
    System.out.println();
    // The orders model replaces the sample feature model on purpose (another feature set): what
    // an operator says with allow-dropped-features, unless the run was given that setting.
    Map<String, String> switching = new LinkedHashMap<>(settings);
    String allow = KnownSettings.envName("retention.quality-gate.allow-dropped-features");
    if (switching.putIfAbsent(allow, "true") == null) {
      System.out.println(
          "  the orders model replaces the feature model deliberately: this step runs with"
              + " retention.quality-gate.allow-dropped-features=true");
    }
    JsonNode summary =
        uploadAndRun(
            "train",
            "s3-put-orders-csv-gz.json",
            setting("retention.orders.prefix", "exports/orders/") + history.getFileName(),
            history,
            switching);
    Path modelFile = work.resolve("orders-model.json");
    download(summary.get("modelKey").asText(), modelFile);
    JsonNode model = MAPPER.readTree(modelFile.toFile());
    printModel(summary, model);
    JsonNode derivation = model.get("derivation");
    System.out.printf(
        "  features as of %s, label: bought again within %d days; %s%n",
        derivation.get("cutoff").asText(),
        derivation.get("labelWindowDays").asInt(),
        derivation.get("counts"));
    if (summary.hasNonNull("featuresKey")) {
      Path features = work.resolve("orders-features.csv.gz");
      download(summary.get("featuresKey").asText(), features);
      produced.add("derived customer features: " + features.toAbsolutePath());
    }
    Path ordersReport = work.resolve("orders-report.html");
    download(companion(summary, "report.html"), ordersReport);
    produced.add("orders model report: " + ordersReport.toAbsolutePath());

    System.out.println();
    JsonNode scored =
        uploadAndRun(
            "batch-score",
            "s3-put-score-csv.json",
            setting("retention.batch.prefix", "exports/score/") + today.getFileName(),
            today);
    Path scores = work.resolve("scores.csv");
    download(scored.get("outputKey").asText(), scores);
    System.out.printf(
        "  %s: %d customers scored as of %s (%d rows rejected) -> s3://%s/%s, copied to %s%n",
        scored.get("status").asText(),
        scored.get("customersScored").asLong(),
        scored.get("featuresAsOf").asText(),
        scored.get("rowsRejected").asLong(),
        BUCKET,
        scored.get("outputKey").asText(),
        scores.toAbsolutePath());
    produced.add("batch scores (priority order): " + scores.toAbsolutePath());
    if (scored.hasNonNull("reportKey")) {
      Path batchReport = work.resolve("scores-report.html");
      download(scored.get("reportKey").asText(), batchReport);
      produced.add("batch report: " + batchReport.toAbsolutePath());
    }
    List<String> lines = Files.readAllLines(scores);
    for (String line : lines.subList(0, Math.min(4, lines.size()))) {
      System.out.println("    " + line);
    }
    if (synthetic) {
      // The orders model is live: a customer sent as their orders, and one found by id.
      System.out.println();
      System.out.println("score function (QUARKUS_FUNQY_EXPORT=score) on the orders model:");
      List<String> names = List.of("score-orders.json", "get-customer.json");
      List<Path> events = names.stream().map(n -> Path.of("events", n)).toList();
      List<JsonNode> responses = invoke("score", events);
      for (int i = 0; i < names.size(); i++) {
        JsonNode response = responses.get(i);
        JsonNode body = MAPPER.readTree(response.path("body").asText("{}"));
        System.out.printf(
            Locale.ROOT,
            "  events/%s -> %d %s: segment %s (%s), repurchase probability %.3f, basis %s, as of %s%n",
            names.get(i),
            response.path("statusCode").asInt(),
            body.path("customerId").asText("-"),
            body.path("segment").asText(),
            body.path("segmentName").asText(),
            body.path("probability").asDouble(),
            body.path("basis").asText(),
            body.path("asOf").asText());
      }
    }
    return companion(summary, "report.html");
  }

  private void printModel(JsonNode summary, JsonNode model) {
    System.out.printf(
        "  %s: %s%n  rows used %d, rejected %d; segments K=%d; held-out ROC AUC %.3f, PR AUC %.3f, log loss %.3f%n",
        summary.get("status").asText(),
        summary.get("modelKey").asText(),
        summary.get("rowsUsed").asLong(),
        summary.get("rowsRejected").asLong(),
        summary.get("k").asInt(),
        model.get("evaluation").get("rocAuc").asDouble(),
        model.get("evaluation").get("prAuc").asDouble(),
        model.get("evaluation").get("logLoss").asDouble());
    JsonNode search = model.get("segmentation").get("kSearch");
    if (search != null && !search.isNull()) {
      System.out.printf("  K chosen by %s%n", search.get("rule").asText());
    }
    JsonNode playbook = model.get("playbook");
    System.out.printf(
        Locale.ROOT,
        "  minimum segment size %d; churn risk high below %.1f%%, medium below %.1f%%; latest: %s%s%n",
        model.get("segmentation").path("minSize").asInt(),
        100 * playbook.get("highRiskBelow").asDouble(),
        100 * playbook.get("mediumRiskBelow").asDouble(),
        summary.get("latest").asText(),
        summary.hasNonNull("qualityGate")
            ? " (quality gate " + summary.get("qualityGate").asText() + ")"
            : "");
    for (JsonNode merge : model.get("segmentation").path("merges")) {
      System.out.println("  merged: " + merge.asText());
    }
    System.out.println(
        "  segment  size    share  repurchase  predicted  name (action at high churn risk)");
    java.util.Set<String> printed = new java.util.HashSet<>();
    for (JsonNode s : model.get("segments")) {
      // A profile that covers several segments is printed once, with the segments it covers.
      if (!printed.add(s.get("profileCovers").toString())) {
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "  %7d  %6d  %5.1f%%  %9.1f%%  %8.1f%%  %s (%s)%s%n",
          s.get("id").asInt(),
          s.get("size").asLong(),
          100 * s.get("share").asDouble(),
          100 * s.get("repurchaseRate").asDouble(),
          100 * s.get("meanProbability").asDouble(),
          s.get("name").asText(),
          s.get("actions").path("high").asText("-"),
          s.get("profileCovers").size() > 1
              ? ", reported with segments " + s.get("profileCovers")
              : "");
    }
    JsonNode rejections = model.get("provenance").get("rejections");
    if (rejections.size() > 0) {
      System.out.println("  first rejected rows: " + rejections);
    }
  }

  private static void printScoreResponse(String event, JsonNode response) throws IOException {
    if (response.has("errorMessage")) {
      System.out.printf(
          "  %s -> invocation error: %s%n", event, response.get("errorMessage").asText());
      return;
    }
    int status = response.get("statusCode").asInt();
    JsonNode body = MAPPER.readTree(response.get("body").asText());
    String shown;
    if (body.has("error")) {
      shown =
          body.get("error").path("field").asText("")
              + ": "
              + body.get("error").get("message").asText();
    } else if (body.has("results")) {
      StringBuilder sb = new StringBuilder(body.get("count").asInt() + " customers");
      for (JsonNode r : body.get("results")) {
        sb.append("\n      ").append(describe(r));
      }
      shown = sb.toString();
    } else if (body.has("segmentation")) {
      shown =
          "model "
              + body.get("version").asText()
              + ", K="
              + body.get("segmentation").get("k").asInt();
    } else {
      shown = describe(body);
    }
    System.out.printf("  %s -> %d %s%n", event, status, shown);
  }

  private static String describe(JsonNode r) {
    StringBuilder top = new StringBuilder();
    for (JsonNode c : r.get("topContributions")) {
      top.append(top.length() == 0 ? "" : ", ")
          .append(c.get("feature").asText())
          .append(String.format(Locale.ROOT, " %+.2f", c.get("contribution").asDouble()));
    }
    return String.format(
        Locale.ROOT,
        "%s: segment %d (%s), repurchase probability %.3f, churn risk %s; top: %s",
        r.path("customerId").asText("-"),
        r.get("segment").asInt(),
        r.get("segmentName").asText(),
        r.get("probability").asDouble(),
        r.get("churnRiskBand").asText(),
        top);
  }

  /** Batches of API Gateway events built from a CSV of id + feature columns. */
  private List<Path> scoringEvents(
      Path file,
      JsonNode model,
      List<List<String>> ids,
      List<String> skipped,
      int limit,
      String name)
      throws IOException {
    List<String> features = new ArrayList<>();
    model.get("features").forEach(f -> features.add(f.get("name").asText()));
    List<Path> events = new ArrayList<>();
    java.io.InputStream raw = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new java.util.zip.GZIPInputStream(raw);
    }
    try (Reader reader = new java.io.InputStreamReader(raw, StandardCharsets.UTF_8)) {
      CsvTokenizer csv = new CsvTokenizer(reader);
      String[] header = csv.next();
      if (header == null) {
        throw new LocalRunException(file + " is empty");
      }
      List<String> columns = new ArrayList<>();
      for (String h : header) {
        columns.add(h.trim());
      }
      int idColumn = columns.indexOf("customer_id");
      if (idColumn < 0) {
        throw new LocalRunException(file + " has no customer_id column: " + columns);
      }
      int[] featureColumns = new int[features.size()];
      for (int f = 0; f < features.size(); f++) {
        featureColumns[f] = columns.indexOf(features.get(f));
        if (featureColumns[f] < 0) {
          throw new LocalRunException(
              file + " lacks the model's feature column '" + features.get(f) + "'");
        }
      }
      ArrayNode batch = MAPPER.createArrayNode();
      List<String> batchIds = new ArrayList<>();
      int taken = 0;
      for (String[] row = csv.next(); row != null && taken < limit; row = csv.next()) {
        if (row.length != columns.size()) {
          skipped.add(
              "line "
                  + csv.recordLine()
                  + ": "
                  + row.length
                  + " fields, header has "
                  + columns.size());
          continue;
        }
        ObjectNode customer = MAPPER.createObjectNode();
        customer.put("customerId", row[idColumn]);
        ObjectNode values = customer.putObject("features");
        String problem = null;
        for (int f = 0; f < features.size() && problem == null; f++) {
          try {
            double v = Double.parseDouble(row[featureColumns[f]].trim());
            if (!Double.isFinite(v)) {
              problem = "not a finite number";
            }
            values.put(features.get(f), v);
          } catch (NumberFormatException e) {
            problem = "not a number";
          }
          if (problem != null) {
            skipped.add(
                "line " + csv.recordLine() + ", column '" + features.get(f) + "': " + problem);
          }
        }
        if (problem != null) {
          continue;
        }
        batch.add(customer);
        batchIds.add(row[idColumn]);
        taken++;
        if (batch.size() == BATCH) {
          events.add(batchEvent(name + "-" + events.size(), batch));
          ids.add(batchIds);
          batch = MAPPER.createArrayNode();
          batchIds = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        events.add(batchEvent(name + "-" + events.size(), batch));
        ids.add(batchIds);
      }
    }
    return events;
  }

  private Path batchEvent(String name, ArrayNode customers) throws IOException {
    ObjectNode event = (ObjectNode) MAPPER.readTree(Path.of("events/score-batch.json").toFile());
    ObjectNode body = MAPPER.createObjectNode();
    body.set("customers", customers);
    event.put("body", body.toString());
    Path path = work.resolve("events/" + name + ".json");
    MAPPER.writeValue(path.toFile(), event);
    return path;
  }

  private static void writeScored(List<JsonNode> responses, List<List<String>> ids, Path out)
      throws IOException {
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write("customer_id,segment,segment_name,probability,churn_risk_band\n");
      for (int b = 0; b < responses.size(); b++) {
        JsonNode response = responses.get(b);
        if (response.has("errorMessage") || response.get("statusCode").asInt() != 200) {
          throw new LocalRunException("scoring batch " + b + " failed: " + response);
        }
        JsonNode results = MAPPER.readTree(response.get("body").asText()).get("results");
        for (int i = 0; i < results.size(); i++) {
          JsonNode r = results.get(i);
          writer.write(
              CsvTokenizer.textCell(ids.get(b).get(i))
                  + ","
                  + r.get("segment").asInt()
                  + ","
                  + CsvTokenizer.textCell(r.get("segmentName").asText())
                  + ","
                  + r.get("probability").asDouble()
                  + ","
                  + r.get("churnRiskBand").asText()
                  + "\n");
        }
      }
    }
  }

  /** Runs the packaged function in a fresh JVM, as Lambda would, once per event in order. */
  private List<JsonNode> invoke(String function, List<Path> events) throws Exception {
    return invoke(function, events, settings);
  }

  /** {@link #invoke(String, List)} with the function's settings given. */
  private List<JsonNode> invoke(String function, List<Path> events, Map<String, String> with)
      throws Exception {
    List<String> args = new ArrayList<>();
    args.add(PackagedFunction.HANDLER);
    List<Path> responses = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Path response = work.resolve("events/response-" + function + "-" + i + ".json");
      args.add(events.get(i).toAbsolutePath().toString());
      args.add(response.toAbsolutePath().toString());
      responses.add(response);
    }
    Path log = work.resolve("function-" + function + ".log");
    int exit =
        packaged.run(
            function,
            s3.endpoint(),
            BUCKET,
            with,
            List.of(),
            LambdaJavaRuntime.class.getName(),
            args,
            log,
            seconds -> System.out.printf("    ... %s still running (%d s)%n", function, seconds));
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("timing ")) {
        System.out.println("  " + line);
      }
    }
    if (exit != 0) {
      throw new LocalRunException(
          "the " + function + " function's JVM exited with " + exit + "; see " + log);
    }
    List<JsonNode> out = new ArrayList<>();
    for (Path response : responses) {
      out.add(MAPPER.readTree(response.toFile()));
    }
    return out;
  }

  private synchronized void stop() {
    if (scoreApi != null) {
      scoreApi.destroy();
      try {
        if (!scoreApi.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          scoreApi.destroyForcibly();
        }
      } catch (InterruptedException e) {
        scoreApi.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      scoreApi = null;
      System.out.println("stopped the local score API");
    }
    if (s3 != null) {
      s3.close();
      s3 = null;
      System.out.println("stopped the local S3 server");
    }
  }

  /** A failure explained to the user, without a stack trace. */
  private static final class LocalRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LocalRunException(String message) {
      super(message);
    }
  }
}
