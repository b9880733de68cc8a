package dev.retention.core;

import java.util.SplittableRandom;

/**
 * Chooses the number of segments K: fits K-means for every K of a range, records the inertia
 * (elbow) curve and the silhouette coefficient, and picks K by the kneedle rule tie-broken by
 * silhouette.
 *
 * <p><b>Rule.</b> Kneedle (Satopää, Albrecht, Irwin, Raghavan, "Finding a 'kneedle' in a haystack:
 * detecting knee points in system behavior", ICDCS Workshops 2011) for a decreasing convex curve:
 * normalise K and inertia to [0, 1] and take the difference curve {@code D(K) = (1 - K_n) -
 * inertia_n}, the vertical distance below the chord from the first to the last point. Every K whose
 * {@code D} is within {@link Options#tieTolerance()} of the maximum is a candidate; the candidate
 * with the highest silhouette wins (then the smaller K). Where the curve has no bend ({@code max D
 * <= 0}, e.g. a range of two), the highest silhouette wins.
 *
 * <p><b>Silhouette</b> (Rousseeuw, "Silhouettes: a graphical aid to the interpretation and
 * validation of cluster analysis", J. Comput. Appl. Math. 1987): {@code s(i) = (b - a) / max(a, b)}
 * with {@code a} the mean distance to the other members of its cluster and {@code b} the lowest
 * mean distance to another cluster; 0 for a singleton. Computed on a seeded sample, for all K in
 * one pass over the sample's pairs, since the pairwise distances do not depend on K.
 *
 * <p><b>Scale.</b> On more than {@link Options#searchSampleRows()} rows the search runs on a seeded
 * sample; the caller then fits only the chosen K on all rows. The curves use {@link
 * Options#searchNInit()} restarts per K (the elbow and silhouette barely move with more); the
 * chosen K is refit with the K-means options' full {@code nInit}.
 */
public final class KSelection {

  private KSelection() {}

  /**
   * Search settings.
   *
   * @param kMin smallest K tried (>= 2, a silhouette needs two clusters)
   * @param kMax largest K tried
   * @param silhouetteSampleRows rows used for the silhouette (default 5,000)
   * @param searchSampleRows the search runs on at most this many rows (default 50,000)
   * @param tieTolerance kneedle differences this close to the best are ties (default 0.02)
   * @param searchNInit k-means++ restarts per K for the curves (default 3); the chosen K is then
   *     refit with the full {@code nInit} of the K-means options
   */
  public record Options(
      int kMin,
      int kMax,
      int silhouetteSampleRows,
      int searchSampleRows,
      double tieTolerance,
      int searchNInit)
      implements Described {

    public Options {
      if (kMin < 2 || kMax < kMin) {
        throw new IllegalArgumentException(
            "the K range must satisfy 2 <= kMin <= kMax, got " + kMin + ".." + kMax);
      }
      if (silhouetteSampleRows < 2 || searchSampleRows < 2) {
        throw new IllegalArgumentException("sample sizes must be >= 2");
      }
      if (!(tieTolerance >= 0 && tieTolerance < 1)) {
        throw new IllegalArgumentException("tieTolerance must be in [0, 1), got " + tieTolerance);
      }
      if (searchNInit < 1) {
        throw new IllegalArgumentException("searchNInit must be >= 1, got " + searchNInit);
      }
    }

    public static Options defaults() {
      return new Options(2, 10, 5_000, 50_000, 0.02, 3);
    }

    /** Every setting by name, for a model's provenance. */
    @Override
    public java.util.Map<String, Object> describe() {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("kMin", kMin);
      out.put("kMax", kMax);
      out.put("silhouetteSampleRows", silhouetteSampleRows);
      out.put("searchSampleRows", searchSampleRows);
      out.put("tieTolerance", tieTolerance);
      out.put("searchNInit", searchNInit);
      return out;
    }
  }

  /**
   * The curves and the choice.
   *
   * @param ks the K values tried, ascending
   * @param inertia inertia per K on the search rows
   * @param silhouette mean silhouette per K on the silhouette sample
   * @param kneedle kneedle difference per K
   * @param chosenK the K picked by the rule
   * @param rule one sentence saying why
   * @param searchRows rows the K-means fits of the search used
   * @param silhouetteRows rows the silhouette used
   */
  public record Result(
      int[] ks,
      double[] inertia,
      double[] silhouette,
      double[] kneedle,
      int chosenK,
      String rule,
      int searchRows,
      int silhouetteRows) {}

