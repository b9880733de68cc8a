package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our numeric core against scikit-learn 1.2.1 on the shared reference table. */
class SklearnReferenceTest {

  private static ReferenceData reference;
  private static FeatureMatrix standardized;

  @BeforeAll
  static void load() {
    reference = ReferenceData.load();
    Standardization standardization = Standardization.fit(reference.features, List.of());
    JsonNode expected = reference.sklearn.get("standardization");
    for (int c = 0; c < 7; c++) {
      assertEquals(expected.get("mean").get(c).asDouble(), standardization.mean()[c], 1e-9);
      assertEquals(expected.get("std_ddof0").get(c).asDouble(), standardization.std()[c], 1e-9);
    }
    standardized = standardization.transform(reference.features);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "0.01"})
  void logisticRegressionMatchesSklearn(String c) {
    JsonNode expected =
        reference.sklearn.get("logistic_regression_standardized").get("by_C").get(c);
    LogisticFit fit =
        LogisticRegression.fit(
            standardized,
            reference.labels,
            LogisticOptions.defaults().withC(Double.parseDouble(c)));
    assertTrue(fit.converged(), "converged");
    assertEquals(expected.get("intercept").asDouble(), fit.intercept(), 1e-4);
    for (int j = 0; j < 7; j++) {
      double want = expected.get("coefficients").get(ReferenceData.FEATURES.get(j)).asDouble();
      assertEquals(want, fit.coefficients()[j], 1e-4, ReferenceData.FEATURES.get(j));
    }
    double[] probability = fit.probabilities(standardized);
    assertEquals(
        expected.get("train_auc").asDouble(),
        EvaluationMetrics.rocAuc(probability, reference.labels),
        1e-6);
    assertEquals(
        expected.get("train_log_loss").asDouble(),
        EvaluationMetrics.logLoss(probability, reference.labels),
        1e-6);
    assertEquals(
        expected.get("train_pr_auc").asDouble(),
        EvaluationMetrics.averagePrecision(probability, reference.labels),
        1e-6);
    assertEquals(
        expected.get("train_brier").asDouble(),
        EvaluationMetrics.brier(probability, reference.labels),
        1e-6);
    // sklearn's lbfgs stops ~2e-6 from the optimum in the coefficients (its README says so); ours
    // reaches a gradient of 1e-12, so per-row probabilities agree to a few 1e-6, not 1e-6.
    for (int i = 0; i < 20; i++) {
      assertEquals(expected.get("first_probabilities").get(i).asDouble(), probability[i], 5e-6);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 5, 6, 8})
  void kmeansInertiaWithinHalfPercentOfSklearn(int k) {
    double expected =
        reference
            .sklearn
            .get("kmeans_standardized")
            .get("by_k")
            .get(String.valueOf(k))
            .get("inertia")
            .asDouble();
    KMeansFit fit = KMeans.fit(standardized, k, KMeansOptions.defaults());
    double relative = (fit.inertia() - expected) / expected;
    System.out.printf(
        "k=%d inertia=%.4f sklearn=%.4f rel=%.5f iters=%d%n",
        k, fit.inertia(), expected, relative, fit.iterations());
    assertTrue(relative < 0.005, "inertia " + fit.inertia() + " vs sklearn " + expected);
    assertEquals(
        fit.inertia(),
        KMeans.inertia(standardized, fit.centroids(), fit.labels()),
        1e-6 * expected);
  }
}
