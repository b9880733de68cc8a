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

/** UCI Online Retail's line items, as shipped, through the train function. */
@QuarkusTest
@TestProfile(OnlineRetailFunctionTest.Profile.class)
@QuarkusTestResource(value = LocalS3Resource.class, restrictToAnnotatedClass = true)
class OnlineRetailFunctionTest extends RealExportFunctionTests {

  /** The train function with the README's settings for this export. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(RealExports.ONLINE_RETAIL_SETTINGS);
      config.put("quarkus.funqy.export", "train");
      // Issue 18: on this export the BG/NBD fit does not converge and training fails with a NaN
      // in log_clv_365d (the customer-value side, another change's); until that lands the
      // reading is tested with customer value off.
      config.put("retention.train.customer-value.mode", "OFF");
      return config;
    }
  }

  @Override
  byte[] shipped() {
    return RealExports.bytes(RealExports.ONLINE_RETAIL);
  }

  @Override
  String text() {
    return RealExports.text(RealExports.ONLINE_RETAIL);
  }

  @Override
  String name() {
    return "online_retail_by_customer.csv.gz";
  }

  @Override
  Map<String, String> settings() {
    return RealExports.ONLINE_RETAIL_SETTINGS;
  }

  @Override
  List<PlainDerivation.Row> plainRows(String text) {
    return RealExports.onlineRetailRows(text);
  }

  @Override
  boolean money() {
    return true;
  }

  @Override
  boolean refundShare() {
    return true;
  }

  @Override
  boolean items() {
    return true;
  }
}