  /** Search outcome plus the chosen K's fit on the search rows. */
  public record Search(Result result, KMeansFit chosenFit, boolean searchedAllRows) {}

  /**
   * Runs the search on {@code data} (already standardized).
   *
   * @param kmeans settings for every fit; the search fits use {@link Options#searchNInit()}
   *     restarts, the chosen K's refit {@code kmeans.nInit()}
   */
  public static Search search(FeatureMatrix data, Options options, KMeansOptions kmeans) {
    return search(
        data.rows(), rows -> rows == null ? data : data.selectRows(rows), options, kmeans);
  }

  /**
   * Runs the search on {@code n} rows held elsewhere: {@code gather} returns the given rows (all
   * rows when null), standardized, in the given order. The sample is drawn exactly as {@link
   * #search(FeatureMatrix, Options, KMeansOptions)} draws it, so both see the same rows.
   */
  public static Search search(
      int n,
      java.util.function.Function<int[], FeatureMatrix> gather,
      Options options,
      KMeansOptions kmeans) {
    int kMax = Math.min(options.kMax(), n);
    if (kMax < options.kMin()) {
      throw new IllegalArgumentException(
          "choosing K in "
              + options.kMin()
              + ".."
              + options.kMax()
              + " needs at least "
              + options.kMin()
              + " rows, got "
              + n);
    }
    SplittableRandom rng = new SplittableRandom(kmeans.seed() ^ 0x5DEECE66DL);
    boolean all = n <= options.searchSampleRows();
    FeatureMatrix searchRows =
        all ? gather.apply(null) : gather.apply(sample(n, options.searchSampleRows(), rng));
    int[] silhouetteIndex =
        searchRows.rows() <= options.silhouetteSampleRows()
            ? identity(searchRows.rows())
            : sample(searchRows.rows(), options.silhouetteSampleRows(), rng);

    int count = kMax - options.kMin() + 1;
    int[] ks = new int[count];
    double[] inertia = new double[count];
    int[][] sampleLabels = new int[count][];
    KMeansFit[] fits = new KMeansFit[count];
    for (int i = 0; i < count; i++) {
      ks[i] = options.kMin() + i;
    }
    // Whole fits run in parallel, each on one thread: on a sample of tens of thousands of rows this
    // scales better than splitting each pass, and each fit's result does not depend on scheduling.
    // Largest K first, so the longest fits start early.
    FeatureMatrix rows = searchRows;
    try (Workers workers = Workers.open(kmeans.threads())) {
      workers.forEachBlock(
          count,
          1,
          (b, from, to) -> {
            int i = count - 1 - b;
            fits[i] =
                KMeans.fit(rows, ks[i], kmeans.withNInit(options.searchNInit()).withThreads(1));
          });
    }
    for (int i = 0; i < count; i++) {
      inertia[i] = fits[i].inertia();
      int[] labels = new int[silhouetteIndex.length];
      for (int s = 0; s < labels.length; s++) {
        labels[s] = fits[i].labels()[silhouetteIndex[s]];
      }
      sampleLabels[i] = labels;
    }
    double[] silhouette =
        silhouettes(searchRows.selectRows(silhouetteIndex), sampleLabels, ks, kmeans.threads());
    double[] kneedle = kneedleDifference(ks, inertia);
    int chosen = choose(kneedle, silhouette, options.tieTolerance());
    String rule =
        maxOf(kneedle) > 0
            ? "kneedle elbow of the inertia curve (ties within "
                + options.tieTolerance()
                + " broken by the highest silhouette)"
            : "no elbow in the inertia curve: highest silhouette";
    Result result =
        new Result(
            ks,
            inertia,
            silhouette,
            kneedle,
            ks[chosen],
            rule,
            searchRows.rows(),
            silhouetteIndex.length);
    // The published segmentation gets the full number of restarts.
    KMeansFit chosenFit =
        kmeans.nInit() > options.searchNInit()
            ? KMeans.fit(searchRows, ks[chosen], kmeans)
            : fits[chosen];
    return new Search(result, chosenFit, all);
  }

