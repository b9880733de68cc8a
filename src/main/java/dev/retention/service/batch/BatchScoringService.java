package dev.retention.service.batch;

import dev.retention.campaign.CampaignJson;
import dev.retention.campaign.CampaignManifest;
import dev.retention.campaign.CampaignPlan;
import dev.retention.campaign.LiftJson;
import dev.retention.campaign.LiftOptions;
import dev.retention.campaign.LiftResult;
import dev.retention.core.FeatureMatrix;
import dev.retention.data.CsvTokenizer;
import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.data.FeatureRows;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersDialect;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.report.ReportHtml;
import dev.retention.service.EmfMetrics;
import dev.retention.service.ExportObjects;
import dev.retention.service.Log;
import dev.retention.service.NoModelException;
import dev.retention.service.OrdersReading;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelIntegrityException;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import dev.retention.storage.ScoreIndex;
import dev.retention.storage.ScoreIndexWriter;
import dev.retention.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Scores whole exports with the current model and writes {@code scores/<model version>/<export path
 * under the scoring prefix>.csv}: customer id, segment, segment name, probability, churn-risk band
 * and suggested action, one row per customer.
 *
 * <p>The export's kind follows the model: a model derived from orders scores an orders export,
 * whose features are derived as of its latest order day (today's behaviour; see {@link
 * RfmFeatures}); any other model scores a feature export with its id column and the model's
 * features. Rows are streamed; bad rows follow the training rules (rejected and counted, too many
 * fail the export). Scores go to a temporary file and are uploaded only when the whole export was
 * read, so a failed export leaves no partial output; the same export and model always produce the
 * same key. Next to the scores goes {@code <same key>.report.html}: who to contact among the scored
 * customers, aggregates only ({@link ReportHtml#renderBatch}).
 */
public final class BatchScoringService {

  private static final Logger LOG = Logger.getLogger(BatchScoringService.class);
  private final ModelStore store;
  private final BatchSettings settings;
  private final Clock clock;
  private final EmfMetrics metrics;

  public BatchScoringService(ModelStore store, BatchSettings settings) {
    this(store, settings, Clock.systemUTC());
  }

  /** With the clock that stamps the batch report. */
  public BatchScoringService(ModelStore store, BatchSettings settings, Clock clock) {
    this(store, settings, clock, EmfMetrics.disabled());
  }

  /** With the metrics each scored export emits. */
  public BatchScoringService(
      ModelStore store, BatchSettings settings, Clock clock, EmfMetrics metrics) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Scores every object of one event.
   *
   * @throws NoModelException when no model has been published yet
   * @throws BatchScoringFailedException naming each failed export, after all were handled
   */
  public List<BatchSummary> handle(List<S3ObjectRef> objects) {
    return ExportObjects.each(
        objects,
        LOG,
        "batch.failed",
        this::handle,
        failures ->
            new BatchScoringFailedException(
                "batch scoring failed, nothing written for: " + failures),
        metrics);
  }

  private BatchSummary handle(S3ObjectRef object) {
    long start = System.nanoTime();
    String source = ExportObjects.source(object);
    ExportObjects.Target target =
        ExportObjects.target(
            store.bucket(),
            object,
            object.key().startsWith(settings.prefix()),
            "scoring prefix " + settings.prefix(),
            settings.limits(),
            settings.text());
    if (target.skipReason() != null) {
      return skip(source, target.skipReason());
    }
    ObjectInfo info = target.info();
    ModelStore.Latest latest;
    try {
      latest = store.fetchLatest(null);
    } catch (ModelIntegrityException e) {
      // Never scored with a file that is not the published one; counted for the alarm.
      metrics.record().put("ModelIntegrityFailures", 1, EmfMetrics.Unit.COUNT).emit();
      throw e;
    }
    if (latest.model() == null) {
      throw new NoModelException("no model has been published yet; train one first");
    }
    RetentionModel model = latest.model();
    String outcomesOf = OutcomesMeasurement.campaignId(object.key(), settings.prefix());
    if (outcomesOf != null) {
      return measure(outcomesOf, target, source, model, start);
    }
    Scorer scorer = Scorer.of(model);
    String outputKey =
        settings.outputPrefix()
            + model.version()
            + "/"
            + outputPath(object.key(), settings.prefix());
    BatchSettings.Campaign campaign = settings.campaign();
    if (campaign.enabled()) {
      // Refused before the export is read when another batch already planned this campaign.
      claimCampaign(campaign.id(), outputKey, null);
    }
    Path file = null;
    try {
      file = Files.createTempFile("scores-", ".csv");
      Outcome outcome;
      BatchScores scores = new BatchScores(model, settings.campaign().options().economics());
      try (InputStream in = store.bucket().open(info)) {
        outcome =
            model.derivation() != null
                ? scoreOrders(in, target.format(), info, model, scorer, scores)
                : scoreFeatures(in, target.format(), scorer, scores);
      }
      // Everything was read: only now is anything written.
      LocalDate asOf =
          outcome.asOf != null
              ? LocalDate.parse(outcome.asOf)
              : info.lastModified().atZone(java.time.ZoneOffset.UTC).toLocalDate();
      CampaignPlan plan = null;
      if (campaign.enabled()) {
        plan = scores.plan(campaign.id(), campaign.options(), asOf);
        // The claim before anything is written: a concurrent other batch loses here, unwritten.
        claimCampaign(
            campaign.id(),
            outputKey,
            CampaignJson.pointer(
                campaign.id(), campaignKey(outputKey), outputKey, model.version(), asOf));
      }
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        scores.write(out, settings.order(), asOf);
      }
      store
          .bucket()
          .upload(outputKey, file, "text/csv; charset=utf-8", metadata(model, outcome.asOf));
      // The manifest after the scores that list each customer's group; a retry rewrites both.
      String campaignKey = null;
      if (plan != null) {
        campaignKey = campaignKey(outputKey);
        store
            .bucket()
            .put(
                campaignKey,
                CampaignJson.write(plan.manifest(), outputKey),
                "application/json; charset=utf-8");
        CampaignManifest.Totals t = plan.manifest().totals();
        Log.event(
            LOG,
            Logger.Level.INFO,
            "batch.campaign",
            "campaignKey",
            campaignKey,
            "contact",
            t.contact(),
            "holdout",
            t.holdout(),
            "skip",
            t.skip());
      }
      // The report after the scores it describes: a failure here leaves no report without
      // scores, and the retry rewrites both under the same keys.
      String reportKey = reportKey(outputKey);
      store
          .bucket()
          .put(
              reportKey,
              ReportHtml.renderBatch(
                      model,
                      new ReportHtml.BatchView(
                          source,
                          outputKey,
                          clock.instant(),
                          asOf,
                          outcome.scored,
                          outcome.rowsRejected,
                          scores.bands(),
                          plan == null ? null : plan.manifest(),
                          scores.window()))
                  .getBytes(StandardCharsets.UTF_8),
              "text/html; charset=utf-8");
      // The lookup index last: it is made from the scores, and its pointer moves only when every
      // partition is written.
      String lookup = writeLookupIndex(model, scores, asOf, info, object, outputKey);
      BatchSummary summary =
          new BatchSummary(
              BatchSummary.Status.SCORED,
              source,
              outputKey,
              reportKey,
              model.version(),
              outcome.rowsRead,
              outcome.rowsRejected,
              outcome.scored,
              outcome.asOf,
              (System.nanoTime() - start) / 1_000_000,
              null,
              lookup,
              campaignKey);
      Log.event(
          LOG,
          Logger.Level.INFO,
          "batch.scored",
          "source",
          source,
          "outputKey",
          outputKey,
          "reportKey",
          reportKey,
          "modelVersion",
          model.version(),
          "customersScored",
          summary.customersScored(),
          "rowsRejected",
          summary.rowsRejected(),
          "lookupIndex",
          lookup,
          "firstReasons",
          outcome.rejections,
          "durationMs",
          summary.durationMs());
      metrics
          .record()
          .put("RowsRead", outcome.rowsRead, EmfMetrics.Unit.COUNT)
          .put("RowsRejected", outcome.rowsRejected, EmfMetrics.Unit.COUNT)
          .put(
              "RejectedShare",
              outcome.rowsRead == 0 ? 0 : 100.0 * outcome.rowsRejected / outcome.rowsRead,
              EmfMetrics.Unit.PERCENT)
          .put("CustomersScored", outcome.scored, EmfMetrics.Unit.COUNT)
          .put("BatchDuration", summary.durationMs(), EmfMetrics.Unit.MILLISECONDS)
          .property("modelVersion", model.version())
          .emit();
      return summary;
    } catch (IOException e) {
      throw new ExportException("cannot score " + source + ": " + e.getMessage(), e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.debug("temporary scores file not deleted", e);
        }
      }
    }
  }

  /**
   * Measures a campaign from an outcomes export ({@link OutcomesMeasurement}) and writes its result
   * and report: the report first, the result last, so a reader of the result finds its report; a
   * retry rewrites both under the same keys.
   */
  private BatchSummary measure(
      String campaignId,
      ExportObjects.Target target,
      String source,
      RetentionModel model,
      long start) {
    try {
      OutcomesMeasurement.Measured m =
          new OutcomesMeasurement(store.bucket(), settings.outputPrefix())
              .measure(
                  campaignId,
                  target.info(),
                  target.format(),
                  source,
                  dialect(model),
                  LiftOptions.defaults());
      String resultKey = OutcomesMeasurement.resultKey(settings.outputPrefix(), campaignId);
      String reportKey = resultKey.substring(0, resultKey.length() - ".json".length()) + ".html";
      store
          .bucket()
          .put(
              reportKey,
              ReportHtml.renderCampaignResult(model, m.result(), m.provenance())
                  .getBytes(StandardCharsets.UTF_8),
              "text/html; charset=utf-8");
      store
          .bucket()
          .put(
              resultKey,
              LiftJson.write(m.result(), m.provenance()),
              "application/json; charset=utf-8");
      long participants = 0;
      for (LiftResult.StratumLift s : m.result().strata()) {
        participants += s.contactCustomers() + s.holdoutCustomers();
      }
      BatchSummary summary =
          new BatchSummary(
              BatchSummary.Status.MEASURED,
              source,
              resultKey,
              reportKey,
              m.modelVersion(),
              m.rowsRead(),
              m.rowsRejected(),
              m.campaignCustomers(),
              m.asOf().toString(),
              (System.nanoTime() - start) / 1_000_000,
              null,
              null,
              m.provenance().manifest());
      Log.event(
          LOG,
          Logger.Level.INFO,
          "batch.measured",
          "source",
          source,
          "resultKey",
          resultKey,
          "manifest",
          m.provenance().manifest(),
          "participants",
          participants,
          "withheldStrata",
          m.result().withheldStrata(),
          "durationMs",
          summary.durationMs());
      return summary;
    } catch (IOException e) {
      throw new ExportException("cannot measure " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the batch's lookup index ({@link ScoreIndex}) and moves the model version's pointer to
   * it when this export is the latest scored: what {@code GET /customers/{id}} reads.
   *
   * @return what became of the pointer, or {@code OFF}
   */
  private String writeLookupIndex(
      RetentionModel model,
      BatchScores scores,
      LocalDate asOf,
      ObjectInfo info,
      S3ObjectRef object,
      String outputKey)
      throws IOException {
    BatchSettings.Lookup lookup = settings.lookup();
    if (!lookup.enabled()) {
      return "OFF";
    }
    String batch = info.derivedName();
    try (ScoreIndexWriter index =
        new ScoreIndexWriter(scores.rows().size(), lookup.customersPerPartition())) {
      for (BatchScores.Row row : scores.rows()) {
        index.add(row.id(), CsvTokenizer.joinRecord(scores.cells(row, asOf)));
      }
      ScoreIndex.Pointer pointer =
          new ScoreIndex.Pointer(
              model.version(),
              batch,
              index.partitions(),
              index.rows(),
              scores.rowColumns(),
              asOf.toString(),
              info.uri(),
              outputKey,
              clock.instant().toString(),
              new ModelOrder(info.lastModified().toString(), info.key(), object.sequencer(), batch),
              null,
              0);
      ScoreIndexWriter.Published published =
          index.publish(store.bucket(), lookup.prefix(), pointer, lookup.uploadThreads());
      return published.outcome().name();
    }
  }

  /**
   * The scores file's S3 metadata: the model version, the day its features describe (orders), and
   * what the file's order ranks by ({@code priority-by}: {@code expected-incremental-profit} with
   * an uplift model, else a propensity basis such as {@code value-at-risk}).
   */
  static Map<String, String> metadata(RetentionModel model, String featuresAsOf) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("model-version", model.version());
    if (featuresAsOf != null) {
      out.put("features-as-of", featuresAsOf);
    }
    out.put("priority-by", dev.retention.model.Priority.basis(model).text);
    return out;
  }

  /**
   * Makes this batch the campaign's one batch, or refuses it. The pointer {@code
   * scores/campaigns/<id>.json} names the batch that planned the campaign (the contact list the
   * shop sends); it is created once, conditionally ({@code If-None-Match}), and never rewritten, so
   * a later, earlier or concurrent other batch of the same id (a late redelivery, a retry after a
   * retraining, a setting left on for next week's export) can never move it. A redelivery or retry
   * of the campaign's own batch (the same scores key) finds its own pointer and goes on, rewriting
   * the same bytes under the same keys.
   *
   * @param pointer the pointer to create, or null only to check (before the export is read)
   * @throws ExportException naming {@code retention.campaign.id} and the campaign's batch when
   *     another batch planned it
   */
  private void claimCampaign(String campaignId, String outputKey, byte[] pointer) {
    String key = OutcomesMeasurement.pointerKey(settings.outputPrefix(), campaignId);
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Bucket.Stored> live = store.bucket().read(key);
      if (live.isPresent()) {
        String planned = CampaignJson.readPointer(live.get().bytes(), key).scores();
        if (planned.equals(outputKey)) {
          return;
        }
        throw new ExportException(
            "retention.campaign.id: campaign "
                + campaignId
                + " was planned from another batch ("
                + planned
                + "); a campaign is one batch, its contact list, and an outcomes export is"
                + " measured against it, so this export was not scored: set"
                + " retention.campaign.id to a new id for a new campaign; nothing written");
      }
      // An SDK retry of a create whose answer was lost also sees "exists": read it again.
      if (pointer == null
          || store.bucket().putIfAbsent(key, pointer, "application/json; charset=utf-8")) {
        return;
      }
    }
    throw new StorageException(key + " could not be created nor read", null);
  }

  /** {@code scores/v/name.csv} → {@code scores/v/name.campaign.json}: the campaign's manifest. */
  static String campaignKey(String outputKey) {
    return outputKey.substring(0, outputKey.length() - ".csv".length()) + ".campaign.json";
  }

  /** {@code scores/v/name.csv} → {@code scores/v/name.report.html} (one report per scores key). */
  static String reportKey(String outputKey) {
    return outputKey.substring(0, outputKey.length() - ".csv".length()) + ".report.html";
  }

  private record Outcome(
      long rowsRead, long rowsRejected, long scored, String asOf, List<String> rejections) {}

  private Outcome scoreFeatures(
      InputStream in, ExportFormat format, Scorer scorer, BatchScores scores) throws IOException {
    long[] scored = {0};
    FeatureRows.Result read =
        FeatureRows.read(
            in,
            format,
            settings.features(),
            scorer.featureNames(),
            (id, values) -> {
              add(scores, scorer, id, values);
              scored[0]++;
            });
    return new Outcome(read.rowsRead(), read.rowsRejected(), scored[0], null, read.rejections());
  }

  private Outcome scoreOrders(
      InputStream in,
      ExportFormat format,
      ObjectInfo info,
      RetentionModel model,
      Scorer scorer,
      BatchScores scores)
      throws IOException {
    LocalDate written = ExportObjects.latestOrderDay(info);
    // The orders are read in the dialect the model recorded: exactly as training read them.
    OrdersDialect dialect = dialect(model);
    OrderExportReader.Result read =
        OrderExportReader.read(in, format.withText(dialect.text()), dialect.schema(), written);
    RfmOptions rfm = new RfmOptions(model.derivation().labelWindowDays(), settings.rfm().cutoff());
    RfmFeatures.Derived now = RfmFeatures.forScoring(read.book(), read.columns(), rfm);
    FeatureMatrix features = now.features();
    List<String> needed = scorer.featureNames();
    int[] column = new int[needed.size()];
    for (int f = 0; f < column.length; f++) {
      column[f] = features.columns().indexOf(needed.get(f));
      if (column[f] < 0) {
        throw new ExportException(
            "the model needs feature '"
                + needed.get(f)
                + "', which this orders export cannot give (derived: "
                + features.columns()
                + "); export the same optional columns as for training");
      }
    }
    double[] x = features.data();
    int d = features.cols();
    double[] values = new double[column.length];
    for (int i = 0; i < features.rows(); i++) {
      for (int f = 0; f < column.length; f++) {
        values[f] = x[i * d + column[f]];
      }
      add(scores, scorer, now.customerIds().get(i), values);
    }
    return new Outcome(
        read.rowsRead(),
        read.rowsRejected(),
        features.rows(),
        now.cutoff().toString(),
        read.rejections());
  }

  /**
   * The dialect an orders model's orders are read in: the one it recorded, or for models before
   * schema 1.4 (which did not record one) the batch function's own settings.
   */
  OrdersDialect dialect(RetentionModel model) {
    return OrdersReading.dialect(model, new OrdersDialect(settings.orders(), settings.text()));
  }

  private static void add(BatchScores scores, Scorer scorer, String id, double[] values) {
    Scorer.Score score = scorer.score(values);
    scores.add(id, score, dev.retention.model.Playbook.BANDS.indexOf(score.churnRiskBand()));
  }

  /**
   * The scores' path for an export: its path under the scoring prefix, with its own suffix, then
   * {@code .csv} unless it already ends so: {@code exports/score/shopA/today.csv} → {@code
   * shopA/today.csv}, {@code today.jsonl} → {@code today.jsonl.csv}, {@code today.csv.gz} → {@code
   * today.csv.gz.csv}, {@code today.CSV} → {@code today.CSV.csv}. One export, one key: a name
   * ending in {@code .csv} that is itself another export's name plus {@code .csv} ({@code
   * today.jsonl.csv}) gets {@code .csv} once more. (The key was checked to be safe: no {@code ..}
   * or empty segment can leave the prefix.)
   */
  static String outputPath(String key, String prefix) {
    String path = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    if (path.endsWith(".csv")) {
      String stem = path.substring(0, path.length() - ".csv".length());
      if (ExportFormat.of(stem).isEmpty()) {
        return path;
      }
    }
    return path + ".csv";
  }

  private BatchSummary skip(String source, String reason) {
    Log.event(LOG, Logger.Level.INFO, "batch.skipped", "source", source, "reason", reason);
    return BatchSummary.skipped(source, reason);
  }
}
