package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the artifact as the batch-score function, as QUARKUS_FUNQY_EXPORT=batch-score does. */
public class BatchProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", "batch-score");
  }
}
