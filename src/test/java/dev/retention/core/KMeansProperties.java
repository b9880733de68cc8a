package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.Synthetic;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of K-means on random data. */
class KMeansProperties {

  @Property(tries = 40)
  void inertiaNeverIncreasesAcrossLloydIterations(
      @ForAll @IntRange(min = 20, max = 400) int rows,
      @ForAll @IntRange(min = 1, max = 6) int d,
      @ForAll @IntRange(min = 1, max = 8) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll boolean hamerly) {
    FeatureMatrix x = Synthetic.blobs(rows, d, 3, 2.0, seed).features;
    KMeansFit fit =
        KMeans.fit(
            x,
            k,
            KMeansOptions.defaults()
                .withNInit(1)
                .withSeed(seed)
                .withTol(0)
                .withTraceInertia(true)
                .withAlgorithm(
                    hamerly ? KMeansOptions.Algorithm.HAMERLY : KMeansOptions.Algorithm.LLOYD));
    double[] trace = fit.inertiaTrace();
    assertTrue(trace.length >= 1);
    for (int i = 1; i < trace.length; i++) {
      assertTrue(
          trace[i] <= trace[i - 1] * (1 + 1e-12) + 1e-12,
          "inertia rose from " + trace[i - 1] + " to " + trace[i] + " at iteration " + i);
    }
  }

  @Property(tries = 40)
  void everyPointIsAssignedToItsNearestCentreAtConvergence(
      @ForAll @IntRange(min = 10, max = 500) int rows,
      @ForAll @IntRange(min = 1, max = 8) int d,
      @ForAll @IntRange(min = 1, max = 10) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    FeatureMatrix x = Synthetic.blobs(rows, d, 4, 3.0, seed).features;
    KMeansFit fit =
        KMeans.fit(x, Math.min(k, rows), KMeansOptions.defaults().withNInit(2).withSeed(seed));
    for (int i = 0; i < rows; i++) {
      int label = fit.labels()[i];
      double own = fit.centroids().distanceSquared(x.data(), i, label);
      for (int j = 0; j < fit.centroids().k(); j++) {
        assertTrue(
            own <= fit.centroids().distanceSquared(x.data(), i, j) + 1e-9,
            "row " + i + " is closer to centre " + j + " than to its own " + label);
      }
    }
    long total = 0;
    for (long size : fit.sizes()) {
      total += size;
    }
    assertEquals(rows, total);
    assertEquals(
        KMeans.inertia(x, fit.centroids(), fit.labels()),
        fit.inertia(),
        1e-9 * (1 + fit.inertia()));
  }

  @Property(tries = 15)
  void hamerlyComputesTheSameClusteringAsLloyd(
      @ForAll @IntRange(min = 50, max = 2000) int rows,
      @ForAll @IntRange(min = 2, max = 12) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    FeatureMatrix x = Synthetic.blobs(rows, 5, 5, 2.0, seed).features;
    KMeansOptions options = KMeansOptions.defaults().withNInit(1).withSeed(seed);
    KMeansFit lloyd = KMeans.fit(x, k, options.withAlgorithm(KMeansOptions.Algorithm.LLOYD));
    KMeansFit hamerly = KMeans.fit(x, k, options.withAlgorithm(KMeansOptions.Algorithm.HAMERLY));
    assertArrayEquals(lloyd.labels(), hamerly.labels());
    assertEquals(lloyd.iterations(), hamerly.iterations());
    assertArrayEquals(lloyd.centroids().centres(), hamerly.centroids().centres(), 1e-12);
    assertTrue(hamerly.distanceEvaluations() <= lloyd.distanceEvaluations());
  }

  @Property(tries = 10)
  void resultIsBitIdenticalWithOneOrTwoThreads(
      @ForAll @IntRange(min = 9000, max = 30000) int rows,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    // More rows than one block (8192), so two threads really split the work.
    FeatureMatrix x = Synthetic.blobs(rows, 6, 5, 1.5, seed).features;
    KMeansOptions options = KMeansOptions.defaults().withNInit(3).withSeed(seed);
    KMeansFit one = KMeans.fit(x, 5, options.withThreads(1));
    KMeansFit two = KMeans.fit(x, 5, options.withThreads(2));
    assertArrayEquals(one.centroids().centres(), two.centroids().centres());
    assertArrayEquals(one.labels(), two.labels());
    assertEquals(Double.doubleToLongBits(one.inertia()), Double.doubleToLongBits(two.inertia()));
  }
}
