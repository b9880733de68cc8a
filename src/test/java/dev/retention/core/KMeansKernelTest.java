package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.testing.Synthetic;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The tiled distance kernel ({@link RowTile}) and the K-means built on it give the same bits as the
 * implementation before it ({@link KMeansBefore}, one distance per call): same seeds, same labels,
 * same centres, same inertia, same iteration and evaluation counts.
 */
class KMeansKernelTest {

  @Property(tries = 60)
  void fitIsBitIdenticalToThePreviousImplementation(
      @ForAll @IntRange(min = 1, max = 3000) int rows,
      @ForAll @IntRange(min = 1, max = 13) int d,
      @ForAll @IntRange(min = 1, max = 12) int k,
      @ForAll @IntRange(min = 1, max = 3) int nInit,
      @ForAll @IntRange(min = 1, max = 6) int blobs,
      @ForAll boolean hamerly,
      @ForAll boolean trace,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    if (rows < k) {
      return;
    }
    FeatureMatrix x = Synthetic.blobs(rows, d, blobs, 1.5, seed).features;
    KMeansOptions options =
        KMeansOptions.defaults()
            .withNInit(nInit)
            .withSeed(seed)
            .withThreads(1)
            .withTraceInertia(trace)
            .withAlgorithm(
                hamerly ? KMeansOptions.Algorithm.HAMERLY : KMeansOptions.Algorithm.LLOYD);
    assertSameBits(KMeansBefore.fit(x, k, options), KMeans.fit(x, k, options));
  }

  @Property(tries = 8)
  void manyBlocksAndTwoThreadsGiveTheSameBitsAsBefore(
      @ForAll @IntRange(min = 8193, max = 40_000) int rows,
      @ForAll @IntRange(min = 2, max = 9) int d,
      @ForAll @IntRange(min = 2, max = 8) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    FeatureMatrix x = Synthetic.blobs(rows, d, 5, 1.2, seed).features;
    KMeansOptions options = KMeansOptions.defaults().withNInit(2).withSeed(seed);
    KMeansFit before = KMeansBefore.fit(x, k, options.withThreads(1));
    assertSameBits(before, KMeans.fit(x, k, options.withThreads(2)));
    assertSameBits(before, KMeans.fit(x, k, options.withThreads(1)));
  }

  @Property(tries = 20)
  void refineIsBitIdenticalToThePreviousImplementation(
      @ForAll @IntRange(min = 12, max = 20_000) int rows,
      @ForAll @IntRange(min = 1, max = 10) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    FeatureMatrix x = Synthetic.blobs(rows, 6, 4, 1.0, seed).features;
    SplittableRandom rng = new SplittableRandom(seed);
    double[] start = new double[k * 6];
    for (int j = 0; j < k; j++) {
      System.arraycopy(x.row(rng.nextInt(rows)), 0, start, j * 6, 6);
    }
    Centroids initial = new Centroids(k, 6, start);
    KMeansOptions options = KMeansOptions.defaults().withThreads(2).withTraceInertia(true);
    assertSameBits(KMeansBefore.refine(x, initial, options), KMeans.refine(x, initial, options));
  }

  @Example
  void duplicateRowsAndDuplicateCentresKeepTheLowestIndexAndReseedEmptyClusters() {
    // Four distinct points, each many times: k = 6 forces equal candidates, exact ties and empty
    // clusters that are re-seeded.
    List<String> names = Synthetic.names(2);
    double[] data = new double[400 * 2];
    for (int i = 0; i < 400; i++) {
      data[2 * i] = i % 4 < 2 ? 0 : 3;
      data[2 * i + 1] = i % 2 == 0 ? 0 : 3;
    }
    FeatureMatrix x = new FeatureMatrix(names, data);
    for (long seed = 0; seed < 20; seed++) {
      for (KMeansOptions.Algorithm algorithm : KMeansOptions.Algorithm.values()) {
        KMeansOptions options =
            KMeansOptions.defaults()
                .withNInit(2)
                .withSeed(seed)
                .withThreads(1)
                .withAlgorithm(algorithm);
        assertSameBits(KMeansBefore.fit(x, 6, options), KMeans.fit(x, 6, options));
      }
    }
  }

