package dev.retention.functions;

import dev.retention.config.RetentionConfig;
import dev.retention.service.train.Deadline;
import dev.retention.service.train.TrainingService;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/** Lambda adapter: S3 ObjectCreated notifications in, training summaries out. */
public class TrainFunction {

  @Inject TrainingService training;
  @Inject RetentionConfig mapping;

  @Funq("train")
  public TrainResponse train(S3Event event) {
    Invocation.arrived();
    return new TrainResponse(
        training.handle(
            event == null ? java.util.List.of() : event.createdObjects(),
            deadline(System.nanoTime())));
  }

  /** The Lambda context's remaining time, else the configured time limit, less the reserve. */
  private Deadline deadline(long now) {
    Optional<Duration> remaining =
        Invocation.remaining(now).or(() -> mapping.invocation().timeLimit());
    return remaining
        .map(r -> Deadline.in(r, mapping.invocation().deadlineReserve(), System::nanoTime))
        .orElse(Deadline.none());
  }
}
