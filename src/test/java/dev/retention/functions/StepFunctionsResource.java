package dev.retention.functions;

import dev.retention.testing.StepFunctionsStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the Step Functions stand-in for a @QuarkusTest and points the hand-off at it. */
public class StepFunctionsResource implements QuarkusTestResourceLifecycleManager {

  static StepFunctionsStandIn standIn;

  @Override
  public Map<String, String> start() {
    standIn = StepFunctionsStandIn.start();
    return Map.of("retention.spark.endpoint-override", standIn.endpoint().toString());
  }

  @Override
  public void stop() {
    if (standIn != null) {
      standIn.close();
      standIn = null;
    }
  }
}
