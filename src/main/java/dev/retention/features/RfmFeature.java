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
  RECENCY_DAYS(
      "recency_days",
      "days from the last purchase to the cutoff",
      Domain.WHOLE,
      null,
      h -> h.recency()),
  FREQUENCY(
      "frequency",
      "distinct purchase days up to the cutoff",
      Domain.WHOLE,
      null,
      h -> h.distinctDays),
  MONETARY(
      "monetary",
      "mean purchase amount per order, net of refunds",
      Domain.NON_NEGATIVE,
      RfmFeatures.Columns::money,
      h -> h.spend / h.purchases),
  TOTAL_SPEND(
      "total_spend",
      "sum of purchase amounts, net of refunds",
      Domain.NON_NEGATIVE,
      RfmFeatures.Columns::money,
      h -> h.spend),
  TENURE_DAYS(
      "tenure_days",
      "days from the first purchase to the cutoff",
      Domain.WHOLE,
      null,
      h -> h.cutoff() - h.first),
  MEAN_DAYS_BETWEEN(
      "mean_days_between",
      "mean days between consecutive purchase days; the recency for a single purchase day",
      Domain.NON_NEGATIVE,
      null,
      // A single purchase day: the gap is at least as long as the time since, so far.
      h -> h.gaps() == 0 ? h.recency() : h.gapSum / h.gaps()),
  STD_DAYS_BETWEEN(
      "std_days_between",
      "standard deviation (population) of days between purchase days; 0 below two gaps",
      Domain.NON_NEGATIVE,
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
      Domain.WHOLE,
      null,
      h -> h.recentShort),
  ORDERS_90D(
      "orders_90d",
      "purchase orders in the " + CustomerHistory.RECENT_LONG + " days up to the cutoff",
      Domain.WHOLE,
      null,
      h -> h.recentLong),
  ITEMS(
      "items",
      "items bought in purchases",
      Domain.NON_NEGATIVE,
      RfmFeatures.Columns::items,
      h -> h.items),
  REFUND_SHARE(
      "refund_share",
      "refunded or cancelled orders over all orders",
      Domain.SHARE,
      RfmFeatures.Columns::status,
      h -> (double) h.refunds / (h.purchases + h.refunds)),
  CHANNELS(
      "channels",
      "distinct sales channels of purchases",
      Domain.WHOLE,
      RfmFeatures.Columns::channel,
      h -> Long.bitCount(h.channels));

  /**
   * The values a feature (or an export cell it is summed from) can take: what the derivation can
   * give, and so what a request that sends derived features may send. One rule for the orders
   * reader's cells ({@code items}) and the score API's features.
   */
  public enum Domain {
    /** 0 or more. */
    NON_NEGATIVE("a non-negative number"),
    /** A whole number, 0 or more (days, counts). */
    WHOLE("a whole number of at least 0"),
    /** A share: from 0 to 1. */
    SHARE("a share between 0 and 1");

    private final String phrase;

    Domain(String phrase) {
      this.phrase = phrase;
    }

    /** What the values are, e.g. "a non-negative number". */
    public String phrase() {
      return phrase;
    }

    /** Whether {@code value} is one of them (NaN never is). */
    public boolean test(double value) {
      return switch (this) {
        case NON_NEGATIVE -> value >= 0 && value < Double.POSITIVE_INFINITY;
        case WHOLE -> value >= 0 && value < 1e15 && value == Math.rint(value);
        case SHARE -> value >= 0 && value <= 1;
      };
    }
  }

  private final String column;
  private final String meaning;
  private final Domain domain;
  private final Predicate<RfmFeatures.Columns> needs;
  private final ToDoubleFunction<CustomerHistory> value;

  RfmFeature(
      String column,
      String meaning,
      Domain domain,
      Predicate<RfmFeatures.Columns> needs,
      ToDoubleFunction<CustomerHistory> value) {
    this.column = column;
    this.meaning = meaning;
    this.domain = domain;
    this.needs = needs;
    this.value = value;
  }

  /** The values the derivation can give this feature. */
  public Domain domain() {
    return domain;
  }

  /** The feature derived into column {@code name}, if any. */
  public static java.util.Optional<RfmFeature> ofColumn(String name) {
    for (RfmFeature f : values()) {
      if (f.column.equals(name)) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
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

  /**
   * Why a set of derived features could not have come from the derivation.
   *
   * @param feature the feature at fault
   * @param reason what the derivation gives instead, without the value
   */
  public record Impossible(String feature, String reason) {}

  /**
   * The first value among {@code values} (named by {@code names}, in the same order) that the
   * derivation cannot give: outside its feature's {@link Domain}, a recency longer than the tenure,
   * or more orders in the last 30 days than in the last 90. Names that are not derived features are
   * not checked. What a request that sends derived features is held to, so that it is refused where
   * an export would be.
   *
   * @return the first problem, or null
   */
  public static Impossible impossible(java.util.List<String> names, double[] values) {
    for (int c = 0; c < names.size(); c++) {
      RfmFeature f = ofColumn(names.get(c)).orElse(null);
      if (f != null && !Double.isFinite(values[c])) {
        return new Impossible(f.column, "feature '" + f.column + "' must be a finite number");
      }
      if (f != null && !f.domain.test(values[c])) {
        return new Impossible(
            f.column,
            "feature '"
                + f.column
                + "' must be "
                + f.domain.phrase()
                + ", as the orders derivation gives it");
      }
    }
    int recency = names.indexOf(RECENCY_DAYS.column);
    int tenure = names.indexOf(TENURE_DAYS.column);
    if (recency >= 0 && tenure >= 0 && values[recency] > values[tenure]) {
      return new Impossible(
          TENURE_DAYS.column,
          "feature 'recency_days' cannot exceed 'tenure_days': the last purchase is not before the"
              + " first");
    }
    int short30 = names.indexOf(ORDERS_30D.column);
    int long90 = names.indexOf(ORDERS_90D.column);
    if (short30 >= 0 && long90 >= 0 && values[short30] > values[long90]) {
      return new Impossible(
          ORDERS_90D.column,
          "feature 'orders_30d' cannot exceed 'orders_90d': the last 30 days are within the last"
              + " 90");
    }
    return null;
  }

  /** The features an export with these optional columns gives, in table order. */
  public static List<RfmFeature> available(RfmFeatures.Columns columns) {
    return java.util.Arrays.stream(values())
        .filter(f -> f.needs == null || f.needs.test(columns))
        .toList();
  }
}
