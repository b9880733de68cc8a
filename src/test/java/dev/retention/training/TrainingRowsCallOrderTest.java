package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticOptions;
import dev.retention.core.Standardization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pass over the standardized rows before {@code standardize}, or one with the value columns
 * before {@code valueColumns}, is a programming error that says which call is missing, not a null
 * pointer deep in a kernel (or, on Spark, a job that fails on an executor).
 */
class TrainingRowsCallOrderTest {

  private static TrainingRows rows() {
    int n = 40;
    double[] data = new double[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      data[2 * i] = i;
      data[2 * i + 1] = (i * 7) % 11;
      labels[i] = i % 2;
    }
    return Trainer.Input.of(new FeatureMatrix(List.of("a", "b"), data), labels, "y").rows();
  }

  private static void assertMissing(String call, String missing, Runnable pass) {
    IllegalStateException e = assertThrows(IllegalStateException.class, pass::run);
    assertEquals(
        "TrainingRows." + call + " before " + missing + ": call " + missing + " first",
        e.getMessage());
  }

  @Test
  void passesOverStandardizedRowsNeedStandardizeFirst() {
    TrainingRows rows = rows();
    KMeansOptions kmeans = KMeansOptions.defaults();
    assertMissing("standardized", "standardize", () -> rows.standardized(null, false));
    assertMissing("kmeans", "standardize", () -> rows.kmeans(2, kmeans));
    assertMissing(
        "logistic",
        "standardize",
        () -> rows.logistic(null, FeatureExpansion.NONE, false, LogisticOptions.defaults(), null));
    // What needs only the raw rows works before it.
    assertEquals(2, rows.rawRows(new int[] {0, 1}).rows());
    rows.standardize(List.of());
    assertEquals(2, rows.kmeans(2, kmeans).centroids().k());
  }

  @Test
  void passesWithTheValueColumnsNeedValueColumnsFirst() {
    TrainingRows rows = rows();
    Standardization scaling = rows.standardize(List.of());
    assertMissing("standardized", "valueColumns", () -> rows.standardized(null, true));
    assertMissing(
        "probabilities",
        "valueColumns",
        () -> rows.probabilities(null, FeatureExpansion.NONE, true, null));
    rows.valueColumns(null, scaling, new FeatureMatrix(List.of("v"), new double[40]));
    assertEquals(3, rows.standardized(null, true).cols());
  }
}
