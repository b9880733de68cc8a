package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.testing.BtydSimulation;
import dev.retention.testing.Cdnow;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BG/NBD fit and predictions against lifetimes 0.11.3 on its CDNOW summary (reference values
 * computed by running lifetimes; see src/test/resources/cdnow/SOURCE.md), plus the fit's
 * invariances and input errors.
 */
class BgNbdTest {

  private static final String[] NAMES = {"r", "alpha", "a", "b"};

  private static Cdnow cdnow;
  private static BgNbdFit fit;

  @BeforeAll
  static void fitCdnow() {
    cdnow = Cdnow.load();
    fit = BgNbd.fit(cdnow.x, cdnow.tx, cdnow.age, ClvFitOptions.defaults());
  }

  private static double[] params(BgNbdFit f) {
    return new double[] {f.r(), f.alpha(), f.a(), f.b()};
  }

  private static double relative(double expected, double actual) {
    return Math.abs(actual - expected) / Math.abs(expected);
  }

  @Test
  void cdnowParametersMatchLifetimes() {
    assertTrue(fit.converged(), "gradient " + fit.gradientNorm());
    assertEquals(2357, fit.rows());
    assertEquals(946, fit.repeatCustomers());
    JsonNode lifetimes = cdnow.lifetimes.get("bgnbd");
    double[] ours = params(fit);
    for (int i = 0; i < 4; i++) {
      // the acceptance: within 1 % of lifetimes' default fit (it stops at gradient 1e-7)
      double vsDefault = relative(lifetimes.get("default_fit").get(NAMES[i]).asDouble(), ours[i]);
      assertTrue(vsDefault < 0.01, NAMES[i] + " differs by " + vsDefault);
      // lifetimes run to gradient 1e-9 lands on the same optimum to ~1e-7
      double vsTight = relative(lifetimes.get("tol_1e-9_fit").get(NAMES[i]).asDouble(), ours[i]);
      assertTrue(vsTight < 1e-6, NAMES[i] + " differs from the tight fit by " + vsTight);
    }
    // the published values (FHL 2005; lifetimes' test_params_out_is_close_to_Hardie_paper)
    assertArrayEquals(new double[] {0.243, 4.414, 0.793, 2.426}, ours, 5e-4);
  }

  @Test
  void cdnowLogLikelihoodMatchesLifetimes() {
    // lifetimes minimises the mean negative log-likelihood on ages divided by T_max; on weeks the
    // density of each repeat purchase time differs by T_max, so ours = theirs - mean(x) ln(T_max)
    JsonNode lifetimes = cdnow.lifetimes.get("bgnbd");
    double maxAge = Arrays.stream(cdnow.age).max().orElseThrow();
    double meanX = Arrays.stream(cdnow.x).average().orElseThrow();
    assertEquals(1 / maxAge, lifetimes.get("scale_1_over_max_T").asDouble(), 1e-15);
    double theirs = lifetimes.get("default_fit_negative_log_likelihood_scaled").asDouble();
    double oursScaled = -fit.logLikelihood() / fit.customers() - meanX * Math.log(maxAge);
    assertEquals(theirs, oursScaled, 1e-11);
    assertEquals(fit.objective(), -fit.logLikelihood() / fit.customers(), 1e-15);
  }

  @Test
  void cdnowPenalizedFitMatchesLifetimes() {
    // lifetimes' penalizer_coef = 0.1: c (r^2 + (alpha/T_max)^2 + a^2 + b^2) on the mean NLL
    BgNbdFit penalized =
        BgNbd.fit(cdnow.x, cdnow.tx, cdnow.age, ClvFitOptions.defaults().withPenalizer(0.1));
    assertTrue(penalized.converged());
    JsonNode lifetimes = cdnow.lifetimes.get("bgnbd").get("penalizer_0.1_fit");
    double[] ours = params(penalized);
    for (int i = 0; i < 4; i++) {
      double difference = relative(lifetimes.get(NAMES[i]).asDouble(), ours[i]);
      assertTrue(difference < 1e-5, NAMES[i] + " differs by " + difference);
      assertTrue(ours[i] < params(fit)[i], "the penalty shrinks " + NAMES[i]);
    }
  }

