package dev.retention.model;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.InvalidValueException;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one customer's raw features with a {@link RetentionModel}: standardize exactly as in
 * training ({@link Standardization#transformRow}), find the nearest segment centre ({@link
 * Centroids#nearest}), compute the repurchase probability and the top feature contributions ({@code
 * coefficient * standardized term}, folded onto the original features by {@link
 * FeatureExpansion#contributions}).
 *
 * <p>Built once per model (the model's lists are flattened into primitive arrays here) and then
 * thread-safe and allocation-light: a score costs O(k*d + terms) arithmetic.
 */
public final class Scorer {

  /** How much one feature pushed the log-odds of repurchase up (positive) or down (negative). */
  public record Contribution(String feature, double value) {}

  /**
   * One customer's result.
   *
   * @param segment id of the nearest centre
   * @param segmentName that segment's name
   * @param distance Euclidean distance to that centre, in standardized units
   * @param probability repurchase probability
   * @param churnRiskBand high, medium or low, by the model's playbook
   * @param suggestedAction the playbook's action for the segment and band, or null
   * @param topContributions the largest contributions by absolute value, largest first
   * @param value the customer-value quantities, or null when the model has no such layer
   * @param uplift the change in the probability of buying in the window that a contact causes
   *     ({@link UpliftModel}), or null when the model has no uplift part (or for a new customer,
   *     who has no features)
   * @param orderValue the customer's expected order value (the uplift part's order value feature),
   *     or null without one
   */
  public record Score(
      int segment,
      String segmentName,
      double distance,
      double probability,
      String churnRiskBand,
      String suggestedAction,
      List<Contribution> topContributions,
      CustomerValueModel.Quantities value,
      Double uplift,
      Double orderValue) {

    /** A score without an uplift part. */
    public Score(
        int segment,
        String segmentName,
        double distance,
        double probability,
        String churnRiskBand,
        String suggestedAction,
        List<Contribution> topContributions,
        CustomerValueModel.Quantities value) {
      this(
          segment,
          segmentName,
          distance,
          probability,
          churnRiskBand,
          suggestedAction,
          topContributions,
          value,
          null,
          null);
    }

    /**
     * The contact decision by expected profit ({@link ContactEconomics}), or null without an uplift
     * or an order value.
     */
    public ContactEconomics.Decision decision(ContactEconomics economics) {
      return uplift == null || orderValue == null ? null : economics.decide(uplift, orderValue);
    }
  }

  /** Contributions returned per customer. */
  public static final int TOP_CONTRIBUTIONS = 3;

  private final RetentionModel model;
  private final int d;
  private final List<String> names;
  private final Map<String, Integer> index;
  private final Standardization standardization;
  private final Centroids centroids;
  private final String[] segmentNames;
  private final Playbook playbook;
  // The playbook's action per segment and band (Playbook.BANDS order), resolved once per model.
  private final String[][] actions;
  private final double intercept;
  private final double[] coefficients;
  private final FeatureExpansion expansion;
  // The customer-value layer, and its features' scaling when the classifier reads them.
  private final CustomerValueModel value;
  private final double[] valueMean;
  private final double[] valueStd;
  private final List<String> classifierColumns;
  private final double baseRate;
  // The uplift part, rebuilt once per model, and the column of its order value (-1 without).
  private final UpliftModel uplift;
  private final int orderValueColumn;

  private Scorer(RetentionModel model) {
    this.model = model;
    List<RetentionModel.Feature> features = model.features();
    this.d = features.size();
    int k = model.segmentation().k();
    boolean[] log1p = new boolean[d];
    double[] mean = new double[d];
    double[] std = new double[d];
    this.index = new HashMap<>();
    for (int c = 0; c < d; c++) {
      RetentionModel.Feature f = features.get(c);
      index.put(f.name(), c);
      log1p[c] = f.log1p();
      mean[c] = f.mean();
      std[c] = f.std();
    }
    this.names = model.featureNames();
    this.standardization = new Standardization(names, log1p, mean, std, List.of());
    double[] centres = new double[k * d];
    for (int j = 0; j < k; j++) {
      System.arraycopy(model.segmentation().centresStandardized()[j], 0, centres, j * d, d);
    }
    this.centroids = new Centroids(k, d, centres);
    this.segmentNames = new String[k];
    // Models of schema 1.0 carry no playbook: they get the default bands and actions.
    this.playbook = Playbook.orDefault(model.playbook());
    this.actions = new String[k][];
    for (RetentionModel.Segment s : model.segments()) {
      segmentNames[s.id()] = s.name();
      String kind = s.kind() == null ? "*" : s.kind();
      actions[s.id()] = new String[Playbook.BANDS.size()];
      for (int b = 0; b < Playbook.BANDS.size(); b++) {
        actions[s.id()][b] = playbook.action(kind, Playbook.BANDS.get(b));
      }
    }
    RetentionModel.Classifier cls = model.classifier();
    this.intercept = cls.intercept();
    this.coefficients = cls.coefficients().clone();
    this.expansion = new FeatureExpansion(cls.squares(), cls.interactions());
    RetentionModel.CustomerValue cv = model.customerValue();
    this.value = cv == null ? null : CustomerValueModel.of(cv, names);
    if (cv != null && cv.usedInClassifier()) {
      int e = cv.features().size();
      valueMean = new double[e];
      valueStd = new double[e];
      List<String> columns = new ArrayList<>(names);
      for (int c = 0; c < e; c++) {
        valueMean[c] = cv.features().get(c).mean();
        valueStd[c] = cv.features().get(c).std();
        columns.add(cv.features().get(c).name());
      }
      classifierColumns = List.copyOf(columns);
    } else {
      valueMean = null;
      valueStd = null;
      classifierColumns = names;
    }
    this.baseRate = baseRate(model.segments());
    RetentionModel.Uplift u = model.uplift();
    Integer minSize = model.segmentation().minSize();
    this.uplift = u == null ? null : UpliftModel.of(u, minSize == null ? 0 : minSize);
    this.orderValueColumn =
        u == null || u.orderValueFeature() == null ? -1 : index.get(u.orderValueFeature());
  }

  /** Whether the model has an uplift part. */
  public boolean hasUplift() {
    return uplift != null;
  }

  /**
   * The share of the training customers who bought again: each published profile's observed rate
   * weighted by its size, every profile counted once (a merged profile covers several segments). An
   * aggregate over at least the minimum segment size.
   */
  static double baseRate(List<RetentionModel.Segment> segments) {
    java.util.Set<List<Integer>> counted = new java.util.HashSet<>();
    double positives = 0;
    double customers = 0;
    for (RetentionModel.Segment s : segments) {
      List<Integer> covers = s.profileCovers() == null ? List.of(s.id()) : s.profileCovers();
      if (counted.add(covers)) {
        positives += s.repurchaseRate() * s.size();
        customers += s.size();
      }
    }
    return customers > 0 ? positives / customers : 0;
  }

  /** The population's base rate: the share of the training customers who bought again. */
  public double baseRate() {
    return baseRate;
  }

  /** The segment of a customer with no purchase yet, who has no features and no centre. */
  public static final int NEW_SEGMENT = -1;

  /**
   * The answer for a customer with no purchase yet: no segment ({@link #NEW_SEGMENT}, named {@value
   * Playbook#NEW_CUSTOMER}), the population's {@linkplain #baseRate base rate} as the probability
   * (the model is defined for customers who have bought), the playbook's action for a new customer
   * in that band, no contributions, and a newcomer's customer value ({@link
   * CustomerValueModel#newcomer}) when the model has that layer.
   */
  public Score newCustomer() {
    int band = playbook.bandIndex(baseRate);
    String bandName = Playbook.BANDS.get(band);
    return new Score(
        NEW_SEGMENT,
        Playbook.NEW_CUSTOMER,
        Double.NaN,
        baseRate,
        bandName,
        playbook.newCustomerAction(bandName),
        List.of(),
        value == null ? null : value.newcomer());
  }

  /** Compiles a validated model for scoring. */
  public static Scorer of(RetentionModel model) {
    ModelJson.validate(model);
    return new Scorer(model);
  }

  public RetentionModel model() {
    return model;
  }

  /**
   * Index of a feature in the order {@link #score(double[])} expects, or -1 if the model has none.
   */
  public int featureIndex(String name) {
    Integer index = this.index.get(name);
    return index == null ? -1 : index;
  }

  /** Feature names in the order {@link #score(double[])} expects. */
  public List<String> featureNames() {
    return names;
  }

  /**
   * Scores raw features in model order: the model's standardization, its nearest centre, its
   * classifier and its playbook, the same core code training used.
   *
   * @throws FeatureValueException on a non-finite value or one outside a log1p feature's domain
   */
  public Score score(double[] raw) {
    double[] z = new double[d];
    try {
      standardization.transformRow(raw, z);
    } catch (InvalidValueException e) {
      throw new FeatureValueException(names.get(e.column()), e.getMessage());
    }
    double[] squared = new double[1];
    int segment = centroids.nearest(z, 0, squared);
    double distance = Math.sqrt(squared[0]);
    CustomerValueModel.Quantities quantities = value == null ? null : value.of(raw);
    double[] inputs = z;
    if (valueMean != null) {
      // The classifier reads the value features after the features, scaled as in training.
      inputs = java.util.Arrays.copyOf(z, d + valueMean.length);
      value.features(quantities, inputs, d);
      for (int c = 0; c < valueMean.length; c++) {
        inputs[d + c] = (inputs[d + c] - valueMean[c]) / valueStd[c];
      }
    }
    double[] contribution = new double[inputs.length];
    expansion.contributions(inputs, coefficients, contribution);
    double eta = intercept;
    for (double v : contribution) {
      eta += v;
    }
    double probability = LogisticRegression.sigmoid(eta);
    int band = playbook.bandIndex(probability);
    return new Score(
        segment,
        segmentNames[segment],
        distance,
        probability,
        Playbook.BANDS.get(band),
        actions[segment][band],
        top(contribution),
        quantities,
        uplift == null ? null : uplift.uplift(raw),
        orderValueColumn < 0 ? null : Math.max(0, raw[orderValueColumn]));
  }

  private List<Contribution> top(double[] contribution) {
    int width = contribution.length;
    int n = Math.min(TOP_CONTRIBUTIONS, width);
    int[] chosen = new int[n];
    boolean[] used = new boolean[width];
    for (int t = 0; t < n; t++) {
      int bestIndex = -1;
      for (int c = 0; c < width; c++) {
        if (!used[c]
            && (bestIndex < 0 || Math.abs(contribution[c]) > Math.abs(contribution[bestIndex]))) {
          bestIndex = c;
        }
      }
      used[bestIndex] = true;
      chosen[t] = bestIndex;
    }
    List<Contribution> out = new ArrayList<>(n);
    for (int c : chosen) {
      out.add(new Contribution(classifierColumns.get(c), contribution[c]));
    }
    return out;
  }
}
