package dev.retention.training;

import dev.retention.core.BgNbd;
import dev.retention.core.BgNbdFit;
import dev.retention.core.ClvFitOptions;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.GammaGamma;
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
      FeatureMatrix features) {}

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
   * (too few repeat buyers) or the features are not those of an orders derivation.
   */
  static Fitted fit(
      FeatureMatrix raw,
      CustomerValueOptions options,
      int windowDays,
      int threads,
      List<String> notes) {
    RetentionModel.ValueRoles roles = roles(raw.columns());
    if (roles == null) {
      notes.add("customer value: the features lack the RFM roles it reads; not fitted");
      return null;
    }
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
    ClvFitOptions fitOptions =
        ClvFitOptions.defaults().withPenalizer(options.penalizer()).withThreads(threads);
    BgNbdFit purchases;
    try {
      purchases = BgNbd.fit(x, tx, age, fitOptions);
    } catch (IllegalArgumentException e) {
      notes.add("customer value: the purchase model could not be fitted: " + e.getMessage());
      return null;
    }
    if (!purchases.converged()) {
      notes.add(
          "customer value: the purchase model did not converge in "
              + purchases.iterations()
              + " iterations (a boundary solution: try retention.train.customer-value.penalizer"
              + " = 0.001); its values are published with this warning");
    }
    GammaGammaFit spendFit = null;
    try {
      spendFit = GammaGamma.fit(x, spend, fitOptions);
      if (!(spendFit.q() > 1)) {
        notes.add(
            "customer value: the spend model's q is "
                + spendFit.q()
                + " <= 1, so the expected spend is infinite; no CLV");
        spendFit = null;
      } else if (Math.abs(spendFit.frequencyMonetaryCorrelation()) > CORRELATION_WARNING) {
        notes.add(
            String.format(
                Locale.ROOT,
                "customer value: spend and frequency correlate (r = %.2f); the Gamma-Gamma model"
                    + " assumes they do not, so CLV is less reliable",
                spendFit.frequencyMonetaryCorrelation()));
      }
    } catch (IllegalArgumentException e) {
      notes.add("customer value: the spend model could not be fitted: " + e.getMessage());
    }
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
