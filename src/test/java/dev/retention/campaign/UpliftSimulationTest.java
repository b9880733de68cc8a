package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftMetrics;
import dev.retention.model.UpliftModel;
import dev.retention.testing.UpliftSimulation;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The product's uplift ranking against the truth of {@link UpliftSimulation}: an uplift model is
 * trained on one randomized campaign and ranks a fresh population, which is then run as another
 * randomized campaign. Compared with the oracle (ranking by the true {@code tau}) and with random
 * order:
 *
 * <ul>
 *   <li>the <b>true Qini</b>: the Qini coefficient of the ranking with each customer's expected
 *       outcome instead of a drawn one, {@code integral of (1/n) sum_{top phi} tau - mean tau / 2}
 *       (no outcome noise; the exact gain of targeting by the ranking);
 *   <li>the <b>observed Qini</b> on the fresh campaign's drawn outcomes, as on real data.
 * </ul>
 */
class UpliftSimulationTest {

  private static final int MIN_SIZE = 50;

  /** The true Qini coefficient of ranking {@code score} when the effects are {@code tau}. */
  static double trueQini(double[] score, double[] tau) {
    int n = tau.length;
    // All customers "treated" and "control" at once: each contributes its expected effect.
    int[] treatment = new int[2 * n];
    double[] outcome = new double[2 * n];
    double[] s = new double[2 * n];
    for (int i = 0; i < n; i++) {
      treatment[2 * i] = 1;
      outcome[2 * i] = tau[i];
      s[2 * i] = score[i];
      s[2 * i + 1] = score[i];
    }
    return UpliftMetrics.qini(s, treatment, outcome);
  }

  @ParameterizedTest(name = "trained on {0} customers with a {1} holdout")
  @CsvSource({"40000, 0.5", "60000, 0.1"})
  void productRanksCloseToTheOracle(int trainingCustomers, double holdoutShare) {
    UpliftSimulation.Customers past =
        UpliftSimulation.customers(1, trainingCustomers, UpliftSimulation.Parameters.defaults());
    boolean[] contacted = UpliftSimulation.randomTreatment(past.size(), 1 - holdoutShare, 2);
    UpliftSimulation.Outcomes pastOutcomes = UpliftSimulation.outcomes(past, contacted, 3);
    int[] treatment = new int[past.size()];
    for (int i = 0; i < treatment.length; i++) {
      treatment[i] = contacted[i] ? 1 : 0;
    }
    UpliftModel model =
        UpliftTraining.fit(
            past.ids(),
            past.features(),
            treatment,
            pastOutcomes.bought(),
            UpliftTrainingOptions.defaults()
                .withLog1pColumns(
                    java.util.List.of("recency_days", "frequency", "monetary", "tenure_days")),
            MIN_SIZE);

    UpliftSimulation.Customers fresh =
        UpliftSimulation.customers(4, 40_000, UpliftSimulation.Parameters.defaults());
    double[] product = new double[fresh.size()];
    double[] random = new SplittableRandom(5).doubles(fresh.size()).toArray();
    for (int i = 0; i < fresh.size(); i++) {
      product[i] = model.uplift(fresh.features().row(i));
    }
    double[] tau = fresh.tau();
    double oracleTrue = trueQini(tau, tau);
    double productTrue = trueQini(product, tau);
    double randomTrue = trueQini(random, tau);

    boolean[] test = UpliftSimulation.randomTreatment(fresh.size(), 0.5, 6);
    UpliftSimulation.Outcomes drawn = UpliftSimulation.outcomes(fresh, test, 7);
    int[] t = new int[fresh.size()];
    double[] y = new double[fresh.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = test[i] ? 1 : 0;
      y[i] = drawn.bought()[i];
    }
    double oracleObserved = UpliftMetrics.qini(tau, t, y);
    double productObserved = UpliftMetrics.qini(product, t, y);
    System.out.printf(
        Locale.ROOT,
        "uplift simulation (%d customers, holdout %.2f): chosen %s; true Qini product %.5f,"
            + " oracle %.5f (ratio %.3f), random %.5f; observed Qini product %.5f, oracle %.5f"
            + " (ratio %.3f); candidates %s%n",
        trainingCustomers,
        holdoutShare,
        model.learner(),
        productTrue,
        oracleTrue,
        productTrue / oracleTrue,
        randomTrue,
        productObserved,
        oracleObserved,
        productObserved / oracleObserved,
        model.candidates());

    assertTrue(productTrue >= 0.8 * oracleTrue, "true Qini within 80 % of the oracle's");
    assertEquals(0, randomTrue, 0.05 * oracleTrue, "random order gains nothing");
    assertTrue(productObserved >= 0.7 * oracleObserved, "observed Qini within 70 % of oracle's");
    // The chosen learner is the one with the best held-out Qini.
    double best = Double.NEGATIVE_INFINITY;
    UpliftLearner bestLearner = null;
    for (UpliftModel.LearnerScore s : model.candidates()) {
      if (s.qini() > best) {
        best = s.qini();
        bestLearner = s.learner();
      }
    }
    assertEquals(bestLearner, model.learner());
  }
}
