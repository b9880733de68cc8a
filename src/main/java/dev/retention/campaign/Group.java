package dev.retention.campaign;

import java.util.Locale;

/** A customer's group in a campaign. */
public enum Group {
  /** Selected and contacted. */
  CONTACT,
  /** Selected, but held out of the contact to measure what the contact changed. */
  HOLDOUT,
  /** Not selected: over the budget, not worth a contact, or a sleeping dog. */
  SKIP;

  /** The name in files: {@code contact}, {@code holdout}, {@code skip}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The group of a file's label.
   *
   * @throws IllegalArgumentException on any other text (not echoed: it is a cell of the shop's
   *     data)
   */
  public static Group ofLabel(String label) {
    for (Group g : values()) {
      if (g.label().equals(label)) {
        return g;
      }
    }
    throw new IllegalArgumentException("a group must be contact, holdout or skip");
  }
}
