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

/** The Groceries purchase log (no money, no order ids), as shipped, through the train function. */
@QuarkusTest
@TestProfile(GroceriesFunctionTest.Profile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class GroceriesFunctionTest extends RealExportFunctionTests {

  /** The train function with the README's settings for this export. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(RealExports.GROCERIES_SETTINGS);
      config.put("quarkus.funqy.export", "train");
      return config;
    }
  }

  @Override
  byte[] shipped() {
    return RealExports.bytes(RealExports.GROCERIES);
  }

  @Override
  String text() {
    return RealExports.text(RealExports.GROCERIES);
  }

  @Override
  String name() {
    return "Groceries_dataset.csv.gz";
  }

  @Override
  Map<String, String> settings() {
    return RealExports.GROCERIES_SETTINGS;
  }

  @Override
  List<PlainDerivation.Row> plainRows(String text) {
    return RealExports.groceriesRows(text);
  }

  /** Purchases of a grocery log barely predict the next 90 days: held-out AUC about 0.53. */
  @Override
  boolean heldByFloors() {
    return true;
  }

  @Override
  boolean money() {
    return false;
  }

  @Override
  boolean refundShare() {
    return false;
  }

  @Override
  boolean items() {
    return false;
  }
}