  @Test
  void cdnowPredictionsMatchLifetimesForEveryCustomer() {
    // With lifetimes' own parameters the formulas agree to rounding; with our fit (which differs
    // from lifetimes' by its stopping point) within the 1e-4 relative.
    JsonNode p = cdnow.lifetimes.get("bgnbd").get("default_fit");
    BgNbdFit theirs =
        BgNbdFit.of(
            p.get("r").asDouble(),
            p.get("alpha").asDouble(),
            p.get("a").asDouble(),
            p.get("b").asDouble());
    double formula = 0;
    double fitted = 0;
    for (int i = 0; i < cdnow.size(); i++) {
      int x = cdnow.x[i];
      double tx = cdnow.tx[i];
      double age = cdnow.age[i];
      double[] expected = {
        cdnow.lifetimesProbabilityAlive[i],
        cdnow.lifetimesExpected39[i],
        cdnow.lifetimesExpected52[i]
      };
      double[] withTheirs = {
        theirs.probabilityAlive(x, tx, age),
        theirs.expectedPurchases(39, x, tx, age),
        theirs.expectedPurchases(52, x, tx, age)
      };
      double[] withOurs = {
        fit.probabilityAlive(x, tx, age),
        fit.expectedPurchases(39, x, tx, age),
        fit.expectedPurchases(52, x, tx, age)
      };
      for (int k = 0; k < 3; k++) {
        formula = Math.max(formula, relative(expected[k], withTheirs[k]));
        fitted = Math.max(fitted, relative(expected[k], withOurs[k]));
      }
    }
    System.out.printf(
        "CDNOW, 2357 customers: max relative difference to lifetimes %.2e (lifetimes' parameters),"
            + " %.2e (our fit)%n",
        formula, fitted);
    assertTrue(formula < 1e-12, "formula difference " + formula);
    assertTrue(fitted < 1e-4, "fit difference " + fitted);
  }

  @Test
  void cdnowHandfulOfCustomersMatchLifetimes() {
    for (JsonNode c : cdnow.lifetimes.get("customers")) {
      int x = c.get("x").asInt();
      double tx = c.get("tx").asDouble();
      double age = c.get("T").asDouble();
      double alive = c.get("conditional_probability_alive").asDouble();
      assertTrue(relative(alive, fit.probabilityAlive(x, tx, age)) < 1e-4, "id " + c.get("id"));
      c.get("conditional_expected_number_of_purchases_up_to_time")
          .properties()
          .forEach(
              e -> {
                double t = Double.parseDouble(e.getKey());
                double expected = e.getValue().asDouble();
                double ours = fit.expectedPurchases(t, x, tx, age);
                assertTrue(
                    relative(expected, ours) < 1e-4, "id " + c.get("id") + " t " + t + ": " + ours);
              });
    }
    // lifetimes' test against Hardie's spreadsheet: customer 1 (x=2, t_x=30.43, T=38.86), t=39
    assertEquals(1.226, fit.expectedPurchases(39, 2, 30.43, 38.86), 1e-3);
  }

  @Test
  void cdnowUnconditionalExpectationMatchesLifetimes() {
    cdnow
        .lifetimes
        .get("bgnbd")
        .get("expected_number_of_purchases_up_to_time")
        .properties()
        .forEach(
            e -> {
              double t = Double.parseDouble(e.getKey());
              double ours = fit.unconditionalExpectedPurchases(t);
              assertTrue(relative(e.getValue().asDouble(), ours) < 1e-4, "t " + t + ": " + ours);
            });
    // Hardie's spreadsheet, in lifetimes' test_expectation_returns_same_value_Hardie_excel_sheet
    double[] times = {0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00};
    double[] expected = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
    for (int i = 0; i < times.length; i++) {
      assertEquals(expected[i], fit.unconditionalExpectedPurchases(times[i]), 5e-4);
    }
  }

  @Test
  void gradientAndHessianMatchFiniteDifferences() {
    // weights, a penalty and a few rows of every kind, at a point away from the optimum
    int[] x = {0, 1, 2, 5, 0, 3, 1, 12};
    double[] tx = {0, 2.5, 7.0, 20.0, 0, 0.5, 30.0, 33.0};
    double[] age = {3.0, 10.0, 7.5, 25.0, 40.0, 1.0, 30.0, 35.0};
    double[] weights = {2, 1, 0.5, 3, 1, 1, 0, 4};
    BgNbd.Likelihood likelihood =
        BgNbd.Likelihood.of(
            x,
            tx,
            age,
            weights,
            ClvFitOptions.defaults().withPenalizer(0.3).withMinRepeatCustomers(1));
    try (Workers workers = Workers.open(1)) {
      likelihood.workers = workers;
      checkDerivatives(likelihood, new double[] {Math.log(0.7), Math.log(3.1), -0.4, 0.9});
    }
  }

