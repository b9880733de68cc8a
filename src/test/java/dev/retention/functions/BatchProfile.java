package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the artifact as the batch-score function, as QUARKUS_FUNQY_EXPORT=batch-score does. */
public class BatchProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    // Its tests train a feature-export model and an orders model in turn under one model name: a
    // deliberate change of feature set, which the quality gate would otherwise hold.
    return Map.of(
        "quarkus.funqy.export",
        "batch-score",
        "retention.quality-gate.allow-dropped-features",
        "true");
  }
}
