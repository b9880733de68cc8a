package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad inputs fail with an error that names the problem. */
class EdgeCaseTest {

  private static final List<String> AB = List.of("a", "b");

  @Test
  void fewerRowsThanClusters() {
    FeatureMatrix x = new FeatureMatrix(AB, new double[] {1, 2, 3, 4});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> KMeans.fit(x, 3, KMeansOptions.defaults()));
    assertEquals("K-means with k = 3 needs at least 3 rows, got 2", e.getMessage());
  }

  @Test
  void singleClassLabels() {
    FeatureMatrix x = new FeatureMatrix(AB, new double[] {1, 2, 3, 4, 5, 6});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LogisticRegression.fit(x, new int[] {1, 1, 1}, LogisticOptions.defaults()));
    assertTrue(e.getMessage().startsWith("labels contain a single class (all 1 over 3 rows)"));
  }

  @Test
  void labelThatIsNotZeroOrOne() {
    FeatureMatrix x = new FeatureMatrix(AB, new double[] {1, 2, 3, 4});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LogisticRegression.fit(x, new int[] {0, 2}, LogisticOptions.defaults()));
    assertEquals("label at row 1 is 2, not 0/1", e.getMessage());
  }

  @Test
  void nanAndInfinityAreNamedByRowAndColumn() {
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FeatureMatrix(AB, new double[] {1, 2, 3, Double.NaN}));
    assertEquals("value NaN at row 1, column 'b' is not a finite number", nan.getMessage());
    IllegalArgumentException inf =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FeatureMatrix(AB, new double[] {Double.NEGATIVE_INFINITY, 2}));
    assertEquals("value -Infinity at row 0, column 'a' is not a finite number", inf.getMessage());
  }

  @Test
  void zeroFeatures() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new FeatureMatrix(List.of(), new double[0]));
    assertEquals("a feature matrix needs at least one feature column", e.getMessage());
  }

  @Test
  void duplicateColumnNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FeatureMatrix(List.of("a", "b", "a"), new double[] {1, 2, 3}));
    assertEquals("duplicate feature column name 'a'", e.getMessage());
  }

  @Test
  void constantColumnGetsUnitStdAndAWarningNotNaN() {
    FeatureMatrix x = new FeatureMatrix(AB, new double[] {1, 7, 2, 7, 3, 7});
    Standardization s = Standardization.fit(x, List.of());
    assertEquals(1.0, s.std()[1]);
    assertEquals(List.of("feature 'b' is constant; its standardized value is 0"), s.warnings());
    FeatureMatrix z = s.transform(x);
    for (int i = 0; i < 3; i++) {
      assertEquals(0.0, z.get(i, 1));
    }
  }

  @Test
  void log1pColumnsAreTransformedAndCheckedForTheirDomain() {
    FeatureMatrix x = new FeatureMatrix(AB, new double[] {0, 1, Math.E - 1, 2});
    Standardization s = Standardization.fit(x, List.of("a"));
    assertEquals(0.5, s.mean()[0], 1e-15); // mean of log1p(0) = 0 and log1p(e - 1) = 1
    assertEquals(Math.E - 1, s.inverse(0, (1 - s.mean()[0]) / s.std()[0]), 1e-12);
    FeatureMatrix bad = new FeatureMatrix(AB, new double[] {0, 1, -1, 2});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Standardization.fit(bad, List.of("a")));
    assertEquals(
        "row 1, column 'a' cannot be log1p-transformed: values must be > -1", e.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Standardization.fit(x, List.of("zz")));
    assertEquals("log1p column 'zz' is not a feature; features are [a, b]", unknown.getMessage());
  }

  @Test
  void moreClustersThanDistinctPointsLeavesFiniteCentresAndZeroInertia() {
    // Three distinct locations, k = 4: a cluster stays empty after every update and is re-seeded
    // with the farthest point each time; centres must stay finite and the fit must still end.
    double[] data = new double[12 * 2];
    data[20] = 50;
    data[22] = 100;
    data[23] = 100;
    FeatureMatrix x = new FeatureMatrix(AB, data);
    KMeansFit fit = KMeans.fit(x, 4, KMeansOptions.defaults().withNInit(2).withMaxIter(50));
    for (double v : fit.centroids().centres()) {
      assertTrue(Double.isFinite(v));
    }
    assertEquals(0.0, fit.inertia(), 1e-9);
    assertEquals(12, java.util.Arrays.stream(fit.sizes()).sum());
  }

  @Test
  void stratifiedSplitKeepsTheBaseRateAndRejectsATooSmallClass() {
    int[] labels = new int[1000];
    for (int i = 0; i < 300; i++) {
      labels[i * 3] = 1;
    }
    StratifiedSplit split = StratifiedSplit.of(labels, 0.2, 7);
    assertEquals(200, split.validation().length);
    assertEquals(
        60, java.util.Arrays.stream(StratifiedSplit.pick(labels, split.validation())).sum());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StratifiedSplit.of(new int[] {1, 0, 0, 0, 0}, 0.2, 7));
    assertTrue(e.getMessage().contains("leaves a part without one of the classes"), e.getMessage());
  }
}
