package dev.retention.functions;

import dev.retention.testing.PlainDerivation;
import dev.retention.testing.RealExports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** CDNOW's order log (no order ids), as shipped, through the train function. */
@QuarkusTest
@TestProfile(CdnowFunctionTest.Profile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class CdnowFunctionTest extends RealExportFunctionTests {

  /** The train function with the README's settings for this export. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(RealExports.CDNOW_SETTINGS);
      config.put("quarkus.funqy.export", "train");
      return config;
    }
  }

  @Override
  byte[] shipped() {
    return RealExports.bytes(RealExports.CDNOW);
  }

  @Override
  String text() {
    return RealExports.text(RealExports.CDNOW);
  }

  @Override
  String name() {
    return "cdnowElog.csv";
  }

  @Override
  Map<String, String> settings() {
    return RealExports.CDNOW_SETTINGS;
  }

  @Override
  List<PlainDerivation.Row> plainRows(String text) {
    return RealExports.cdnowRows(text);
  }

  @Override
  boolean money() {
    return true;
  }

  @Override
  boolean refundShare() {
    return false;
  }

  @Override
  boolean items() {
    return true;
  }
}
