package dev.retention.model;

/**
 * What a contact costs and what a purchase earns: the contact decision by expected profit.
 *
 * <p>For a customer with uplift {@code tau} (the change in the probability of buying in the window
 * that a contact causes) and expected order value {@code v}: expected incremental revenue {@code
 * tau v}, expected incremental profit {@code tau m v - c} with gross margin {@code m} and cost per
 * contact {@code c}. Contact when the profit is positive; a customer with {@code tau < 0} is a
 * "sleeping dog" (a contact is expected to lose a purchase) and is never contacted, whatever the
 * budget.
 *
 * @param costPerContact {@code c >= 0}, in the shop's currency (default 0)
 * @param grossMargin {@code m} in [0, 1], the share of revenue that is profit (default 1: without
 *     it, expected profit is expected incremental revenue minus the contact cost)
 */
public record ContactEconomics(double costPerContact, double grossMargin) {

  public ContactEconomics {
    if (!(costPerContact >= 0) || Double.isInfinite(costPerContact)) {
      throw new IllegalArgumentException(
          "the cost per contact must be a finite number >= 0, got " + costPerContact);
    }
    if (!(grossMargin >= 0 && grossMargin <= 1)) {
      throw new IllegalArgumentException("the gross margin must be in [0, 1], got " + grossMargin);
    }
  }

  public static ContactEconomics defaults() {
    return new ContactEconomics(0, 1);
  }

  /** {@code tau v}. */
  public double expectedIncrementalRevenue(double uplift, double orderValue) {
    return uplift * orderValue;
  }

  /** {@code tau m v - c}. */
  public double expectedIncrementalProfit(double uplift, double orderValue) {
    return uplift * grossMargin * orderValue - costPerContact;
  }

  /** The decision for one customer. */
  public Decision decide(double uplift, double orderValue) {
    if (!Double.isFinite(uplift) || !(orderValue >= 0) || Double.isInfinite(orderValue)) {
      throw new IllegalArgumentException(
          "a contact decision needs a finite uplift and an order value >= 0");
    }
    double profit = expectedIncrementalProfit(uplift, orderValue);
    boolean sleepingDog = uplift < 0;
    return new Decision(
        expectedIncrementalRevenue(uplift, orderValue),
        profit,
        !sleepingDog && profit > 0,
        sleepingDog);
  }

  /**
   * One customer's decision.
   *
   * @param expectedIncrementalRevenue {@code tau v}
   * @param expectedIncrementalProfit {@code tau m v - c}
   * @param worthContacting profit {@code > 0} and not a sleeping dog
   * @param sleepingDog {@code tau < 0}
   */
  public record Decision(
      double expectedIncrementalRevenue,
      double expectedIncrementalProfit,
      boolean worthContacting,
      boolean sleepingDog) {}
}
