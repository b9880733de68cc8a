package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The train function with the hand-off to Spark configured: a state machine (in us-east-1, served
 * by the stand-in of {@link StepFunctionsResource}) and a threshold small enough that the sample
 * export of 233 KB is "large"; one training setting of its own, which the hand-off must pass on.
 */
public class SparkHandOffProfile implements QuarkusTestProfile {

  static final String STATE_MACHINE =
      "arn:aws:states:us-east-1:123456789012:stateMachine:retention-spark-train";
  static final long THRESHOLD = 150_000;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "train",
        "retention.spark.state-machine-arn",
        STATE_MACHINE,
        "retention.spark.hand-off-bytes",
        Long.toString(THRESHOLD),
        "retention.train.kmeans.n-init",
        "4");
  }
}
