package dev.retention.campaign;

import dev.retention.model.ContactEconomics;

/**
 * How many customers a campaign may contact: at most {@code amount} contacts ({@link Kind#COUNT}),
 * contacts costing at most {@code amount} in money ({@link Kind#MONEY}, with the cost per contact
 * of {@link ContactEconomics}), or no limit ({@link Kind#UNLIMITED}, the default: every customer
 * worth contacting is contacted). Held-out customers cost nothing and do not count.
 *
 * @param kind which limit
 * @param amount the count or the money; 0 for {@link Kind#UNLIMITED}
 */
public record ContactBudget(Kind kind, double amount) {

  /** The limit's unit. */
  public enum Kind {
    UNLIMITED,
    COUNT,
    MONEY
  }

  public ContactBudget {
    if (kind == null) {
      throw new IllegalArgumentException("a budget kind must be set");
    }
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("a budget must be a finite number >= 0, got " + amount);
    }
    if (kind == Kind.COUNT && amount != Math.floor(amount)) {
      throw new IllegalArgumentException("a budget by count must be a whole number, got " + amount);
    }
  }

  public static ContactBudget unlimited() {
    return new ContactBudget(Kind.UNLIMITED, 0);
  }

  public static ContactBudget contacts(long count) {
    return new ContactBudget(Kind.COUNT, count);
  }

  public static ContactBudget money(double amount) {
    return new ContactBudget(Kind.MONEY, amount);
  }

  /**
   * The most contacts this budget pays for at {@code costPerContact}.
   *
   * @throws IllegalArgumentException for a money budget with a cost per contact of 0 (any number of
   *     contacts would fit: say the budget by count instead)
   */
  public long maxContacts(double costPerContact) {
    return switch (kind) {
      case UNLIMITED -> Long.MAX_VALUE;
      case COUNT -> (long) amount;
      case MONEY -> {
        if (!(costPerContact > 0)) {
          throw new IllegalArgumentException(
              "a budget in money needs a cost per contact > 0; give the budget as a count instead");
        }
        // A hair of slack so that 100.00 / 0.10 is 1000 contacts, not 999.
        yield (long) Math.floor(amount / costPerContact * (1 + 1e-12));
      }
    };
  }
}
