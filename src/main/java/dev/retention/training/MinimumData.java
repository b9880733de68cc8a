package dev.retention.training;

import dev.retention.core.Described;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The least data a live model is trained on: below it training fails with a clear message instead
 * of publishing a model measured on a handful of rows (a 12-row export once gave "AUC 1.0" on 3).
 * The defaults follow what the market leaders ask for before they show predictions (Klaviyo's
 * predictive analytics needs at least 500 customers who ordered).
 *
 * <p>The floor actually applied is also at least the minimum segment size, and at least the rows
 * that give the held-out split twice that many customers, so that no published number comes from
 * fewer customers than the privacy rule allows ({@link Disclosure}).
 *
 * @param customers customers (rows) at least (default 500)
 * @param perClass customers of each label class at least: who bought again, and who did not
 *     (default 50)
 */
public record MinimumData(int customers, int perClass) implements Described {

  public MinimumData {
    if (customers < 1 || perClass < 1) {
      throw new IllegalArgumentException(
          "the minimum data must be at least 1 customer of each class, got "
              + customers
              + " customers and "
              + perClass
              + " per class");
    }
  }

  public static MinimumData defaults() {
    return new MinimumData(500, 50);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("customers", customers);
    out.put("perClass", perClass);
    return out;
  }
}
