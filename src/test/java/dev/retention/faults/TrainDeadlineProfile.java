package dev.retention.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The train function behind the fault proxy with a deadline: the invocation has 6 s (as the
 * template's {@code RETENTION_INVOCATION_TIME_LIMIT} gives a function whose runtime does not pass
 * the Lambda context on), 2 s of them kept for publishing and logging.
 */
public class TrainDeadlineProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "train",
        "retention.invocation.time-limit",
        "6s",
        "retention.invocation.deadline-reserve",
        "2s");
  }
}
