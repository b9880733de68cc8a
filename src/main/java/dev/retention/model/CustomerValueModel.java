package dev.retention.model;

import dev.retention.core.BgNbdFit;
import dev.retention.core.GammaGamma;
import dev.retention.core.GammaGammaFit;
import java.util.List;

/**
 * The customer-value layer of a model, compiled for per-customer use: from one customer's features
 * (days since the last and the first purchase, distinct purchase days, mean and total spend) the
 * BG/NBD and Gamma-Gamma quantities, in the units operators read (days, money). Training and
 * scoring both compute them here, so the value features the classifier was fitted on are the ones
 * it is given.
 *
 * <p>With {@code x} = purchase days - 1 (repeat purchases), {@code T} = days since the first
 * purchase / 7 and {@code t_x = T - recency / 7} (weeks):
 *
 * <ul>
 *   <li>{@code pAlive} = P(alive | x, t_x, T);
 *   <li>{@code expectedPurchases} = E[Y(window) | x, t_x, T], purchase days expected in the label
 *       window;
 *   <li>{@code pPurchase} = P(Y(window) &gt;= 1 | x, t_x, T) = P(alive) (1 - ((alpha + T) / (alpha
 *       + T + t))^(r + x)), the probability of at least one purchase day in the label window
 *       (Fader, Hardie &amp; Lee 2005's model; the same as lifetimes' {@code
 *       conditional_probability_of_n_purchases_up_to_time} summed over n &gt;= 1): BG/NBD's own
 *       answer to the question the repurchase probability answers, from purchase days, recency and
 *       age alone; it is not the expected purchases, which count purchases, not customers;
 *   <li>{@code daysToNextOrder} = the median time to the next purchase of a customer who is still
 *       alive, {@code 7 (alpha + T)(2^(1/(r+x)) - 1)}: the median, not the mean, because the mean
 *       is infinite when {@code r + x <= 1}; read it with {@code pAlive};
 *   <li>{@code predictedClv} = sum over the horizon's months of the expected purchases that month
 *       times the expected spend E[M | x, m] (Gamma-Gamma), discounted per month; null when spend
 *       could not be fitted;
 *   <li>{@code historicClv} = total spend so far.
 * </ul>
 */
public final class CustomerValueModel {

  /**
   * One customer's value quantities.
   *
   * @param pPurchase BG/NBD's probability of at least one purchase in the label window, the number
   *     to set beside the repurchase probability ({@link BgNbdFit#probabilityOfPurchaseWithin})
   */
  public record Quantities(
      double pAlive,
      double expectedPurchases,
      double pPurchase,
      double daysToNextOrder,
      Double predictedClv,
      double historicClv) {}

  private static final double DAYS_PER_WEEK = 7.0;

  /**
   * How the warning starts that says a model trained from orders has no customer value, and why (in
   * the model's warnings; the summary, the log and the report show it).
   */
  public static final String LEFT_OUT = "customer value left out of this model: ";

  private final RetentionModel.CustomerValue value;
  private final BgNbdFit purchases;
  private final GammaGammaFit spend;
  private final int recency;
  private final int frequency;
  private final int tenure;
  private final int monetary;
  private final int totalSpend;

  private CustomerValueModel(RetentionModel.CustomerValue value, List<String> features) {
    this.value = value;
    RetentionModel.BgNbdParameters b = value.bgNbd();
    this.purchases = BgNbdFit.of(b.r(), b.alpha(), b.a(), b.b());
    RetentionModel.GammaGammaParameters g = value.gammaGamma();
    this.spend = g == null ? null : GammaGammaFit.of(g.p(), g.q(), g.v());
    RetentionModel.ValueRoles roles = value.roles();
    this.recency = index(features, roles.recency());
    this.frequency = index(features, roles.frequency());
    this.tenure = index(features, roles.tenure());
    this.monetary = index(features, roles.monetary());
    this.totalSpend = index(features, roles.totalSpend());
  }

  private static int index(List<String> features, String name) {
    int i = features.indexOf(name);
    if (i < 0) {
      throw new ModelFormatException(
          "the customer-value model reads feature '" + name + "', which the model does not have");
    }
    return i;
  }

  /**
   * Compiles the layer for a model's input features.
   *
   * @throws ModelFormatException if a role is not one of {@code features}
   */
  public static CustomerValueModel of(RetentionModel.CustomerValue value, List<String> features) {
    return new CustomerValueModel(value, features);
  }

  public RetentionModel.CustomerValue value() {
    return value;
  }

  /** Whether the spend model is there (then CLV is). */
  public boolean hasSpend() {
    return spend != null;
  }

