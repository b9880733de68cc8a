package dev.retention.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The train function behind the fault proxy. */
public class TrainFaultProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", "train");
  }
}
