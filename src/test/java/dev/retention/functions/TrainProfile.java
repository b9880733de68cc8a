package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the artifact as the train function, as QUARKUS_FUNQY_EXPORT=train does in Lambda. */
public class TrainProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", "train");
  }
}
