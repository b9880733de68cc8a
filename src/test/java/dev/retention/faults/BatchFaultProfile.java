package dev.retention.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The batch-score function behind the fault proxy. */
public class BatchFaultProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", "batch-score");
  }
}
