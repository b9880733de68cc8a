package dev.retention.campaign;

import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.core.UpliftFit;
import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftMetrics;
import dev.retention.model.UpliftModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an uplift model on a randomized campaign (a past holdout or any experiment): customers'
 * features, whether each was treated (contacted), and whether each bought in the window after.
 *
 * <ol>
 *   <li>put the customers in customer-id order, so that the same customers in any order give the
 *       same model;
 *   <li>standardize the features (z-scores, optional log1p) on all customers;
 *   <li>split off a seeded validation part, stratified by treatment × outcome;
 *   <li>fit every candidate learner on the rest and measure its Qini coefficient, AUUC and
 *       normalised Qini on the validation part ({@link UpliftMetrics});
 *   <li>choose the highest Qini coefficient (ties: the earlier candidate);
 *   <li>publish the chosen learner refit on all customers with the held-out measures, the
 *       uplift-by-decile table and its calibration, as the repurchase model publishes its all-rows
 *       coefficients with held-out metrics.
 * </ol>
 */
public final class UpliftTraining {

  private UpliftTraining() {}

  /** Points kept on a published Qini curve, at most. */
  static final int CURVE_POINTS = 101;

  /**
   * Trains and chooses.
   *
   * @param customerIds one distinct id per row (they order the rows; they are not kept)
   * @param features raw features, one row per customer
   * @param treatment 1 = contacted, 0 = control, per row
   * @param outcome 1 = bought in the window, 0 = not, per row
   * @param minimumSize the privacy rule's minimum size: the validation part must hold at least this
   *     many treated and control customers
   * @throws IllegalArgumentException on a flag that is not 0/1 or a repeated id (named by row), a
   *     length mismatch, an arm or outcome class too small to split, or a validation part below the
   *     minimum size
   */
  public static UpliftModel fit(
      String[] customerIds,
      FeatureMatrix rows,
      int[] rowTreatment,
      int[] rowOutcome,
      UpliftTrainingOptions options,
      int minimumSize) {
    int n = rows.rows();
    if (customerIds.length != n) {
      throw new IllegalArgumentException(
          customerIds.length + " customer ids for " + n + " customers");
    }
    checkFlags(n, rowTreatment, rowOutcome);
    int[] byId = Sorting.byId(customerIds, "customers");
    FeatureMatrix features = rows.selectRows(byId);
    int[] treatment = pick(rowTreatment, byId);
    int[] outcome = pick(rowOutcome, byId);
    Standardization scaling = Standardization.fit(features, options.log1pColumns());
    FeatureMatrix z = scaling.transform(features);
    int[][] parts = split(treatment, outcome, options.validationFraction(), options.seed());
    int[] train = parts[0];
    int[] validation = parts[1];
    int[] validationTreatment = pick(treatment, validation);
    double[] validationOutcome = new double[validation.length];
    long validationTreated = 0;
    for (int r = 0; r < validation.length; r++) {
      validationOutcome[r] = outcome[validation[r]];
      validationTreated += validationTreatment[r];
    }
    long validationControl = validation.length - validationTreated;
    if (validationTreated < minimumSize || validationControl < minimumSize) {
      throw new IllegalArgumentException(
          "an uplift model needs at least "
              + minimumSize
              + " treated and "
              + minimumSize
              + " control customers in its validation part; it has "
              + validationTreated
              + " and "
              + validationControl
              + " (a "
              + options.validationFraction()
              + " share of the customers)");
    }
    LogisticRegression.Design trainDesign =
        new LogisticRegression.Design(z, train, FeatureExpansion.NONE);
    LogisticRegression.Design validationDesign =
        new LogisticRegression.Design(z, validation, FeatureExpansion.NONE);
    List<UpliftMetrics.Evaluation> evaluations = new ArrayList<>();
    List<double[]> scores = new ArrayList<>();
    int best = 0;
    for (UpliftLearner learner : options.candidates()) {
      UpliftFit fit = learner.fit(trainDesign, treatment, outcome, options.learner());
      double[] score = fit.uplift(validationDesign);
      UpliftMetrics.Evaluation e =
          UpliftMetrics.evaluate(score, validationTreatment, validationOutcome);
      evaluations.add(e);
      scores.add(score);
      if (e.qini() > evaluations.get(best).qini()) {
        best = evaluations.size() - 1;
      }
    }
    List<UpliftModel.LearnerScore> candidates = new ArrayList<>();
    for (int c = 0; c < evaluations.size(); c++) {
      UpliftMetrics.Evaluation e = evaluations.get(c);
      candidates.add(
          new UpliftModel.LearnerScore(
              options.candidates().get(c), e.qini(), e.auuc(), e.normalizedQini(), c == best));
    }
    List<UpliftMetrics.Group> deciles =
        merged(
            UpliftMetrics.groups(
                scores.get(best),
                validationTreatment,
                validationOutcome,
                Math.min(options.groups(), validation.length)),
            minimumSize);
    UpliftFit published =
        options
            .candidates()
            .get(best)
            .fit(
                new LogisticRegression.Design(z, null, FeatureExpansion.NONE),
                treatment,
                outcome,
                options.learner());
    long treated = Arrays.stream(treatment).asLongStream().sum();
    return new UpliftModel(
        features.columns(),
        scaling,
        published,
        candidates,
        thinned(evaluations.get(best), minimumSize),
        deciles,
        UpliftMetrics.calibration(deciles),
        n,
        treated,
        n - treated,
        minimumSize,
        options.describe());
  }

