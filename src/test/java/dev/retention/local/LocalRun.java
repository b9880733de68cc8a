package dev.retention.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The README's first command: runs the product locally with no AWS account and no Docker.
 *
 * <ol>
 *   <li>starts a real S3-compatible server (s3proxy) on a free loopback port, data in {@code
 *       .local/s3};
 *   <li>uploads an export (the bundled sample, or {@code -Dlocal.export=FILE});
 *   <li>runs the packaged {@code target/function.zip} as the train function, the way the Lambda
 *       Java runtime does, with the S3 event of {@code events/s3-put-csv.json} (its key replaced
 *       for a user's file);
 *   <li>runs it as the score function with the API Gateway events of {@code events/}, and with a
 *       CSV of customers to score ({@code -Dlocal.score=FILE}) written to {@code -Dlocal.out}
 *       (default {@code .local/scored.csv});
 *   <li>uploads an orders export (a seeded synthetic one, or {@code -Dlocal.orders=FILE}) under
 *       {@code exports/orders/}, trains on it with {@code events/s3-put-orders-csv-gz.json}, and
 *       copies the operator report to {@code .local/report.html};
 *   <li>drops today's orders (synthetic, or {@code -Dlocal.orders-today=FILE}) under {@code
 *       exports/score/}, runs the batch-score function with {@code events/s3-put-score-csv.json},
 *       and copies the scores to {@code .local/scores.csv};
 *   <li>prints the model summaries and the scores, and stops everything it started.
 * </ol>
 */
public final class LocalRun {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";
  private static final int BATCH = 1000;

  private final Path work = Path.of(".local");
  private S3ProxyServer s3;
  private PackagedFunction packaged;

  private LocalRun() {}

  public static void main(String[] args) throws Exception {
    String export = System.getProperty("local.export", "");
    String score = System.getProperty("local.score", "");
    String out = System.getProperty("local.out", "");
    String orders = System.getProperty("local.orders", "");
    String ordersToday = System.getProperty("local.orders-today", "");
    LocalRun run = new LocalRun();
    Runtime.getRuntime().addShutdownHook(new Thread(run::stop));
    try {
      run.run(
          export.isBlank()
              ? Path.of("src/test/resources/reference/customers.csv")
              : Path.of(export),
          score.isBlank() ? null : Path.of(score),
          out.isBlank() ? Path.of(".local/scored.csv") : Path.of(out));
      run.runOrders(
          orders.isBlank() ? null : Path.of(orders),
          ordersToday.isBlank() ? null : Path.of(ordersToday));
      System.out.println();
      System.out.println("done; models, reports, scores and the local S3 data are under .local/s3");
    } catch (LocalRunException e) {
      System.out.println();
      System.out.println("FAILED: " + e.getMessage());
      run.stop();
      System.exit(1);
    } finally {
      run.stop();
    }
  }

  private void run(Path export, Path scoreFile, Path scoredOut) throws Exception {
    if (!Files.isRegularFile(export)) {
      throw new LocalRunException("export file not found: " + export.toAbsolutePath());
    }
    PackagedFunction.deleteTree(work.resolve("s3"));
    PackagedFunction.deleteTree(work.resolve("function"));
    Files.createDirectories(work.resolve("events"));
    packaged = PackagedFunction.unpack(Path.of("target/function.zip"), work.resolve("function"));

    System.out.println("retention-functions local run");
    s3 = S3ProxyServer.start(work.resolve("s3"));
    System.out.printf("  local S3 server (s3proxy) started, pid %d%n", s3.pid());
    s3.createBucket(BUCKET);
    System.out.printf(
        "  local S3 (s3proxy) at %s, bucket %s, objects under %s%n",
        s3.endpoint(), BUCKET, work.resolve("s3"));
    System.out.println();
    JsonNode summary =
        uploadAndRun(
            "train", "s3-put-csv.json", "exports/features/" + export.getFileName(), export);
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

    // The score function with the sample API Gateway events, then the user's customers.
    List<Path> events =
        new ArrayList<>(
            List.of(
                Path.of("events/score-single.json"),
                Path.of("events/score-batch.json"),
                Path.of("events/score-bad-request.json"),
                Path.of("events/get-model.json")));
    List<List<String>> ids = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (scoreFile != null) {
      events.addAll(scoringEvents(scoreFile, model, ids, skipped));
    }
    System.out.println();
    System.out.println("score function (QUARKUS_FUNQY_EXPORT=score):");
    List<JsonNode> responses = invoke("score", events);
    for (int i = 0; i < 4; i++) {
      printScoreResponse(events.get(i), responses.get(i));
    }
    if (scoreFile != null) {
      writeScored(responses.subList(4, responses.size()), ids, scoredOut);
      System.out.printf(
          "  scored %d customers from %s -> %s%n",
          ids.stream().mapToInt(List::size).sum(), scoreFile, scoredOut);
      if (!skipped.isEmpty()) {
        System.out.printf(
            "  skipped %d rows with bad values, first: %s%n",
            skipped.size(), skipped.subList(0, Math.min(5, skipped.size())));
      }
    }
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
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
    }
    System.out.printf("  uploaded %s -> s3://%s/%s%n", file, BUCKET, key);
    System.out.printf(
        "%s function (QUARKUS_FUNQY_EXPORT=%s), event events/%s (key replaced):%n",
        function, function, eventTemplate);
    Path event = s3Event(eventTemplate, key, file, function + "-" + file.getFileName() + ".json");
    JsonNode response = invoke(function, List.of(event)).get(0);
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

