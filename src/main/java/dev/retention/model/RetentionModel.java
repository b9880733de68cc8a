package dev.retention.model;

import java.util.List;
import java.util.Map;

/**
 * The one model type, written by training and read by scoring: customer segments (K-means on
 * standardized features) and a repurchase probability (logistic regression), with everything needed
 * to score a raw feature vector exactly as in training, the evaluation, and how it was made.
 *
 * <p>It holds aggregates only: no customer row, id or per-customer value. Serialized by {@link
 * ModelJson} with {@code schemaVersion} {@value #SCHEMA_VERSION}; the JSON Schema is {@code
 * model.schema.json} on the class path.
 *
 * @param schemaVersion "major.minor"; readers accept their own major version only
 * @param modelName logical name (the S3 prefix {@code models/<modelName>/})
 * @param version model version, derived from the training input
 * @param createdAt ISO-8601 instant of training
 * @param labelColumn name of the label in the training data
 * @param features input features in model order, with their transforms
 * @param segmentation K-means centres and how K was chosen
 * @param classifier logistic-regression terms and weights
 * @param evaluation held-out metrics of the classifier
 * @param segments per-segment profiles, names and suggested actions
 * @param provenance parameters, counts, durations, warnings
 * @param derivation how the features were derived from orders, or null for a feature export
 * @param playbook risk bands and the suggested action per segment and band (null in 1.0 files)
 * @param order where this model stands among the models of its name (null in files before 1.2)
 * @param customerValue BG/NBD and Gamma-Gamma fits and the value features (models trained from
 *     orders, schema 1.3; else null)
 * @param uplift the uplift model trained on a randomized campaign's treatment column (schema 1.5;
 *     null without one)
 */