  private static void checkFlags(int n, int[] treatment, int[] outcome) {
    if (treatment.length != n || outcome.length != n) {
      throw new IllegalArgumentException(
          "treatment has "
              + treatment.length
              + " and outcome "
              + outcome.length
              + " entries for "
              + n
              + " customers");
    }
    for (int i = 0; i < n; i++) {
      if (treatment[i] != 0 && treatment[i] != 1) {
        throw new IllegalArgumentException("treatment at row " + (i + 1) + " is not 0 or 1");
      }
      if (outcome[i] != 0 && outcome[i] != 1) {
        throw new IllegalArgumentException("outcome at row " + (i + 1) + " is not 0 or 1");
      }
    }
  }

  /**
   * A seeded split stratified by the four treatment × outcome classes: each class gives {@code
   * round(fraction * size)} rows to validation. Returns {@code [train, validation]}, ascending.
   */
  static int[][] split(int[] treatment, int[] outcome, double fraction, long seed) {
    int n = treatment.length;
    int[] sizes = new int[4];
    for (int i = 0; i < n; i++) {
      sizes[2 * treatment[i] + outcome[i]]++;
    }
    int[][] classes = new int[4][];
    for (int c = 0; c < 4; c++) {
      classes[c] = new int[sizes[c]];
    }
    int[] fill = new int[4];
    for (int i = 0; i < n; i++) {
      int c = 2 * treatment[i] + outcome[i];
      classes[c][fill[c]++] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] held = new boolean[n];
    int heldCount = 0;
    for (int c = 0; c < 4; c++) {
      int[] rows = classes[c];
      int take = (int) Math.round(fraction * rows.length);
      if (rows.length < 2 || take == 0 || take == rows.length) {
        throw new IllegalArgumentException(
            "an uplift model needs customers of every kind in both parts: only "
                + rows.length
                + (c >= 2 ? " treated" : " control")
                + " customers who "
                + (c % 2 == 1 ? "bought" : "did not buy"));
      }
      for (int i = rows.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = rows[i];
        rows[i] = rows[j];
        rows[j] = swap;
      }
      for (int k = 0; k < take; k++) {
        held[rows[k]] = true;
      }
      heldCount += take;
    }
    int[] train = new int[n - heldCount];
    int[] validation = new int[heldCount];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (held[i]) {
        validation[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new int[][] {train, validation};
  }

  private static int[] pick(int[] values, int[] rows) {
    int[] out = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      out[r] = values[rows[r]];
    }
    return out;
  }

  /**
   * Groups merged left to right until each holds at least {@code m} treated and {@code m} control
   * customers; a remainder below that joins the last group. Renumbered from 1.
   */
  static List<UpliftMetrics.Group> merged(List<UpliftMetrics.Group> groups, int m) {
    List<UpliftMetrics.Group> out = new ArrayList<>();
    long[] counts = new long[2];
    double[] sums = new double[3];
    for (UpliftMetrics.Group g : groups) {
      add(counts, sums, g);
      if (counts[0] >= m && counts[1] >= m) {
        out.add(group(out.size() + 1, counts, sums));
        counts = new long[2];
        sums = new double[3];
      }
    }
    if (counts[0] + counts[1] > 0 && !out.isEmpty()) {
      UpliftMetrics.Group last = out.remove(out.size() - 1);
      add(counts, sums, last);
      out.add(group(out.size() + 1, counts, sums));
    }
    return out;
  }

  private static void add(long[] counts, double[] sums, UpliftMetrics.Group g) {
    counts[0] += g.treated();
    counts[1] += g.control();
    sums[0] += g.treated() == 0 ? 0 : g.treatedMean() * g.treated();
    sums[1] += g.control() == 0 ? 0 : g.controlMean() * g.control();
    sums[2] += g.rows() == 0 ? 0 : g.meanPredicted() * g.rows();
  }

  private static UpliftMetrics.Group group(int index, long[] counts, double[] sums) {
    return UpliftMetrics.group(index, counts[0], counts[1], sums[0], sums[1], sums[2]);
  }

  /**
   * The evaluation with its curve cut to publishable points: the top group holds at least {@code m}
   * treated and {@code m} control customers, at most {@link #CURVE_POINTS} points (the last point
   * at or before each 1 % step), and the end point.
   */
  static UpliftMetrics.Evaluation thinned(UpliftMetrics.Evaluation e, int m) {
    List<UpliftMetrics.CurvePoint> kept = new ArrayList<>();
    List<UpliftMetrics.CurvePoint> curve = e.curve();
    int at = -1; // the last point at or before the current step
    for (int step = 1; step < CURVE_POINTS; step++) {
      double share = (double) step / (CURVE_POINTS - 1);
      while (at + 1 < curve.size() && curve.get(at + 1).share() <= share + 1e-12) {
        at++;
      }
      if (at < 0) {
        continue;
      }
      UpliftMetrics.CurvePoint p = curve.get(at);
      boolean publishable = p.treated() >= m && p.control() >= m;
      if (publishable && (kept.isEmpty() || kept.get(kept.size() - 1) != p)) {
        kept.add(p);
      }
    }
    return new UpliftMetrics.Evaluation(
        e.rows(),
        e.treated(),
        e.control(),
        e.treatedMean(),
        e.controlMean(),
        e.averageEffect(),
        e.qini(),
        e.auuc(),
        e.normalizedQini(),
        List.copyOf(kept));
  }
}
