package dev.retention.functions;

import dev.retention.core.FeatureMatrix;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.ScoringService;
import dev.retention.service.TrainingService;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
      Instance<ScoringService> scoring,
      Instance<TrainingService> training) {
    String function = export.orElse("");
    if (function.equals("score")) {
      scoring.get();
      exerciseModelPath();
    } else if (function.equals("train")) {
      training.get();
    }
  }

  /**
   * Loads and JIT-warms the model JSON and scoring code on a tiny throwaway model trained from
   * fixed synthetic rows (no customer data, no network): the classes a first request needs.
   */
  static void exerciseModelPath() {
    int n = 64;
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
            TrainingOptions.builder()
                .k(2)
                .nInit(1)
                .nonLinear(TrainingOptions.NonLinearMode.OFF)
                .build(),
            new Trainer.Identity("priming", "priming", Instant.EPOCH));
    Scorer scorer = Scorer.of(ModelJson.read(ModelJson.write(model)));
    scorer.score(Map.of("a", 1.0, "b", 2.0));
  }
}
