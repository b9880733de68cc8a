package dev.retention.service.train;

import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.OrderExportReader;
import dev.retention.data.ReadResult;
import dev.retention.features.RfmFeatures;
import dev.retention.model.ModelFormatException;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.ExportObjects;
import dev.retention.service.Log;
import dev.retention.service.Metrics;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import dev.retention.storage.SparkRuns;
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
  private final Metrics metrics;
  private final HandOff handOff;

  public TrainingService(ModelStore store, TrainSettings settings, Clock clock) {
    this(store, settings, clock, Metrics.disabled());
  }

  public TrainingService(ModelStore store, TrainSettings settings, Clock clock, Metrics metrics) {
    this(store, settings, clock, metrics, HandOff.never());
  }

  /**
   * @param handOff when large exports go to the Spark job instead
   */
  public TrainingService(
      ModelStore store, TrainSettings settings, Clock clock, Metrics metrics, HandOff handOff) {
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
    return ExportObjects.each(
        objects,
        LOG,
        "train.failed",
        this::handle,
        failures ->
            new TrainingFailedException("training failed, nothing published for: " + failures),
        metrics);
  }

  TrainSummary handle(S3ObjectRef object) {
    long start = System.nanoTime();
    String source = ExportObjects.source(object);
    boolean orders = object.key().startsWith(settings.ordersPrefix());
    ExportObjects.Target target =
        ExportObjects.target(
            store.bucket(),
            object,
            orders || object.key().startsWith(settings.exportPrefix()),
            "export prefixes " + settings.exportPrefix() + " and " + settings.ordersPrefix(),
            settings.limits());
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
    if (handOff.large(counted)) {
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

    long lookupMs = (System.nanoTime() - start) / 1_000_000;
    String described = source + " etag " + info.etag();
    Read read =
        orders
            ? readOrders(info, target.format(), described, lookupMs)
            : readFeatures(info, target.format(), described, lookupMs);
    Trainer.Input input = read.input();
    if (input.rowsRejected() > 0) {
      // Row, column and problem only: logs never carry customer values.
      Log.event(
          LOG,
          Logger.Level.WARN,
          "train.rows-rejected",
          "source",
          source,
          "rejected",
          input.rowsRejected(),
          "read",
          input.rowsRead(),
          "firstReasons",
          input.rejections());
    }
    RetentionModel model =
        Trainer.train(
            input,
            settings.options(),
            settings.segments(),
            settings.playbook(),
            new Trainer.Identity(
                store.modelName(),
                version,
                clock.instant(),
                new ModelOrder(
                    info.lastModified().toString(), info.key(), object.sequencer(), version)),
            liveModel(source));
    return publish(model, source, read.derived(), start);
  }

  /**
   * When {@code version} was published already (a redelivered or retried event): finishes what an
   * earlier attempt left (report, pointer), under the same quality gate, and says so.
   */
  public Optional<TrainSummary> finishPublished(String version, String source, long start) {
    Optional<RetentionModel> existing = store.find(version);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    QualityGate.Decision gate = settings.qualityGate().decide(existing.get());
    ModelStore.Published published =
        store.complete(existing.get(), () -> ReportHtml.render(existing.get()), gate.goLive());
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
            start));
  }

  /**
   * Publishes a trained model: the quality gate's decision, its report (and, given the orders
   * derivation, its features), the version, the pointer when the gate lets it; logs and metrics.
   * The train function's path and the Spark trainer's.
   *
   * @param derived the orders derivation the model was trained on, for {@code features.csv.gz};
   *     null for none
   */
  public TrainSummary publish(
      RetentionModel model, String source, RfmFeatures.Derived derived, long start) {
    String version = model.version();
    QualityGate.Decision gate = settings.qualityGate().decide(model);
    Path features = null;
    try {
      List<ModelStore.Companion> companions = new ArrayList<>();
      companions.add(
          ModelStore.Companion.of(
              ModelStore.REPORT,
              "text/html; charset=utf-8",
              ReportHtml.render(model).getBytes(StandardCharsets.UTF_8)));
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
          "k",
          summary.k(),
          "auc",
          summary.auc(),
          "qualityGate",
          gate.reason(),
          "durationMs",
          summary.durationMs(),
          "timingsMs",
          model.provenance().timingsMs());
      emit(model, summary, gate);
      return summary;
    } catch (IOException e) {
      throw new ExportException(
          "cannot write the features of " + source + ": " + e.getMessage(), e);
    } finally {
      if (features != null) {
        try {
          Files.deleteIfExists(features);
        } catch (IOException e) {
          LOG.debug("temporary features file not deleted", e);
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
        .put("HandedOff", 1, Metrics.Unit.COUNT)
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
        .put("RowsRead", p.rowsRead(), Metrics.Unit.COUNT)
        .put("RowsRejected", p.rowsRejected(), Metrics.Unit.COUNT)
        .put(
            "RejectedShare",
            p.rowsRead() == 0 ? 0 : 100.0 * p.rowsRejected() / p.rowsRead(),
            Metrics.Unit.PERCENT)
        .put("CustomersUsed", p.rowsUsed(), Metrics.Unit.COUNT)
        .put("Segments", model.segmentation().k(), Metrics.Unit.COUNT)
        .put("HeldOutAuc", model.evaluation().rocAuc(), Metrics.Unit.NONE)
        .put("HeldOutBrier", model.evaluation().brier(), Metrics.Unit.NONE)
        .put("QualityGateHeld", gate.goLive() ? 0 : 1, Metrics.Unit.COUNT)
        .put("TrainingDuration", summary.durationMs(), Metrics.Unit.MILLISECONDS)
        .property("modelVersion", model.version())
        .property("latest", summary.latest())
        .emit();
    for (Map.Entry<String, Long> stage : p.timingsMs().entrySet()) {
      metrics
          .record()
          .dimension("Stage", stage.getKey())
          .put("StageDuration", stage.getValue(), Metrics.Unit.MILLISECONDS)
          .emit();
    }
  }

  /** An export read into the trainer's input (and, for orders, the derivation behind it). */
  private record Read(Trainer.Input input, RfmFeatures.Derived derived) {}

  private Read readFeatures(ObjectInfo info, ExportFormat format, String source, long lookupMs) {
    long readStart = System.nanoTime();
    ReadResult data;
    try (InputStream in = store.bucket().open(info)) {
      data = FeatureExportReader.read(in, format, settings.schema());
    } catch (IOException e) {
      throw new ExportException("cannot read " + source + ": " + e.getMessage(), e);
    }
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("lookup", lookupMs);
    timings.put("readAndParse", (System.nanoTime() - readStart) / 1_000_000);
    return new Read(
        new Trainer.Input(
            data.features(),
            data.labels(),
            settings.schema().labelColumn(),
            data.rowsRead(),
            data.rowsRejected(),
            data.rejections(),
            source,
            timings,
            null,
            null),
        null);
  }

  private Read readOrders(ObjectInfo info, ExportFormat format, String source, long lookupMs) {
    long readStart = System.nanoTime();
    OrderExportReader.Result read;
    // An order dated after the export was written is a future date.
    LocalDate written = ExportObjects.latestOrderDay(info);
    try (InputStream in = store.bucket().open(info)) {
      read = OrderExportReader.read(in, format, settings.ordersSchema(), written);
    } catch (IOException e) {
      throw new ExportException("cannot read " + source + ": " + e.getMessage(), e);
    }
    long readMs = (System.nanoTime() - readStart) / 1_000_000;
    long deriveStart = System.nanoTime();
    RfmFeatures.Derived derived =
        RfmFeatures.forTraining(read.book(), read.columns(), settings.rfm());
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("lookup", lookupMs);
    timings.put("readAndParse", readMs);
    timings.put("deriveFeatures", (System.nanoTime() - deriveStart) / 1_000_000);
    return new Read(
        OrdersDerivation.input(
            derived,
            settings.ordersSchema().grain(),
            read.rowsRead(),
            read.rowsRejected(),
            read.rejections(),
            source,
            timings),
        derived);
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
        null);
  }

  /**
   * {@code <last-modified day>-<16 hex of SHA-256(bucket, key, etag, version id)>}: sortable by day
   * and the same for the same object version, whoever delivers its event how often.
   */
  public static String version(ObjectInfo info) {
    return info.derivedName();
  }
}