  /**
   * The quantities of one customer's raw features (in the model's feature order).
   *
   * @throws FeatureValueException when the features cannot describe a purchase history: purchase
   *     days not a whole number of at least 1, negative times, or a last purchase before the first
   */
  public Quantities of(double[] raw) {
    double days = raw[frequency];
    if (!(days >= 1) || days != Math.rint(days) || days > 1_000_000) {
      throw new FeatureValueException(
          value.roles().frequency(),
          "feature '"
              + value.roles().frequency()
              + "' must be a whole number of purchase days of at least 1 (customer-value model)");
    }
    double sinceLast = raw[recency];
    double sinceFirst = raw[tenure];
    if (!(sinceLast >= 0) || !(sinceFirst >= sinceLast)) {
      throw new FeatureValueException(
          value.roles().tenure(),
          "features '"
              + value.roles().recency()
              + "' and '"
              + value.roles().tenure()
              + "' must satisfy 0 <= recency <= tenure (customer-value model)");
    }
    int x = (int) days - 1;
    if (x > 0 && spend != null && !(raw[monetary] > 0)) {
      throw new FeatureValueException(
          value.roles().monetary(),
          "feature '"
              + value.roles().monetary()
              + "' must be > 0 for a customer with repeat purchases (customer-value model)");
    }
    double age = sinceFirst / DAYS_PER_WEEK;
    double tx = (sinceFirst - sinceLast) / DAYS_PER_WEEK;
    if (x > 0 && !(tx > 0)) {
      tx = Math.min(age, 1.0 / DAYS_PER_WEEK); // repeat days within the first day: a day apart
    }
    double alive = purchases.probabilityAlive(x, tx, age);
    double window = value.windowDays() / DAYS_PER_WEEK;
    double expected = purchases.expectedPurchases(window, x, tx, age);
    double any = purchases.probabilityOfPurchaseWithin(window, x, tx, age);
    double nextDays = DAYS_PER_WEEK * purchases.medianTimeToNextPurchaseGivenAlive(x, age);
    Double clv = null;
    if (spend != null) {
      double mean = raw[monetary];
      clv =
          spend.customerLifetimeValue(
              purchases,
              x,
              tx,
              age,
              x == 0 ? spend.populationMeanSpend() : mean,
              value.horizonMonths(),
              value.monthlyDiscountRate(),
              GammaGamma.WEEKS_PER_MONTH);
    }
    return new Quantities(alive, expected, any, nextDays, clv, raw[totalSpend]);
  }

  /**
   * The quantities of a newcomer: a customer without a repeat purchase, seen at their first
   * purchase ({@code x = 0}, {@code t_x = T = 0}), as the BG/NBD model describes a customer who has
   * just joined: P(alive) 1 (nobody drops out before a repeat purchase), the expected purchases of
   * a new customer in the window (FHL 2005 eq. 9), the median time to a first repeat purchase, CLV
   * at the population's mean spend (Gamma-Gamma's prior mean: there is no spend of their own yet),
   * and no historic value. What the API answers for a customer with no purchase yet.
   */
  public Quantities newcomer() {
    double alive = purchases.probabilityAlive(0, 0, 0);
    double window = value.windowDays() / DAYS_PER_WEEK;
    double expected = purchases.expectedPurchases(window, 0, 0, 0);
    double any = purchases.probabilityOfPurchaseWithin(window, 0, 0, 0);
    double nextDays = DAYS_PER_WEEK * purchases.medianTimeToNextPurchaseGivenAlive(0, 0);
    Double clv = null;
    if (spend != null) {
      clv =
          spend.customerLifetimeValue(
              purchases,
              0,
              0,
              0,
              spend.populationMeanSpend(),
              value.horizonMonths(),
              value.monthlyDiscountRate(),
              GammaGamma.WEEKS_PER_MONTH);
    }
    return new Quantities(alive, expected, any, nextDays, clv, 0);
  }

  /**
   * A customer's value at risk: the predicted CLV times the probability of not buying again in the
   * label window, {@code clv (1 - p)}. The one definition of the number: segments, report cells and
   * batch priority all use it.
   */
  public static double valueAtRisk(double predictedClv, double repurchaseProbability) {
    return predictedClv * (1 - repurchaseProbability);
  }

  /**
   * P(alive) of a customer with {@code repeatPurchases} repeat purchase days, the last {@code
   * daysSinceLast} and the first {@code daysSinceFirst} days before the cutoff: for the report's
   * grid, without a customer's row.
   */
  public double probabilityAlive(int repeatPurchases, double daysSinceLast, double daysSinceFirst) {
    double age = daysSinceFirst / DAYS_PER_WEEK;
    double tx = Math.max(0, daysSinceFirst - daysSinceLast) / DAYS_PER_WEEK;
    return purchases.probabilityAlive(repeatPurchases, tx, age);
  }

  /** The value features' raw values, in {@link RetentionModel.CustomerValue#features()} order. */
  public void features(Quantities q, double[] out, int offset) {
    out[offset] = q.pAlive();
    out[offset + 1] = q.expectedPurchases();
    if (value.features().size() > 2) {
      out[offset + 2] = Math.log1p(q.predictedClv() == null ? 0 : q.predictedClv());
    }
  }
}
