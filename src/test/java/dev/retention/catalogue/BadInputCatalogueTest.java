package dev.retention.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.data.CsvTokenizer;
import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.data.ExportSchema;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.IdRules;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersDialect;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.data.ReadResult;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.functions.S3Event;
import dev.retention.model.ModelJson;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.score.CustomerLookup;
import dev.retention.service.score.HttpResult;
import dev.retention.service.score.ModelCache;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.score.ScoreSettings;
import dev.retention.service.train.HandOff;
import dev.retention.service.train.TrainSettings;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ScoreIndex;
import dev.retention.storage.ScoreIndexWriter;
import dev.retention.testing.OrdersModels;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The README's catalogue of bad inputs ("Bad inputs and their answers"): one test per row, and a
 * check that the README's table lists exactly these rows. Exports go through the real readers,
 * events through the train service on a real S3-compatible server, score requests through the score
 * API over a model published there.
 */
class BadInputCatalogueTest {

  /** One row of the catalogue; {@code check} fails unless the product gives {@code answer}. */
  record Case(String area, String input, String answer, Check check) {
    @Override
    public String toString() {
      return area + ": " + input;
    }
  }

  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";
  private static S3ProxyServer server;
  private static S3Client s3;
  private static TrainingService training;
  private static ScoreApi api;
  private static ScoreApi noModelApi;

  @BeforeAll
  static void start() throws IOException {
    server = S3ProxyServer.start(Files.createTempDirectory("catalogue"));
    server.createBucket(BUCKET);
    server.createBucket("other-bucket");
    s3 = server.client();
    ModelStore store = new ModelStore(new Bucket(s3, BUCKET), "models/", "default");
    // The event rows train under a model name of their own, never replacing the scored model.
    training =
        new TrainingService(
            new ModelStore(new Bucket(s3, BUCKET), "models/", "events"),
            TrainSettings.defaults().withOptions(TrainingOptions.defaults().withK(3)),
            Clock.systemUTC());
    ReferenceData reference = ReferenceData.load();
    RetentionModel model =
        new Trainer(
                TrainingOptions.defaults()
                    .withK(3)
                    .withLog1pColumns(List.of("monetary"))
                    .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", "catalogue-v1", Instant.EPOCH));
    store.publish(model, ReportHtml.render(model));
    ScoreSettings settings =
        new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 3, 4096);
    api =
        new ScoreApi(
            new ModelCache(store, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
            settings);
    ModelStore empty = new ModelStore(new Bucket(s3, BUCKET), "models/", "nothing-here");
    noModelApi =
        new ScoreApi(
            new ModelCache(empty, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
            settings);
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  // ---------------------------------------------------------------- feature exports

  /** 200 good rows, so that one bad row stays under the 1 % limit. */
  private static String goodFeatures() {
    StringBuilder csv = new StringBuilder("customer_id,a,b,repurchased\n");
    for (int i = 0; i < 200; i++) {
      csv.append("C").append(i).append(',').append(i % 17).append(',').append(i % 5).append(',');
      csv.append(i % 2).append('\n');
    }
    return csv.toString();
  }

  private static ReadResult features(byte[] bytes, String key, ExportSchema schema)
      throws IOException {
    return FeatureExportReader.read(
        new ByteArrayInputStream(bytes), ExportFormat.of(key).orElseThrow(), schema);
  }

  private static ReadResult features(String text) throws IOException {
    return features(text.getBytes(StandardCharsets.UTF_8), "x.csv", ExportSchema.defaults());
  }

  private static Check featureRowRejected(String badLine, String reason) {
    return () -> {
      ReadResult r = features(goodFeatures() + badLine + "\n");
      assertEquals(1, r.rowsRejected());
      assertEquals(200, r.features().rows(), "the good rows are kept");
      assertEquals(List.of("line 202" + reason), r.rejections());
    };
  }

  private static Check featureReadFails(byte[] bytes, String key, String message) {
    return () -> {
      ExportException e =
          assertThrows(ExportException.class, () -> features(bytes, key, ExportSchema.defaults()));
      assertTrue(e.getMessage().contains(message), e.getMessage());
    };
  }

  private static Check featureReadFails(String text, String message) {
    return featureReadFails(text.getBytes(StandardCharsets.UTF_8), "x.csv", message);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String jsonLines() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      out.append("{\"customer_id\":\"C").append(i).append("\",\"a\":").append(i % 17);
      out.append(",\"b\":").append(i % 5).append(",\"repurchased\":").append(i % 2).append("}\n");
    }
    return out.toString();
  }

  private static Check jsonRowRejected(String badLine, String reason) {
    return () -> {
      ReadResult r =
          features(
              (jsonLines() + badLine + "\n").getBytes(StandardCharsets.UTF_8),
              "x.jsonl",
              ExportSchema.defaults());
      assertEquals(1, r.rowsRejected());
      assertEquals(List.of("line 201: " + reason), r.rejections());
    };
  }

  private static Check tooFewToTrain(int rows, String message) {
    return () -> {
      ReadResult r =
          features(goodFeatures().lines().limit(rows + 1).reduce("", (a, b) -> a + b + "\n"));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new Trainer(TrainingOptions.defaults())
                      .train(
                          Trainer.Input.of(r.features(), r.labels(), "repurchased"),
                          new Trainer.Identity("d", "v", Instant.EPOCH)));
      assertTrue(e.getMessage().contains(message), e.getMessage());
    };
  }

  // ---------------------------------------------------------------- orders exports

  private static String goodOrders() {
    StringBuilder csv = new StringBuilder("customer_id,order_id,order_date,amount,items,status\n");
    for (int i = 0; i < 200; i++) {
      csv.append("c").append(i % 40).append(",o").append(i).append(",2026-0");
      csv.append(1 + i % 9).append("-1").append(i % 9).append(',').append(10 + i % 7);
      csv.append(",1,paid\n");
    }
    return csv.toString();
  }

  private static OrderExportReader.Result orders(String text) throws IOException {
    return OrderExportReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ExportFormat.of("x.csv").orElseThrow(),
        OrdersSchema.defaults(),
        LocalDate.of(2026, 11, 28));
  }

  private static Check orderRowRejected(String badLine, String reason) {
    return () -> {
      OrderExportReader.Result r = orders(goodOrders() + badLine + "\n");
      assertEquals(1, r.rowsRejected());
      assertEquals(List.of("line 202" + reason), r.rejections());
    };
  }

