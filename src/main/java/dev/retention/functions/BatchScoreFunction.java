package dev.retention.functions;

import dev.retention.service.batch.BatchScoringService;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.List;

/** Lambda adapter: S3 ObjectCreated notifications under the scoring prefix in, summaries out. */
public class BatchScoreFunction {

  @Inject BatchScoringService batch;

  @Funq("batch-score")
  public BatchScoreResponse batchScore(S3Event event) {
    Invocation.arrived();
    return new BatchScoreResponse(batch.handle(event == null ? List.of() : event.createdObjects()));
  }
}
