package dev.retention.model;

import dev.retention.core.ClassTransformationUplift;
import dev.retention.core.LogisticFit;
import dev.retention.core.RidgeRegression;
import dev.retention.core.Standardization;
import dev.retention.core.TwoModelUplift;
import dev.retention.core.UpliftFit;
import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftMetrics;
import dev.retention.core.XLearnerUplift;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fitted uplift model, immutable: the chosen learner refit on every customer, with the held-out
 * evidence of the choice. Every published number describes at least the minimum segment size of
 * treated and of control customers (groups merged, curve points dropped otherwise).
 *
 * @param features the input features, in order
 * @param standardization the features' scaling, fitted on all customers
 * @param fit the chosen learner, refit on all customers
 * @param candidates every learner's held-out measures, in the options' order
 * @param heldOut the chosen learner's held-out measures (its curve thinned to publishable points)
 * @param deciles held-out uplift by group of predicted uplift, merged to the minimum size
 * @param calibration predicted against observed uplift over those groups
 * @param customers customers trained on, treated and control
 * @param minimumSize the privacy rule's minimum size
 * @param options the training options, described
 */
public record UpliftModel(
    List<String> features,
    Standardization standardization,
    UpliftFit fit,
    List<LearnerScore> candidates,
    UpliftMetrics.Evaluation heldOut,
    List<UpliftMetrics.Group> deciles,
    UpliftMetrics.Calibration calibration,
    long customers,
    long treated,
    long control,
    int minimumSize,
    Map<String, Object> options) {

  public UpliftModel {
    features = List.copyOf(features);
    candidates = List.copyOf(candidates);
    deciles = List.copyOf(deciles);
    options = Map.copyOf(options);
  }

  /**
   * One learner's held-out measures (see {@link UpliftMetrics}).
   *
   * @param chosen whether it is the published learner
   */
  public record LearnerScore(
      UpliftLearner learner, double qini, double auuc, double normalizedQini, boolean chosen) {}

  public UpliftLearner learner() {
    return fit.learner();
  }

  /**
   * The uplift of one customer from raw features in {@link #features()} order: the change in the
   * probability of buying in the window that a contact causes.
   */
  public double uplift(double[] raw) {
    if (raw.length != features.size()) {
      throw new IllegalArgumentException(
          "expected " + features.size() + " features, got " + raw.length);
    }
    double[] z = new double[raw.length];
    standardization.transformRow(raw, z);
    return fit.uplift(z, 0);
  }

  /** The JSON form of this model, for the one model type. */
  public RetentionModel.Uplift toRecord(String treatmentColumn, String orderValueFeature) {
    List<RetentionModel.UpliftFeature> inputs = new ArrayList<>();
    for (int c = 0; c < features.size(); c++) {
      inputs.add(
          new RetentionModel.UpliftFeature(
              features.get(c),
              standardization.log1p()[c],
              standardization.mean()[c],
              standardization.std()[c]));
    }
    List<RetentionModel.UpliftPart> parts = new ArrayList<>();
    Double propensity = null;
    if (fit instanceof TwoModelUplift t) {
      parts.add(logistic("treated", t.treated()));
      parts.add(logistic("control", t.control()));
    } else if (fit instanceof ClassTransformationUplift c) {
      parts.add(logistic("transformed", c.transformed()));
    } else if (fit instanceof XLearnerUplift x) {
      parts.add(ridge("treatedEffect", x.treatedEffect()));
      parts.add(ridge("controlEffect", x.controlEffect()));
      propensity = x.propensity();
    }
    List<RetentionModel.UpliftCandidate> scores = new ArrayList<>();
    for (LearnerScore s : candidates) {
      scores.add(
          new RetentionModel.UpliftCandidate(
              s.learner().name(), s.qini(), s.auuc(), s.normalizedQini(), s.chosen()));
    }
    List<RetentionModel.UpliftCurvePoint> curve = new ArrayList<>();
    for (UpliftMetrics.CurvePoint p : heldOut.curve()) {
      curve.add(
          new RetentionModel.UpliftCurvePoint(
              p.share(), p.treated(), p.control(), p.qini(), p.uplift()));
    }
    List<RetentionModel.UpliftDecile> groups = new ArrayList<>();
    for (UpliftMetrics.Group g : deciles) {
      groups.add(
          new RetentionModel.UpliftDecile(
              g.group(),
              g.treated(),
              g.control(),
              g.treatedMean(),
              g.controlMean(),
              g.observedUplift(),
              g.meanPredicted()));
    }
    return new RetentionModel.Uplift(
        treatmentColumn,
        orderValueFeature,
        fit.learner().name(),
        inputs,
        parts,
        propensity,
        scores,
        new RetentionModel.UpliftHeldOut(
            heldOut.rows(),
            heldOut.treated(),
            heldOut.control(),
            heldOut.treatedMean(),
            heldOut.controlMean(),
            heldOut.averageEffect(),
            heldOut.qini(),
            heldOut.auuc(),
            heldOut.normalizedQini(),
            curve),
        groups,
        new RetentionModel.UpliftCalibration(
            finite(calibration.slope()),
            finite(calibration.intercept()),
            finite(calibration.meanPredicted()),
            finite(calibration.observedEffect())),
        customers,
        treated,
        control,
        options);
  }

  /**
   * The model a stored uplift part describes, for scoring: the same standardization and learner
   * (its solver's diagnostics, which the file does not keep, are zero).
   *
   * @throws IllegalArgumentException on an unknown learner or parts that do not fit it
   */
  public static UpliftModel of(RetentionModel.Uplift u, int minimumSize) {
    int d = u.features().size();
    List<String> names = new ArrayList<>();
    boolean[] log1p = new boolean[d];
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int c = 0; c < d; c++) {
      RetentionModel.UpliftFeature f = u.features().get(c);
      names.add(f.name());
      log1p[c] = f.log1p();
      mean[c] = f.mean();
      std[c] = f.std();
    }
    UpliftLearner learner = UpliftLearner.valueOf(u.learner());
    UpliftFit fit =
        switch (learner) {
          case TWO_MODEL ->
              new TwoModelUplift(logistic(part(u, "treated", d)), logistic(part(u, "control", d)));
          case CLASS_TRANSFORMATION ->
              new ClassTransformationUplift(logistic(part(u, "transformed", d)));
          case X_LEARNER -> {
            if (u.propensity() == null || !(u.propensity() >= 0 && u.propensity() <= 1)) {
              throw new IllegalArgumentException("an X-learner needs a propensity in [0, 1]");
            }
            RetentionModel.UpliftPart t = part(u, "treatedEffect", d);
            RetentionModel.UpliftPart c = part(u, "controlEffect", d);
            yield new XLearnerUplift(
                new RidgeRegression.Fit(t.intercept(), t.coefficients().clone()),
                new RidgeRegression.Fit(c.intercept(), c.coefficients().clone()),
                u.propensity());
          }
        };
    List<LearnerScore> scores = new ArrayList<>();
    for (RetentionModel.UpliftCandidate s : u.candidates()) {
      scores.add(
          new LearnerScore(
              UpliftLearner.valueOf(s.learner()),
              s.qini(),
              s.auuc(),
              s.normalizedQini(),
              s.chosen()));
    }
    RetentionModel.UpliftHeldOut h = u.heldOut();
    List<UpliftMetrics.CurvePoint> curve = new ArrayList<>();
    for (RetentionModel.UpliftCurvePoint p : h.curve()) {
      curve.add(
          new UpliftMetrics.CurvePoint(p.share(), p.treated(), p.control(), p.qini(), p.uplift()));
    }
    List<UpliftMetrics.Group> groups = new ArrayList<>();
    for (RetentionModel.UpliftDecile g : u.deciles()) {
      groups.add(
          new UpliftMetrics.Group(
              g.group(),
              g.treated(),
              g.control(),
              g.treatedRate(),
              g.controlRate(),
              g.observedUplift(),
              g.meanPredicted()));
    }
    RetentionModel.UpliftCalibration c = u.calibration();
    return new UpliftModel(
        names,
        new Standardization(names, log1p, mean, std, List.of()),
        fit,
        scores,
        new UpliftMetrics.Evaluation(
            h.customers(),
            h.treated(),
            h.control(),
            h.treatedRate(),
            h.controlRate(),
            h.averageEffect(),
            h.qini(),
            h.auuc(),
            h.normalizedQini(),
            curve),
        groups,
        new UpliftMetrics.Calibration(
            nan(c.slope()), nan(c.intercept()), nan(c.meanPredicted()), nan(c.observedEffect())),
        u.customers(),
        u.treated(),
        u.control(),
        minimumSize,
        u.options());
  }

  private static RetentionModel.UpliftPart part(RetentionModel.Uplift u, String role, int d) {
    for (RetentionModel.UpliftPart p : u.parts()) {
      if (role.equals(p.role())) {
        if (p.coefficients() == null || p.coefficients().length != d) {
          throw new IllegalArgumentException(
              "uplift part '" + role + "' must have " + d + " coefficients");
        }
        return p;
      }
    }
    throw new IllegalArgumentException(
        "a " + u.learner() + " uplift model needs a part '" + role + "'");
  }

  private static RetentionModel.UpliftPart logistic(String role, LogisticFit fit) {
    return new RetentionModel.UpliftPart(role, fit.intercept(), fit.coefficients().clone());
  }

  private static RetentionModel.UpliftPart ridge(String role, RidgeRegression.Fit fit) {
    return new RetentionModel.UpliftPart(role, fit.intercept(), fit.coefficients().clone());
  }

  private static LogisticFit logistic(RetentionModel.UpliftPart p) {
    return new LogisticFit(p.intercept(), p.coefficients().clone(), 0, 0, true, 0);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }
}
