package dev.retention.model;

import java.util.Comparator;

/**
 * A customer's place in the one ordering that the report, the scores file and the score API share
 * (issue 21): customers <em>likely to lapse</em> (churn risk high or medium: repurchase probability
 * below the playbook's medium cut) first, then the others; within each tier by {@link #value},
 * largest first. Callers break remaining ties by customer id, so the same customers in any order
 * get the same ranking.
 *
 * <p>What {@code value} is depends on the model ({@link Basis}): value at risk ({@code clv (1 -
 * p)}) with spend, P(alive) × (1 − p) without money, else 1 − p. Ranking low-risk customers by
 * value at risk alone put loyal big spenders ("Thank them; ask for a review") at the top of the
 * contact list; a retention contact goes first to the customers who are likely to lapse.
 *
 * @param likelyToLapse whether churn risk is high or medium; under {@link
 *     Basis#EXPECTED_INCREMENTAL_PROFIT}, whether a contact is worth it
 * @param value the within-tier key, larger first
 */
public record Priority(boolean likelyToLapse, double value) {

  /** What ranks customers within a tier; {@link #text} is the name the API and README use. */
  public enum Basis {
    /** Predicted CLV × (1 − repurchase probability): a model with spend. */
    VALUE_AT_RISK("value-at-risk", "value at risk"),
    /** P(alive) × (1 − repurchase probability): a model of orders without money. */
    ACTIVE_AT_RISK("active-at-risk", "P(alive) × (1 − repurchase probability)"),
    /** 1 − repurchase probability: a model without the customer-value layer. */
    LAPSE_PROBABILITY("lapse-probability", "1 − repurchase probability"),
    /**
     * Uplift × gross margin × expected order value − cost per contact: a model with an uplift part
     * ({@link ContactEconomics}); the first tier is then the customers worth contacting.
     */
    EXPECTED_INCREMENTAL_PROFIT("expected-incremental-profit", "expected incremental profit");

    public final String text;
    public final String description;

    Basis(String text, String description) {
      this.text = text;
      this.description = description;
    }

    /**
     * The ordering in words, for the report and logs: "customers likely to lapse (churn risk high
     * or medium) first, then the others; each by value at risk, largest first".
     */
    public String sentence() {
      if (this == EXPECTED_INCREMENTAL_PROFIT) {
        return "customers worth contacting (a positive expected incremental profit, never a"
            + " sleeping dog) first, then the others; each by expected incremental profit (uplift ×"
            + " gross margin × expected order value − cost per contact), largest first";
      }
      return "customers likely to lapse (churn risk high or medium) first, then the others; each by "
          + description
          + ", largest first";
    }

    /** Whether this basis ranks by a contact's effect (an uplift model) rather than propensity. */
    public boolean byUplift() {
      return this == EXPECTED_INCREMENTAL_PROFIT;
    }
  }

  /** Likely to lapse first, then value, largest first. */
  public static final Comparator<Priority> ORDER =
      Comparator.comparing((Priority p) -> !p.likelyToLapse())
          .thenComparing(Priority::value, Comparator.reverseOrder());

  /** The basis of a model's customers: what its customer-value layer and money allow. */
  public static Basis basis(RetentionModel model) {
    if (model.uplift() != null && model.uplift().orderValueFeature() != null) {
      return Basis.EXPECTED_INCREMENTAL_PROFIT;
    }
    boolean money = model.derivation() == null || model.derivation().hasMoney();
    RetentionModel.CustomerValue cv = model.customerValue();
    if (cv == null) {
      return Basis.LAPSE_PROBABILITY;
    }
    if (!money) {
      return Basis.ACTIVE_AT_RISK;
    }
    return cv.gammaGamma() != null ? Basis.VALUE_AT_RISK : Basis.LAPSE_PROBABILITY;
  }

  /**
   * A customer's priority.
   *
   * @param band index in {@link Playbook#BANDS} of the customer's churn-risk band
   * @param probability the repurchase probability
   * @param value the customer-value quantities, or null without that layer
   */
  public static Priority of(
      Basis basis, int band, double probability, CustomerValueModel.Quantities value) {
    double key =
        switch (basis) {
          case VALUE_AT_RISK ->
              value == null || value.predictedClv() == null
                  ? 0
                  : CustomerValueModel.valueAtRisk(value.predictedClv(), probability);
          case ACTIVE_AT_RISK -> value == null ? 0 : value.pAlive() * (1 - probability);
          case LAPSE_PROBABILITY -> 1 - probability;
          case EXPECTED_INCREMENTAL_PROFIT ->
              throw new IllegalArgumentException(
                  "a priority by expected incremental profit comes from the contact decision"
                      + " (ofProfit)");
        };
    return new Priority(likelyToLapse(band), key);
  }

  /**
   * A customer's priority under {@link Basis#EXPECTED_INCREMENTAL_PROFIT}: the first tier ({@code
   * likelyToLapse} in this record, "worth contacting" in what the API and the file say) holds the
   * customers the contact decision would contact.
   */
  public static Priority ofProfit(ContactEconomics.Decision decision) {
    return new Priority(decision.worthContacting(), decision.expectedIncrementalProfit());
  }

  /** Churn risk high or medium. */
  public static boolean likelyToLapse(int band) {
    return band < Playbook.BANDS.indexOf("low");
  }
}