  /** Index into {@code ks} of the chosen K. */
  static int choose(double[] kneedle, double[] silhouette, double tieTolerance) {
    double best = maxOf(kneedle);
    int chosen = -1;
    for (int i = 0; i < kneedle.length; i++) {
      boolean candidate = best <= 0 || kneedle[i] >= best - tieTolerance;
      if (candidate && (chosen < 0 || silhouette[i] > silhouette[chosen])) {
        chosen = i;
      }
    }
    return chosen;
  }

  /**
   * Kneedle difference curve for a decreasing convex curve: distance below the end-to-end chord.
   */
  public static double[] kneedleDifference(int[] ks, double[] values) {
    int m = ks.length;
    double[] difference = new double[m];
    if (m < 3) {
      return difference;
    }
    double minValue = Double.POSITIVE_INFINITY;
    double maxValue = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      minValue = Math.min(minValue, v);
      maxValue = Math.max(maxValue, v);
    }
    double span = maxValue - minValue;
    if (!(span > 0)) {
      return difference;
    }
    for (int i = 0; i < m; i++) {
      double xn = (double) (ks[i] - ks[0]) / (ks[m - 1] - ks[0]);
      double yn = (values[i] - minValue) / span;
      difference[i] = (1 - xn) - yn;
    }
    return difference;
  }

  /**
   * Mean silhouette of the rows of {@code sample} under each labelling in {@code labelSets}.
   *
   * @param ks number of clusters of each labelling
   */
  public static double[] silhouettes(
      FeatureMatrix sample, int[][] labelSets, int[] ks, int threads) {
    int s = sample.rows();
    int d = sample.cols();
    int sets = labelSets.length;
    int width = java.util.Arrays.stream(ks).max().orElse(0); // slots per point: the largest K
    double[] x = sample.data();
    double[] perPoint = new double[sets * s];
    long[][] clusterSizes = new long[sets][];
    for (int t = 0; t < sets; t++) {
      clusterSizes[t] = new long[ks[t]];
      for (int label : labelSets[t]) {
        clusterSizes[t][label]++;
      }
    }
    try (Workers workers = Workers.open(threads)) {
      workers.forEachBlock(
          s,
          64,
          (b, from, to) -> {
            double[] sums = new double[sets * width];
            for (int i = from; i < to; i++) {
              java.util.Arrays.fill(sums, 0.0);
              for (int j = 0; j < s; j++) {
                if (j == i) {
                  continue;
                }
                double dist = Math.sqrt(Centroids.squaredDistance(x, i * d, x, j * d, d));
                for (int t = 0; t < sets; t++) {
                  sums[t * width + labelSets[t][j]] += dist;
                }
              }
              for (int t = 0; t < sets; t++) {
                int own = labelSets[t][i];
                long ownSize = clusterSizes[t][own];
                if (ownSize <= 1) {
                  perPoint[t * s + i] = 0;
                  continue;
                }
                double a = sums[t * width + own] / (ownSize - 1);
                double bMin = Double.POSITIVE_INFINITY;
                for (int c = 0; c < ks[t]; c++) {
                  if (c != own && clusterSizes[t][c] > 0) {
                    bMin = Math.min(bMin, sums[t * width + c] / clusterSizes[t][c]);
                  }
                }
                double denominator = Math.max(a, bMin);
                perPoint[t * s + i] =
                    Double.isInfinite(bMin) || denominator == 0 ? 0 : (bMin - a) / denominator;
              }
            }
          });
    }
    double[] mean = new double[sets];
    for (int t = 0; t < sets; t++) {
      double sum = 0;
      for (int i = 0; i < s; i++) {
        sum += perPoint[t * s + i];
      }
      mean[t] = sum / s;
    }
    return mean;
  }

  /** {@code size} distinct indexes of {@code [0, n)}, seeded, in ascending order. */
  public static int[] sample(int n, int size, SplittableRandom rng) {
    int[] all = identity(n);
    for (int i = 0; i < size; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    int[] chosen = java.util.Arrays.copyOf(all, size);
    java.util.Arrays.sort(chosen);
    return chosen;
  }

  private static int[] identity(int n) {
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    return index;
  }

  private static double maxOf(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
