package dev.retention.core;

/**
 * A fitted uplift model: the change in the probability of the outcome (a purchase) that the
 * treatment (a contact) causes, {@code tau(x) = P(y = 1 | x, t = 1) - P(y = 1 | x, t = 0)}, for a
 * customer's design terms {@code x} (standardized, expanded as the design was).
 */
public sealed interface UpliftFit extends java.io.Serializable
    permits TwoModelUplift, ClassTransformationUplift, XLearnerUplift {

  UpliftLearner learner();

  /** {@code tau(x)} of the terms {@code x[offset .. offset + terms)}, in [-1, 1]. */
  double uplift(double[] x, int offset);

  /** {@code tau} of every design row. */
  default double[] uplift(LogisticRegression.Design design) {
    double[] out = new double[design.size()];
    double[] row = new double[design.terms()];
    for (int r = 0; r < out.length; r++) {
      design.fill(r, row);
      out[r] = uplift(row, 0);
    }
    return out;
  }

  /** The design's rows of one arm. */
  static LogisticRegression.Design arm(LogisticRegression.Design design, int[] treatment, int arm) {
    int count = 0;
    for (int r = 0; r < design.size(); r++) {
      if (treatment[design.row(r)] == arm) {
        count++;
      }
    }
    int[] rows = new int[count];
    int k = 0;
    for (int r = 0; r < design.size(); r++) {
      int i = design.row(r);
      if (treatment[i] == arm) {
        rows[k++] = i;
      }
    }
    return new LogisticRegression.Design(design.base(), design.extra(), rows, design.expansion());
  }

  /**
   * The share of treated rows of the design, after checking the treatment and outcome flags.
   *
   * @throws IllegalArgumentException on a length mismatch, a flag that is not 0/1 (named by row),
   *     or an arm without rows
   */
  static double treatedShare(LogisticRegression.Design design, int[] treatment, int[] outcome) {
    int rows = design.base().rows();
    if (treatment.length != rows || outcome.length != rows) {
      throw new IllegalArgumentException(
          "treatment has "
              + treatment.length
              + " and outcome "
              + outcome.length
              + " entries for "
              + rows
              + " rows");
    }
    long treated = 0;
    for (int r = 0; r < design.size(); r++) {
      int i = design.row(r);
      if (treatment[i] != 0 && treatment[i] != 1) {
        throw new IllegalArgumentException("treatment at row " + i + " is not 0/1");
      }
      if (outcome[i] != 0 && outcome[i] != 1) {
        throw new IllegalArgumentException("outcome at row " + i + " is not 0/1");
      }
      treated += treatment[i];
    }
    if (treated == 0 || treated == design.size()) {
      throw new IllegalArgumentException(
          "an uplift model needs treated and control customers; all "
              + design.size()
              + " rows are "
              + (treated == 0 ? "control" : "treated"));
    }
    return (double) treated / design.size();
  }
}
