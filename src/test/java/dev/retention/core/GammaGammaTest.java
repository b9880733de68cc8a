package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.testing.BtydSimulation;
import dev.retention.testing.Cdnow;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Gamma-Gamma fit, its predictions and the CLV helper against lifetimes 0.11.3 on CDNOW (see
 * src/test/resources/cdnow/SOURCE.md), against simulation, and its input errors.
 */
class GammaGammaTest {

  private static final String[] NAMES = {"p", "q", "v"};

  private static Cdnow cdnow;
  private static GammaGammaFit fit;

  @BeforeAll
  static void fitCdnow() {
    cdnow = Cdnow.load();
    // all customers are passed; rows with x = 0 (m = 0 in the file) are skipped
    fit = GammaGamma.fit(cdnow.x, cdnow.m, ClvFitOptions.defaults());
  }

  private static double relative(double expected, double actual) {
    return Math.abs(actual - expected) / Math.abs(expected);
  }

  private static double[] params(GammaGammaFit f) {
    return new double[] {f.p(), f.q(), f.v()};
  }

  @Test
  void cdnowParametersMatchLifetimes() {
    assertTrue(fit.converged());
    JsonNode lifetimes = cdnow.lifetimes.get("gamma_gamma");
    assertEquals(lifetimes.get("repeat_customers").asInt(), fit.rows());
    for (int i = 0; i < 3; i++) {
      double difference =
          relative(lifetimes.get("default_fit").get(NAMES[i]).asDouble(), params(fit)[i]);
      assertTrue(difference < 1e-6, NAMES[i] + " differs by " + difference);
    }
    assertEquals(
        lifetimes.get("default_fit_negative_log_likelihood").asDouble(), fit.objective(), 1e-12);
    // Hardie's values, in lifetimes' test_params_out_is_close_to_Hardie_paper
    assertArrayEquals(new double[] {6.25, 3.74, 15.44}, params(fit), 1e-2);
  }

  @Test
  void cdnowPenalizedFitMatchesLifetimesAndItsMeanIsInfinite() {
    GammaGammaFit penalized =
        GammaGamma.fit(cdnow.x, cdnow.m, ClvFitOptions.defaults().withPenalizer(0.1));
    JsonNode lifetimes = cdnow.lifetimes.get("gamma_gamma").get("penalizer_0.1_fit");
    for (int i = 0; i < 3; i++) {
      double difference = relative(lifetimes.get(NAMES[i]).asDouble(), params(penalized)[i]);
      assertTrue(difference < 1e-6, NAMES[i] + " differs by " + difference);
    }
    // that penalty pulls q below 1: lifetimes would return negative spends; we refuse
    assertTrue(penalized.q() < 1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> penalized.expectedAverageSpend(2, 30));
    assertTrue(e.getMessage().contains("q = "), e.getMessage());
    assertThrows(IllegalStateException.class, penalized::populationMeanSpend);
  }

  @Test
  void cdnowExpectedSpendMatchesLifetimesAndHardie() {
    for (JsonNode c : cdnow.lifetimes.get("customers")) {
      if (!c.has("conditional_expected_average_profit")) {
        continue;
      }
      double expected = c.get("conditional_expected_average_profit").asDouble();
      double ours = fit.expectedAverageSpend(c.get("x").asInt(), c.get("m").asDouble());
      assertTrue(relative(expected, ours) < 1e-6, "id " + c.get("id") + ": " + ours);
    }
    // Hardie's spreadsheet values for the first ten customers with p, q, v = 6.25, 3.74, 15.44
    // (lifetimes' test_conditional_expected_average_profit)
    GammaGammaFit hardie = GammaGammaFit.of(6.25, 3.74, 15.44);
    double[] expected = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
    for (int i = 0; i < 10; i++) {
      assertEquals(expected[i], hardie.expectedAverageSpend(cdnow.x[i], cdnow.m[i]), 0.1);
    }
    assertEquals(6.25 * 15.44 / 2.74, hardie.expectedAverageSpend(0, Double.NaN), 1e-12);
  }

