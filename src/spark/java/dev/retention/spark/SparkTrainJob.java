package dev.retention.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrdersDialect;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.EmfMetrics;
import dev.retention.service.ExportObjects;
import dev.retention.service.train.TrainSettings;
import dev.retention.service.train.TrainSummary;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import dev.retention.storage.S3Clients;
import dev.retention.training.Holdout;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The Spark trainer: the train function's training of one export, on a Spark cluster (EMR
 * Serverless), publishing the same model JSON through the same storage code.
 *
 * <pre>
 * On S3 (as the state machine starts it; see README "Spark"):
 *   --bucket B --key K --etag E [--version-id V] [--sequencer S] --last-modified T
 *   --model-version V [--read-path URI] [--setting retention.k=v ...]
 * On a file (local Spark, nothing published):
 *   --input FILE --output DIR [--orders] [--master local[2]] [--setting retention.k=v ...]
 * </pre>
 *
 * <p>{@code --read-path} is where Spark reads the export's lines (default {@code s3://B/K}, EMRFS
 * on EMR; {@code s3a://B/K} elsewhere, or a copy); the object's identity and the publish go through
 * the project's S3 client in any case.
 *
 * <p>The export is read, derived (orders) and trained on with {@link SparkExports} and {@link
 * SparkRows}; the sequence and every rule are {@link Trainer}'s. On S3 the object's ETag is checked
 * before and after the read (an export replaced meanwhile is not trained on under the old version),
 * a version already published is finished as a redelivery would be, and the model is published by
 * {@link TrainingService#publish}: report first, then the version, then {@code latest.json} forward
 * only and past the quality gate. The job prints its summary as one JSON line.
 */
public final class SparkTrainJob {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SparkTrainJob() {}

  /** Parsed arguments. */
  record Arguments(
      String bucket,
      String key,
      String etag,
      String versionId,
      String sequencer,
      Instant lastModified,
      String modelVersion,
      Path input,
      Path output,
      boolean orders,
      String master,
      String readPath,
      Map<String, String> settings) {

    static Arguments parse(String[] args) {
      Map<String, String> named = new LinkedHashMap<>();
      Map<String, String> settings = new LinkedHashMap<>();
      boolean orders = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--orders")) {
          orders = true;
          continue;
        }
        if (!arg.startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --name value, got '" + arg + "'");
        }
        String value = args[++i];
        if (arg.equals("--setting")) {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--setting takes key=value, got '" + value + "'");
          }
          settings.put(value.substring(0, eq), value.substring(eq + 1));
        } else {
          named.put(arg.substring(2), value);
        }
      }
      for (String name : named.keySet()) {
        if (!List.of(
                "bucket",
                "key",
                "etag",
                "version-id",
                "sequencer",
                "last-modified",
                "model-version",
                "input",
                "output",
                "master",
                "read-path")
            .contains(name)) {
          throw new IllegalArgumentException("unknown argument --" + name);
        }
      }
      boolean local = named.containsKey("input");
      for (String required :
          local
              ? List.of("input", "output")
              : List.of("bucket", "key", "etag", "last-modified", "model-version")) {
        if (!named.containsKey(required)) {
          throw new IllegalArgumentException("missing --" + required);
        }
      }
      return new Arguments(
          named.get("bucket"),
          named.get("key"),
          named.get("etag"),
          named.get("version-id"),
          named.get("sequencer"),
          local ? null : Instant.parse(named.get("last-modified")),
          named.get("model-version"),
          local ? Path.of(named.get("input")) : null,
          local ? Path.of(named.get("output")) : null,
          orders,
          named.get("master"),
          named.get("read-path"),
          Map.copyOf(settings));
    }

    boolean local() {
      return input != null;
    }
  }

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    SparkConf conf = new SparkConf().setAppName("retention-train");
    if (arguments.master() != null) {
      conf.setMaster(arguments.master());
    }
    conf.setIfMissing("spark.ui.enabled", "false");
    try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      ObjectNode summary = run(sc, arguments, JobSettings.of(arguments.settings()));
      System.out.println(MAPPER.writeValueAsString(summary));
    }
  }

  /** Runs the job on {@code sc}; returns its summary. */
  static ObjectNode run(JavaSparkContext sc, Arguments arguments, JobSettings settings)
      throws IOException {
    refuseTreatment(settings.train());
    return arguments.local()
        ? runLocal(sc, arguments, settings.train())
        : runOnS3(sc, arguments, settings);
  }

  /**
   * The Spark trainer fits no uplift model (an uplift model is trained on a randomized campaign,
   * far below the sizes that need Spark; decision 0022): with a treatment column configured it
   * refuses, naming the setting, rather than publish a model without the uplift part asked for.
   */
  static void refuseTreatment(TrainSettings settings) {
    if (settings.schema().treatmentColumn() != null) {
      throw new IllegalArgumentException(
          "retention.export.treatment-column is set, but the Spark trainer fits no uplift model:"
              + " train the campaign's export in the train function (below"
              + " retention.spark.hand-off-bytes), or unset retention.export.treatment-column;"
              + " nothing was trained");
    }
  }

  private static ObjectNode runLocal(
      JavaSparkContext sc, Arguments arguments, TrainSettings settings) throws IOException {
    long start = System.nanoTime();
    Path input = arguments.input().toAbsolutePath();
    ExportFormat format =
        ExportFormat.of(input.getFileName().toString())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unsupported suffix of "
                            + input
                            + "; expected one of "
                            + ExportFormat.SUFFIXES))
            .withLimits(settings.limits())
            .withText(settings.text());
    String version = "local-" + digest(input);
    RetentionModel model;
    try (InputStream head = Files.newInputStream(input)) {
      model =
          train(
              sc,
              input.toUri().toString(),
              head,
              format,
              arguments.orders(),
              settings,
              input.toString(),
              null,
              new Trainer.Identity(
                  "local",
                  version,
                  Instant.now(),
                  new ModelOrder(Instant.now().toString(), input.toString(), null, version)),
              null);
    }
    Files.createDirectories(arguments.output());
    Files.write(arguments.output().resolve(version + ".json"), ModelJson.write(model));
    Files.writeString(
        arguments.output().resolve(version + ".report.html"),
        ReportHtml.render(model),
        StandardCharsets.UTF_8);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("status", "TRAINED");
    out.put("source", input.toString());
    out.put("version", version);
    out.put("modelFile", arguments.output().resolve(version + ".json").toString());
    out.put("rowsRead", model.provenance().rowsRead());
    out.put("rowsUsed", model.provenance().rowsUsed());
    out.put("rowsRejected", model.provenance().rowsRejected());
    out.put("k", model.segmentation().k());
    out.put("auc", model.evaluation().rocAuc());
    out.put("durationMs", (System.nanoTime() - start) / 1_000_000);
    return out;
  }

  private static ObjectNode runOnS3(JavaSparkContext sc, Arguments arguments, JobSettings settings)
      throws IOException {
    long start = System.nanoTime();
    TrainSettings train = settings.train();
    try (Bucket bucket = S3Clients.open(settings.s3(arguments.bucket()))) {
      ModelStore store =
          new ModelStore(
              bucket, settings.mapping().model().prefix(), settings.mapping().model().name());
      TrainingService service =
          new TrainingService(
              store,
              train,
              Clock.systemUTC(),
              new EmfMetrics(
                  System.out::println,
                  settings.mapping().metrics().namespace(),
                  "spark-train",
                  Clock.systemUTC(),
                  settings.mapping().metrics().enabled()));
      String source = "s3://" + arguments.bucket() + "/" + arguments.key();
      Optional<ObjectInfo> found = bucket.head(arguments.key(), arguments.versionId());
      if (found.isEmpty() || !found.get().etag().equals(arguments.etag())) {
        return skipped(source, "the object changed or is gone since the event (ETag differs)");
      }
      ObjectInfo info = found.get();
      String version = TrainingService.version(info);
      if (!version.equals(arguments.modelVersion())) {
        throw new IllegalArgumentException(
            "--model-version " + arguments.modelVersion() + " is not this object's " + version);
      }
      Optional<TrainSummary> finished = service.finishPublished(version, source, start);
      if (finished.isPresent()) {
        return MAPPER.valueToTree(finished.get());
      }
      boolean orders = arguments.key().startsWith(train.ordersPrefix());
      ExportFormat format =
          ExportFormat.of(arguments.key())
              .orElseThrow(() -> new IllegalArgumentException("unsupported suffix: " + source))
              .withLimits(train.limits())
              .withText(train.text());
      RetentionModel model;
      RetentionModel live = service.liveModel(source);
      Holdout[] holdout = new Holdout[1];
      try (InputStream head = bucket.open(info)) {
        model =
            train(
                sc,
                arguments.readPath() != null ? arguments.readPath() : source,
                head,
                format,
                orders,
                train,
                source + " etag " + info.etag(),
                ExportObjects.latestOrderDay(info),
                new Trainer.Identity(
                    store.modelName(),
                    version,
                    Instant.now(),
                    new ModelOrder(
                        info.lastModified().toString(),
                        info.key(),
                        arguments.sequencer(),
                        version)),
                live,
                kept -> holdout[0] = kept);
      }
      Optional<ObjectInfo> after = bucket.head(arguments.key(), arguments.versionId());
      if (after.isEmpty() || !after.get().etag().equals(info.etag())) {
        return skipped(source, "the object changed while it was read; nothing published");
      }
      return MAPPER.valueToTree(
          service.publish(
              service.compareOnLiveHoldout(model, live, source), source, null, holdout[0], start));
    }
  }

  private static ObjectNode skipped(String source, String reason) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("status", "SKIPPED");
    out.put("source", source);
    out.put("reason", reason);
    return out;
  }

  /** Reads, derives and trains: the part of the job that is the same on a file and on S3. */
  static RetentionModel train(
      JavaSparkContext sc,
      String path,
      InputStream head,
      ExportFormat format,
      boolean orders,
      TrainSettings settings,
      String source,
      LocalDate latestAllowed,
      Trainer.Identity identity,
      RetentionModel incumbent)
      throws IOException {
    return train(
        sc, path, head, format, orders, settings, source, latestAllowed, identity, incumbent, null);
  }

  /**
   * As above; {@code holdout} (when not null) receives the model's held-out customers ({@link
   * Holdout}), gathered from the executors before the rows are released.
   */
  static RetentionModel train(
      JavaSparkContext sc,
      String path,
      InputStream head,
      ExportFormat format,
      boolean orders,
      TrainSettings settings,
      String source,
      LocalDate latestAllowed,
      Trainer.Identity identity,
      RetentionModel incumbent,
      java.util.function.Consumer<Holdout> holdout)
      throws IOException {
    long readStart = System.nanoTime();
    RfmOptions rfm = settings.rfm();
    SparkExports.Loaded loaded =
        orders
            ? SparkExports.orders(
                sc, path, head, format, settings.ordersSchema(), rfm, latestAllowed)
            : SparkExports.features(sc, path, head, format, settings.schema());
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("readAndParse", (System.nanoTime() - readStart) / 1_000_000);
    // The train function's canonical order: the model depends on the customers, not the file.
    JavaRDD<Block> canonical =
        CanonicalBlocks.of(loaded.blocks(), loaded.columns(), loaded.rows())
            .persist(StorageLevel.MEMORY_AND_DISK());
    canonical.count();
    loaded.blocks().unpersist(false);
    SparkRows rows = new SparkRows(sc, canonical, loaded.columns(), loaded.rows());
    try {
      RetentionModel model =
          new Trainer(settings.options(), settings.segments(), settings.playbook())
              .train(
                  rows,
                  new Trainer.About(
                      orders
                          ? dev.retention.training.OrdersDerivation.labelName(rfm.labelWindowDays())
                          : settings.schema().labelColumn(),
                      loaded.rowsRead(),
                      loaded.rowsRejected(),
                      loaded.rejections(),
                      source,
                      timings,
                      orders
                          ? OrdersDerivation.describe(
                              loaded.cutoff(),
                              rfm.labelWindowDays(),
                              loaded.definitions(),
                              loaded.counts(),
                              settings.ordersSchema().grain(),
                              loaded.optional(),
                              new OrdersDerivation.Reading(
                                  new OrdersDialect(settings.ordersSchema(), format.text())
                                      .describe(),
                                  loaded.guestRows(),
                                  loaded.customerIdsMerged(),
                                  loaded.furtherLines()),
                              loaded.warnings())
                          : null),
                  identity,
                  incumbent);
      if (holdout != null) {
        holdout.accept(Holdout.of(rows, settings.options()));
      }
      return model;
    } finally {
      rows.close();
    }
  }

  private static String digest(Path file) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
          sha.update(buffer, 0, read);
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
