package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The train function for a past campaign's export: its treatment column is {@code treated}. */
public class UpliftTrainProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", "train", "retention.export.treatment-column", "treated");
  }
}
