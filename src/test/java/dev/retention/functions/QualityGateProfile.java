package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The train function with a linear-only classifier, so that on data whose label lives in an
 * interaction a new model is clearly worse than a live model with interaction terms.
 */
public class QualityGateProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export", "train",
        "retention.train.non-linear.mode", "OFF",
        "retention.quality-gate.margin", "0.05");
  }
}
