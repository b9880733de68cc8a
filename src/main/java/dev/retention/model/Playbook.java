package dev.retention.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Churn-risk bands and the suggested action for each segment kind and band, recorded in the model
 * so that the score API, batch scores and the report agree.
 *
 * <p>A customer's band: "high" churn risk when the repurchase probability is below {@code
 * highRiskBelow}, "medium" below {@code mediumRiskBelow}, else "low". The action for a segment kind
 * and band is the first rule that matches, most specific first: kind and band, kind and {@code *},
 * {@code *} and band, {@code *} and {@code *}.
 *
 * @param highRiskBelow probability under which churn risk is "high"
 * @param mediumRiskBelow probability under which churn risk is "medium"
 * @param rules the rules, overrides first
 */
public record Playbook(double highRiskBelow, double mediumRiskBelow, List<Rule> rules)
    implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** One line of the playbook; {@code *} matches any kind or band. */
  public record Rule(String kind, String band, String action) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  public static final List<String> BANDS = List.of("high", "medium", "low");

  /** Default cut points: high churn risk below 0.33, medium below 0.66. */
  public static final double DEFAULT_HIGH_RISK_BELOW = 0.33;

  public static final double DEFAULT_MEDIUM_RISK_BELOW = 0.66;

  public Playbook {
    rules = List.copyOf(rules);
    if (!(0 <= highRiskBelow && highRiskBelow <= mediumRiskBelow && mediumRiskBelow <= 1)) {
      throw new IllegalArgumentException(
          "risk band cut points must satisfy 0 <= high <= medium <= 1, got "
              + highRiskBelow
              + ", "
              + mediumRiskBelow);
    }
  }

  /** Churn-risk band of a repurchase probability. */
  public String band(double repurchaseProbability) {
    return BANDS.get(bandIndex(repurchaseProbability));
  }

  /**
   * A model's playbook, or the default bands and actions for files of schema 1.0, which had none.
   */
  public static Playbook orDefault(Playbook playbook) {
    return playbook != null
        ? playbook
        : Playbook.of(DEFAULT_HIGH_RISK_BELOW, DEFAULT_MEDIUM_RISK_BELOW, null);
  }

  /** Index in {@link #BANDS} of the churn-risk band of a repurchase probability. */
  public int bandIndex(double repurchaseProbability) {
    if (repurchaseProbability < highRiskBelow) {
      return 0;
    }
    return repurchaseProbability < mediumRiskBelow ? 1 : 2;
  }

  /** The suggested action, or null when no rule matches. */
  public String action(String kind, String band) {
    for (Rule rule : rules) {
      if ((rule.kind().equals(kind) || rule.kind().equals("*"))
          && (rule.band().equals(band) || rule.band().equals("*"))) {
        return rule.action();
      }
    }
    return null;
  }

  private static int specificity(Rule rule) {
    return (rule.kind().equals("*") ? 0 : 2) + (rule.band().equals("*") ? 0 : 1);
  }

  /** The action for each band, in band order. */
  public Map<String, String> actions(String kind) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String band : BANDS) {
      out.put(band, action(kind, band));
    }
    return out;
  }

  /**
   * The default playbook (documented in README.md), with {@code overrides} in front.
   *
   * @param overrides {@code kind/band=action} entries separated by semicolons, e.g. {@code at
   *     risk/high=Call within a week; * /low=Thank-you note}; blank for none
   * @throws IllegalArgumentException naming a malformed entry
   */
  public static Playbook of(double highRiskBelow, double mediumRiskBelow, String overrides) {
    List<Rule> rules = new ArrayList<>(parse(overrides));
    // Stable: among equally specific overrides, the first written wins.
    rules.sort(java.util.Comparator.comparingInt(Playbook::specificity).reversed());
    rules.addAll(DEFAULTS);
    return new Playbook(highRiskBelow, mediumRiskBelow, rules);
  }

  static List<Rule> parse(String overrides) {
    List<Rule> out = new ArrayList<>();
    if (overrides == null || overrides.isBlank()) {
      return out;
    }
    for (String entry : overrides.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int slash = entry.indexOf('/');
      int equals = entry.indexOf('=');
      if (slash < 0 || equals < slash) {
        throw new IllegalArgumentException(
            "playbook entry '" + entry.trim() + "' is not kind/band=action");
      }
      String kind = entry.substring(0, slash).trim().toLowerCase(Locale.ROOT);
      String band = entry.substring(slash + 1, equals).trim().toLowerCase(Locale.ROOT);
      String action = entry.substring(equals + 1).trim();
      if (!band.equals("*") && !BANDS.contains(band)) {
        throw new IllegalArgumentException(
            "playbook entry '" + entry.trim() + "': band must be one of " + BANDS + " or *");
      }
      if (kind.isEmpty() || action.isEmpty()) {
        throw new IllegalArgumentException(
            "playbook entry '" + entry.trim() + "' needs a kind and an action");
      }
      out.add(new Rule(kind, band, action));
    }
    return out;
  }

  private static Rule rule(String kind, String band, String action) {
    return new Rule(kind, band, action);
  }

  /** The kind of a customer with no purchase yet, who has no segment. */
  public static final String NEW_CUSTOMER = "new";

  /**
   * The suggested action for a customer with no purchase yet in {@code band}: this playbook's rule
   * for the kind {@value #NEW_CUSTOMER} (an override such as {@code new/*=...}), or, for a playbook
   * recorded before that kind had rules of its own, the default one; never a rule written for
   * customers who have bought ({@code *}: a win-back offer to someone who never bought is wrong).
   */
  public String newCustomerAction(String band) {
    for (List<Rule> list : List.of(rules, DEFAULTS)) {
      for (Rule rule : list) {
        if (rule.kind().equals(NEW_CUSTOMER)
            && (rule.band().equals(band) || rule.band().equals("*"))) {
          return rule.action();
        }
      }
    }
    return null;
  }

  /** The default rules; README.md ("Playbook") shows the same table. */
  public static final List<Rule> DEFAULTS =
      List.of(
          rule("champions", "high", "Personal outreach now: VIP offer or early access"),
          rule("champions", "medium", "Loyalty reward with the next order"),
          rule("champions", "low", "Thank them; ask for a review or referral"),
          rule("loyal", "high", "Win-back offer on their favourite category"),
          rule("loyal", "medium", "Points boost or bundle on repeat items"),
          rule("loyal", "low", "Cross-sell complementary products"),
          rule("promising", "high", "Time-limited second-order discount"),
          rule("promising", "medium", "Onboarding series with recommendations"),
          rule("promising", "low", "Recommend the next product; no discount needed"),
          rule("needs attention", "high", "Reactivation offer on past categories"),
          rule("needs attention", "medium", "Personalised recommendations"),
          rule("needs attention", "low", "Keep in regular campaigns"),
          rule("at risk", "high", "Strong win-back offer before they lapse"),
          rule("at risk", "medium", "Free-shipping reminder with new arrivals"),
          rule("at risk", "low", "Check-in message with what is new"),
          rule("hibernating", "high", "Low-cost reminder only; no deep discount"),
          rule("hibernating", "medium", "Seasonal reactivation email"),
          rule("hibernating", "low", "Seasonal newsletter"),
          rule(NEW_CUSTOMER, "high", "Welcome series with a first-order incentive"),
          rule(NEW_CUSTOMER, "medium", "Welcome series with recommendations"),
          rule(NEW_CUSTOMER, "low", "Welcome series; no incentive needed"),
          rule("*", "high", "Win-back offer"),
          rule("*", "medium", "Targeted offer on past categories"),
          rule("*", "low", "Keep in regular campaigns"));
}