  @Test
  void cdnowLifetimeValueMatchesLifetimes() {
    // lifetimes' customer_lifetime_value(bgf, ..., time=12, discount_rate, freq="W"), with its own
    // fits: formula parity to rounding
    JsonNode bg = cdnow.lifetimes.get("bgnbd").get("default_fit");
    JsonNode gg = cdnow.lifetimes.get("gamma_gamma").get("default_fit");
    BgNbdFit purchases =
        BgNbdFit.of(
            bg.get("r").asDouble(),
            bg.get("alpha").asDouble(),
            bg.get("a").asDouble(),
            bg.get("b").asDouble());
    GammaGammaFit spend =
        GammaGammaFit.of(gg.get("p").asDouble(), gg.get("q").asDouble(), gg.get("v").asDouble());
    BgNbdFit ourPurchases = BgNbd.fit(cdnow.x, cdnow.tx, cdnow.age, ClvFitOptions.defaults());
    for (JsonNode c : cdnow.lifetimes.get("customers")) {
      int x = c.get("x").asInt();
      double tx = c.get("tx").asDouble();
      double age = c.get("T").asDouble();
      double m = c.get("m").asDouble();
      for (String[] variant :
          new String[][] {
            {"customer_lifetime_value_12_months_discount_0.01_weeks", "0.01"},
            {"customer_lifetime_value_12_months_discount_0_weeks", "0"}
          }) {
        double expected = c.get(variant[0]).asDouble();
        double d = Double.parseDouble(variant[1]);
        double theirs =
            spend.customerLifetimeValue(
                purchases, x, tx, age, m, 12, d, GammaGamma.WEEKS_PER_MONTH);
        assertTrue(
            relative(expected, theirs) < 1e-12, "id " + c.get("id") + " " + variant[0] + theirs);
        double ours =
            fit.customerLifetimeValue(
                ourPurchases, x, tx, age, m, 12, d, GammaGamma.WEEKS_PER_MONTH);
        assertTrue(relative(expected, ours) < 1e-4, "id " + c.get("id") + ": " + ours);
      }
    }
  }

  @Test
  void undiscountedLifetimeValueIsExpectedPurchasesTimesSpend() {
    BgNbdFit purchases = BgNbdFit.of(0.243, 4.414, 0.793, 2.426);
    for (int i = 0; i < 50; i++) {
      int x = cdnow.x[i];
      double clv =
          fit.customerLifetimeValue(
              purchases,
              x,
              cdnow.tx[i],
              cdnow.age[i],
              cdnow.m[i],
              12,
              0,
              GammaGamma.WEEKS_PER_MONTH);
      double product =
          purchases.expectedPurchases(12 * GammaGamma.WEEKS_PER_MONTH, x, cdnow.tx[i], cdnow.age[i])
              * fit.expectedAverageSpend(x, cdnow.m[i]);
      assertEquals(product, clv, 1e-12 * product);
      double discounted =
          fit.customerLifetimeValue(
              purchases, x, cdnow.tx[i], cdnow.age[i], cdnow.m[i], 12, 0.01, 4.345);
      assertTrue(discounted < clv && discounted > clv / Math.pow(1.01, 12), "discounting");
    }
    assertEquals(0, fit.customerLifetimeValue(purchases, 2, 30, 38, 20, 0, 0.01, 4.345));
  }

  @Test
  void independenceCheckIsThePearsonCorrelation() {
    // computed here the textbook way over CDNOW's repeat customers
    double n = 0;
    double sx = 0;
    double sm = 0;
    double sxx = 0;
    double smm = 0;
    double sxm = 0;
    for (int i = 0; i < cdnow.size(); i++) {
      if (cdnow.x[i] == 0) {
        continue;
      }
      n++;
      sx += cdnow.x[i];
      sm += cdnow.m[i];
      sxx += (double) cdnow.x[i] * cdnow.x[i];
      smm += cdnow.m[i] * cdnow.m[i];
      sxm += cdnow.x[i] * cdnow.m[i];
    }
    double pearson = (n * sxm - sx * sm) / Math.sqrt((n * sxx - sx * sx) * (n * smm - sm * sm));
    assertEquals(pearson, fit.frequencyMonetaryCorrelation(), 1e-12);
    assertTrue(Math.abs(pearson) < 0.2, "CDNOW spend is nearly independent of frequency");
    GammaGammaFit perfect =
        GammaGamma.fit(
            new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
            new double[] {3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25},
            ClvFitOptions.defaults());
    assertEquals(1.0, perfect.frequencyMonetaryCorrelation(), 1e-12);
  }

  @Test
  void gradientAndHessianMatchFiniteDifferences() {
    int[] x = {1, 2, 2, 5, 0, 9, 3};
    double[] m = {12.5, 30, 8, 22, -1, 15, 40};
    double[] weights = {1, 2, 0.5, 1, 1, 3, 1};
    GammaGamma.Likelihood likelihood =
        GammaGamma.Likelihood.of(
            x, m, weights, ClvFitOptions.defaults().withPenalizer(0.05).withMinRepeatCustomers(1));
    try (Workers workers = Workers.open(1)) {
      likelihood.workers = workers;
      BgNbdTest.checkDerivatives(likelihood, new double[] {Math.log(3), Math.log(2.5), 2.0});
    }
  }

