package dev.retention.training;

import dev.retention.core.Described;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The customer-value layer of a model trained from orders: BG/NBD for the purchase process and
 * Gamma-Gamma for spend ({@code core.BgNbd}, {@code core.GammaGamma}), fitted on every customer's
 * repeat purchases, last purchase and age in weeks, and the value features they give the repurchase
 * model.
 *
 * @param mode OFF (no customer value), or AUTO (default): fit the models and offer P(alive), the
 *     expected purchases in the label window and log(1 + predicted CLV) to the repurchase model,
 *     kept only when they lower the validation log loss by the non-linear terms' relative margin
 * @param horizonDays predicted CLV's horizon, counted in whole months (default 365 = 12 months)
 * @param monthlyDiscountRate discount of each future month's value (default 0: undiscounted)
 * @param penalizer L2 penalty of both fits, lifetimes' {@code penalizer_coef} (default 0)
 */
public record CustomerValueOptions(
    Mode mode, int horizonDays, double monthlyDiscountRate, double penalizer) implements Described {

  /** Whether the customer-value layer runs. */
  public enum Mode {
    OFF,
    AUTO
  }

  public CustomerValueOptions {
    if (mode == null) {
      throw new IllegalArgumentException("the customer-value mode must be set");
    }
    if (horizonDays < 30 || horizonDays > 3650) {
      throw new IllegalArgumentException(
          "the CLV horizon must be 30 to 3650 days, got " + horizonDays);
    }
    if (!(monthlyDiscountRate >= 0 && monthlyDiscountRate < 1)) {
      throw new IllegalArgumentException(
          "the monthly discount rate must be in [0, 1), got " + monthlyDiscountRate);
    }
    if (!(penalizer >= 0) || Double.isInfinite(penalizer)) {
      throw new IllegalArgumentException("the penalizer must be >= 0, got " + penalizer);
    }
  }

  public static CustomerValueOptions defaults() {
    return new CustomerValueOptions(Mode.AUTO, 365, 0.0, 0.0);
  }

  /** The horizon in whole months (365 days = 12). */
  public int horizonMonths() {
    return Math.max(1, (int) Math.round(horizonDays / (365.25 / 12)));
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", mode.name());
    out.put("horizonDays", horizonDays);
    out.put("monthlyDiscountRate", monthlyDiscountRate);
    out.put("penalizer", penalizer);
    return out;
  }
}
