package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The train function with the settings README "Uplift models trained by the product" gives for
 * Hillstrom's e-mail test as it ships: label {@code visit}, spend and conversion left out, the
 * {@code segment} column read as the treatment (women's e-mail against no e-mail; the men's arm
 * trains the repurchase model only).
 */
public class HillstromUpliftProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "train",
        "retention.export.label-column",
        "visit",
        "retention.export.exclude-columns",
        "conversion,spend",
        "retention.export.treatment-column",
        "segment",
        "retention.export.treated-values",
        "Womens E-Mail",
        "retention.export.control-values",
        "No E-Mail",
        "retention.export.outside-treatment-values",
        "Mens E-Mail");
  }
}
