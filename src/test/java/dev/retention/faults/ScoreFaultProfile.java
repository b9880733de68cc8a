package dev.retention.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The score function behind the fault proxy: a 1 s TTL and a 1 s refresh budget. */
public class ScoreFaultProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.funqy.export",
        "score",
        "retention.score.cache-ttl",
        "1s",
        "retention.score.refresh-timeout",
        "1s");
  }
}