public record RetentionModel(
    String schemaVersion,
    String modelName,
    String version,
    String createdAt,
    String labelColumn,
    List<Feature> features,
    Segmentation segmentation,
    Classifier classifier,
    Evaluation evaluation,
    List<Segment> segments,
    Provenance provenance,
    Derivation derivation,
    Playbook playbook,
    ModelOrder order,
    CustomerValue customerValue,
    Uplift uplift) {

  /** A model without an uplift part (files before schema 1.5, exports without a treatment). */
  public RetentionModel(
      String schemaVersion,
      String modelName,
      String version,
      String createdAt,
      String labelColumn,
      List<Feature> features,
      Segmentation segmentation,
      Classifier classifier,
      Evaluation evaluation,
      List<Segment> segments,
      Provenance provenance,
      Derivation derivation,
      Playbook playbook,
      ModelOrder order,
      CustomerValue customerValue) {
    this(
        schemaVersion,
        modelName,
        version,
        createdAt,
        labelColumn,
        features,
        segmentation,
        classifier,
        evaluation,
        segments,
        provenance,
        derivation,
        playbook,
        order,
        customerValue,
        null);
  }

  /**
   * The schema version this code writes: 1.1 added derivation, playbook and segment privacy; 1.2
   * the model order, feature ranges over the minimum size (low/high instead of min/max) and the
   * merges of small segments; 1.3 the customer-value layer and segments' predicted CLV and value at
   * risk; 1.4 the derivation's money flag, left-out features, dialect and warnings, the quality
   * gate's decision, dropped features and the comparison on the live model's own held-out
   * customers; 1.5 the uplift model.
   */
  public static final String SCHEMA_VERSION = "1.5";

  /**
   * The uplift model (issue 21): the change in the probability of buying in the window that a
   * contact causes, {@code tau(x)}, fitted on a randomized campaign's treated and control customers
   * by the learner that won on held-out Qini ({@link UpliftModel}, decision 0022). Every number
   * describes at least the minimum segment size of treated and of control customers.
   *
   * @param treatmentColumn the export's column that said who was contacted
   * @param orderValueFeature the feature that is a customer's expected order value (the model's
   *     monetary feature, {@code retention.segments.monetary-feature}: average order value), which
   *     turns uplift into money; null when the model has none (no money is then estimated)
   * @param learner {@code TWO_MODEL}, {@code CLASS_TRANSFORMATION} or {@code X_LEARNER}
   * @param features the inputs (the model's features, in order) and their own standardization
   * @param parts the learner's linear parts on the standardized inputs: {@code treated} and {@code
   *     control} (two-model, logistic), {@code transformed} (class transformation, logistic),
   *     {@code treatedEffect} and {@code controlEffect} (X-learner, ridge)
   * @param propensity the X-learner's weight {@code g} of its control-arm effect model, else null
   * @param candidates every learner's held-out Qini coefficient, AUUC and normalised Qini
   * @param heldOut the chosen learner's held-out measures and its Qini curve
   * @param deciles held-out uplift by group of predicted uplift, merged to the minimum size
   * @param calibration predicted against observed uplift over those groups
   * @param customers customers trained on
   * @param treated of them contacted
   * @param control of them held out
   * @param options how it was trained
   */
  public record Uplift(
      String treatmentColumn,
      String orderValueFeature,
      String learner,
      List<UpliftFeature> features,
      List<UpliftPart> parts,
      Double propensity,
      List<UpliftCandidate> candidates,
      UpliftHeldOut heldOut,
      List<UpliftDecile> deciles,
      UpliftCalibration calibration,
      long customers,
      long treated,
      long control,
      Map<String, Object> options) {}

  /** An uplift input: {@code z = (t(x) - mean) / std}, {@code t = log1p} when {@code log1p}. */
  public record UpliftFeature(String name, boolean log1p, double mean, double std) {}

  /** One linear part of an uplift learner: {@code intercept + coefficients . z}. */
  public record UpliftPart(String role, double intercept, double[] coefficients) {}

  /** One learner's held-out measures ({@code chosen}: the published one). */
  public record UpliftCandidate(
      String learner, double qini, double auuc, double normalizedQini, boolean chosen) {}

  /**
   * Held-out measures of the chosen learner.
   *
   * @param treatedRate share of the held-out treated customers who bought
   * @param controlRate share of the held-out control customers who bought
   * @param averageEffect {@code treatedRate - controlRate}
   * @param curve the Qini and uplift curves at publishable points (top groups of at least the
   *     minimum size of each arm)
   */
  public record UpliftHeldOut(
      long customers,
      long treated,
      long control,
      double treatedRate,
      double controlRate,
      double averageEffect,
      double qini,
      double auuc,
      double normalizedQini,
      List<UpliftCurvePoint> curve) {}

  /** A point of the held-out curves: top share {@code phi}, its arms, Qini and uplift curves. */
  public record UpliftCurvePoint(
      double share, long treated, long control, double qini, double uplift) {}

  /** One group of held-out customers by predicted uplift, largest first. */
  public record UpliftDecile(
      int group,
      long treated,
      long control,
      double treatedRate,
      double controlRate,
      double observedUplift,
      double meanPredicted) {}

  /**
   * The weighted least-squares line {@code observed = intercept + slope * predicted} over the
   * deciles (null where it cannot be drawn: fewer than two groups), and the overall means.
   */
  public record UpliftCalibration(
      Double slope, Double intercept, Double meanPredicted, Double observedEffect) {}

  /**
   * One input feature and its standardization: {@code z = (t(x) - mean) / std}, {@code t = log1p}
   * when {@code log1p}.
   *
   * @param low the mean of the lowest values in training, over as many customers as the minimum
   *     segment size (never one customer's minimum)
   * @param high the mean of the highest values, likewise
   */
  public record Feature(
      String name, boolean log1p, double mean, double std, double low, double high) {}

  /**
   * K-means segmentation.
   *
   * @param k number of segments
   * @param centresStandardized k rows of d standardized coordinates (what scoring uses)
   * @param centresOriginal the same centres mapped back to original units
   * @param inertia sum of squared standardized distances to the nearest centre, all training rows
   * @param iterations Lloyd iterations of the winning restart
   * @param converged whether it converged before maxIter
   * @param kSearch curves and the choice of K, or null when K was configured
   * @param merges segments below the minimum size merged before publishing, one note each
   * @param minSize the minimum segment size: no published number comes from fewer customers (null
   *     in files before schema 1.3)
   * @param bands all training customers by churn-risk band ({@link BandTable}; null before 1.3)
   */
  public record Segmentation(
      int k,
      double[][] centresStandardized,
      double[][] centresOriginal,
      double inertia,
      int iterations,
      boolean converged,
      KSearch kSearch,
      List<String> merges,
      Integer minSize,
      List<BandCell> bands) {}

  /**
   * How K was chosen: every K tried, its inertia (elbow) and silhouette curves, and the rule.
   *
   * @param ks the K values tried, ascending
   * @param inertia inertia per K on the search rows
   * @param silhouette mean silhouette per K on the silhouette sample
   * @param kneedle kneedle difference per K (distance below the chord of the inertia curve)
   * @param chosenK the K picked by the rule
   * @param rule one sentence saying why
   * @param searchRows rows the K-means fits of the search used
   * @param silhouetteRows rows the silhouette used
   */
  public record KSearch(
      int[] ks,
      double[] inertia,
      double[] silhouette,
      double[] kneedle,
      int chosenK,
      String rule,
      int searchRows,
      int silhouetteRows) {}

  /**
   * Logistic regression over {@code terms} (the standardized features, then any squares and
   * interactions).
   *
   * @param squares whether squared terms follow the base features
   * @param interactions whether pairwise interaction terms follow
   * @param terms term names, one per coefficient
   * @param c regularization (scikit-learn's C)
   * @param classWeight NONE or BALANCED
   * @param threshold decision threshold for the confusion-matrix metrics
   * @param nonLinear how the expansion was decided
   */
  public record Classifier(
      double intercept,
      double[] coefficients,
      List<String> terms,
      boolean squares,
      boolean interactions,
      double c,
      String classWeight,
      double threshold,
      int iterations,
      boolean converged,
      double gradientNorm,
      NonLinearDecision nonLinear,
      List<FeatureEffect> effects) {}

  /**
   * How much one input moves the repurchase log-odds, its terms folded back onto it as the
   * explanations fold them (a square wholly, an interaction half to each of its two features): the
   * mean over the training customers of the absolute contribution, and the direction of moving this
   * input alone over the data (its partial dependence from the 10th to the 90th percentile; mixed
   * when that rises and falls).
   *
   * @param feature an input (a feature, or a value feature)
   * @param meanAbsContribution mean |contribution| in log-odds
   * @param direction +1 when higher values raise the probability, -1 when they lower it, 0 mixed
   */
  public record FeatureEffect(String feature, double meanAbsContribution, int direction) {}

  /**
   * The documented rule that decided whether squares and interactions are used.
   *
   * @param mode OFF, AUTO or ON
   * @param linearLogLoss validation log loss of the linear model (AUTO only, else null)
   * @param expandedLogLoss validation log loss of the expanded model (AUTO only, else null)
   * @param decisionRows training rows used by the two comparison fits
   * @param used whether the published model uses the expansion
   * @param rule one sentence saying why
   */
  public record NonLinearDecision(
      String mode,
      Double linearLogLoss,
      Double expandedLogLoss,
      long decisionRows,
      boolean used,
      String rule) {}

  /**
   * Held-out evaluation of the classifier (fit on the training split, scored on the validation
   * split); the published coefficients are then refit on all rows. {@code incumbent} is the live
   * model's score on the same held-out customers, for the quality gate (schema 1.3; null when there
   * was no live model).
   */
  public record Evaluation(
      long trainRows,
      long validationRows,
      long validationPositives,
      double rocAuc,
      double prAuc,
      double logLoss,
      double brier,
      double threshold,
      double accuracy,
      double precision,
      double recall,
      double f1,
      Confusion confusion,
      List<CalibrationBin> calibration,
      List<LiftBin> lift,
      List<CurvePoint> roc,
      List<CurvePoint> precisionRecall,
      Incumbent incumbent,
      GateDecision qualityGate) {

    /** The same evaluation with the live model's comparison. */
    public Evaluation withIncumbent(Incumbent newIncumbent) {
      return new Evaluation(
          trainRows,
          validationRows,
          validationPositives,
          rocAuc,
          prAuc,
          logLoss,
          brier,
          threshold,
          accuracy,
          precision,
          recall,
          f1,
          confusion,
          calibration,
          lift,
          roc,
          precisionRecall,
          newIncumbent,
          qualityGate);
    }

    /** The same evaluation with the quality gate's decision. */
    public Evaluation withQualityGate(GateDecision decision) {
      return new Evaluation(
          trainRows,
          validationRows,
          validationPositives,
          rocAuc,
          prAuc,
          logLoss,
          brier,
          threshold,
          accuracy,
          precision,
          recall,
          f1,
          confusion,
          calibration,
          lift,
          roc,
          precisionRecall,
          incumbent,
          decision);
    }
  }

  /**
   * What the quality gate decided when the model was published (schema 1.4; null before the
   * decision and in older files).
   *
   * @param held whether the gate holds the model back from {@code latest}
   * @param forced whether {@code retention.quality-gate.force} made it live although it would be
   *     held by a comparison (never by a floor)
   * @param reason the decision in one sentence, each floor and comparison named
   */
  public record GateDecision(boolean held, boolean forced, String reason) {}

  /**
   * The model that was live when this one was trained, scored on this model's held-out customers:
   * the same rows, the same labels, so the two AUCs compare like for like.
   *
   * @param version the live model's version
   * @param rocAuc its ROC AUC on these held-out customers, or null when it could not score them
   * @param brier its Brier score there, or null likewise
   * @param note why it could not score them (a feature it reads that this export lacks, say), or
   *     null
   */
  public record Incumbent(
      String version,
      Double rocAuc,
      Double brier,
      String note,
      List<String> droppedFeatures,
      HoldoutComparison liveHoldout) {

    public Incumbent {
      droppedFeatures = droppedFeatures == null ? List.of() : List.copyOf(droppedFeatures);
    }

    /** A comparison on this model's held-out customers only. */
    public Incumbent(String version, Double rocAuc, Double brier, String note) {
      this(version, rocAuc, brier, note, List.of(), null);
    }

    /** The same with the comparison on the live model's own held-out customers. */
    public Incumbent withLiveHoldout(HoldoutComparison comparison) {
      return new Incumbent(version, rocAuc, brier, note, droppedFeatures, comparison);
    }
  }

  /**
   * This model and the live one scored on the <b>live model's own</b> held-out customers (kept next
   * to it as {@code holdout.csv.gz}), so that an export broken in a way that also breaks the live
   * model's scores on it cannot pass by being compared on itself (schema 1.4). Aggregates only.
   *
   * @param customers held-out customers of the live model that both scored (0 when not compared)
   * @param positives of those, customers who bought again
   * @param rocAuc this model's ROC AUC on them, or null when not compared
   * @param brier this model's Brier score on them, or null
   * @param liveRocAuc the live model's ROC AUC on them, or null
   * @param liveBrier the live model's Brier score on them, or null
   * @param note why they were not compared (no held-out customers kept, a feature this model reads
   *     that they lack), or null
   */
  public record HoldoutComparison(
      long customers,
      long positives,
      Double rocAuc,
      Double brier,
      Double liveRocAuc,
      Double liveBrier,
      String note) {}

  /**
   * One calibration bin {@code [lower, upper)} of predicted probability (the last includes 1).
   *
   * @param meanPredicted mean predicted probability in the bin (0 when empty)
   * @param observedRate share of positives in the bin (0 when empty)
   */
  public record CalibrationBin(
      double lower, double upper, long count, double meanPredicted, double observedRate) {}

  /**
   * One decile of validation rows ranked by descending predicted probability.
   *
   * @param rate share of positives in the decile
   * @param lift rate divided by the overall positive rate
   * @param cumulativeCapture share of all positives found in deciles 1..this one
   */
  public record LiftBin(
      int decile,
      long count,
      double meanPredicted,
      double rate,
      double lift,
      double cumulativeCapture) {}

  /** A point of the ROC or precision-recall curve and the probability threshold giving it. */
  public record CurvePoint(double x, double y, double threshold) {}

  /** Confusion matrix counts at the threshold. */
  public record Confusion(
      long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {}

  /**
   * One segment: its name, the profile operators see, and the suggested action per risk band.
   *
   * <p>Privacy: a segment with fewer customers than the minimum size never gets its own profile. It
   * is reported together with its nearest large segment (nearest centre), and both show the profile
   * of their union; {@code profileCovers} lists the segments a profile covers. The size and every
   * mean below are the profile's.
   *
   * @param id index of its centre
   * @param name unique display name
   * @param kind the playbook key: an RFM class (champions, loyal, promising, needs attention, at
   *     risk, hibernating), or "descriptive" when the RFM roles are unknown
   * @param profileCovers ids of the segments whose customers this profile aggregates
   * @param size customers in the profile
   * @param share size over all customers
   * @param repurchaseRate observed share of label 1
   * @param meanProbability mean predicted repurchase probability (published model, in-sample)
   * @param featureMeans mean raw value of each feature, in feature order
   * @param actions suggested action by churn-risk band (high, medium, low)
   * @param meanPredictedClv mean predicted CLV over the model's horizon, or null without customer
   *     value
   * @param valueAtRisk total value at risk of the segment's customers ({@link
   *     CustomerValueModel#valueAtRisk}), or null without customer value
   * @param bands the segment's customers by churn-risk band (schema 1.3)
   */
  public record Segment(
      int id,
      String name,
      String kind,
      List<Integer> profileCovers,
      long size,
      double share,
      double repurchaseRate,
      double meanProbability,
      Map<String, Double> featureMeans,
      Map<String, String> actions,
      Double meanPredictedClv,
      Double valueAtRisk,
      List<BandCell> bands) {}

  /**
   * A segment's customers in one churn-risk band, with the suggested action: the operator's "who to
   * contact, with what, and what is at stake".
   *
   * @param band high, medium or low churn risk
   * @param customers customers in the cell
   * @param share their share of all customers
   * @param spend their total spend up to the cutoff (the {@code total_spend} feature); null when
   *     the export has no such column or {@link BandTable}'s disclosure rule withholds it
   * @param predictedClv their total predicted CLV; null without customer value or when withheld
   * @param valueAtRisk their total value at risk ({@link CustomerValueModel#valueAtRisk}); null
   *     like {@code predictedClv}
   */
  public record BandCell(
      String band,
      long customers,
      double share,
      Double spend,
      Double predictedClv,
      Double valueAtRisk) {}

  /**
   * The customer-value layer: what a customer's purchases and spend are expected to be, from the
   * BG/NBD model of purchase timing and dropout (Fader, Hardie and Lee 2005, Marketing Science) and
   * the Gamma-Gamma model of spend (Fader, Hardie and Lee 2005, JMR), both fitted on every customer
   * of the training export. Times are in weeks (alpha is a number of weeks).
   *
   * @param timeUnit "weeks"
   * @param windowDays the label window: expected purchases are over this many days
   * @param horizonDays predicted CLV's horizon
   * @param horizonMonths that horizon in whole months (the monthly steps of the CLV sum)
   * @param monthlyDiscountRate discount per month of the CLV sum
   * @param roles the features the models read: days since the last purchase, distinct purchase
   *     days, days since the first purchase, mean spend per order, total spend
   * @param bgNbd the purchase-process fit
   * @param gammaGamma the spend fit, or null when it cannot be fitted (then no CLV)
   * @param features the value features offered to the repurchase model, with their scaling
   * @param usedInClassifier whether the classifier uses them
   * @param decision the validation log losses that decided it
   * @param backTest predicted against actual purchases in the label window by repeat purchases
   * @param notes what could not be fitted and why, or warnings (e.g. spend correlated with
   *     frequency, which the Gamma-Gamma model assumes away)
   */
  public record CustomerValue(
      String timeUnit,
      int windowDays,
      int horizonDays,
      int horizonMonths,
      double monthlyDiscountRate,
      ValueRoles roles,
      BgNbdParameters bgNbd,
      GammaGammaParameters gammaGamma,
      List<ValueFeature> features,
      boolean usedInClassifier,
      ValueDecision decision,
      List<BackTestBin> backTest,
      List<String> notes)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The feature names the customer-value models read. */
  public record ValueRoles(
      String recency, String frequency, String tenure, String monetary, String totalSpend)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * BG/NBD parameters: purchase rates ~ Gamma(r, alpha), dropout probabilities ~ Beta(a, b).
   *
   * @param customers customers fitted
   * @param repeatCustomers of those, with at least one repeat purchase day
   */
  public record BgNbdParameters(
      double r,
      double alpha,
      double a,
      double b,
      double logLikelihood,
      int iterations,
      boolean converged,
      double gradientNorm,
      double customers,
      double repeatCustomers,
      double penalizer)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Gamma-Gamma parameters: spends ~ Gamma(p, nu), nu ~ Gamma(q, v).
   *
   * @param frequencyMonetaryCorrelation the independence check: Pearson correlation of repeat
   *     purchases and mean spend among repeat customers (near 0 supports the model); null when
   *     either does not vary
   */
  public record GammaGammaParameters(
      double p,
      double q,
      double v,
      double logLikelihood,
      int iterations,
      boolean converged,
      double customers,
      Double frequencyMonetaryCorrelation,
      double penalizer)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value feature offered to the repurchase model: its meaning and standardization. */
  public record ValueFeature(String name, String meaning, double mean, double std)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Whether the value features lower the validation log loss.
   *
   * @param baseLogLoss validation log loss without them (linear fits on the decision rows)
   * @param withValueLogLoss with them
   * @param decisionRows training rows of the two comparison fits
   * @param used whether the classifier uses the value features
   */
  public record ValueDecision(
      double baseLogLoss, double withValueLogLoss, long decisionRows, boolean used, String rule)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The calibration/holdout check of the purchase model, as lifetimes draws it: customers grouped
   * by repeat purchases up to the cutoff; the mean predicted and the mean actual number of purchase
   * days in the label window (groups of at least the minimum segment size).
   *
   * @param repeatPurchases the group, e.g. "0", "3", "7+"
   */
  public record BackTestBin(String repeatPurchases, long customers, double predicted, double actual)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * How customer features were derived from an orders export (see {@code RfmFeatures}).
   *
   * @param source "orders"
   * @param cutoff last order day the features see (ISO date)
   * @param labelWindowDays the label is a purchase within this many days after the cutoff
   * @param grain ORDER or LINE: what one export row was
   * @param features every feature and what it means
   * @param rules the edge rules applied
   * @param counts customers, orders and rows each rule touched
   * @param scoring how to compute the same features for scoring today's customers
   * @param money whether the export had money; false for a purchase log without amounts, whose
   *     money features ({@code leftOut}) and money outputs (spend, CLV, value at risk) are left
   *     out; null in files before schema 1.4 (they all had money)
   * @param leftOut features left out of this derivation, each with its reason
   * @param dialect the dialect the export was read in (columns, dates and zone, delimiter and
   *     decimal separator, refund marks, guest rows, ids, grain, order key, money), as setting-like
   *     names and values: every path that reads orders for this model reads them with it; null
   *     before schema 1.4
   * @param warnings what the derivation says about the labels (a censored label window)
   */
  public record Derivation(
      String source,
      String cutoff,
      int labelWindowDays,
      String grain,
      List<FeatureDefinition> features,
      List<String> rules,
      Map<String, Long> counts,
      String scoring,
      Boolean money,
      List<String> leftOut,
      Map<String, String> dialect,
      List<String> warnings) {

    /** A derivation as recorded before schema 1.4: with money, no dialect. */
    public Derivation(
        String source,
        String cutoff,
        int labelWindowDays,
        String grain,
        List<FeatureDefinition> features,
        List<String> rules,
        Map<String, Long> counts,
        String scoring) {
      this(
          source,
          cutoff,
          labelWindowDays,
          grain,
          features,
          rules,
          counts,
          scoring,
          null,
          null,
          null,
          null);
    }

    /** Whether the export had money (files before 1.4 all had). */
    public boolean hasMoney() {
      return money == null || money;
    }
  }

  /** A derived feature and its meaning. */
  public record FeatureDefinition(String name, String meaning) {}

  /**
   * How the model was made.
   *
   * @param library producing library name
   * @param libraryVersion its version
   * @param seed the training seed
   * @param parameters every hyper-parameter, by name
   * @param rowsRead data rows read from the input (order rows for an orders export)
   * @param rowsUsed rows (customers) that entered the fit
   * @param rowsRejected bad input rows skipped
   * @param rejections the first reasons for rejection (row number, column, value)
   * @param source where the data came from (e.g. an S3 URI and ETag), or null
   * @param timingsMs wall-clock milliseconds per training stage
   * @param warnings notes such as constant columns
   */
  public record Provenance(
      String library,
      String libraryVersion,
      long seed,
      Map<String, Object> parameters,
      long rowsRead,
      long rowsUsed,
      long rowsRejected,
      List<String> rejections,
      String source,
      Map<String, Long> timingsMs,
      List<String> warnings) {}

  /** The same model with another evaluation (the gate's decision, the live comparison). */
  public RetentionModel withEvaluation(Evaluation newEvaluation) {
    return new RetentionModel(
        schemaVersion,
        modelName,
        version,
        createdAt,
        labelColumn,
        features,
        segmentation,
        classifier,
        newEvaluation,
        segments,
        provenance,
        derivation,
        playbook,
        order,
        customerValue,
        uplift);
  }

  /** The same model with an uplift part (or none). */
  public RetentionModel withUplift(Uplift newUplift) {
    return new RetentionModel(
        schemaVersion,
        modelName,
        version,
        createdAt,
        labelColumn,
        features,
        segmentation,
        classifier,
        evaluation,
        segments,
        provenance,
        derivation,
        playbook,
        order,
        customerValue,
        newUplift);
  }

  /** The same model with another provenance (a warning added after training). */
  public RetentionModel withProvenance(Provenance newProvenance) {
    return new RetentionModel(
        schemaVersion,
        modelName,
        version,
        createdAt,
        labelColumn,
        features,
        segmentation,
        classifier,
        evaluation,
        segments,
        newProvenance,
        derivation,
        playbook,
        order,
        customerValue,
        uplift);
  }

  /** Feature names in model order. */
  public List<String> featureNames() {
    return features.stream().map(Feature::name).toList();
  }
}
