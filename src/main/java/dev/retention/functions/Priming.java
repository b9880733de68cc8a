package dev.retention.functions;

import dev.retention.config.KnownSettings;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.train.TrainingService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the exported function's service (and so the S3 client, the heaviest class loading) during
 * the Lambda init phase rather than in the first request. With SnapStart the init phase is
 * snapshotted, so restored instances start with these objects ready; without it, the work moves out
 * of the first request's latency. No network call is made here: the model is fetched on first use,
 * so a snapshot never holds a stale model.
 */
@Singleton
public class Priming implements Resource {

  private Instance<ScoreApi> scoring;
  private String function = "";

  void onStart(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.funqy.export") Optional<String> export,
      Instance<ScoreApi> scoring,
      Instance<TrainingService> training,
      Instance<BatchScoringService> batch,
      Config config) {
    try {
      start(export, scoring, training, batch, config);
    } catch (RuntimeException e) {
      InitFailure.report(e);
      throw e;
    }
  }

  private void start(
      Optional<String> export,
      Instance<ScoreApi> scoring,
      Instance<TrainingService> training,
      Instance<BatchScoringService> batch,
      Config config) {
    // A misspelt setting fails the init phase, with the known ones listed, before any event.
    KnownSettings.check(config, System.getenv());
    this.scoring = scoring;
    this.function = export.orElse("");
    // SnapStart: the runtime calls beforeCheckpoint before the snapshot, afterRestore after.
    Core.getGlobalContext().register(this);
    switch (function) {
      case "score" -> {
        scoring.get();
        exerciseModelPath();
      }
      case "train" -> training.get();
      case "batch-score" -> {
        batch.get();
        exerciseModelPath();
      }
      default -> {
        // no function exported (tests of single beans): nothing to warm
      }
    }
  }

  /** Before the SnapStart snapshot: the scoring path once more, so the snapshot holds it warm. */
  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    if (function.equals("score") || function.equals("batch-score")) {
      exerciseModelPath();
    }
  }

  /**
   * After a restore: the model is re-checked on the next request (no network here: restore hooks
   * must finish within Lambda's 2 s, and the first request re-checks within its own budget).
   */
  @Override
  public void afterRestore(Context<? extends Resource> context) {
    if (function.equals("score") && scoring != null) {
      scoring.get().cache().restored();
    }
  }

  /**
   * Loads and JIT-warms the scoring path on the bundled priming model ({@code priming-model.json}:
   * two synthetic features, no customer data, no network): model JSON in and out, the scorer, and
   * the score API's request reader and response writer. Nothing of training is loaded, so the score
   * function's init stays small.
   */
  static void exerciseModelPath() {
    try (InputStream in = Priming.class.getResourceAsStream("/priming-model.json")) {
      if (in == null) {
        throw new IllegalStateException("priming-model.json is missing from the class path");
      }
      RetentionModel model = ModelJson.read(in);
      Scorer scorer = Scorer.of(model);
      ModelJson.write(model);
      ScoreApi.prime(scorer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
