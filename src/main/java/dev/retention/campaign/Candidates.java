package dev.retention.campaign;

import dev.retention.model.Playbook;

/**
 * The scored customers a campaign chooses from, one entry per customer in export order: id,
 * segment, churn-risk band (index in {@link Playbook#BANDS}), and what ranks them.
 *
 * <ul>
 *   <li>{@link #byUplift}: an uplift model's {@code uplift} and each customer's expected order
 *       value; ranked by expected incremental profit, contacted only when it is positive.
 *   <li>{@link #byValueAtRisk}: without an uplift model, ranked by value at risk (or any priority
 *       where higher means contact first) among the customers marked eligible (e.g. likely to
 *       lapse).
 * </ul>
 *
 * Arrays are owned by this record from here on (not copied).
 */
public record Candidates(
    String[] customerIds,
    int[] segment,
    int[] band,
    double[] uplift,
    double[] orderValue,
    double[] priority,
    boolean[] eligible) {

  public Candidates {
    int n = customerIds.length;
    if (segment.length != n
        || band.length != n
        || (uplift != null && uplift.length != n)
        || (orderValue != null && orderValue.length != n)
        || (priority != null && priority.length != n)
        || (eligible != null && eligible.length != n)) {
      throw new IllegalArgumentException("every candidate column needs one entry per customer");
    }
    if ((uplift == null) == (priority == null) || (uplift == null) != (orderValue == null)) {
      throw new IllegalArgumentException(
          "candidates are ranked either by uplift and order value or by a priority");
    }
    for (int i = 0; i < n; i++) {
      if (customerIds[i] == null || customerIds[i].isEmpty()) {
        throw new IllegalArgumentException("candidate " + (i + 1) + " has no customer id");
      }
      if (segment[i] < 0) {
        throw new IllegalArgumentException("candidate " + (i + 1) + " has a negative segment");
      }
      if (band[i] < 0 || band[i] >= Playbook.BANDS.size()) {
        throw new IllegalArgumentException("candidate " + (i + 1) + " has an unknown band");
      }
      boolean finite =
          uplift != null
              ? Double.isFinite(uplift[i])
                  && Double.isFinite(orderValue[i])
                  && orderValue[i] >= 0
                  && uplift[i] >= -1
                  && uplift[i] <= 1
              : Double.isFinite(priority[i]);
      if (!finite) {
        throw new IllegalArgumentException(
            "candidate "
                + (i + 1)
                + (uplift != null
                    ? " needs an uplift in [-1, 1] and a finite order value >= 0"
                    : " needs a finite priority"));
      }
    }
  }

  /** Candidates of an uplift model. */
  public static Candidates byUplift(
      String[] customerIds, int[] segment, int[] band, double[] uplift, double[] orderValue) {
    return new Candidates(customerIds, segment, band, uplift, orderValue, null, null);
  }

  /** Candidates without an uplift model; {@code eligible} null means every customer. */
  public static Candidates byValueAtRisk(
      String[] customerIds, int[] segment, int[] band, double[] valueAtRisk, boolean[] eligible) {
    return new Candidates(customerIds, segment, band, null, null, valueAtRisk, eligible);
  }

  public int size() {
    return customerIds.length;
  }

  public boolean hasUplift() {
    return uplift != null;
  }

  /** Segments referenced: the largest segment index plus one. */
  int segments() {
    int k = 0;
    for (int s : segment) {
      k = Math.max(k, s + 1);
    }
    return k;
  }
}