  private static Check ordersFail(String text, String message) {
    return () -> {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () -> {
                OrderExportReader.Result r = orders(text);
                RfmFeatures.forTraining(r.book(), r.columns(), RfmOptions.defaults());
              });
      assertTrue(e.getMessage().contains(message), e.getMessage());
    };
  }

  private static Check ordersCounted(
      String extra, java.util.function.ToLongFunction<RfmFeatures.Counts> count, long expected) {
    return () -> {
      OrderExportReader.Result r = orders(goodOrders() + extra);
      RfmFeatures.Counts counts =
          RfmFeatures.forTraining(
                  r.book(), r.columns(), new RfmOptions(60, LocalDate.of(2026, 6, 30)))
              .counts();
      assertEquals(expected, count.applyAsLong(counts), counts.toString());
    };
  }

  private static Check ordersCutoffFails(LocalDate cutoff, String message) {
    return () -> {
      OrderExportReader.Result r = orders(goodOrders());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RfmFeatures.forTraining(r.book(), r.columns(), new RfmOptions(90, cutoff)));
      assertTrue(e.getMessage().contains(message), e.getMessage());
    };
  }

  /** A censored window, allowed: trained, with the warning in the model, summary and report. */
  private static void censoredWindowTrainsWithAWarning() throws IOException {
    StringBuilder csv = new StringBuilder("customer_id,order_id,order_date,amount\n");
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 12_000; i++) {
      LocalDate day = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(300));
      csv.append("k").append(i % 1500).append(",o").append(i).append(',').append(day);
      csv.append(',').append(5 + random.nextInt(90)).append('\n');
    }
    put("exports/orders/censored.csv", csv.toString());
    TrainingService censored =
        new TrainingService(
            new ModelStore(new Bucket(s3, BUCKET), "models/", "censored"),
            TrainSettings.defaults()
                .withOptions(TrainingOptions.defaults().withK(3))
                .withRfm(new RfmOptions(90, LocalDate.of(2026, 9, 1), true)),
            Clock.systemUTC());
    TrainSummary s =
        censored.handle(List.of(S3ObjectRef.current(BUCKET, "exports/orders/censored.csv"))).get(0);
    assertEquals(TrainSummary.Status.TRAINED, s.status(), s.toString());
    String warning = "of its 90 days are observed";
    assertTrue(s.warnings().stream().anyMatch(w -> w.contains(warning)), s.warnings().toString());
    RetentionModel model =
        dev.retention.model.ModelJson.read(
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(s.modelKey())).asByteArray());
    assertTrue(model.provenance().warnings().stream().anyMatch(w -> w.contains(warning)));
    assertTrue(model.derivation().warnings().get(0).contains(warning));
    String report =
        s3.getObjectAsBytes(
                b -> b.bucket(BUCKET).key("models/censored/" + s.version() + "/report.html"))
            .asUtf8String();
    assertTrue(report.contains(warning), "the report says so");
  }

  // ---------------------------------------------------------------- events

  private static TrainSummary trainEvent(S3ObjectRef object) {
    return training.handle(List.of(object)).get(0);
  }

  private static Check skipped(S3ObjectRef object, String reason) {
    return () -> {
      TrainSummary s = trainEvent(object);
      assertEquals(TrainSummary.Status.SKIPPED, s.status());
      assertTrue(s.reason().contains(reason), s.reason());
    };
  }

  private static TrainingService service(String modelName, HandOff handOff) {
    return new TrainingService(
        new ModelStore(new Bucket(s3, BUCKET), "models/", modelName),
        TrainSettings.defaults().withOptions(TrainingOptions.defaults().withK(3)),
        Clock.systemUTC(),
        dev.retention.service.EmfMetrics.disabled(),
        handOff);
  }

  private static Check heldBelowTheFloors() {
    return () -> {
      StringBuilder zeros = new StringBuilder("customer_id,a,b,repurchased\n");
      for (int i = 0; i < 1000; i++) {
        zeros.append("C").append(i).append(",0,0,").append(i % 2).append('\n');
      }
      put("exports/features/zeros.csv", zeros.toString());
      ModelStore floors = new ModelStore(new Bucket(s3, BUCKET), "models/", "floors");
      TrainSummary s =
          service("floors", HandOff.never())
              .handle(List.of(S3ObjectRef.current(BUCKET, "exports/features/zeros.csv")))
              .get(0);
      assertEquals("HELD_BY_QUALITY_GATE", s.latest(), s.qualityGate());
      assertTrue(s.qualityGate().contains("floors"), s.qualityGate());
      assertFalse(floors.hasLatest(), "never latest");
    };
  }

  private static Check textLimit() {
    return () -> {
      s3.putObject(
          b -> b.bucket(BUCKET).key("exports/features/expands.csv.gz"),
          RequestBody.fromBytes(gzip(goodFeatures().repeat(200).getBytes(StandardCharsets.UTF_8))));
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  service("text-limit", new HandOff(Long.MAX_VALUE, 5, List.of(), null, 100_000))
                      .handle(
                          List.of(S3ObjectRef.current(BUCKET, "exports/features/expands.csv.gz"))));
      assertTrue(e.getMessage().contains("retention.export.max-text-bytes"), e.getMessage());
    };
  }

  private static Check alteredModel() {
    return () -> {
      ModelStore store = new ModelStore(new Bucket(s3, BUCKET), "models/", "altered");
      ReferenceData reference = ReferenceData.load();
      RetentionModel model =
          new Trainer(
                  TrainingOptions.defaults()
                      .withK(3)
                      .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)))
              .train(
                  Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                  new Trainer.Identity("altered", "altered-v1", Instant.EPOCH));
      store.publish(model, ReportHtml.render(model));
      String key = "models/altered/altered-v1.json";
      var json =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
      var classifier = (com.fasterxml.jackson.databind.node.ObjectNode) json.get("classifier");
      classifier.put("intercept", classifier.get("intercept").asDouble() + 1);
      put(key, MAPPER.writeValueAsString(json));
      ScoreApi cold =
          new ScoreApi(
              new ModelCache(
                  store, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
              new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 3, 4096));
      answers(cold, "POST", "/score", "{\"features\":" + OK + "}", 503, "no_model", null).run();
      HttpResult r = cold.handle("GET", "/model", null);
      assertTrue(r.body().contains("SHA-256"), r.body());
    };
  }

  private static void put(String key, String text) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text));
  }

  private static S3Event event(String json) throws IOException {
    return MAPPER.readValue(json, S3Event.class);
  }

  // ---------------------------------------------------------------- score requests

  private static final String OK =
      "{\"recency_days\":12,\"frequency\":9,\"monetary\":64.5,\"tenure_days\":410,"
          + "\"avg_gap_days\":38,\"sessions_30d\":7,\"returns_rate\":0.04}";

  private static Check answers(
      ScoreApi target,
      String method,
      String path,
      String body,
      int status,
      String code,
      String field) {
    return () -> {
      HttpResult r = target.handle(method, path, body);
      assertEquals(status, r.status(), r.body());
      var error = MAPPER.readTree(r.body()).get("error");
      assertEquals(code, error.get("code").asText(), r.body());
      if (field != null) {
        assertEquals(field, error.get("field").asText(), r.body());
      }
      assertFalse(r.body().contains("at dev.retention"), "no stack trace");
    };
  }

  private static Check answers(String body, String code, String field) {
    return answers(api, "POST", "/score", body, 400, code, field);
  }

  static Stream<Case> cases() {
    String big = "x".repeat(5000);
    byte[] bomb =
        gzip(
            ("customer_id,a,repurchased\n" + "C1,1,1\n".repeat(20_000_000))
                .getBytes(StandardCharsets.UTF_8));
    byte[] goodGzip = gzip(goodFeatures().getBytes(StandardCharsets.UTF_8));
    byte[] cutGzip = java.util.Arrays.copyOf(goodGzip, goodGzip.length / 2);
    List<Case> c = new ArrayList<>();
    // Feature exports.
    c.add(
        new Case(
            "feature export",
            "an empty file",
            "read fails: the export is empty: no header line",
            featureReadFails("", "the export is empty: no header line")));
    c.add(
        new Case(
            "feature export",
            "a header and no rows",
            "read fails: the export has a header but no data rows",
            featureReadFails("customer_id,a,repurchased\n", "header but no data rows")));
    c.add(
        new Case(
            "feature export",
            "a column named twice",
            "read fails naming the column",
            featureReadFails("customer_id,a,a,repurchased\nC1,1,2,1\n", "names column 'a' twice")));
    c.add(
        new Case(
            "feature export",
            "an empty column name",
            "read fails: a column of the header has no name (named by position)",
            featureReadFails(
                "customer_id,,repurchased\nC1,1,1\n", "column 2 of the header has no name")));
    c.add(
        new Case(
            "feature export",
            "no label column",
            "read fails naming the label column and the columns found",
            featureReadFails(
                "customer_id,a\nC1,1\n",
                "label column 'repurchased' is not in the export's columns")));
    c.add(
        new Case(
            "feature export",
            "no numeric feature column",
            "read fails naming id, label and columns",
            featureReadFails(
                "customer_id,name,repurchased\nC1,Ann,1\n", "no numeric feature column")));
    c.add(
        new Case(
            "feature export",
            "label `maybe`",
            "row rejected: line, column, problem (not the value)",
            featureRowRejected(
                "X,1,2,maybe", ", column 'repurchased': label must be 1/0, true/false or yes/no")));
    c.add(
        new Case(
            "feature export",
            "treatment `maybe` (retention.export.treatment-column set)",
            "row rejected: line, column, problem (not the value)",
            () -> {
              String good = goodFeatures().replace("repurchased\n", "repurchased,treated\n");
              StringBuilder csv = new StringBuilder();
              for (String line : good.split("\n")) {
                csv.append(line);
                if (!line.startsWith("customer_id")) {
                  csv.append(',').append(line.hashCode() % 2 == 0 ? "1" : "0");
                }
                csv.append('\n');
              }
              csv.append("X,1,2,1,maybe-7\n");
              ReadResult r =
                  features(
                      csv.toString().getBytes(StandardCharsets.UTF_8),
                      "x.csv",
                      ExportSchema.defaults().withTreatment(ExportSchema.Treatment.of("treated")));
              assertEquals(1, r.rowsRejected());
              assertEquals(200, r.treatment().length, "the good rows are kept");
              assertEquals(
                  List.of(
                      "line 202, column 'treated': treatment is not one of the declared values"
                          + " (retention.export.treated-values, control-values,"
                          + " outside-treatment-values)"),
                  r.rejections());
            }));
    c.add(
        new Case(
            "feature export",
            "no treatment column (retention.export.treatment-column set)",
            "read fails naming the column, the setting and the columns found",
            () -> {
              ExportException e =
                  assertThrows(
                      ExportException.class,
                      () ->
                          features(
                              goodFeatures().getBytes(StandardCharsets.UTF_8),
                              "x.csv",
                              ExportSchema.defaults()
                                  .withTreatment(ExportSchema.Treatment.of("treated"))));
              assertTrue(
                  e.getMessage()
                      .contains(
                          "treatment column 'treated' (retention.export.treatment-column) is not"
                              + " in the export's columns [customer_id, a, b, repurchased]"),
                  e.getMessage());
            }));
    c.add(
        new Case(
            "feature export",
            "feature `abc`",
            "row rejected: not a number",
            featureRowRejected("X,abc,2,1", ", column 'a': not a number")));
    c.add(
        new Case(
            "feature export",
            "a feature left empty",
            "row rejected: missing value",
            featureRowRejected("X,,2,1", ", column 'a': missing value")));
    c.add(
        new Case(
            "feature export",
            "feature `NaN`, `Infinity`, `0x1p4` or `10d`",
            "row rejected: not a number (one grammar: decimals with an optional exponent)",
            () -> {
              for (String bad : List.of("NaN", "Infinity", "0x1p4", "10d", "10f")) {
                featureRowRejected("X," + bad + ",2,1", ", column 'a': not a number").run();
              }
            }));
    c.add(
        new Case(
            "feature export",
            "feature `1e999`",
            "row rejected: not a finite number",
            featureRowRejected("X,1e999,2,1", ", column 'a': not a finite number")));
    c.add(
        new Case(
            "feature export",
            "feature `1e308` (beyond ±1e100)",
            "row rejected: beyond the largest magnitude a value may have",
            featureRowRejected(
                "X,1e308,2,1",
                ", column 'a': beyond the largest magnitude a value may have (1e100)")));
    c.add(
        new Case(
            "feature export",
            "a row with too many fields",
            "row rejected: field count",
            featureRowRejected("X,1,2,1,9", ": 5 fields where the header has 4")));
    c.add(
        new Case(
            "feature export",
            "a quoted field never closed",
            "read fails naming the line",
            featureReadFails(
                goodFeatures() + "X,\"1,2,1\n", "line 202: a quoted field is not closed")));
    c.add(
        new Case(
            "feature export",
            "more than 1 % bad rows",
            "read fails, nothing trained; the first reasons without values",
            featureReadFails(
                goodFeatures() + "X,a,2,1\nY,b,2,1\nZ,c,2,1\n",
                "3 of 203 rows (1.48%) were rejected")));
    c.add(
        new Case(
            "feature export",
            "a line over 1 MiB",
            "read fails naming retention.export.max-line-bytes",
            featureReadFails(
                goodFeatures() + "X,\"" + "1".repeat(1_100_000) + "\",2,1\n",
                "retention.export.max-line-bytes")));
    c.add(
        new Case(
            "feature export",
            "a gzip bomb (expands 1000 times)",
            "read fails naming retention.export.max-gzip-ratio",
            featureReadFails(bomb, "x.csv.gz", "retention.export.max-gzip-ratio")));
    c.add(
        new Case(
            "feature export",
            "a gzip file cut in half",
            "read fails (unexpected end of the gzip stream)",
            () -> {
              IOException e =
                  assertThrows(
                      IOException.class,
                      () -> features(cutGzip, "x.csv.gz", ExportSchema.defaults()));
              assertTrue(
                  e.getMessage().contains("end of ZLIB input stream")
                      || e.getMessage().contains("EOF"),
                  e.getMessage());
            }));
    c.add(
        new Case(
            "feature export",
            "bytes that are not UTF-8 in a row",
            "row rejected: not valid UTF-8; the other rows are kept",
            () -> {
              byte[] bytes = (goodFeatures() + "X,1,2,1\n").getBytes(StandardCharsets.UTF_8);
              bytes[bytes.length - 8] = (byte) 0xC3; // the id: a lead byte followed by ASCII
              ReadResult r = features(bytes, "x.csv", ExportSchema.defaults());
              assertEquals(List.of("line 202: not valid UTF-8"), r.rejections());
              assertEquals(200, r.features().rows());
            }));
    c.add(
        new Case(
            "feature export",
            "a byte-order mark and CRLF line ends",
            "read as usual",
            () -> {
              ReadResult r = features("\uFEFF" + goodFeatures().replace("\n", "\r\n"));
              assertEquals(200, r.features().rows());
              assertEquals(0, r.rowsRejected());
            }));
    c.add(
        new Case(
            "feature export",
            "JSON Lines: a malformed line",
            "row rejected: malformed JSON",
            jsonRowRejected("{\"customer_id\": \"X\", \"a\": ", "malformed JSON")));
    c.add(
        new Case(
            "feature export",
            "JSON Lines: a nested value",
            "row rejected naming the field",
            jsonRowRejected(
                "{\"customer_id\":\"X\",\"a\":{\"v\":1},\"b\":1,\"repurchased\":1}",
                "field 'a' holds a nested value")));
    c.add(
        new Case(
            "feature export",
            "JSON Lines: a line that is not an object",
            "row rejected: not a JSON object",
            jsonRowRejected("[1,2,3]", "not a JSON object")));
    c.add(
        new Case(
            "feature export",
            "fewer than 500 customers",
            "training fails naming retention.train.minimum.customers",
            tooFewToTrain(120, "retention.train.minimum.customers")));
    c.add(
        new Case(
            "feature export",
            "fewer than 50 customers of one class",
            "training fails naming retention.train.minimum.per-class",
            () -> {
              ReferenceData ref = ReferenceData.load();
              int[] labels = new int[ref.labels.length];
              java.util.Arrays.fill(labels, 1);
              labels[0] = 0;
              IllegalArgumentException e =
                  assertThrows(
                      IllegalArgumentException.class,
                      () ->
                          new Trainer(TrainingOptions.defaults())
                              .train(
                                  Trainer.Input.of(ref.features, labels, "y"),
                                  new Trainer.Identity("d", "v", Instant.EPOCH)));
              assertTrue(
                  e.getMessage().contains("retention.train.minimum.per-class"), e.getMessage());
            }));
    c.add(
        new Case(
            "feature export",
            "a first line that is data (no header line)",
            "read fails: the first line looks like data; the columns expected, never its cells",
            () -> {
              ExportException e =
                  assertThrows(
                      ExportException.class,
                      () -> features("C-SECRET-1,12.5,3,1\n" + goodFeatures()));
              assertTrue(
                  e.getMessage().startsWith("the first line looks like data"), e.getMessage());
              assertTrue(e.getMessage().contains("'repurchased'"), e.getMessage());
              assertFalse(e.getMessage().contains("C-SECRET-1"), e.getMessage());
              assertFalse(e.getMessage().contains("12.5"), e.getMessage());
            }));
    c.add(
        new Case(
            "feature export",
            "columns `monetary` and `Monetary`",
            "read fails naming both (allow-case-collisions=true reads both)",
            featureReadFails(
                "customer_id,monetary,Monetary,repurchased\nC1,1,2,1\n",
                "columns 'monetary' and 'Monetary' differ only by case")));
    c.add(
        new Case(
            "feature export",
            "a `;`-separated export read with the default `,`",
            "read fails naming retention.export.delimiter",
            featureReadFails(
                "customer_id;a;b;repurchased\nC1;1,5;2;1\n", "set retention.export.delimiter=;")));
    c.add(
        new Case(
            "feature export",
            "a decimal comma (`\"12,5\"`) read with the default `.`",
            "row rejected: not a number, naming retention.export.decimal-separator",
            featureRowRejected(
                "X,\"12,5\",2,1",
                ", column 'a': not a number (a decimal ','? set"
                    + " retention.export.decimal-separator=,)")));
    c.add(
        new Case(
            "feature export",
            "more than 1,000 columns (a 260 KB gzip of 120,000)",
            "read fails naming retention.export.max-columns",
            () -> {
              StringBuilder wide = new StringBuilder("customer_id");
              for (int i = 0; i < 120_000; i++) {
                wide.append(",f").append(i);
              }
              byte[] gz = gzip((wide + ",repurchased\n").getBytes(StandardCharsets.UTF_8));
              featureReadFails(gz, "wide.csv.gz", "retention.export.max-columns").run();
            }));
    c.add(
        new Case(
            "feature export",
            "a customer id on two rows",
            "read fails naming the lines, never the id (duplicate-ids=MEAN averages the rows)",
            featureReadFails(
                goodFeatures() + "C7,1,2,1\n",
                "1 row repeats a customer id of an earlier row (line 202 repeats the id of line"
                    + " 9)")));
    c.add(
        new Case(
            "feature export",
            "a row without a customer id",
            "row rejected: missing value (guest-rows=SKIP skips and counts it)",
            featureRowRejected(",1,2,1", ", column 'customer_id': missing value")));
    c.add(
        new Case(
            "feature export",
            "JSON Lines: a key twice in one object",
            "row rejected naming the key",
            jsonRowRejected(
                "{\"customer_id\":\"X\",\"a\":1,\"a\":2,\"b\":1,\"repurchased\":1}",
                "key 'a' appears twice in the object")));
    c.add(
        new Case(
            "feature export",
            "JSON Lines: a feature key first seen after the 100th object",
            "read fails naming the key, its line and include-columns / exclude-columns",
            featureReadFails(
                (jsonLines()
                        + "{\"customer_id\":\"X\",\"a\":1,\"b\":1,\"late\":3,\"repurchased\":1}\n")
                    .getBytes(StandardCharsets.UTF_8),
                "x.jsonl",
                "line 201: key 'late' first appears after the first 100 objects")));
    c.add(
        new Case(
            "feature export",
            "JSON Lines: a byte-order mark before the first object",
            "read as usual: the first row is kept",
            () -> {
              ReadResult r =
                  features(
                      ("\uFEFF" + jsonLines()).getBytes(StandardCharsets.UTF_8),
                      "x.jsonl",
                      ExportSchema.defaults());
              assertEquals(200, r.features().rows());
              assertEquals(0, r.rowsRejected());
            }));
    // Orders exports.
    c.add(
        new Case(
            "orders export",
            "retention.export.treatment-column set",
            "training fails naming the setting: a treatment is a feature export's column",
            () -> {
              put(
                  "exports/orders/treated.csv",
                  "customer_id,order_id,order_date,amount\nk1,o1,2026-01-02,10\n");
              TrainingService treated =
                  new TrainingService(
                      new ModelStore(new Bucket(s3, BUCKET), "models/", "treated"),
                      TrainSettings.defaults()
                          .withSchema(
                              ExportSchema.defaults()
                                  .withTreatment(ExportSchema.Treatment.of("treated"))),
                      Clock.systemUTC());
              RuntimeException e =
                  assertThrows(
                      RuntimeException.class,
                      () ->
                          treated.handle(
                              List.of(S3ObjectRef.current(BUCKET, "exports/orders/treated.csv"))));
              assertTrue(
                  e.getMessage().contains("retention.export.treatment-column is set"),
                  e.getMessage());
            }));
    c.add(
        new Case(
            "orders export",
            "no order_date column",
            "read fails naming the column and the columns found",
            ordersFail(
                "customer_id,order_id,amount\nc1,o1,5\n", "no order date column 'order_date'")));
    c.add(
        new Case(
            "orders export",
            "date `2026-13-01`",
            "row rejected: not a date",
            orderRowRejected(
                "c1,ox,2026-13-01,5,1,paid", ", column 'order_date': not a date (yyyy-MM-dd)")));
    c.add(
        new Case(
            "orders export",
            "a date after the day the export was written (+1 day of slack)",
            "row rejected: a future date",
            orderRowRejected(
                "c1,ox,2027-01-01,5,1,paid",
                ", column 'order_date': a future date, after 2026-11-28")));
    c.add(
        new Case(
            "orders export",
            "amount `ten` or `0x1p4`",
            "row rejected: not a number",
            () -> {
              for (String bad : List.of("ten", "0x1p4", "10d")) {
                orderRowRejected(
                        "c1,ox,2026-05-01," + bad + ",1,paid", ", column 'amount': not a number")
                    .run();
              }
            }));
    c.add(
        new Case(
            "orders export",
            "amount `-1e308` (beyond ±1e100)",
            "row rejected: beyond the largest magnitude a value may have",
            orderRowRejected(
                "c1,ox,2026-05-01,-1e308,1,paid",
                ", column 'amount': beyond the largest magnitude a value may have (1e100)")));
    c.add(
        new Case(
            "orders export",
            "items `-2`",
            "row rejected: not a non-negative number",
            orderRowRejected(
                "c1,ox,2026-05-01,5,-2,paid", ", column 'items': not a non-negative number")));
    c.add(
        new Case(
            "orders export",
            "no customer id (a guest order)",
            "skipped and counted as a guest row, not a bad row; with guest-rows=REJECT a bad row",
            () -> {
              OrderExportReader.Result r = orders(goodOrders() + ",ox,2026-05-01,5,1,paid\n");
              assertEquals(0, r.rowsRejected());
              assertEquals(1, r.guestRows());
              OrderExportReader.Result strict =
                  OrderExportReader.read(
                      new ByteArrayInputStream(
                          (goodOrders() + ",ox,2026-05-01,5,1,paid\n")
                              .getBytes(StandardCharsets.UTF_8)),
                      ExportFormat.of("x.csv").orElseThrow(),
                      OrdersSchema.defaults()
                          .withIds(
                              new IdRules(IdRules.GuestRows.REJECT, IdRules.Normalisation.EXACT)),
                      LocalDate.of(2026, 11, 28));
              assertEquals(
                  List.of("line 202, column 'customer_id': missing value"), strict.rejections());
            }));
    c.add(
        new Case(
            "orders export",
            "the same order twice (grain ORDER)",
            "the repeat is ignored and counted",
            ordersCounted(
                "c0,o0,2026-01-10,10,1,paid\n", RfmFeatures.Counts::duplicateOrderRowsIgnored, 1)));
    c.add(
        new Case(
            "orders export",
            "a customer with refunds only",
            "left out and counted",
            ordersCounted(
                "zz,r1,2026-02-01,20,1,refunded\n", RfmFeatures.Counts::customersRefundsOnly, 1)));
    c.add(
        new Case(
            "orders export",
            "a customer with zero-amount orders only",
            "left out and counted",
            ordersCounted(
                "zz,z1,2026-02-01,0,1,paid\n", RfmFeatures.Counts::customersZeroAmountOnly, 1)));
    c.add(
        new Case(
            "orders export",
            "a history shorter than the label window",
            "derivation fails: export a longer history or set the cutoff",
            ordersFail(
                "customer_id,order_id,order_date,amount\nc1,o1,2026-05-01,5\nc2,o2,2026-05-20,5\n",
                "shorter than the 90-day label window")));
    c.add(
        new Case(
            "orders export",
            "a line over 1 MiB",
            "read fails naming retention.export.max-line-bytes",
            ordersFail(
                goodOrders() + "c1,\"" + "o".repeat(1_100_000) + "\",2026-05-01,5,1,paid\n",
                "retention.export.max-line-bytes")));
    c.add(
        new Case(
            "orders export",
            "time `T25:00`, `T10:61`, offset `+19:00` or text after the `T`",
            "row rejected: not a date",
            () -> {
              for (String bad :
                  List.of(
                      "2026-05-01T25:00",
                      "2026-05-01T10:61",
                      "2026-05-01T10:00+19:00",
                      "2026-05-01Tx")) {
                orderRowRejected(
                        "c1,ox," + bad + ",5,1,paid",
                        ", column 'order_date': not a date (yyyy-MM-dd)")
                    .run();
              }
            }));
    c.add(
        new Case(
            "orders export",
            "dates `12/1/2010 8:26` without retention.orders.date-formats",
            "row rejected: not a date (yyyy-MM-dd); read with date-formats=M/d/yyyy H:mm",
            () -> {
              orderRowRejected(
                      "c1,ox,12/1/2010 8:26,5,1,paid",
                      ", column 'order_date': not a date (yyyy-MM-dd)")
                  .run();
              OrderExportReader.Result r =
                  OrderExportReader.read(
                      new ByteArrayInputStream(
                          (goodOrders() + "c1,ox,5/1/2026 8:26,5,1,paid\n")
                              .getBytes(StandardCharsets.UTF_8)),
                      ExportFormat.of("x.csv").orElseThrow(),
                      OrdersSchema.defaults()
                          .withDates(
                              new OrdersSchema.Dates(List.of("yyyy-MM-dd", "M/d/yyyy H:mm"), null)),
                      LocalDate.of(2026, 11, 28));
              assertEquals(0, r.rowsRejected(), r.rejections().toString());
            }));
    c.add(
        new Case(
            "orders export",
            "no header, columns padded with spaces (CDNOW's master file ` 00001 19970101  1   11.77`)",
            "read fails: the first line looks like data; never its cells (such files cannot be read:"
                + " no setting for columns by position or runs of spaces)",
            () -> {
              ExportException e =
                  assertThrows(
                      ExportException.class,
                      () -> orders(" 00917 19970311  2   31.48\n 00918 19970312  1   12.00\n"));
              assertTrue(
                  e.getMessage().startsWith("the first line looks like data"), e.getMessage());
              assertFalse(e.getMessage().contains("00917"), e.getMessage());
              assertFalse(e.getMessage().contains("31.48"), e.getMessage());
            }));
    c.add(
        new Case(
            "orders export",
            "an order's further lines without its amount and status (Shopify), grain ORDER",
            "read fails: missing value by line and column, naming order-cells=ONE_ROW (which reads"
                + " them as the order's further lines)",
            () -> {
              StringBuilder lines = new StringBuilder(goodOrders());
              for (int i = 0; i < 10; i++) {
                lines
                    .append("s")
                    .append(i)
                    .append(",#")
                    .append(i)
                    .append(",2026-03-02,30,1,paid\n");
                lines.append("s").append(i).append(",#").append(i).append(",2026-03-02,,2,\n");
              }
              ExportException e =
                  assertThrows(ExportException.class, () -> orders(lines.toString()));
              assertTrue(e.getMessage().contains("column 'amount': missing value"), e.getMessage());
              assertTrue(
                  e.getMessage().contains("retention.orders.order-cells=ONE_ROW"), e.getMessage());
              OrderExportReader.Result r =
                  OrderExportReader.read(
                      new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)),
                      ExportFormat.of("x.csv").orElseThrow(),
                      OrdersSchema.defaults().withOrderCells(OrdersSchema.OrderCells.ONE_ROW),
                      LocalDate.of(2026, 11, 28));
              assertEquals(0, r.rowsRejected(), r.rejections().toString());
            }));
    c.add(
        new Case(
            "orders export",
            "customer ids ` P-77`, `P-77` and `P-77 `",
            "three customers, byte for byte (id-normalisation=TRIM merges and counts them)",
            () -> {
              OrderExportReader.Result r =
                  orders(
                      "customer_id,order_id,order_date,amount\n\" P-77\",1,2026-01-02,5\n"
                          + "P-77,2,2026-01-03,5\n\"P-77 \",3,2026-01-04,5\n");
              assertEquals(3, r.book().customers());
            }));
    c.add(
        new Case(
            "orders export",
            "a refund row repeating its order's id, before or after the purchase",
            "netted against that order: the same features in any row order",
            () -> {
              String purchase = "r1,o9,2026-02-01,40,1,paid\nr1,o10,2026-03-01,20,1,paid\n";
              String refund = "r1,o9,2026-02-03,40,1,refunded\n";
              for (String rows : List.of(purchase + refund, refund + purchase)) {
                OrderExportReader.Result r = orders(goodOrders() + rows);
                RfmFeatures.Derived d =
                    RfmFeatures.forTraining(
                        r.book(), r.columns(), new RfmOptions(60, LocalDate.of(2026, 6, 30)));
                int i = d.customerIds().indexOf("r1");
                assertEquals(
                    0.5, d.features().get(i, d.features().columns().indexOf("refund_share")));
                assertEquals(
                    20, d.features().get(i, d.features().columns().indexOf("total_spend")));
              }
            }));
    c.add(
        new Case(
            "orders export",
            "JSON Lines: a `status` key first seen after the 100th object",
            "read: its refunds count (every key of every object is read)",
            () -> {
              StringBuilder jsonl = new StringBuilder();
              for (int i = 0; i < 200; i++) {
                jsonl.append("{\"customer_id\":\"c").append(i % 40).append("\",\"order_id\":\"o");
                jsonl.append(i).append("\",\"order_date\":\"2026-02-0").append(1 + i % 9);
                jsonl.append("\",\"amount\":10").append(i == 150 ? ",\"status\":\"refunded\"" : "");
                jsonl.append("}\n");
              }
              OrderExportReader.Result r =
                  OrderExportReader.read(
                      new ByteArrayInputStream(jsonl.toString().getBytes(StandardCharsets.UTF_8)),
                      ExportFormat.of("x.jsonl").orElseThrow(),
                      OrdersSchema.defaults(),
                      LocalDate.of(2026, 11, 28));
              assertTrue(r.columns().status());
              RfmFeatures.Derived d =
                  RfmFeatures.forScoring(r.book(), r.columns(), RfmOptions.defaults());
              assertEquals(1, d.counts().ordersRefunded());
            }));
    c.add(
        new Case(
            "orders export",
            "only rows without a customer id",
            "read fails: no customer id in any row",
            () -> {
              ExportException e =
                  assertThrows(
                      ExportException.class,
                      () ->
                          orders(
                              "customer_id,order_id,order_date,amount\n,1,2026-01-02,5\n"
                                  + ",2,2026-01-03,5\n"));
              assertTrue(e.getMessage().contains("has no customer id"), e.getMessage());
            }));
    c.add(
        new Case(
            "orders export",
            "a cutoff after the export's last order",
            "derivation fails naming the cutoff, the window and the export's first and last dates",
            ordersCutoffFails(
                LocalDate.of(2026, 10, 1),
                "the cutoff 2026-10-01 is on or after the export's last order (the export's orders"
                    + " run from 2026-01-10 to 2026-09-18)")));
    c.add(
        new Case(
            "orders export",
            "a label window that runs past the export's last order",
            "derivation fails naming them; with allow-censored-window a warning in model, summary"
                + " and report",
            () -> {
              ordersCutoffFails(
                      LocalDate.of(2026, 8, 20),
                      "only 29 of its 90 days are observed; set retention.orders.cutoff to at most"
                          + " 2026-06-20")
                  .run();
              censoredWindowTrainsWithAWarning();
            }));
    // Events.
    c.add(
        new Case(
            "event",
            "an export whose features are all 0",
            "published but held below the floors (no better than no model); latest unchanged",
            heldBelowTheFloors()));
    c.add(
        new Case(
            "event",
            "a gzip whose text passes retention.export.max-text-bytes",
            "read stops: fails naming the setting (handed to Spark where configured)",
            textLimit()));
    c.add(
        new Case(
            "event",
            "a key outside the export prefixes",
            "SKIPPED: outside the export prefixes",
            skipped(
                S3ObjectRef.current(BUCKET, "reports/customers.csv"),
                "outside the export prefixes")));
    c.add(
        new Case(
            "event",
            "an unsupported suffix (`.parquet`)",
            "SKIPPED: unsupported suffix, the supported ones listed",
            skipped(
                S3ObjectRef.current(BUCKET, "exports/features/c.parquet"), "unsupported suffix")));
    c.add(
        new Case(
            "event",
            "a key with a `..` segment",
            "SKIPPED: refused, nothing read",
            skipped(S3ObjectRef.current(BUCKET, "exports/features/../models/x.csv"), "refused")));
    c.add(
        new Case(
            "event",
            "a key starting with `/`",
            "SKIPPED: refused, nothing read",
            skipped(S3ObjectRef.current(BUCKET, "/exports/features/x.csv"), "refused")));
    c.add(
        new Case(
            "event",
            "another bucket",
            "SKIPPED: not the configured bucket",
            skipped(
                S3ObjectRef.current("other-bucket", "exports/features/x.csv"),
                "not the configured bucket")));
    c.add(
        new Case(
            "event",
            "an object deleted before its event is handled",
            "SKIPPED: the object no longer exists",
            skipped(
                S3ObjectRef.current(BUCKET, "exports/features/gone.csv"),
                "the object no longer exists")));
    c.add(
        new Case(
            "event",
            "an object overwritten since its event (ETag differs)",
            "SKIPPED: superseded; the newer object's own event trains it",
            () -> {
              put("exports/features/changed.csv", goodFeatures());
              TrainSummary s =
                  trainEvent(
                      new S3ObjectRef(
                          BUCKET,
                          "exports/features/changed.csv",
                          "0123456789abcdef0123456789abcdef",
                          null,
                          null));
              assertEquals(TrainSummary.Status.SKIPPED, s.status());
              assertTrue(s.reason().startsWith("superseded"), s.reason());
            }));
    c.add(
        new Case(
            "event",
            "an `ObjectRemoved` record",
            "ignored: only created objects are handled",
            () ->
                assertEquals(
                    List.of(),
                    event(
                            "{\"Records\":[{\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"exports/features/x.csv\"}}}]}")
                        .createdObjects())));
    c.add(
        new Case(
            "event",
            "no `Records` at all",
            "nothing to do: an empty result",
            () -> assertEquals(List.of(), event("{}").createdObjects())));
    c.add(
        new Case(
            "event",
            "a URL-encoded key (`spring+sale+%C3%A9t%C3%A9.csv`)",
            "decoded as S3 encodes keys (`+` is a space)",
            () ->
                assertEquals(
                    "exports/features/spring sale été.csv",
                    event(
                            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"exports/features/spring+sale+%C3%A9t%C3%A9.csv\"}}}]}")
                        .createdObjects()
                        .get(0)
                        .key())));
    c.add(
        new Case(
            "event",
            "one bad record among good ones",
            "the others are handled; the invocation then fails naming the bad one",
            () -> {
              put(
                  "exports/features/ok.csv",
                  new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8));
              put("exports/features/bad.csv", "customer_id,a\nC1,1\n");
              var e =
                  assertThrows(
                      RuntimeException.class,
                      () ->
                          training.handle(
                              List.of(
                                  S3ObjectRef.current(BUCKET, "exports/features/bad.csv"),
                                  S3ObjectRef.current(BUCKET, "exports/features/ok.csv"))));
              assertTrue(e.getMessage().contains("exports/features/bad.csv"), e.getMessage());
              assertTrue(
                  s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("models/events/")).keyCount() >= 3,
                  "ok.csv was trained and published");
            }));
    c.add(
        new Case(
            "event",
            "`today.csv` and `today.jsonl` under exports/score/",
            "two scores keys: the export's suffix is kept (`today.csv`, `today.jsonl.csv`)",
            () -> {
              dev.retention.service.batch.BatchScoringService batch =
                  new dev.retention.service.batch.BatchScoringService(
                      new ModelStore(new Bucket(s3, BUCKET), "models/", "default"),
                      new dev.retention.service.batch.BatchSettings(
                          "exports/score/",
                          "scores/",
                          ExportSchema.defaults(),
                          OrdersSchema.defaults(),
                          ReadLimits.defaults(),
                          RfmOptions.defaults(),
                          dev.retention.service.batch.BatchSettings.Order.INPUT));
              StringBuilder jsonl = new StringBuilder();
              String csv = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8);
              List<String> lines = csv.lines().toList();
              String[] header = lines.get(0).split(",");
              for (String line : lines.subList(1, 301)) {
                String[] cells = line.split(",");
                jsonl.append("{\"customer_id\":\"").append(cells[0]).append('"');
                for (int i = 1; i < header.length; i++) {
                  jsonl.append(",\"").append(header[i]).append("\":").append(cells[i]);
                }
                jsonl.append("}\n");
              }
              put("exports/score/today.csv", String.join("\n", lines.subList(0, 301)) + "\n");
              put("exports/score/today.jsonl", jsonl.toString());
              Set<String> keys = new java.util.HashSet<>();
              for (String key : List.of("exports/score/today.csv", "exports/score/today.jsonl")) {
                keys.add(
                    batch.handle(List.of(S3ObjectRef.current(BUCKET, key))).get(0).outputKey());
              }
              assertEquals(
                  Set.of("scores/catalogue-v1/today.csv", "scores/catalogue-v1/today.jsonl.csv"),
                  keys);
            }));
    c.add(
        new Case(
            "event",
            "an outcomes export under `exports/score/outcomes/<campaign id>/` of an unknown campaign",
            "fails naming the campaign's pointer `scores/campaigns/<campaign id>.json`; nothing"
                + " written",
            () -> {
              dev.retention.service.batch.BatchScoringService batch =
                  new dev.retention.service.batch.BatchScoringService(
                      new ModelStore(new Bucket(s3, BUCKET), "models/", "default"),
                      new dev.retention.service.batch.BatchSettings(
                          "exports/score/",
                          "scores/",
                          ExportSchema.defaults(),
                          OrdersSchema.defaults(),
                          ReadLimits.defaults(),
                          RfmOptions.defaults(),
                          dev.retention.service.batch.BatchSettings.Order.INPUT));
              String key = "exports/score/outcomes/never-run/december.csv";
              put(key, "customer_id,order_id,order_date,amount\nc1,o1,2026-11-02,10\n");
              RuntimeException e =
                  assertThrows(
                      RuntimeException.class,
                      () -> batch.handle(List.of(S3ObjectRef.current(BUCKET, key))));
              assertTrue(
                  e.getMessage().contains("scores/campaigns/never-run.json"), e.getMessage());
              assertFalse(e.getMessage().contains("c1"), e.getMessage());
              assertEquals(
                  0,
                  s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("scores/campaigns/")).keyCount(),
                  "nothing written");
            }));
    c.add(
        new Case(
            "event",
            "a second, different batch of one `retention.campaign.id`",
            "fails naming retention.campaign.id and the campaign's scores file; nothing written,"
                + " the campaign's pointer unchanged",
            () -> {
              dev.retention.service.batch.BatchSettings plain =
                  new dev.retention.service.batch.BatchSettings(
                      "exports/score/",
                      "scores/",
                      ExportSchema.defaults(),
                      OrdersSchema.defaults(),
                      ReadLimits.defaults(),
                      RfmOptions.defaults(),
                      dev.retention.service.batch.BatchSettings.Order.INPUT);
              dev.retention.service.batch.BatchScoringService batch =
                  new dev.retention.service.batch.BatchScoringService(
                      new ModelStore(new Bucket(s3, BUCKET), "models/", "default"),
                      plain.withCampaign(
                          new dev.retention.service.batch.BatchSettings.Campaign(
                              "spring-2027", dev.retention.campaign.CampaignOptions.defaults())));
              String pointer =
                  "{\"schema\":\"campaign-pointer/1\",\"campaignId\":\"spring-2027\","
                      + "\"manifest\":\"scores/catalogue-v1/week-1.campaign.json\","
                      + "\"scores\":\"scores/catalogue-v1/week-1.csv\"}";
              put("scores/campaigns/spring-2027.json", pointer);
              String csv = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8);
              put(
                  "exports/score/week-2.csv",
                  String.join("\n", csv.lines().toList().subList(0, 301)));
              RuntimeException e =
                  assertThrows(
                      RuntimeException.class,
                      () ->
                          batch.handle(
                              List.of(S3ObjectRef.current(BUCKET, "exports/score/week-2.csv"))));
              assertTrue(e.getMessage().contains("retention.campaign.id"), e.getMessage());
              assertTrue(e.getMessage().contains("scores/catalogue-v1/week-1.csv"), e.getMessage());
              assertEquals(
                  0,
                  s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("scores/catalogue-v1/week-2"))
                      .keyCount(),
                  "nothing written");
              assertEquals(
                  pointer,
                  s3.getObjectAsBytes(
                          b -> b.bucket(BUCKET).key("scores/campaigns/spring-2027.json"))
                      .asUtf8String());
            }));
    // Score requests.
    c.add(
        new Case(
            "score request",
            "malformed JSON",
            "400 malformed_json",
            answers("{\"features\":", "malformed_json", null)));
    c.add(
        new Case(
            "score request", "an empty body", "400 empty_body", answers("", "empty_body", null)));
    c.add(
        new Case(
            "score request",
            "a body over max-body-bytes",
            "400 body_too_large",
            answers("{\"pad\":\"" + big + "\"}", "body_too_large", null)));
    c.add(
        new Case(
            "score request",
            "neither `features` nor `customers`",
            "400 invalid_field",
            answers("{\"nothing\":1}", "invalid_field", null)));
    c.add(
        new Case(
            "score request",
            "an unknown feature",
            "400 invalid_feature naming the field",
            answers(
                "{\"features\":" + OK.replace("}", ",\"shoe_size\":42}") + "}",
                "invalid_feature",
                "features.shoe_size")));
    c.add(
        new Case(
            "score request",
            "a missing feature",
            "400 invalid_feature naming the field",
            answers(
                "{\"features\":" + OK.replace("\"monetary\":64.5,", "") + "}",
                "invalid_feature",
                "features.monetary")));
    c.add(
        new Case(
            "score request",
            "a feature given as a string",
            "400 invalid_feature: must be a number, got string",
            answers(
                "{\"features\":" + OK.replace("64.5", "\"64.5\"") + "}",
                "invalid_feature",
                "features.monetary")));
    c.add(
        new Case(
            "score request",
            "a feature `null` in customer 2 of a batch",
            "400 naming `customers[1].features...` and the index; nothing scored",
            answers(
                "{\"customers\":[{\"features\":"
                    + OK
                    + "},{\"features\":"
                    + OK.replace("64.5", "null")
                    + "}]}",
                "invalid_feature",
                "customers[1].features.monetary")));
    c.add(
        new Case(
            "score request",
            "a value that overflows (`1e999`)",
            "400 invalid_feature: must be a finite number",
            answers(
                "{\"features\":" + OK.replace("64.5", "1e999") + "}",
                "invalid_feature",
                "features.monetary")));
    c.add(
        new Case(
            "score request",
            "a value outside a log1p feature's domain (`-3`)",
            "400 invalid_feature: must be > -1",
            answers(
                "{\"features\":" + OK.replace("64.5", "-3") + "}",
                "invalid_feature",
                "features.monetary")));
    c.add(
        new Case(
            "score request",
            "an empty batch",
            "400 empty_batch",
            answers("{\"customers\":[]}", "empty_batch", "customers")));
    c.add(
        new Case(
            "score request",
            "a batch over max-batch",
            "400 batch_too_large",
            answers(
                "{\"customers\":["
                    + ("{\"features\":" + OK + "},").repeat(3)
                    + "{\"features\":"
                    + OK
                    + "}]}",
                "batch_too_large",
                "customers")));
    c.add(
        new Case(
            "score request",
            "`customerId` as an object",
            "400 invalid_field naming the field",
            answers(
                "{\"customerId\":{\"x\":1},\"features\":" + OK + "}",
                "invalid_field",
                "customerId")));
    c.add(
        new Case(
            "score request",
            "an unknown route",
            "404 not_found",
            answers(api, "GET", "/nope", null, 404, "not_found", null)));
    c.add(
        new Case(
            "score request",
            "GET /score",
            "405 method_not_allowed with `Allow`",
            () -> {
              answers(api, "GET", "/score", null, 405, "method_not_allowed", null).run();
              assertEquals("POST", api.handle("GET", "/score", null).headers().get("allow"));
            }));
    c.add(
        new Case(
            "score request",
            "the model file altered after publishing (cold scorer)",
            "503 no_model: its SHA-256 is not the one latest.json names",
            alteredModel()));
    c.add(
        new Case(
            "score request",
            "no model published yet",
            "503 no_model",
            answers(
                noModelApi, "POST", "/score", "{\"features\":" + OK + "}", 503, "no_model", null)));
    c.addAll(servingCases());
    return c.stream();
  }

  // ---------------------------------------------------------------- customers' orders and ids

  /** A score API over a model trained on orders, with a lookup index of one small batch. */
  private static ScoreApi ordersApi;

  /** The same model under another version, never batch-scored. */
  private static ScoreApi unscoredApi;

  private static final String ORDER =
      "{\"order_id\":\"o1\",\"order_date\":\"2026-10-01\",\"amount\":10}";

  private static final String DERIVED =
      "{\"recency_days\":10,\"frequency\":3,\"monetary\":40,\"total_spend\":120,"
          + "\"tenure_days\":30,\"mean_days_between\":10,\"std_days_between\":3,"
          + "\"orders_30d\":1,\"orders_90d\":1,\"items\":4,\"refund_share\":0.1,"
          + "\"channels\":2}";

  private static synchronized ScoreApi ordersApi(boolean scored) throws IOException {
    if (ordersApi == null) {
      RetentionModel model = OrdersModels.synthetic().model();
      RetentionModel unscored =
          ModelJson.read(
              new String(ModelJson.write(model), StandardCharsets.UTF_8)
                  .replace("\"orders-v1\"", "\"orders-unscored\"")
                  .getBytes(StandardCharsets.UTF_8));
      Bucket bucket = new Bucket(s3, BUCKET);
      try (ScoreIndexWriter index = new ScoreIndexWriter(1, 2048)) {
        index.add("C-1", CsvTokenizer.joinRecord(List.of("0", "loyal", "0.5", "medium", "")));
        index.publish(
            bucket,
            "lookup/",
            new ScoreIndex.Pointer(
                model.version(),
                "batch-1",
                1,
                1,
                List.of(
                    "segment",
                    "segment_name",
                    "probability",
                    "churn_risk_band",
                    "suggested_action"),
                "2026-10-31",
                "s3://" + BUCKET + "/exports/score/today.csv",
                "scores/" + model.version() + "/today.csv",
                "2026-11-01T00:00:00Z",
                new ModelOrder("2026-11-01T00:00:00Z", "exports/score/today.csv", null, "batch-1"),
                null,
                0),
            1);
      }
      ordersApi = servingApi(model, "orders-catalogue", bucket);
      unscoredApi = servingApi(unscored, "orders-unscored", bucket);
    }
    return scored ? ordersApi : unscoredApi;
  }

  private static ScoreApi servingApi(RetentionModel model, String name, Bucket bucket) {
    ModelStore store = new ModelStore(bucket, "models/", name);
    store.publish(model, ReportHtml.render(model));
    ScoreSettings settings =
        new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 3, 4096, 2, 3);
    return new ScoreApi(
        new ModelCache(store, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
        settings,
        Clock.fixed(Instant.parse("2026-11-05T10:00:00Z"), java.time.ZoneOffset.UTC),
        dev.retention.service.EmfMetrics.disabled(),
        OrdersDialect.defaults(),
        new CustomerLookup(
            bucket,
            "lookup/",
            Duration.ofSeconds(60),
            Duration.ofSeconds(2),
            1 << 20,
            System::nanoTime));
  }

  /** A request to the orders model's API answered with {@code status} and {@code code}. */
  private static Check orders(String body, int status, String code, String field) {
    return () -> answers(ordersApi(true), "POST", "/score", body, status, code, field).run();
  }

  private static Check orders(String body, String code, String field) {
    return orders(body, 400, code, field);
  }

  private static List<Case> servingCases() {
    List<Case> c = new ArrayList<>();
    c.add(
        new Case(
            "score request",
            "malformed JSON (`{\"monetary\": lots}`)",
            "400 malformed_json naming line and column, never the parser's message or the text",
            () -> {
              answers("{\"features\": {\"monetary\": lots}}", "malformed_json", null).run();
              String message =
                  MAPPER
                      .readTree(
                          api.handle("POST", "/score", "{\"features\": {\"monetary\": lots}}")
                              .body())
                      .get("error")
                      .get("message")
                      .asText();
              assertTrue(message.contains("line 1, column"), message);
              assertFalse(message.contains("lots") || message.contains("token"), message);
            }));
    c.add(
        new Case(
            "score request",
            "a field given twice (`customerId`)",
            "400 duplicate_field naming it",
            answers(
                "{\"customerId\":\"a\",\"customerId\":\"b\",\"features\":" + OK + "}",
                "duplicate_field",
                "customerId")));
    c.add(
        new Case(
            "score request",
            "the same feature twice",
            "400 duplicate_field naming `features.<name>`; never the last value scored",
            answers(
                "{\"features\":" + OK.replace("}", ",\"monetary\":1}") + "}",
                "duplicate_field",
                "features.monetary")));
    c.add(
        new Case(
            "score request",
            "an unknown field",
            "400 invalid_field naming it and the known fields",
            answers("{\"features\":" + OK + ",\"asof\":\"2026-11-01\"}", "invalid_field", "asof")));
    c.add(
        new Case(
            "score request",
            "`asOf` not a `yyyy-MM-dd` date",
            "400 invalid_field naming `asOf`",
            answers("{\"features\":" + OK + ",\"asOf\":\"2026-02-30\"}", "invalid_field", "asOf")));
    c.add(
        new Case(
            "score request",
            "`asOf` after tomorrow (UTC)",
            "400 invalid_field naming `asOf`",
            orders("{\"asOf\":\"2026-11-07\",\"orders\":[]}", "invalid_field", "asOf")));
    c.add(
        new Case(
            "score request",
            "`features` and `orders` for one customer",
            "400 invalid_field naming `orders`",
            orders("{\"features\":" + DERIVED + ",\"orders\":[]}", "invalid_field", "orders")));
    c.add(
        new Case(
            "score request",
            "`orders` for a model trained on a feature export",
            "400 invalid_field naming `orders`",
            answers("{\"orders\":[]}", "invalid_field", "orders")));
    c.add(
        new Case(
            "score request",
            "a derived feature outside its domain (`items` −2, `refund_share` 7, `frequency` 2.5)",
            "400 invalid_feature: must be what the orders derivation gives (non-negative, a share, a whole number)",
            () -> {
              orders(
                      "{\"features\":" + DERIVED.replace("\"items\":4", "\"items\":-2") + "}",
                      "invalid_feature",
                      "features.items")
                  .run();
              orders(
                      "{\"features\":"
                          + DERIVED.replace("\"refund_share\":0.1", "\"refund_share\":7")
                          + "}",
                      "invalid_feature",
                      "features.refund_share")
                  .run();
              orders(
                      "{\"features\":"
                          + DERIVED.replace("\"frequency\":3", "\"frequency\":2.5")
                          + "}",
                      "invalid_feature",
                      "features.frequency")
                  .run();
            }));
    c.add(
        new Case(
            "score request",
            "`recency_days` above `tenure_days`",
            "400 invalid_feature naming `features.tenure_days`",
            orders(
                "{\"features\":"
                    + DERIVED.replace("\"recency_days\":10", "\"recency_days\":31")
                    + "}",
                "invalid_feature",
                "features.tenure_days")));
    c.add(
        new Case(
            "score request",
            "`frequency` 0 for a model trained on orders (no purchase yet)",
            "200: the new-customer answer (`basis`: `new-customer`), never a 400",
            () -> {
              HttpResult r =
                  ordersApi(true)
                      .handle(
                          "POST",
                          "/score",
                          "{\"features\":"
                              + DERIVED
                                  .replace("\"frequency\":3", "\"frequency\":0")
                                  .replace("\"recency_days\":10", "\"recency_days\":0")
                              + "}");
              assertEquals(200, r.status(), r.body());
              assertEquals("new-customer", MAPPER.readTree(r.body()).get("basis").asText());
            }));
    c.add(
        new Case(
            "score request",
            "an order with amount `ten`",
            "400 invalid_order naming `orders[i].amount`: not a number",
            orders(
                "{\"orders\":[" + ORDER.replace("10}", "\"ten\"}") + "]}",
                "invalid_order",
                "orders[0].amount")));
    c.add(
        new Case(
            "score request",
            "an order dated after tomorrow",
            "400 invalid_order naming `orders[i].order_date`: a future date",
            orders(
                "{\"orders\":[" + ORDER.replace("2026-10-01", "2026-11-09") + "]}",
                "invalid_order",
                "orders[0].order_date")));
    c.add(
        new Case(
            "score request",
            "an order with a field that is not an order column (`customer_id`)",
            "400 invalid_order naming it and the order fields",
            orders(
                "{\"orders\":[" + ORDER.replace("}", ",\"customer_id\":\"c1\"}") + "]}",
                "invalid_order",
                "orders[0].customer_id")));
    c.add(
        new Case(
            "score request",
            "an order field given twice",
            "400 duplicate_field naming it",
            orders(
                "{\"orders\":[" + ORDER.replace("}", ",\"amount\":-10}") + "]}",
                "duplicate_field",
                "orders[0].amount")));
    c.add(
        new Case(
            "score request",
            "more orders for one customer than max-orders-per-customer",
            "400 too_many_orders naming the setting",
            orders(
                "{\"orders\":[" + ORDER + "," + ORDER + "," + ORDER + "]}",
                "too_many_orders",
                "orders")));
    c.add(
        new Case(
            "score request",
            "more orders in a request than max-orders-per-request",
            "400 too_many_orders naming the setting",
            orders(
                "{\"customers\":[{\"orders\":["
                    + ORDER
                    + ","
                    + ORDER
                    + "]},{\"orders\":["
                    + ORDER
                    + ","
                    + ORDER
                    + "]}]}",
                "too_many_orders",
                "customers[1].orders")));
    c.add(
        new Case(
            "customer lookup",
            "an id not in the latest batch scores",
            "404 customer_not_found naming the batch's export and as-of day, not the id",
            () -> {
              answers(
                      ordersApi(true),
                      "GET",
                      "/customers/C-2",
                      null,
                      404,
                      "customer_not_found",
                      "id")
                  .run();
              String body = ordersApi(true).handle("GET", "/customers/C-2", null).body();
              assertTrue(
                  body.contains("exports/score/today.csv") && body.contains("2026-10-31"), body);
              assertFalse(body.contains("C-2"), body);
              assertEquals(200, ordersApi(true).handle("GET", "/customers/C-1", null).status());
            }));
    c.add(
        new Case(
            "customer lookup",
            "no export batch-scored with the live model yet",
            "404 no_batch_scores",
            () ->
                answers(
                        ordersApi(false),
                        "GET",
                        "/customers/C-1",
                        null,
                        404,
                        "no_batch_scores",
                        "id")
                    .run()));
    c.add(
        new Case(
            "customer lookup",
            "an id that is not valid percent-encoding (`%zz`)",
            "400 invalid_field naming `id`",
            () ->
                answers(ordersApi(true), "GET", "/customers/%zz", null, 400, "invalid_field", "id")
                    .run()));
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachBadInputGetsItsDocumentedAnswer(Case c) throws Exception {
    c.check().run();
  }

  @Test
  void theReadmeCatalogueListsExactlyTheseRows() throws IOException {
    List<String> readme = new ArrayList<>();
    boolean inside = false;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.contains("<!-- bad-input catalogue: start -->")) {
        inside = true;
      } else if (line.contains("<!-- bad-input catalogue: end -->")) {
        inside = false;
      } else if (inside
          && line.startsWith("| ")
          && !line.startsWith("| area ")
          && !line.startsWith("| ---")) {
        readme.add(line);
      }
    }
    List<String> expected =
        cases().map(c -> "| " + c.area() + " | " + c.input() + " | " + c.answer() + " |").toList();
    assertEquals(expected, readme);
    assertTrue(expected.size() >= 40, "at least 40 rows: " + expected.size());
    assertEquals(expected.size(), Set.copyOf(expected).size(), "no row twice");
  }
}
