package dev.retention.functions;

import dev.retention.service.train.TrainingService;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** Lambda adapter: S3 ObjectCreated notifications in, training summaries out. */
public class TrainFunction {

  @Inject TrainingService training;

  @Funq("train")
  public TrainResponse train(S3Event event) {
    return new TrainResponse(
        training.handle(event == null ? java.util.List.of() : event.createdObjects()));
  }
}