  /** Orders in, model and report out, then today's orders scored in batch. */
  private void runOrders(Path history, Path today) throws Exception {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    if (history == null) {
      history = work.resolve("orders-history.csv");
      try (Writer out = Files.newBufferedWriter(history, StandardCharsets.UTF_8)) {
        SyntheticOrders.write(out, 60_000, 6_000, yesterday.minusDays(60), 20261128L);
      }
    }
    if (today == null) {
      today = work.resolve("orders-today.csv");
      try (Writer out = Files.newBufferedWriter(today, StandardCharsets.UTF_8)) {
        SyntheticOrders.write(out, 30_000, 3_000, yesterday, 20261129L);
      }
    }
    for (Path file : List.of(history, today)) {
      if (!Files.isRegularFile(file)) {
        throw new LocalRunException("orders file not found: " + file.toAbsolutePath());
      }
    }
    System.out.println();
    JsonNode summary =
        uploadAndRun(
            "train",
            "s3-put-orders-csv-gz.json",
            "exports/orders/" + history.getFileName(),
            history);
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
    Path report = work.resolve("report.html");
    download("models/default/" + summary.get("version").asText() + "/report.html", report);
    System.out.println("  report: " + report.toAbsolutePath());

    System.out.println();
    JsonNode scored =
        uploadAndRun(
            "batch-score", "s3-put-score-csv.json", "exports/score/" + today.getFileName(), today);
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
    List<String> lines = Files.readAllLines(scores);
    for (String line : lines.subList(0, Math.min(6, lines.size()))) {
      System.out.println("    " + line);
    }
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
    System.out.println(
        "  segment  size    share  repurchase  predicted  name (action at high churn risk)");
    for (JsonNode s : model.get("segments")) {
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

  private static void printScoreResponse(Path event, JsonNode response) throws IOException {
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
      Path file, JsonNode model, List<List<String>> ids, List<String> skipped) throws IOException {
    List<String> features = new ArrayList<>();
    model.get("features").forEach(f -> features.add(f.get("name").asText()));
    List<Path> events = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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
      for (String[] row = csv.next(); row != null; row = csv.next()) {
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
        if (batch.size() == BATCH) {
          events.add(batchEvent(events.size(), batch));
          ids.add(batchIds);
          batch = MAPPER.createArrayNode();
          batchIds = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        events.add(batchEvent(events.size(), batch));
        ids.add(batchIds);
      }
    }
    return events;
  }

  private Path batchEvent(int index, ArrayNode customers) throws IOException {
    ObjectNode event = (ObjectNode) MAPPER.readTree(Path.of("events/score-batch.json").toFile());
    ObjectNode body = MAPPER.createObjectNode();
    body.set("customers", customers);
    event.put("body", body.toString());
    Path path = work.resolve("events/score-file-" + index + ".json");
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
            List.of(),
            LambdaJavaRuntime.class.getName(),
            args,
            log);
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