  record Truth(String name, long seed, int customers, double p, double q, double v, double meanX) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Truth> truths() {
    return Stream.of(
        new Truth("CDNOW", 5, 20_000, 6.25, 3.74, 15.44, 3),
        new Truth("wide spend", 6, 20_000, 2.0, 5.0, 50.0, 2),
        new Truth("frequent, heavy tail", 7, 10_000, 10.0, 2.5, 5.0, 5));
  }

  /** As {@link BgNbdRecoveryTest}: within 4 standard errors of the truth. */
  @ParameterizedTest
  @MethodSource("truths")
  void recoversTheParameters(Truth truth) {
    BtydSimulation.Spend s =
        BtydSimulation.gammaGamma(
            truth.seed(), truth.customers(), truth.p(), truth.q(), truth.v(), truth.meanX());
    GammaGammaFit f = GammaGamma.fit(s.x, s.m, ClvFitOptions.defaults());
    assertTrue(f.converged());
    double[] truthParams = {truth.p(), truth.q(), truth.v()};
    double[] se = f.standardErrors();
    StringBuilder line = new StringBuilder(truth.name() + ":");
    for (int i = 0; i < 3; i++) {
      double z = (params(f)[i] - truthParams[i]) / se[i];
      line.append(
          String.format(
              " %s %.4f (true %.3f, se %.4f, z %+.2f)",
              NAMES[i], params(f)[i], truthParams[i], se[i], z));
      assertTrue(Math.abs(z) < 4, NAMES[i] + ": z = " + z);
      assertTrue(
          se[i] / truthParams[i] < 0.35, NAMES[i] + ": relative se " + se[i] / truthParams[i]);
    }
    System.out.println(line + ", iterations " + f.iterations());
    // independence holds by construction
    assertTrue(Math.abs(f.frequencyMonetaryCorrelation()) < 4 / Math.sqrt(truth.customers()));
  }

  @Test
  void expectedSpendMatchesTheTrueMeansBySimulation() {
    // E[M | x, m] is the posterior mean of p / nu: grouped by x and by m, the average prediction
    // equals the average true mean within Monte Carlo error (z-scores, as in BgNbdMonteCarloTest)
    BtydSimulation.Spend s = BtydSimulation.gammaGamma(8, 200_000, 6.25, 3.74, 15.44, 3);
    GammaGammaFit f = GammaGammaFit.of(6.25, 3.74, 15.44);
    double[] cut = {20, 30, 45};
    int groups = 4 * 4;
    double[] sum = new double[groups];
    double[] squares = new double[groups];
    double[] count = new double[groups];
    for (int i = 0; i < s.x.length; i++) {
      int band = s.x[i] == 1 ? 0 : s.x[i] == 2 ? 1 : s.x[i] <= 4 ? 2 : 3;
      int level = s.m[i] < cut[0] ? 0 : s.m[i] < cut[1] ? 1 : s.m[i] < cut[2] ? 2 : 3;
      int g = band * 4 + level;
      double miss = s.trueMean[i] - f.expectedAverageSpend(s.x[i], s.m[i]);
      sum[g] += miss;
      squares[g] += miss * miss;
      count[g]++;
    }
    int checked = 0;
    for (int g = 0; g < groups; g++) {
      if (count[g] < 500) {
        continue;
      }
      double z = sum[g] / Math.sqrt(squares[g]);
      assertTrue(Math.abs(z) < 4.5, "group " + g + ": z = " + z);
      checked++;
    }
    assertTrue(checked >= 12, "only " + checked + " groups");
  }

  @Test
  void errorsNameTheRowAndNotItsValues() {
    BgNbdTest.assertRowError(
        () ->
            GammaGamma.fit(
                new int[] {1, 2, 3}, new double[] {10, -12.75, 5}, ClvFitOptions.defaults()),
        "row 1",
        "12.75");
    BgNbdTest.assertRowError(
        () ->
            GammaGamma.fit(
                new int[] {1, -3, 3}, new double[] {10, 12, 5}, ClvFitOptions.defaults()),
        "row 1",
        "-3");
    BgNbdTest.assertRowError(
        () ->
            GammaGamma.fit(
                new int[] {1, 2, 3},
                new double[] {10, 12, 5},
                new double[] {1, 1, Double.NaN},
                ClvFitOptions.defaults()),
        "row 2",
        "NaN");
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> GammaGamma.fit(new int[] {0, 0}, new double[] {0, 0}, ClvFitOptions.defaults()));
    assertTrue(none.getMessage().contains("no repeat customers"), none.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> fit.customerLifetimeValue(BgNbdFit.of(1, 1, 1, 1), 1, 1, 2, 10, 12, -1, 4.345));
    assertThrows(IllegalArgumentException.class, () -> fit.expectedAverageSpend(2, 0));
  }
}