  /** Central differences of the value and of the gradient, step 1e-5 in the log-parameters. */
  static void checkDerivatives(Minimizer.Objective objective, double[] at) {
    int n = at.length;
    double[] gradient = new double[n];
    double[] hessian = new double[n * n];
    objective.evaluate(at, gradient, hessian);
    double h = 1e-5;
    for (int j = 0; j < n; j++) {
      double[] plus = at.clone();
      double[] minus = at.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] gPlus = new double[n];
      double[] gMinus = new double[n];
      double numeric =
          (objective.evaluate(plus, gPlus, null) - objective.evaluate(minus, gMinus, null))
              / (2 * h);
      assertEquals(numeric, gradient[j], 1e-8 * Math.max(1, Math.abs(numeric)), "gradient " + j);
      for (int i = 0; i < n; i++) {
        double second = (gPlus[i] - gMinus[i]) / (2 * h);
        assertEquals(
            second,
            hessian[i * n + j],
            1e-7 * Math.max(1, Math.abs(second)),
            "hessian " + i + "," + j);
      }
    }
  }

  @Test
  void weightsCountIdenticalCustomers() {
    BtydSimulation.Customers c = BtydSimulation.bgNbd(11, 3000, 0.5, 6, 0.8, 3, 10, 50, 0);
    int[] counts = new int[c.size()];
    int total = 0;
    for (int i = 0; i < c.size(); i++) {
      counts[i] = 1 + i % 3;
      total += counts[i];
    }
    int[] x = new int[total];
    double[] tx = new double[total];
    double[] age = new double[total];
    double[] weights = new double[c.size()];
    for (int i = 0, k = 0; i < c.size(); i++) {
      weights[i] = counts[i];
      for (int j = 0; j < counts[i]; j++, k++) {
        x[k] = c.x[i];
        tx[k] = c.tx[i];
        age[k] = c.age[i];
      }
    }
    BgNbdFit grouped = BgNbd.fit(c.x, c.tx, c.age, weights, ClvFitOptions.defaults());
    BgNbdFit expanded = BgNbd.fit(x, tx, age, ClvFitOptions.defaults());
    assertArrayEquals(params(expanded), params(grouped), 1e-7);
    assertEquals(expanded.logLikelihood(), grouped.logLikelihood(), 1e-6);
    assertEquals(total, grouped.customers());
    assertEquals(c.size(), grouped.rows());
  }

  @Test
  void resultDoesNotDependOnTheThreadCount() {
    BtydSimulation.Customers c = BtydSimulation.bgNbd(12, 40_000, 0.4, 5, 0.7, 2.5, 5, 60, 0);
    BgNbdFit one = BgNbd.fit(c.x, c.tx, c.age, ClvFitOptions.defaults().withThreads(1));
    BgNbdFit two = BgNbd.fit(c.x, c.tx, c.age, ClvFitOptions.defaults().withThreads(2));
    assertArrayEquals(params(one), params(two), 0.0);
    assertEquals(one.logLikelihood(), two.logLikelihood(), 0.0);
  }

  @Test
  void alphaScalesWithTheTimeUnitAndNothingElseDoes() {
    double days = 7;
    double[] txDays = Arrays.stream(cdnow.tx).map(t -> t * days).toArray();
    double[] ageDays = Arrays.stream(cdnow.age).map(t -> t * days).toArray();
    for (double penalizer : new double[] {0, 0.1}) {
      ClvFitOptions options = ClvFitOptions.defaults().withPenalizer(penalizer);
      BgNbdFit weeks = BgNbd.fit(cdnow.x, cdnow.tx, cdnow.age, options);
      BgNbdFit inDays = BgNbd.fit(cdnow.x, txDays, ageDays, options);
      assertEquals(weeks.r(), inDays.r(), 1e-7 * weeks.r());
      assertEquals(weeks.alpha() * days, inDays.alpha(), 1e-7 * inDays.alpha());
      assertEquals(weeks.a(), inDays.a(), 1e-7 * weeks.a());
      assertEquals(weeks.b(), inDays.b(), 1e-7 * weeks.b());
      assertEquals(
          weeks.expectedPurchases(52, 3, 20, 38),
          inDays.expectedPurchases(52 * days, 3, 20 * days, 38 * days),
          1e-7);
    }
  }

  @Test
  void expectationIsSmoothThroughTheRemovableSingularities() {
    // eq. 10 is 0/0 at a = 1; here a = 1 is computed as any other value
    double atOne = BgNbdFit.of(0.5, 4, 1.0, 2.5).expectedPurchases(52, 2, 20, 39);
    for (double offset : new double[] {1e-12, 1e-9, 1e-6}) {
      double above = BgNbdFit.of(0.5, 4, 1.0 + offset, 2.5).expectedPurchases(52, 2, 20, 39);
      double below = BgNbdFit.of(0.5, 4, 1.0 - offset, 2.5).expectedPurchases(52, 2, 20, 39);
      assertTrue(below > atOne && atOne > above, "decreasing in a");
      assertEquals(atOne, above, 2 * offset * atOne);
      assertEquals(atOne, below, 2 * offset * atOne);
    }
    // a + b - 1 = 0: the hypergeometric c of eq. 9 is 0 for x = 0
    double pole = BgNbdFit.of(0.5, 4, 0.4, 0.6).unconditionalExpectedPurchases(52);
    double near = BgNbdFit.of(0.5, 4, 0.4, 0.6 + 1e-9).unconditionalExpectedPurchases(52);
    assertTrue(Double.isFinite(pole) && pole > 0);
    assertEquals(pole, near, 1e-8 * pole);
  }

  @Test
  void bothFormsOfTheExpectationAgreeAcrossTheSwitch() {
    // the Euler form is used for r + x >= |a - 1|, eq. 10 as printed below: continuous across
    for (double a : new double[] {0.2, 2.3}) {
      double r = Math.abs(a - 1);
      double below = BgNbdFit.of(r * (1 - 1e-12), 4, a, 2.5).expectedPurchasesGivenAlive(30, 0, 10);
      double above = BgNbdFit.of(r * (1 + 1e-12), 4, a, 2.5).expectedPurchasesGivenAlive(30, 0, 10);
      assertEquals(below, above, 1e-11 * below, "a = " + a);
    }
  }

  @Test
  void dropoutThatHardlyVariesIsTheFixedDropoutLimit() {
    // a, b -> infinity with a / (a + b) = p fixed: p is no longer random and, given alive,
    // E[Y(t)] = E[(1 - e^(-lambda p t)) / p] = (1 - (1 + p s)^-(r+x)) / p, s = t / (alpha + T);
    // the fit reaches such values when the data show no heterogeneity in dropout
    double a = 6.4e6;
    double b = 6.1e5;
    double p = a / (a + b);
    BgNbdFit f = BgNbdFit.of(0.06, 0.27, a, b);
    for (int x : new int[] {0, 1, 7}) {
      double s = 52 / (0.27 + 20);
      double limit = (1 - Math.pow(1 + p * s, -(0.06 + x))) / p;
      double ours = f.expectedPurchasesGivenAlive(52, x, 20);
      assertEquals(limit, ours, 1e-5 * limit, "x = " + x); // Beta sd / mean ~ 1e-4
    }
  }

  @Test
  void predictionIdentities() {
    BgNbdFit f = BgNbdFit.of(0.243, 4.414, 0.793, 2.426);
    // x = 0: alive for sure (no dropout before a repeat purchase)
    assertEquals(1.0, f.probabilityAlive(0, 0, 30));
    // small horizons: an alive customer buys at rate E[lambda | alive] = (r + x) / (alpha + T)
    double rate = (0.243 + 4) / (4.414 + 30);
    assertEquals(rate * 1e-6, f.expectedPurchasesGivenAlive(1e-6, 4, 30), 1e-6 * rate * 1e-6);
    assertEquals(0.0, f.expectedPurchases(0, 4, 20, 30));
    // P(at least one) is below P(alive) and rises to it
    double alive = f.probabilityAlive(4, 20, 30);
    double soon = f.probabilityOfPurchaseWithin(1, 4, 20, 30);
    double later = f.probabilityOfPurchaseWithin(1000, 4, 20, 30);
    assertTrue(0 < soon && soon < later && later < alive);
    // the median is where the Lomax survival is 1/2
    double median = f.medianTimeToNextPurchaseGivenAlive(4, 30);
    assertEquals(0.5, Math.pow((4.414 + 30) / (4.414 + 30 + median), 0.243 + 4), 1e-14);
    // long horizons (z close to 1) stay finite and increasing
    double decade = f.expectedPurchases(520, 4, 20, 30);
    double century = f.expectedPurchases(5200, 4, 20, 30);
    assertTrue(decade > f.expectedPurchases(52, 4, 20, 30) && century > decade);
  }

  @Test
  void errorsNameTheRowAndNotItsValues() {
    int[] x = {0, 2, 1, 0};
    double[] tx = {0, 12345.5, 3, 0};
    double[] age = {10, 12345.25, 20, 30};
    assertRowError(() -> BgNbd.fit(x, tx, age, ClvFitOptions.defaults()), "row 1", "12345");
    double[] age2 = {10, 20000, -7.5, 30};
    assertRowError(() -> BgNbd.fit(x, tx, age2, ClvFitOptions.defaults()), "row 2", "7.5");
    int[] negative = {0, 2, -4, 0};
    assertRowError(
        () -> BgNbd.fit(negative, new double[] {0, 3, 3, 0}, age, ClvFitOptions.defaults()),
        "row 2",
        "-4");
    assertRowError(
        () -> BgNbd.fit(x, new double[] {0.25, 3, 3, 0}, age, ClvFitOptions.defaults()),
        "row 0",
        "0.25");
    assertRowError(
        () -> BgNbd.fit(x, new double[] {0, 3, 0, 0}, age, ClvFitOptions.defaults()), "row 2", "");
    assertRowError(
        () -> BgNbd.fit(x, new double[] {0, 3, Double.NaN, 0}, age, ClvFitOptions.defaults()),
        "row 2",
        "NaN");
    assertRowError(
        () ->
            BgNbd.fit(
                x,
                new double[] {0, 3, 3, 0},
                new double[] {10, 20, 20, 30},
                new double[] {1, 1, -2.5, 1},
                ClvFitOptions.defaults()),
        "row 2",
        "2.5");
  }

  @Test
  void dataThatCannotIdentifyTheModelIsRejected() {
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BgNbd.fit(
                    new int[] {0, 0, 0},
                    new double[3],
                    new double[] {5, 6, 7},
                    ClvFitOptions.defaults()));
    assertTrue(none.getMessage().contains("no repeat customers"), none.getMessage());
    IllegalArgumentException few =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BgNbd.fit(
                    new int[] {0, 1, 2},
                    new double[] {0, 1, 2},
                    new double[] {5, 6, 7},
                    ClvFitOptions.defaults()));
    // A count below the minimum describes those few customers: never stated.
    assertTrue(
        few.getMessage().contains("fewer repeat customers (x >= 1) than the minimum of 10"),
        few.getMessage());
    assertFalse(few.getMessage().contains("2 repeat"), few.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BgNbd.fit(new int[] {1}, new double[2], new double[2], ClvFitOptions.defaults()));
    assertThrows(
        IllegalArgumentException.class,
        () -> BgNbd.fit(new int[0], new double[0], new double[0], ClvFitOptions.defaults()));
  }

  @Test
  void nonConvergenceIsReported() {
    BgNbdFit capped =
        BgNbd.fit(cdnow.x, cdnow.tx, cdnow.age, ClvFitOptions.defaults().withMaxIterations(1));
    assertFalse(capped.converged());
    assertEquals(1, capped.iterations());
    assertTrue(capped.gradientNorm() > ClvFitOptions.defaults().tolerance());
  }

  @Test
  void predictionsRejectInvalidHistories() {
    assertThrows(IllegalArgumentException.class, () -> fit.probabilityAlive(-1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> fit.probabilityAlive(1, 5, 4));
    assertThrows(IllegalArgumentException.class, () -> fit.expectedPurchases(-1, 1, 1, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> fit.expectedPurchases(Double.POSITIVE_INFINITY, 1, 1, 4));
  }

  static void assertRowError(Supplier<?> call, String row, String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, call::get, "expected an error at " + row);
    assertTrue(e.getMessage().contains(row), e.getMessage());
    if (!value.isEmpty()) {
      assertFalse(e.getMessage().contains(value), "the message shows a value: " + e.getMessage());
    }
  }
}
