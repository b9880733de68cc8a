package dev.retention.campaign;

import dev.retention.core.Described;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a campaign's lift is measured.
 *
 * @param confidence of every interval (default 0.95)
 * @param power of the minimum detectable effect, at level {@code 1 - confidence} (default 0.8)
 * @param bootstrapResamples resamples of the revenue bootstrap, 0 = Welch only (default 2000: the
 *     interval's limits then move by about 1 % of its width between seeds)
 * @param seed the bootstrap's seed (default 42)
 */
public record LiftOptions(double confidence, double power, int bootstrapResamples, long seed)
    implements Described {

  public LiftOptions {
    if (!(confidence > 0 && confidence < 1) || !(power > 0 && power < 1)) {
      throw new IllegalArgumentException(
          "confidence and power must be in (0, 1), got " + confidence + ", " + power);
    }
    if (bootstrapResamples != 0 && bootstrapResamples < 100) {
      throw new IllegalArgumentException(
          "bootstrap resamples must be 0 (off) or >= 100, got " + bootstrapResamples);
    }
  }

  public static LiftOptions defaults() {
    return new LiftOptions(0.95, 0.8, 2000, 42);
  }

  public LiftOptions withBootstrapResamples(int resamples) {
    return new LiftOptions(confidence, power, resamples, seed);
  }

  public LiftOptions withSeed(long newSeed) {
    return new LiftOptions(confidence, power, bootstrapResamples, newSeed);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("confidence", confidence);
    out.put("power", power);
    out.put("bootstrapResamples", bootstrapResamples);
    out.put("seed", seed);
    return out;
  }
}
