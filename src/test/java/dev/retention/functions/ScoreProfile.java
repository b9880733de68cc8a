package dev.retention.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the artifact as the score function, with a short model-cache TTL for the reload tests. */
public class ScoreProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", "score", "retention.score.cache-ttl", "1s");
  }
}
