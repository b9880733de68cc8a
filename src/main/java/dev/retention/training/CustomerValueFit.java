package dev.retention.training;

import dev.retention.core.BgNbdFit;
import dev.retention.core.ClvFitOptions;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.GammaGammaFit;
import dev.retention.features.RfmFeature;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits the customer-value layer of a model trained from orders: BG/NBD on every customer's repeat
 * purchase days {@code x}, last purchase {@code t_x} and age {@code T} in weeks, and Gamma-Gamma on
 * the repeat customers' mean spend; then every customer's quantities ({@link CustomerValueModel})
 * and the value features offered to the repurchase model.
 */
final class CustomerValueFit {

  private CustomerValueFit() {}

  /** Above this absolute frequency-spend correlation the Gamma-Gamma assumption is doubtful. */
  static final double CORRELATION_WARNING = 0.3;

  /**
   * The fitted layer and what it says of every training customer.
   *
   * @param draft the model record, its value features' scaling and decision still to be filled in
   * @param model the compiled layer
   * @param quantities per training row
   * @param features the value features' raw values, one row per customer
   */
  record Fitted(
      RetentionModel.CustomerValue draft,
      CustomerValueModel model,
      CustomerValueModel.Quantities[] quantities,
      FeatureMatrix features) {

    /** The same layer with the final notes in its record. */
    Fitted withNotes(List<String> notes) {
      RetentionModel.CustomerValue d = draft;
      return new Fitted(
          new RetentionModel.CustomerValue(
              d.timeUnit(),
              d.windowDays(),
              d.horizonDays(),
              d.horizonMonths(),
              d.monthlyDiscountRate(),
              d.roles(),
              d.bgNbd(),
              d.gammaGamma(),
              d.features(),
              d.usedInClassifier(),
              d.decision(),
              d.backTest(),
              List.copyOf(notes)),
          model,
          quantities,
          features);
    }
  }

  /** The columns the layer reads, or null when the features lack one. */
  static List<String> roleColumns(List<String> columns) {
    RetentionModel.ValueRoles roles = roles(columns);
    return roles == null
        ? null
        : List.of(
            roles.recency(),
            roles.frequency(),
            roles.tenure(),
            roles.monetary(),
            roles.totalSpend());
  }

  static RetentionModel.ValueRoles roles(List<String> columns) {
    RetentionModel.ValueRoles roles =
        new RetentionModel.ValueRoles(
            RfmFeature.RECENCY_DAYS.column(),
            RfmFeature.FREQUENCY.column(),
            RfmFeature.TENURE_DAYS.column(),
            RfmFeature.MONETARY.column(),
            RfmFeature.TOTAL_SPEND.column());
    for (String role :
        List.of(
            roles.recency(),
            roles.frequency(),
            roles.tenure(),
            roles.monetary(),
            roles.totalSpend())) {
      if (!columns.contains(role)) {
        return null;
      }
    }
    return roles;
  }

  /**
   * Fits the layer, or returns null with a note when the data cannot identify the purchase model
   * (too few repeat buyers, no usable fit: {@link ValueFitChoice}) or it would give a customer a
   * value that is not a finite number; the features are those of an orders derivation. Never throws
   * for the data's sake: customer value is optional, training is not.
   */
  static Fitted fit(
      FeatureMatrix raw,
      CustomerValueOptions options,
      int windowDays,
      int threads,
      long seed,
      List<String> notes) {
    RetentionModel.ValueRoles roles = roles(raw.columns());
    if (roles == null) {
      notes.add("customer value: the features lack the RFM roles it reads; not fitted");
      return null;
    }
    Histories h = histories(raw, roles);
    ClvFitOptions fitOptions =
        ClvFitOptions.defaults().withPenalizer(options.penalizer()).withThreads(threads);
    BgNbdFit purchases;
    try {
      purchases = ValueFitChoice.purchases(h.x, h.tx, h.age, fitOptions, seed, notes);
    } catch (IllegalArgumentException e) {
      notes.add("customer value: the purchase model could not be fitted: " + e.getMessage());
      purchases = null;
    }
    if (purchases == null) {
      // One warning that says what is left out and why.
      String why = notes.remove(notes.size() - 1).replaceFirst("^customer value: ", "");
      notes.add(LEFT_OUT + why + " (P(alive), expected purchases and CLV need it)");
      return null;
    }
    GammaGammaFit spendFit;
    try {
      spendFit = ValueFitChoice.spend(h.x, h.spend, fitOptions, seed + 1, notes);
    } catch (IllegalArgumentException e) {
      notes.add("customer value: the spend model could not be fitted: " + e.getMessage());
      spendFit = null;
    }
    if (spendFit != null
        && Math.abs(spendFit.frequencyMonetaryCorrelation()) > CORRELATION_WARNING) {
      notes.add(
          String.format(
              Locale.ROOT,
              "customer value: spend and frequency correlate (r = %.2f); the Gamma-Gamma model"
                  + " assumes they do not, so CLV is less reliable",
              spendFit.frequencyMonetaryCorrelation()));
    }
    Fitted fitted;
    try {
      fitted = layer(raw, roles, options, windowDays, purchases, spendFit, notes);
      String bad = nonFinite(fitted, false);
      if (bad == null && spendFit != null && nonFinite(fitted, true) != null) {
        notes.add(
            "customer value: the spend model gives "
                + nonFinite(fitted, true)
                + "; no CLV or value at risk in this model");
        fitted = layer(raw, roles, options, windowDays, purchases, null, notes);
        bad = nonFinite(fitted, false);
      }
      if (bad != null) {
        notes.add(LEFT_OUT + "the purchase model gives " + bad);
        return null;
      }
    } catch (IllegalArgumentException e) {
      // A derived history the layer cannot read (FeatureValueException names a feature only).
      notes.add(LEFT_OUT + "a customer's history cannot be read by it: " + e.getMessage());
      return null;
    }
    warnIfEveryoneAlive(fitted, h.x, notes);
    return fitted.withNotes(notes);
  }

