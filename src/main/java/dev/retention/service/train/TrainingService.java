package dev.retention.service.train;

import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersDialect;
import dev.retention.data.ReadResult;
import dev.retention.features.RfmFeatures;
import dev.retention.model.ModelFormatException;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.EmfMetrics;
import dev.retention.service.ExportObjects;
import dev.retention.service.Log;
import dev.retention.service.ResourceLimitException;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import dev.retention.storage.SparkRuns;
import dev.retention.training.CanonicalOrder;
import dev.retention.training.CheckpointedRows;
import dev.retention.training.Holdout;
import dev.retention.training.HoldoutComparisons;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Trains and publishes a model for each export named by an S3 event.
 *
 * <p>Idempotent: the model version derives from the source object's identity (bucket, key, ETag,
 * version id) and its last-modified day, so a redelivered event (S3 delivers at least once) finds
 * the published version, finishes what an earlier attempt left undone (its report, the pointer) and
 * returns it without training again. Next to each version: its report and, for orders models, the
 * derived customer features ({@code features.csv.gz}). The {@link QualityGate} keeps a model worse
 * than the live one from becoming latest. {@code latest.json} only moves forward: every model
 * records its {@link ModelOrder} (the source's last-modified time, then the event sequencer), and a
 * model older than the live one is published as a version without becoming live; the summary says
 * so.
 *
 * <p>Large exports: when a state machine is configured ({@link HandOff}), an export whose counted
 * bytes reach the hand-off threshold is not read here. Its run of the Spark job is started, named
 * by the model version (so a redelivered event finds the same run), and the summary says
 * HANDED_OFF; the job publishes the version, and an event redelivered after that completes it as
 * above.
 *
 * <p>Failures: a key outside the export prefix or with an unsupported suffix is skipped (logged,
 * not an error). An export that cannot be trained on throws after every record of the event was
 * handled, so the invocation fails visibly (retry policy and on-failure destination apply) and
 * nothing is published for it.
 */
public final class TrainingService {

  private static final Logger LOG = Logger.getLogger(TrainingService.class);

  private final ModelStore store;
  private final TrainSettings settings;
  private final Clock clock;
  private final EmfMetrics metrics;
  private final HandOff handOff;

  public TrainingService(ModelStore store, TrainSettings settings, Clock clock) {
    this(store, settings, clock, EmfMetrics.disabled());
  }

  public TrainingService(
      ModelStore store, TrainSettings settings, Clock clock, EmfMetrics metrics) {
    this(store, settings, clock, metrics, HandOff.never());
  }

  /**
   * @param handOff when large exports go to the Spark job instead
   */
  public TrainingService(
      ModelStore store, TrainSettings settings, Clock clock, EmfMetrics metrics, HandOff handOff) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.handOff = handOff;
  }

  /**
   * Handles every object of one event.
   *
   * @throws TrainingFailedException naming each failed object, after all were handled
   */
  public List<TrainSummary> handle(List<S3ObjectRef> objects) {
    return handle(objects, Deadline.none());
  }

  /**
   * Handles every object of one event, stopping before {@code deadline} (the invocation's).
   *
   * @throws TrainingFailedException naming each failed object, after all were handled
   */
  public List<TrainSummary> handle(List<S3ObjectRef> objects, Deadline deadline) {
    return ExportObjects.each(
        objects,
        LOG,
        "train.failed",
        object -> handle(object, deadline),
        failures ->
            new TrainingFailedException("training failed, nothing published for: " + failures),
        metrics);
  }

  TrainSummary handle(S3ObjectRef object) {
    return handle(object, Deadline.none());
  }

  TrainSummary handle(S3ObjectRef object, Deadline deadline) {
    long start = System.nanoTime();
    String source = ExportObjects.source(object);
    boolean orders = object.key().startsWith(settings.ordersPrefix());
    ExportObjects.Target target =
        ExportObjects.target(
            store.bucket(),
            object,
            orders || object.key().startsWith(settings.exportPrefix()),
            "export prefixes " + settings.exportPrefix() + " and " + settings.ordersPrefix(),
            settings.limits(),
            settings.text());
    if (target.skipReason() != null) {
      return skip(source, target.skipReason());
    }
    ObjectInfo info = target.info();
    String version = version(info);
    Optional<TrainSummary> finished = finishPublished(version, source, start);
    if (finished.isPresent()) {
      return finished.get();
    }

    long counted = handOff.countedBytes(info, target.format().gzip());
    // The Spark trainer fits no uplift model: a campaign's export trains here, whatever its size.
    boolean sparkMayTrain = settings.schema().treatmentColumn() == null;
    if (handOff.large(counted) && sparkMayTrain) {
      if (handOff.configured()) {
        return handOff(object, info, version, source, counted, start);
      }
      Log.event(
          LOG,
          Logger.Level.WARN,
          "train.hand-off-not-configured",
          "source",
          source,
          "version",
          version,
          "bytes",
          info.size(),
          "countedBytes",
          counted,
          "threshold",
          handOff.thresholdBytes(),
          "problem",
          "a large export trains in-process: no state machine is configured"
              + " (retention.spark.state-machine-arn)");
    }

    if (!target.format().gzip() && info.size() > handOff.maxTextBytes()) {
      // Known before reading: more text than this function holds, and no Spark to take it.
      throw new ReadBudget.TooLarge(info.size(), handOff.maxTextBytes());
    }
    try {
      return readAndTrain(object, target, version, source, orders, deadline, start);
    } catch (ResourceLimitException | OutOfMemoryError e) {
      // Stopped before the function's time or memory ran out: the Spark job finishes the work
      // where it is configured; else the failure says what ran out and which setting to change.
      ResourceLimitException stopped =
          e instanceof ResourceLimitException limit
              ? limit
              : new ResourceLimitException(
                  "the export did not fit in this function's memory while it was read or trained"
                      + " on (heap "
                      + (Runtime.getRuntime().maxMemory() >> 20)
                      + " MiB): nothing published. Configure the Spark hand-off"
                      + " (retention.spark.state-machine-arn) or raise the function's memory",
                  e);
      if (handOff.configured() && sparkMayTrain) {
        Log.event(
            LOG,
            Logger.Level.WARN,
            "train.stopped",
            "source",
            source,
            "version",
            version,
            "reason",
            stopped.getMessage());
        long measured = e instanceof ReadBudget.TooLarge large ? large.textBytes : counted;
        return handOff(object, info, version, source, measured, start);
      }
      throw stopped;
    }
  }

  /** Reads the export, trains on it and publishes the model, within the deadline. */
  private TrainSummary readAndTrain(
      S3ObjectRef object,
      ExportObjects.Target target,
      String version,
      String source,
      boolean orders,
      Deadline deadline,
      long start) {
    ObjectInfo info = target.info();
    long lookupMs = (System.nanoTime() - start) / 1_000_000;
    String described = source + " etag " + info.etag();
    Read read =
        orders
            ? readOrders(info, target.format(), described, lookupMs, deadline)
            : readFeatures(info, target.format(), described, lookupMs, deadline);
    Trainer.Input input = read.input();
    if (input.about().rowsRejected() > 0) {
      // Row, column and problem only: logs never carry customer values.
      Log.event(
          LOG,
          Logger.Level.WARN,
          "train.rows-rejected",
          "source",
          source,
          "rejected",
          input.about().rowsRejected(),
          "read",
          input.about().rowsRead(),
          "firstReasons",
          input.about().rejections());
    }
    RetentionModel live = liveModel(source);
    RetentionModel model =
        new Trainer(settings.options(), settings.segments(), settings.playbook())
            .train(
                CheckpointedRows.of(input.rows(), () -> deadline.check("training")),
                input.about(),
                new Trainer.Identity(
                    store.modelName(),
                    version,
                    clock.instant(),
                    new ModelOrder(
                        info.lastModified().toString(), info.key(), object.sequencer(), version)),
                live);
    deadline.check("training");
    model = UpliftStep.attach(model, read.campaign(), settings);
    deadline.check("training");
    return publish(
        compareOnLiveHoldout(model, live, source),
        source,
        read.derived(),
        Holdout.of(input, settings.options()),
        read.guestRows(),
        start);
  }

  /**
   * The model with its comparison to {@code live} on the live model's own held-out customers
   * ({@code holdout.csv.gz} next to it; {@link HoldoutComparisons}), for the quality gate. A live
   * model without them (published before they were kept) or a file that cannot be read gives a
   * note, not a failure.
   */
  public RetentionModel compareOnLiveHoldout(
      RetentionModel model, RetentionModel live, String source) {
    RetentionModel.Incumbent incumbent = model.evaluation().incumbent();
    if (live == null || incumbent == null) {
      return model;
    }
    RetentionModel.HoldoutComparison comparison;
    try {
      Optional<Bucket.Stored> stored =
          store.bucket().read(store.companionKey(live.version(), HoldoutCsv.NAME));
      comparison =
          stored.isEmpty()
              ? HoldoutComparisons.notCompared(
                  "the live model keeps no held-out customers (published before they were kept)")
              : HoldoutComparisons.compare(model, live, HoldoutCsv.read(stored.get().bytes()));
    } catch (IOException | RuntimeException e) {
      Log.event(
          LOG,
          Logger.Level.WARN,
          "train.live-holdout-unreadable",
          "source",
          source,
          "liveVersion",
          live.version(),
          "problem",
          e.getMessage());
      comparison =
          HoldoutComparisons.notCompared(
              "the live model's held-out customers cannot be read: " + e.getMessage());
    }
    return model.withEvaluation(
        model.evaluation().withIncumbent(incumbent.withLiveHoldout(comparison)));
  }

  /**
   * When {@code version} was published already (a redelivered or retried event): finishes what an
   * earlier attempt left (report, pointer), under the same quality gate, and says so.
   */
  public Optional<TrainSummary> finishPublished(String version, String source, long start) {
    Optional<ModelStore.PublishedModel> found = store.findPublished(version);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Optional<RetentionModel> existing = Optional.of(found.get().model());
    QualityGate.Decision gate = settings.qualityGate().decide(existing.get());
    ModelStore.Published published =
        store.complete(found.get(), () -> ReportHtml.render(existing.get()), gate.goLive());
    Log.event(
        LOG,
        Logger.Level.INFO,
        "train.redelivered",
        "source",
        source,
        "version",
        version,
        "latest",
        published.pointer(),
        "liveVersion",
        published.liveVersion(),
        "qualityGate",
        gate.reason());
    return Optional.of(
        summary(
            TrainSummary.Status.ALREADY_PUBLISHED,
            source,
            existing.get(),
            published,
            gate,
            existingFeatures(existing.get()),
            guestRows(existing.get()),
            start));
  }

  /**
   * Publishes a trained model: the quality gate's decision, its report (and, given the orders
   * derivation, its features), the version, the pointer when the gate lets it; logs and metrics.
   * The train function's path and the Spark trainer's.
   *
   * @param derived the orders derivation the model was trained on, for {@code features.csv.gz};
   *     null for none
   * @param holdout the model's held-out customers, kept next to it as {@code holdout.csv.gz} for
   *     the next training's quality gate; null for none
   */
  public TrainSummary publish(
      RetentionModel trained,
      String source,
      RfmFeatures.Derived derived,
      Holdout holdout,
      long start) {
    return publish(trained, source, derived, holdout, guestRows(trained), start);
  }

  /**
   * {@link #publish(RetentionModel, String, RfmFeatures.Derived, Holdout, long)} with the guest
   * rows read.
   */
  TrainSummary publish(
      RetentionModel trained,
      String source,
      RfmFeatures.Derived derived,
      Holdout holdout,
      long guestRows,
      long start) {
    String version = trained.version();
    QualityGate.Decision gate = settings.qualityGate().decide(trained);
    // The decision is part of what the model and its report say.
    RetentionModel model =
        trained.withEvaluation(trained.evaluation().withQualityGate(gate.record()));
    Path features = null;
    Path held = null;
    try {
      List<ModelStore.Companion> companions = new ArrayList<>();
      companions.add(
          ModelStore.Companion.of(
              ModelStore.REPORT,
              "text/html; charset=utf-8",
              ReportHtml.render(model).getBytes(StandardCharsets.UTF_8)));
      if (holdout != null) {
        held = Files.createTempFile("holdout-", ".csv.gz");
        HoldoutCsv.write(held, holdout);
        companions.add(ModelStore.Companion.ofFile(HoldoutCsv.NAME, "application/gzip", held));
      }
      if (derived != null) {
        features = Files.createTempFile("features-", ".csv.gz");
        FeaturesCsv.write(
            features,
            derived.customerIds(),
            derived.features(),
            derived.labels(),
            model.labelColumn());
        companions.add(ModelStore.Companion.ofFile(FEATURES, "application/gzip", features));
      }
      ModelStore.Published published = store.publish(model, companions, gate.goLive());
      TrainSummary summary =
          summary(
              TrainSummary.Status.TRAINED,
              source,
              model,
              published,
              gate,
              features == null ? null : store.companionKey(version, FEATURES),
              guestRows,
              start);
      if (gate.held()) {
        Log.event(
            LOG,
            Logger.Level.WARN,
            gate.goLive() ? "train.quality-gate-forced" : "train.quality-gate-held",
            "source",
            source,
            "version",
            version,
            "liveVersion",
            published.liveVersion(),
            "qualityGate",
            gate.reason());
      }
      Log.event(
          LOG,
          Logger.Level.INFO,
          "train.published",
          "source",
          source,
          "modelKey",
          published.modelKey(),
          "latest",
          published.pointer(),
          "liveVersion",
          published.liveVersion(),
          "rowsUsed",
          summary.rowsUsed(),
          "rowsRejected",
          summary.rowsRejected(),
          "guestRows",
          summary.guestRows(),
          "k",
          summary.k(),
          "auc",
          summary.auc(),
          "qualityGate",
          gate.reason(),
          "durationMs",
          summary.durationMs(),
          "timingsMs",
          model.provenance().timingsMs(),
          "warnings",
          model.provenance().warnings());
      emit(model, summary, gate);
      return summary;
    } catch (IOException e) {
      throw new ExportException(
          "cannot write the companions of " + source + ": " + e.getMessage(), e);
    } finally {
      for (Path temporary : new Path[] {features, held}) {
        if (temporary != null) {
          try {
            Files.deleteIfExists(temporary);
          } catch (IOException e) {
            LOG.debug("temporary companion file not deleted", e);
          }
        }
      }
    }
  }

  private static final String FEATURES = "features.csv.gz";

  /** Starts (or finds) the Spark job's run for a large export; nothing of it is read here. */
  private TrainSummary handOff(
      S3ObjectRef object,
      ObjectInfo info,
      String version,
      String source,
      long counted,
      long start) {
    SparkRuns.Run run = handOff.start(info, object.sequencer(), version, source);
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    // A redelivery after the run failed, timed out or was aborted starts nothing new (its failure
    // went to the failure queue): worth a warning.
    Log.event(
        LOG,
        run.failed() ? Logger.Level.WARN : Logger.Level.INFO,
        "train.handed-off",
        "source",
        source,
        "version",
        version,
        "runId",
        run.id(),
        "runStatus",
        run.status(),
        "bytes",
        info.size(),
        "countedBytes",
        counted,
        "threshold",
        handOff.thresholdBytes());
    metrics
        .record()
        .put("HandedOff", 1, EmfMetrics.Unit.COUNT)
        .property("modelVersion", version)
        .property("runId", run.id())
        .emit();
    return TrainSummary.handedOff(source, version, run.id(), durationMs);
  }

  /** The key of an existing orders model's features file. */
  private String existingFeatures(RetentionModel model) {
    return model.derivation() == null ? null : store.companionKey(model.version(), FEATURES);
  }

  /**
   * The live model, for the quality gate's comparison; null when there is none or it cannot be read
   * (a corrupt pointer is replaced by the publish, so training goes on, with a warning).
   */
  public RetentionModel liveModel(String source) {
    try {
      return store.fetchLatest(null).model();
    } catch (ModelFormatException e) {
      Log.event(
          LOG,
          Logger.Level.WARN,
          "train.live-model-unreadable",
          "source",
          source,
          "problem",
          e.getMessage());
      return null;
    }
  }

  /** The training's metrics: rows, stages, held-out quality, the gate. */
  private void emit(RetentionModel model, TrainSummary summary, QualityGate.Decision gate) {
    RetentionModel.Provenance p = model.provenance();
    metrics
        .record()
        .put("RowsRead", p.rowsRead(), EmfMetrics.Unit.COUNT)
        .put("RowsRejected", p.rowsRejected(), EmfMetrics.Unit.COUNT)
        .put(
            "RejectedShare",
            p.rowsRead() == 0 ? 0 : 100.0 * p.rowsRejected() / p.rowsRead(),
            EmfMetrics.Unit.PERCENT)
        .put("CustomersUsed", p.rowsUsed(), EmfMetrics.Unit.COUNT)
        .put("Segments", model.segmentation().k(), EmfMetrics.Unit.COUNT)
        .put("HeldOutAuc", model.evaluation().rocAuc(), EmfMetrics.Unit.NONE)
        .put("HeldOutBrier", model.evaluation().brier(), EmfMetrics.Unit.NONE)
        .put("QualityGateHeld", gate.goLive() ? 0 : 1, EmfMetrics.Unit.COUNT)
        .put("TrainingDuration", summary.durationMs(), EmfMetrics.Unit.MILLISECONDS)
        .property("modelVersion", model.version())
        .property("latest", summary.latest())
        .emit();
    for (Map.Entry<String, Long> stage : p.timingsMs().entrySet()) {
      metrics
          .record()
          .dimension("Stage", stage.getKey())
          .put("StageDuration", stage.getValue(), EmfMetrics.Unit.MILLISECONDS)
          .emit();
    }
  }

  /**
   * An export read into the trainer's input (and, for orders, the derivation behind it), with the
   * guest rows the dialect skipped.
   */
  /**
   * @param campaign the export's treatment column and what the uplift model trains on, or null
   */
  private record Read(
      Trainer.Input input,
      RfmFeatures.Derived derived,
      long guestRows,
      UpliftStep.Campaign campaign) {}

  /** The guest rows an orders model's derivation counted (0 for other models). */
  private static long guestRows(RetentionModel model) {
    if (model.derivation() == null || model.derivation().counts() == null) {
      return 0;
    }
    Long guests = model.derivation().counts().get("guestRowsSkipped");
    return guests == null ? 0 : guests;
  }

  /**
   * The export's decompressed text, within the read budget: its bytes counted against the read
   * limit, the deadline checked, a stalled connection not waited for past it.
   */
  private ReadBudget open(ObjectInfo info, ExportFormat format, Deadline deadline)
      throws IOException {
    InputStream connection = ReadBudget.within(store.bucket().open(info), deadline);
    try {
      return new ReadBudget(format.decode(connection), handOff.readLimit(), deadline);
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * The format of text {@link #open} already decompressed: the same kind, limits and text format
   * (delimiter, decimal separator), only without gzip.
   */
  private static ExportFormat decoded(ExportFormat format) {
    return format.withoutGzip();
  }

  private Read readFeatures(
      ObjectInfo info, ExportFormat format, String source, long lookupMs, Deadline deadline) {
    long readStart = System.nanoTime();
    ReadResult data;
    try (InputStream in = open(info, format, deadline)) {
      data = FeatureExportReader.read(in, decoded(format), settings.schema());
    } catch (IOException e) {
      throw new ExportException("cannot read " + source + ": " + e.getMessage(), e);
    }
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("lookup", lookupMs);
    timings.put("readAndParse", (System.nanoTime() - readStart) / 1_000_000);
    // Canonical order: the model depends on the set of customers, not on the file's row order.
    return new Read(
        CanonicalOrder.sort(
            new Trainer.Input(
                data.features(),
                data.labels(),
                null,
                new Trainer.About(
                    settings.schema().labelColumn(),
                    data.rowsRead(),
                    data.rowsRejected(),
                    data.rejections(),
                    source,
                    timings,
                    null))),
        null,
        data.guestRows(),
        data.treatment() == null
            ? null
            : new UpliftStep.Campaign(
                data.features(),
                data.labels(),
                data.treatment(),
                settings.schema().treatmentColumn()));
  }

  private Read readOrders(
      ObjectInfo info, ExportFormat format, String source, long lookupMs, Deadline deadline) {
    refuseTreatmentForOrders(settings);
    long readStart = System.nanoTime();
    OrderExportReader.Result read;
    // An order dated after the export was written is a future date.
    LocalDate written = ExportObjects.latestOrderDay(info);
    try (InputStream in = open(info, format, deadline)) {
      read = OrderExportReader.read(in, decoded(format), settings.ordersSchema(), written);
    } catch (IOException e) {
      throw new ExportException("cannot read " + source + ": " + e.getMessage(), e);
    }
    long readMs = (System.nanoTime() - readStart) / 1_000_000;
    long deriveStart = System.nanoTime();
    // Canonical order: the model depends on the set of customers, not on the file's row order.
    RfmFeatures.Derived derived =
        CanonicalOrder.sort(RfmFeatures.forTraining(read.book(), read.columns(), settings.rfm()));
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("lookup", lookupMs);
    timings.put("readAndParse", readMs);
    timings.put("deriveFeatures", (System.nanoTime() - deriveStart) / 1_000_000);
    OrdersDerivation.Reading reading =
        new OrdersDerivation.Reading(
            new OrdersDialect(settings.ordersSchema(), format.text()).describe(),
            read.guestRows(),
            read.customerIdsMerged(),
            read.furtherLines());
    return new Read(
        OrdersDerivation.input(
            derived,
            settings.ordersSchema().grain(),
            reading,
            read.rowsRead(),
            read.rowsRejected(),
            read.rejections(),
            source,
            timings),
        derived,
        read.guestRows(),
        null);
  }

  /**
   * An orders export has a row per order, not per customer: a treatment there would have to agree
   * on every order of a customer, and a customer of the campaign without an order would be missing.
   * So the treatment column is a feature export's only, and an orders export is refused while it is
   * set, naming the setting, rather than trained on without the uplift model the shop asked for.
   */
  static void refuseTreatmentForOrders(TrainSettings settings) {
    if (settings.schema().treatmentColumn() != null) {
      throw new ExportException(
          "retention.export.treatment-column is set, but an orders export has no per-customer"
              + " treatment: train the uplift model on a feature export (one row per customer"
              + " with the treatment column), or unset retention.export.treatment-column to train"
              + " on orders; nothing was trained");
    }
  }

  private TrainSummary skip(String source, String reason) {
    Log.event(LOG, Logger.Level.INFO, "train.skipped", "source", source, "reason", reason);
    return TrainSummary.skipped(source, reason);
  }

  private TrainSummary summary(
      TrainSummary.Status status,
      String source,
      RetentionModel model,
      ModelStore.Published published,
      QualityGate.Decision gate,
      String featuresKey,
      long guestRows,
      long start) {
    return new TrainSummary(
        status,
        source,
        store.versionKey(model.version()),
        model.version(),
        published.pointer().name(),
        published.liveVersion(),
        model.provenance().rowsRead(),
        model.provenance().rowsUsed(),
        model.provenance().rowsRejected(),
        model.segmentation().k(),
        model.evaluation().rocAuc(),
        gate.reason(),
        featuresKey,
        (System.nanoTime() - start) / 1_000_000,
        null,
        null,
        guestRows,
        model.provenance().warnings());
  }

  /**
   * {@code <last-modified day>-<16 hex of SHA-256(bucket, key, etag, version id)>}: sortable by day
   * and the same for the same object version, whoever delivers its event how often.
   */
  public static String version(ObjectInfo info) {
    return info.derivedName();
  }
}
