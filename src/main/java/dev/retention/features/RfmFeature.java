package dev.retention.features;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The table of customer features derived from orders: each one's name, its meaning (recorded in the
 * model) and how it is computed from a customer's {@link CustomerHistory}. The definitions and the
 * values both come from here, so a feature cannot get one column's name and another's value.
 *
 * <p>Recency, frequency and monetary value follow Hughes, "Strategic Database Marketing" (1994);
 * see also Fader, Hardie and Lee, "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis",
 * JMR 2005.
 */
public enum RfmFeature {
  RECENCY_DAYS("recency_days", "days from the last purchase to the cutoff", null, h -> h.recency()),
  FREQUENCY("frequency", "distinct purchase days up to the cutoff", null, h -> h.distinctDays),
  MONETARY(
      "monetary",
      "mean purchase amount per order, net of refunds",
      RfmFeatures.Columns::money,
      h -> h.spend / h.purchases),
  TOTAL_SPEND(
      "total_spend",
      "sum of purchase amounts, net of refunds",
      RfmFeatures.Columns::money,
      h -> h.spend),
  TENURE_DAYS(
      "tenure_days", "days from the first purchase to the cutoff", null, h -> h.cutoff() - h.first),
  MEAN_DAYS_BETWEEN(
      "mean_days_between",
      "mean days between consecutive purchase days; the recency for a single purchase day",
      null,
      // A single purchase day: the gap is at least as long as the time since, so far.
      h -> h.gaps() == 0 ? h.recency() : h.gapSum / h.gaps()),
  STD_DAYS_BETWEEN(
      "std_days_between",
      "standard deviation (population) of days between purchase days; 0 below two gaps",
      null,
      h -> {
        int gaps = h.gaps();
        if (gaps < 2) {
          return 0;
        }
        double mean = h.gapSum / gaps;
        return Math.sqrt(Math.max(0, h.gapSquares / gaps - mean * mean));
      }),
  ORDERS_30D(
      "orders_30d",
      "purchase orders in the " + CustomerHistory.RECENT_SHORT + " days up to the cutoff",
      null,
      h -> h.recentShort),
  ORDERS_90D(
      "orders_90d",
      "purchase orders in the " + CustomerHistory.RECENT_LONG + " days up to the cutoff",
      null,
      h -> h.recentLong),
  ITEMS("items", "items bought in purchases", RfmFeatures.Columns::items, h -> h.items),
  REFUND_SHARE(
      "refund_share",
      "refunded or cancelled orders over all orders",
      RfmFeatures.Columns::status,
      h -> (double) h.refunds / (h.purchases + h.refunds)),
  CHANNELS(
      "channels",
      "distinct sales channels of purchases",
      RfmFeatures.Columns::channel,
      h -> Long.bitCount(h.channels));

  private final String column;
  private final String meaning;
  private final Predicate<RfmFeatures.Columns> needs;
  private final ToDoubleFunction<CustomerHistory> value;

  RfmFeature(
      String column,
      String meaning,
      Predicate<RfmFeatures.Columns> needs,
      ToDoubleFunction<CustomerHistory> value) {
    this.column = column;
    this.meaning = meaning;
    this.needs = needs;
    this.value = value;
  }

  /** The feature's column name in the derived table and the model. */
  public String column() {
    return column;
  }

  /** What it means, in one sentence. */
  public String meaning() {
    return meaning;
  }

  /**
   * The feature's value for a customer whose history {@linkplain CustomerHistory#finish finished}
   * as USED.
   */
  public double of(CustomerHistory history) {
    return value.applyAsDouble(history);
  }

  /** Whether the feature is money (left out of exports without money). */
  public boolean money() {
    return this == MONETARY || this == TOTAL_SPEND;
  }

  /** The features an export with these optional columns gives, in table order. */
  public static List<RfmFeature> available(RfmFeatures.Columns columns) {
    return java.util.Arrays.stream(values())
        .filter(f -> f.needs == null || f.needs.test(columns))
        .toList();
  }
}