  /** How a note that leaves the layer out starts (the summary and report look for it). */
  static final String LEFT_OUT = CustomerValueModel.LEFT_OUT;

  /** Above this share of repeat customers with P(alive) >= 0.99 the model sees no dropout. */
  static final double EVERYONE_ALIVE_SHARE = 0.95;

  /** Every customer's BG/NBD inputs in weeks, and mean spend. */
  private record Histories(int[] x, double[] tx, double[] age, double[] spend) {}

  private static Histories histories(FeatureMatrix raw, RetentionModel.ValueRoles roles) {
    int n = raw.rows();
    int d = raw.cols();
    int r = raw.indexOf(roles.recency());
    int f = raw.indexOf(roles.frequency());
    int t = raw.indexOf(roles.tenure());
    int m = raw.indexOf(roles.monetary());
    double[] v = raw.data();
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    double[] spend = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (int) Math.round(v[i * d + f]) - 1;
      age[i] = v[i * d + t] / 7.0;
      tx[i] = (v[i * d + t] - v[i * d + r]) / 7.0;
      if (x[i] > 0 && !(tx[i] > 0)) {
        tx[i] = Math.min(age[i], 1.0 / 7.0);
      }
      spend[i] = v[i * d + m];
    }
    return new Histories(x, tx, age, spend);
  }

  /**
   * The first customer quantity that is not a finite number in its range (P(alive) in [0, 1],
   * expectations and the median time >= 0; with {@code clv}, the predicted CLV), as words for a
   * note (a count and the quantity, never a customer), or null when every customer's are.
   */
  static String nonFinite(Fitted fitted, boolean clv) {
    long bad = 0;
    String what = null;
    for (CustomerValueModel.Quantities q : fitted.quantities()) {
      String problem =
          clv
              ? (q.predictedClv() != null && !(q.predictedClv() >= 0 && q.predictedClv() < INF)
                  ? "predicted CLV"
                  : null)
              : !(q.pAlive() >= 0 && q.pAlive() <= 1)
                  ? "P(alive)"
                  : !(q.expectedPurchases() >= 0 && q.expectedPurchases() < INF)
                      ? "expected purchases"
                      : !(q.daysToNextOrder() >= 0 && q.daysToNextOrder() <= INF)
                          ? "days to the next order"
                          : null;
      if (problem != null) {
        bad++;
        what = what == null ? problem : what;
      }
    }
    return bad == 0 ? null : what + " that is not a finite number for some customers";
  }

  private static final double INF = Double.POSITIVE_INFINITY;

  /**
   * A warning when nearly every repeat customer is alive with P(alive) >= 0.99: the history shows
   * no dropout, and P(alive) reads "no sign of churn yet", not certainty.
   */
  private static void warnIfEveryoneAlive(Fitted fitted, int[] x, List<String> notes) {
    long repeat = 0;
    long alive = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0) {
        repeat++;
        if (fitted.quantities()[i].pAlive() >= 0.99) {
          alive++;
        }
      }
    }
    if (repeat > 0 && alive >= EVERYONE_ALIVE_SHARE * repeat) {
      notes.add(
          String.format(
              Locale.ROOT,
              "customer value: P(alive) is 0.99 or more for %.0f %% of the repeat customers: the"
                  + " export's history shows almost no dropout, so read P(alive) as 'no sign of"
                  + " churn yet' rather than certainty (a longer history helps)",
              100.0 * alive / repeat));
    }
  }

  /** The layer of the given fits and what it says of every customer. */
  private static Fitted layer(
      FeatureMatrix raw,
      RetentionModel.ValueRoles roles,
      CustomerValueOptions options,
      int windowDays,
      BgNbdFit purchases,
      GammaGammaFit spendFit,
      List<String> notes) {
    int n = raw.rows();
    int d = raw.cols();
    double[] v = raw.data();
    List<RetentionModel.ValueFeature> features = new ArrayList<>();
    features.add(
        new RetentionModel.ValueFeature(
            "p_alive", "probability the customer is still active (BG/NBD)", 0, 1));
    features.add(
        new RetentionModel.ValueFeature(
            "expected_purchases_" + windowDays + "d",
            "purchase days expected in the next " + windowDays + " days (BG/NBD)",
            0,
            1));
    if (spendFit != null) {
      features.add(
          new RetentionModel.ValueFeature(
              "log_clv_" + options.horizonDays() + "d",
              "log(1 + predicted CLV over " + options.horizonDays() + " days) (Gamma-Gamma)",
              0,
              1));
    }
    RetentionModel.CustomerValue draft =
        new RetentionModel.CustomerValue(
            "weeks",
            windowDays,
            options.horizonDays(),
            options.horizonMonths(),
            options.monthlyDiscountRate(),
            roles,
            new RetentionModel.BgNbdParameters(
                purchases.r(),
                purchases.alpha(),
                purchases.a(),
                purchases.b(),
                purchases.logLikelihood(),
                purchases.iterations(),
                purchases.converged(),
                purchases.gradientNorm(),
                purchases.customers(),
                purchases.repeatCustomers(),
                purchases.penalizer()),
            spendFit == null
                ? null
                : new RetentionModel.GammaGammaParameters(
                    spendFit.p(),
                    spendFit.q(),
                    spendFit.v(),
                    spendFit.logLikelihood(),
                    spendFit.iterations(),
                    spendFit.converged(),
                    spendFit.customers(),
                    Double.isNaN(spendFit.frequencyMonetaryCorrelation())
                        ? null
                        : spendFit.frequencyMonetaryCorrelation(),
                    spendFit.penalizer()),
            List.copyOf(features),
            false,
            null,
            List.of(),
            List.copyOf(notes));
    CustomerValueModel model = CustomerValueModel.of(draft, raw.columns());
    CustomerValueModel.Quantities[] quantities = new CustomerValueModel.Quantities[n];
    int e = features.size();
    double[] values = new double[n * e];
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(v, i * d, row, 0, d);
      quantities[i] = model.of(row);
      model.features(quantities[i], values, i * e);
    }
    return new Fitted(
        draft,
        model,
        quantities,
        new FeatureMatrix(
            features.stream().map(RetentionModel.ValueFeature::name).toList(), values));
  }

  /**
   * The back-test: training customers grouped by repeat purchases, the mean predicted against the
   * mean actual purchase days in the label window; groups merged upwards until each holds at least
   * {@code minSize} customers.
   */
  static List<RetentionModel.BackTestBin> backTest(
      FeatureMatrix raw,
      String frequency,
      CustomerValueModel.Quantities[] quantities,
      int[] actual,
      int minSize) {
    int f = raw.indexOf(frequency);
    int d = raw.cols();
    int maxX = 0;
    int[] x = new int[raw.rows()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (int) Math.round(raw.data()[i * d + f]) - 1;
      maxX = Math.max(maxX, x[i]);
    }
    int width = Math.min(maxX, 50) + 1;
    long[] count = new long[width];
    double[] predicted = new double[width];
    double[] observed = new double[width];
    for (int i = 0; i < x.length; i++) {
      int b = Math.min(x[i], width - 1);
      count[b]++;
      predicted[b] += quantities[i].expectedPurchases();
      observed[b] += actual[i];
    }
    List<RetentionModel.BackTestBin> out = new ArrayList<>();
    int from = 0;
    long n = 0;
    double p = 0;
    double a = 0;
    for (int b = 0; b < width; b++) {
      n += count[b];
      p += predicted[b];
      a += observed[b];
      boolean last = b == width - 1;
      long rest = 0;
      for (int c = b + 1; c < width; c++) {
        rest += count[c];
      }
      // Close a group once it is large enough, unless what is left could not stand alone.
      if (n >= minSize && (rest >= minSize || rest == 0) || last) {
        if (n > 0) {
          String label =
              last
                  ? (from == maxX ? Integer.toString(from) : from + "+")
                  : from == b ? Integer.toString(b) : from + "-" + b;
          out.add(new RetentionModel.BackTestBin(label, n, p / n, a / n));
        }
        from = b + 1;
        n = 0;
        p = 0;
        a = 0;
      }
    }
    return List.copyOf(out);
  }
}
