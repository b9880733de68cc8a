package dev.retention.functions;

import dev.retention.service.S3ObjectRef;
import dev.retention.service.TrainingService;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** Lambda adapter: S3 ObjectCreated notifications in, training summaries out. */
public class TrainFunction {

  @Inject TrainingService training;

  @Funq("train")
  public TrainResponse train(S3Event event) {
    List<S3ObjectRef> objects = new ArrayList<>();
    if (event != null && event.records() != null) {
      for (S3Event.Record record : event.records()) {
        if (record == null || record.s3() == null || record.s3().object() == null) {
          continue;
        }
        if (record.eventName() != null && !record.eventName().startsWith("ObjectCreated:")) {
          continue;
        }
        S3Event.S3Object object = record.s3().object();
        objects.add(
            new S3ObjectRef(
                record.s3().bucket().name(),
                S3ObjectRef.decodeKey(object.key()),
                object.eTag(),
                object.versionId()));
      }
    }
    return new TrainResponse(training.handle(objects));
  }
}