  @Property(tries = 30)
  void tileDistancesAndNearestCentresEqualTheScalarRule(
      @ForAll @IntRange(min = 1, max = 700) int rows,
      @ForAll @IntRange(min = 1, max = 30) int d,
      @ForAll @IntRange(min = 1, max = 20) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[rows * d];
    for (int i = 0; i < x.length; i++) {
      // Coarse values make exact distance ties between centres common.
      x[i] = rng.nextInt(5) - 2 + (rng.nextBoolean() ? 0 : rng.nextDouble());
    }
    double[] centres = new double[k * d];
    for (int j = 0; j < k; j++) {
      if (j > 0 && rng.nextInt(4) == 0) {
        System.arraycopy(centres, (j - 1) * d, centres, j * d, d); // a duplicate centre
      } else {
        System.arraycopy(x, rng.nextInt(rows) * d, centres, j * d, d);
      }
    }
    Centroids centroids = new Centroids(k, d, centres);
    RowTile tile = new RowTile(d, k);
    List<Integer> order = new ArrayList<>();
    for (int i = rows - 1; i >= 0; i -= 2) {
      order.add(i); // an indexed load, out of order
    }
    int[] indexes = order.stream().mapToInt(Integer::intValue).toArray();
    for (int start = 0; start < rows; start += tile.capacity()) {
      int m = Math.min(tile.capacity(), rows - start);
      tile.load(x, start, m);
      checkTile(tile, x, d, k, centroids, start, null);
    }
    for (int start = 0; start < indexes.length; start += tile.capacity()) {
      int m = Math.min(tile.capacity(), indexes.length - start);
      tile.load(x, indexes, start, m);
      checkTile(tile, x, d, k, centroids, start, indexes);
    }
  }

  private static void checkTile(
      RowTile tile, double[] x, int d, int k, Centroids centroids, int start, int[] indexes) {
    tile.nearestTwo(centroids.centres(), k);
    for (int t = 0; t < tile.rows(); t++) {
      int row = indexes == null ? start + t : indexes[start + t];
      double best = Double.POSITIVE_INFINITY;
      double second = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double distance = Centroids.squaredDistance(x, row * d, centroids.centres(), j * d, d);
        assertEquals(
            Double.doubleToLongBits(distance), Double.doubleToLongBits(tile.distance(j, t)));
        if (distance < best) {
          second = best;
          best = distance;
        } else if (distance < second) {
          second = distance;
        }
      }
      assertEquals(centroids.nearest(x, row * d), tile.nearest(t), "row " + row);
      assertEquals(Double.doubleToLongBits(best), Double.doubleToLongBits(tile.best(t)));
      assertEquals(Double.doubleToLongBits(second), Double.doubleToLongBits(tile.second(t)));
    }
  }

  @Property(tries = 10)
  void assignEqualsTheScalarNearestCentre(
      @ForAll @IntRange(min = 1, max = 20_000) int rows,
      @ForAll @IntRange(min = 1, max = 9) int k,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    FeatureMatrix x = Synthetic.blobs(rows, 4, 3, 1.0, seed).features;
    SplittableRandom rng = new SplittableRandom(seed);
    double[] centres = new double[k * 4];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = rng.nextInt(3) - 1.0; // small integers: ties between centres occur
    }
    Centroids centroids = new Centroids(k, 4, centres);
    int[] labels = KMeans.assign(x, centroids, 2);
    for (int i = 0; i < rows; i++) {
      assertEquals(centroids.nearest(x.data(), i * 4), labels[i], "row " + i);
    }
  }

  @Property(tries = 30)
  void theToleranceScaleByBlocksEqualsTheSerialSumsToRounding(
      @ForAll @IntRange(min = 1, max = 40_000) int rows,
      @ForAll @IntRange(min = 1, max = 9) int d,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    FeatureMatrix x = Synthetic.blobs(rows, d, 3, 4.0, seed).features;
    double serial = KMeansBefore.meanColumnVariance(x);
    double one;
    double two;
    try (Workers workers = Workers.open(1)) {
      one = KMeans.meanColumnVariance(x, workers);
    }
    try (Workers workers = Workers.open(2)) {
      two = KMeans.meanColumnVariance(x, workers);
    }
    assertEquals(Double.doubleToLongBits(one), Double.doubleToLongBits(two));
    assertEquals(serial, one, 1e-12 * serial);
  }

  private static void assertSameBits(KMeansFit expected, KMeansFit actual) {
    assertArrayEquals(expected.centroids().centres(), actual.centroids().centres());
    assertArrayEquals(expected.labels(), actual.labels());
    assertArrayEquals(expected.sizes(), actual.sizes());
    assertEquals(
        Double.doubleToLongBits(expected.inertia()), Double.doubleToLongBits(actual.inertia()));
    assertEquals(expected.iterations(), actual.iterations());
    assertEquals(expected.converged(), actual.converged());
    assertEquals(expected.bestInit(), actual.bestInit());
    assertArrayEquals(expected.inertiaTrace(), actual.inertiaTrace());
    assertEquals(expected.distanceEvaluations(), actual.distanceEvaluations());
  }
}
