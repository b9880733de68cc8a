package dev.retention.functions;

import dev.retention.core.FeatureMatrix;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.train.TrainingService;
import dev.retention.training.MinimumData;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
public class Priming {

  void onStart(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.funqy.export") Optional<String> export,
      Instance<ScoreApi> scoring,
      Instance<TrainingService> training,
      Instance<BatchScoringService> batch,
      Config config) {
    // A misspelt setting fails the init phase, with the known ones listed, before any event.
    KnownSettings.check(config, System.getenv());
    switch (export.orElse("")) {
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

  /**
   * Loads and JIT-warms the model JSON and scoring code on a tiny throwaway model trained from
   * fixed synthetic rows (no customer data, no network): the classes a first request needs.
   */
  static void exerciseModelPath() {
    // Enough rows for the privacy floor (the held-out split alone holds the minimum segment size).
    int n = 600;
    double[] data = new double[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      data[2 * i] = i % 8;
      data[2 * i + 1] = (i * 7) % 11;
      labels[i] = (i % 8) + ((i * 7) % 11) > 8 ? 1 : 0;
    }
    RetentionModel model =
        Trainer.train(
            Trainer.Input.of(new FeatureMatrix(List.of("a", "b"), data), labels, "label"),
            TrainingOptions.defaults()
                .withK(2)
                .withKMeans(k -> k.withNInit(1))
                .withNonLinear(o -> o.withMode(NonLinearOptions.Mode.OFF))
                .withMinimum(new MinimumData(1, 1)),
            new Trainer.Identity("priming", "priming", Instant.EPOCH));
    Scorer scorer = Scorer.of(ModelJson.read(ModelJson.write(model)));
    scorer.score(new double[] {1.0, 2.0});
  }
}
