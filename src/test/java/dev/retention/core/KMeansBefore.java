package dev.retention.core;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The K-means implementation as it was before the tiled distance kernel (issue 22), kept frozen as
 * the reference that {@code KMeansKernelTest} compares the current {@link KMeans} with, bit for
 * bit: same seeding, same Hamerly bookkeeping, one distance per call. Not used by production code.
 * One change: the tolerance's scale is today's {@link KMeans#meanColumnVariance} (parallel, by
 * blocks), which {@code KMeansKernelTest} compares with the serial sums this class had.
 */
final class KMeansBefore {

  private KMeansBefore() {}

  /**
   * Clusters the rows of {@code data} into {@code k} clusters.
   *
   * @throws IllegalArgumentException if {@code k < 1} or there are fewer rows than clusters
   */
  public static KMeansFit fit(FeatureMatrix data, int k, KMeansOptions options) {
    int n = data.rows();
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (n < k) {
      throw new IllegalArgumentException(
          "K-means with k = " + k + " needs at least " + k + " rows, got " + n);
    }
    double tolerance = options.tol() * currentMeanColumnVariance(data);
    SplittableRandom seeds = new SplittableRandom(options.seed());
    long[] restartSeeds = new long[options.nInit()];
    for (int init = 0; init < restartSeeds.length; init++) {
      restartSeeds[init] = seeds.nextLong();
    }
    KMeansFit[] fits = new KMeansFit[options.nInit()];
    try (Workers workers = Workers.open(options.threads())) {
      if (workers.threads() > 1 && options.nInit() > 1 && n <= PARALLEL_RESTART_ROWS) {
        // Small inputs: whole restarts in parallel, one thread each. Row blocks do not depend on
        // the thread count, so each restart's result is the same bits either way.
        workers.forEachBlock(
            options.nInit(),
            1,
            (b, from, to) -> {
              try (Workers single = Workers.open(1)) {
                fits[b] = restart(data, k, options, tolerance, single, restartSeeds[b], b);
              }
            });
      } else {
        for (int init = 0; init < fits.length; init++) {
          fits[init] = restart(data, k, options, tolerance, workers, restartSeeds[init], init);
        }
      }
    }
    KMeansFit best = fits[0];
    long evaluations = 0;
    for (KMeansFit fit : fits) {
      evaluations += fit.distanceEvaluations();
      if (fit.inertia() < best.inertia()) {
        best = fit;
      }
    }
    return new KMeansFit(
        best.centroids(),
        best.labels(),
        best.sizes(),
        best.inertia(),
        best.iterations(),
        best.converged(),
        best.bestInit(),
        best.inertiaTrace(),
        evaluations);
  }

  /** Up to this many rows, restarts run in parallel rather than each pass being split. */
  static final int PARALLEL_RESTART_ROWS = 32 * Workers.BLOCK_ROWS;

  private static KMeansFit restart(
      FeatureMatrix data,
      int k,
      KMeansOptions options,
      double tolerance,
      Workers workers,
      long seed,
      int init) {
    double[] centres = seedPlusPlus(data, k, new SplittableRandom(seed), workers);
    KMeansFit fit = new Run(data, k, options, tolerance, workers).iterate(centres, init);
    long seeding = (long) data.rows() * (1 + (k - 1L) * (2 + (int) Math.log(k)));
    return new KMeansFit(
        fit.centroids(),
        fit.labels(),
        fit.sizes(),
        fit.inertia(),
        fit.iterations(),
        fit.converged(),
        fit.bestInit(),
        fit.inertiaTrace(),
        fit.distanceEvaluations() + seeding);
  }

  /**
   * Runs the Lloyd iteration from given centres (one run, no seeding). Used to fit all rows from
   * the best centres a search found on a sample: a warm start that needs a few passes over the full
   * data instead of {@code nInit} fresh restarts.
   *
   * @throws IllegalArgumentException if the centres' dimension is not the data's, or there are
   *     fewer rows than centres
   */
  public static KMeansFit refine(FeatureMatrix data, Centroids initial, KMeansOptions options) {
    int k = initial.k();
    if (initial.d() != data.cols()) {
      throw new IllegalArgumentException(
          "initial centres have " + initial.d() + " coordinates, the data " + data.cols());
    }
    if (data.rows() < k) {
      throw new IllegalArgumentException(
          "K-means with k = " + k + " needs at least " + k + " rows, got " + data.rows());
    }
    double tolerance = options.tol() * currentMeanColumnVariance(data);
    try (Workers workers = Workers.open(options.threads())) {
      return new Run(data, k, options, tolerance, workers).iterate(initial.centres(), 0);
    }
  }

  private static double currentMeanColumnVariance(FeatureMatrix data) {
    try (Workers workers = Workers.open(1)) {
      return KMeans.meanColumnVariance(data, workers);
    }
  }

  /** The serial two-pass mean column variance of before. */
  static double meanColumnVariance(FeatureMatrix data) {
    int n = data.rows();
    int d = data.cols();
    double[] x = data.data();
    // Row-wise passes: the matrix is row-major, so column-wise loops would stride through memory.
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        mean[c] += x[i * d + c];
      }
    }
    for (int c = 0; c < d; c++) {
      mean[c] /= n;
    }
    double[] var = new double[d];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        double dev = x[i * d + c] - mean[c];
        var[c] += dev * dev;
      }
    }
    double total = 0;
    for (int c = 0; c < d; c++) {
      total += var[c] / n;
    }
    return total / d;
  }

  /** k-means++ with greedy local trials; returns k*d centre coordinates. */
  static double[] seedPlusPlus(FeatureMatrix data, int k, SplittableRandom rng, Workers workers) {
    int n = data.rows();
    int d = data.cols();
    double[] x = data.data();
    int trials = 2 + (int) Math.log(k);
    int blocks = Workers.blockCount(n);
    double[] centres = new double[k * d];
    double[] closest = new double[n];
    double[] cumulative = new double[n];
    double[] blockPotentials = new double[trials * blocks];
    // Each trial's min(closest, distance to candidate), kept so the winner's needs no second pass.
    double[] trialClosest = new double[trials * n];

    int first = rng.nextInt(n);
    System.arraycopy(x, first * d, centres, 0, d);
    workers.forEachBlock(
        n,
        (b, from, to) -> {
          for (int i = from; i < to; i++) {
            closest[i] = Centroids.squaredDistance(x, i * d, centres, 0, d);
          }
        });
    int[] candidates = new int[trials];
    for (int c = 1; c < k; c++) {
      double running = 0;
      for (int i = 0; i < n; i++) {
        running += closest[i];
        cumulative[i] = running;
      }
      for (int t = 0; t < trials; t++) {
        candidates[t] = firstAbove(cumulative, rng.nextDouble() * running);
      }
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            for (int t = 0; t < trials; t++) {
              int offset = candidates[t] * d;
              int base = t * n;
              double potential = 0;
              for (int i = from; i < to; i++) {
                double nearest =
                    Math.min(closest[i], Centroids.squaredDistance(x, i * d, x, offset, d));
                trialClosest[base + i] = nearest;
                potential += nearest;
              }
              blockPotentials[t * blocks + b] = potential;
            }
          });
      int bestTrial = 0;
      double bestPotential = Double.POSITIVE_INFINITY;
      for (int t = 0; t < trials; t++) {
        double potential = 0;
        for (int b = 0; b < blocks; b++) {
          potential += blockPotentials[t * blocks + b];
        }
        if (potential < bestPotential) {
          bestPotential = potential;
          bestTrial = t;
        }
      }
      System.arraycopy(x, candidates[bestTrial] * d, centres, c * d, d);
      System.arraycopy(trialClosest, bestTrial * n, closest, 0, n);
    }
    return centres;
  }

  /** First index whose cumulative weight exceeds {@code target}: a D^2-weighted draw. */
  private static int firstAbove(double[] cumulative, double target) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The iteration state of one restart; buffers are reused across restarts. */
  private static final class Run {
    private final double[] x;
    private final int n;
    private final int d;
    private final int k;
    private final KMeansOptions options;
    private final double tolerance;
    private final Workers workers;
    private final boolean hamerly;
    private final int blocks;
    private final int[] labels;
    private final double[] upper;
    private final double[] lower;
    private final double[] halfGap;
    private final double[] shift;
    private final double[] blockSums;
    private final long[] blockCounts;
    private final long[] blockChanges;
    private final long[] blockEvaluations;
    private final double[] blockInertia;
    // Cluster sums kept up to date incrementally (Hamerly 2010): after the first full assignment,
    // only points that change cluster move their coordinates between sums, as block-local deltas
    // combined in block order (deterministic for any thread count).
    private final double[] sums;
    private final long[] sumCounts;
    private boolean sumsValid;
    private final double[] blockDeltaSums;
    private final long[] blockDeltaCounts;
    private final boolean[] blockTouched;

    Run(FeatureMatrix data, int k, KMeansOptions options, double tolerance, Workers workers) {
      this.x = data.data();
      this.n = data.rows();
      this.d = data.cols();
      this.k = k;
      this.options = options;
      this.tolerance = tolerance;
      this.workers = workers;
      this.hamerly = options.algorithm() == KMeansOptions.Algorithm.HAMERLY;
      this.blocks = Workers.blockCount(n);
      this.labels = new int[n];
      this.upper = new double[n];
      this.lower = new double[n];
      this.halfGap = new double[k];
      this.shift = new double[k];
      this.blockSums = new double[blocks * k * d];
      this.blockCounts = new long[blocks * k];
      this.blockChanges = new long[blocks];
      this.blockEvaluations = new long[blocks];
      this.blockInertia = new double[blocks];
      this.sums = new double[k * d];
      this.sumCounts = new long[k];
      this.blockDeltaSums = new double[blocks * k * d];
      this.blockDeltaCounts = new long[blocks * k];
      this.blockTouched = new boolean[blocks];
    }

    KMeansFit iterate(double[] initialCentres, int init) {
      double[] centres = initialCentres.clone();
      double[] next = new double[k * d];
      long[] counts = new long[k];
      double[] trace = new double[options.traceInertia() ? options.maxIter() + 1 : 0];
      int traced = 0;
      long evaluations = 0;

      Arrays.fill(upper, Double.POSITIVE_INFINITY);
      Arrays.fill(lower, 0.0);
      Arrays.fill(labels, 0);
      sumsValid = false;
      evaluations += assignStep(centres, true);
      if (options.traceInertia()) {
        trace[traced++] = exactInertia(centres);
      }
      boolean consistent = true;
      boolean converged = false;
      int iterations = 0;
      while (iterations < options.maxIter()) {
        iterations++;
        boolean relocated = updateStep(centres, next, counts);
        double totalShift = 0;
        for (int j = 0; j < k; j++) {
          double moved = Centroids.squaredDistance(centres, j * d, next, j * d, d);
          shift[j] = Math.sqrt(moved);
          totalShift += moved;
        }
        System.arraycopy(next, 0, centres, 0, k * d);
        consistent = false;
        if (relocated) {
          // Bounds no longer hold after moving points by hand: force exact recomputation.
          Arrays.fill(upper, Double.POSITIVE_INFINITY);
          Arrays.fill(lower, 0.0);
        } else if (hamerly) {
          loosenBounds();
        }
        if (!relocated && totalShift <= tolerance) {
          converged = true;
          break;
        }
        long[] stepChanges = new long[1];
        evaluations += assignStep(centres, false, stepChanges);
        consistent = true;
        if (options.traceInertia()) {
          trace[traced++] = exactInertia(centres);
        }
        if (stepChanges[0] == 0) {
          converged = true;
          break;
        }
      }
      if (!consistent) {
        evaluations += assignStep(centres, false);
      }
      long[] sizes = new long[k];
      for (int i = 0; i < n; i++) {
        sizes[labels[i]]++;
      }
      return new KMeansFit(
          new Centroids(k, d, centres),
          labels.clone(),
          sizes,
          exactInertia(centres),
          iterations,
          converged,
          init,
          Arrays.copyOf(trace, traced),
          evaluations);
    }

    private long assignStep(double[] centres, boolean full) {
      return assignStep(centres, full, new long[1]);
    }

    /** Assigns points to their nearest centre; returns distance evaluations, adds label changes. */
    private long assignStep(double[] centres, boolean full, long[] changes) {
      boolean useBounds = hamerly && !full;
      if (useBounds) {
        computeHalfGaps(centres);
      }
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            long evaluated = 0;
            // Points whose bounds cannot rule out a closer centre, recomputed exactly below.
            int[] pending = new int[to - from];
            int count = 0;
            for (int i = from; i < to; i++) {
              if (useBounds) {
                int assigned = labels[i];
                double bound = Math.max(halfGap[assigned], lower[i]);
                if (upper[i] <= bound) {
                  continue;
                }
                double tight =
                    Math.sqrt(Centroids.squaredDistance(x, i * d, centres, assigned * d, d));
                evaluated++;
                upper[i] = tight;
                if (tight <= bound) {
                  continue;
                }
              }
              pending[count++] = i;
            }
            long changed = 0;
            int p = 0;
            // Two points per pass over the centres: two independent chains of adds keep the FPU
            // busy (each point's sum is accumulated in the same order, so results are unchanged).
            for (; p + 1 < count; p += 2) {
              changed += nearestPair(centres, pending[p], pending[p + 1], full, b);
            }
            if (p < count) {
              changed += nearestOne(centres, pending[p], full, b);
            }
            evaluated += (long) count * k;
            blockChanges[b] = changed;
            blockEvaluations[b] = evaluated;
          });
      long evaluations = 0;
      for (int b = 0; b < blocks; b++) {
        changes[0] += blockChanges[b];
        evaluations += blockEvaluations[b];
      }
      if (full) {
        sumsValid = false; // a full assignment rewrites every label: recount from scratch
      } else {
        applyDeltas();
      }
      return evaluations;
    }

    /** Exact nearest and second-nearest centre of point i; returns 1 if its label changed. */
    private int nearestOne(double[] centres, int i, boolean full, int block) {
      int offset = i * d;
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      double secondDistance = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double dist = Centroids.squaredDistance(x, offset, centres, j * d, d);
        if (dist < bestDistance) {
          secondDistance = bestDistance;
          bestDistance = dist;
          best = j;
        } else if (dist < secondDistance) {
          secondDistance = dist;
        }
      }
      return settle(i, best, bestDistance, secondDistance, full, block);
    }

    /** {@link #nearestOne} for two points at once; returns how many labels changed. */
    private int nearestPair(double[] centres, int i1, int i2, boolean full, int block) {
      int o1 = i1 * d;
      int o2 = i2 * d;
      int best1 = 0;
      int best2 = 0;
      double bestDistance1 = Double.POSITIVE_INFINITY;
      double secondDistance1 = Double.POSITIVE_INFINITY;
      double bestDistance2 = Double.POSITIVE_INFINITY;
      double secondDistance2 = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        int co = j * d;
        double s1 = 0;
        double s2 = 0;
        for (int c = 0; c < d; c++) {
          double centre = centres[co + c];
          double e1 = x[o1 + c] - centre;
          double e2 = x[o2 + c] - centre;
          s1 += e1 * e1;
          s2 += e2 * e2;
        }
        if (s1 < bestDistance1) {
          secondDistance1 = bestDistance1;
          bestDistance1 = s1;
          best1 = j;
        } else if (s1 < secondDistance1) {
          secondDistance1 = s1;
        }
        if (s2 < bestDistance2) {
          secondDistance2 = bestDistance2;
          bestDistance2 = s2;
          best2 = j;
        } else if (s2 < secondDistance2) {
          secondDistance2 = s2;
        }
      }
      return settle(i1, best1, bestDistance1, secondDistance1, full, block)
          + settle(i2, best2, bestDistance2, secondDistance2, full, block);
    }

    private int settle(
        int i, int best, double bestDistance, double secondDistance, boolean full, int block) {
      int previous = labels[i];
      int changed = best != previous ? 1 : 0;
      if (changed == 1 && !full) {
        // Move the point's coordinates between the two clusters' sums (block-local delta).
        int kd = k * d;
        int base = block * kd;
        int offset = i * d;
        for (int c = 0; c < d; c++) {
          double value = x[offset + c];
          blockDeltaSums[base + previous * d + c] -= value;
          blockDeltaSums[base + best * d + c] += value;
        }
        blockDeltaCounts[block * k + previous]--;
        blockDeltaCounts[block * k + best]++;
        blockTouched[block] = true;
      }
      if (changed == 1 || full) {
        labels[i] = best;
      }
      upper[i] = Math.sqrt(bestDistance);
      lower[i] = Math.sqrt(secondDistance);
      return changed;
    }

    /** Half the distance from each centre to its nearest other centre (Hamerly's s(j)). */
    private void computeHalfGaps(double[] centres) {
      Arrays.fill(halfGap, Double.POSITIVE_INFINITY);
      for (int a = 0; a < k; a++) {
        for (int b = a + 1; b < k; b++) {
          double half =
              0.5 * Math.sqrt(Centroids.squaredDistance(centres, a * d, centres, b * d, d));
          halfGap[a] = Math.min(halfGap[a], half);
          halfGap[b] = Math.min(halfGap[b], half);
        }
      }
    }

    /** After centres moved by {@code shift}: the triangle inequality keeps the bounds valid. */
    private void loosenBounds() {
      int fastest = 0;
      for (int j = 1; j < k; j++) {
        if (shift[j] > shift[fastest]) {
          fastest = j;
        }
      }
      double secondFastest = 0;
      for (int j = 0; j < k; j++) {
        if (j != fastest) {
          secondFastest = Math.max(secondFastest, shift[j]);
        }
      }
      double maxShift = shift[fastest];
      double otherShift = secondFastest;
      int fastestCentre = fastest;
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            for (int i = from; i < to; i++) {
              int assigned = labels[i];
              upper[i] += shift[assigned];
              lower[i] -= assigned == fastestCentre ? otherShift : maxShift;
            }
          });
    }

    /** Adds the blocks' sum deltas to the cluster sums, in block order, and clears them. */
    private void applyDeltas() {
      int kd = k * d;
      for (int b = 0; b < blocks; b++) {
        if (!blockTouched[b]) {
          continue;
        }
        for (int v = 0; v < kd; v++) {
          sums[v] += blockDeltaSums[b * kd + v];
        }
        for (int j = 0; j < k; j++) {
          sumCounts[j] += blockDeltaCounts[b * k + j];
        }
        Arrays.fill(blockDeltaSums, b * kd, (b + 1) * kd, 0.0);
        Arrays.fill(blockDeltaCounts, b * k, (b + 1) * k, 0L);
        blockTouched[b] = false;
      }
    }

    /** Recomputes the cluster sums from the labels (one pass over the data). */
    private void recountSums() {
      int kd = k * d;
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            // Accumulate in block-local arrays and publish once: neighbouring blocks' slots share
            // cache lines, and updating them per row from two threads would false-share.
            double[] local = new double[kd];
            long[] members = new long[k];
            for (int i = from; i < to; i++) {
              int j = labels[i];
              members[j]++;
              int target = j * d;
              int offset = i * d;
              for (int c = 0; c < d; c++) {
                local[target + c] += x[offset + c];
              }
            }
            System.arraycopy(local, 0, blockSums, b * kd, kd);
            System.arraycopy(members, 0, blockCounts, b * k, k);
          });
      Arrays.fill(sums, 0.0);
      Arrays.fill(sumCounts, 0L);
      for (int b = 0; b < blocks; b++) {
        for (int v = 0; v < kd; v++) {
          sums[v] += blockSums[b * kd + v];
        }
        for (int j = 0; j < k; j++) {
          sumCounts[j] += blockCounts[b * k + j];
        }
      }
      sumsValid = true;
    }

    /**
     * Means of the assigned points into {@code next}; returns whether an empty cluster was
     * re-seeded.
     */
    private boolean updateStep(double[] centres, double[] next, long[] counts) {
      if (!sumsValid) {
        recountSums();
      }
      boolean empty = false;
      for (int j = 0; j < k; j++) {
        if (sumCounts[j] == 0) {
          empty = true;
        }
      }
      if (empty) {
        reseedEmpty(centres);
      }
      System.arraycopy(sumCounts, 0, counts, 0, k);
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < d; c++) {
          next[j * d + c] = sums[j * d + c] / counts[j];
        }
      }
      return empty;
    }

    /** Moves the farthest points (from their current centre) into the empty clusters. */
    private void reseedEmpty(double[] centres) {
      double[] distance = new double[n];
      for (int i = 0; i < n; i++) {
        distance[i] = Centroids.squaredDistance(x, i * d, centres, labels[i] * d, d);
      }
      for (int j = 0; j < k; j++) {
        if (sumCounts[j] != 0) {
          continue;
        }
        int farthest = -1;
        for (int i = 0; i < n; i++) {
          if (sumCounts[labels[i]] > 1 && (farthest < 0 || distance[i] > distance[farthest])) {
            farthest = i;
          }
        }
        int from = labels[farthest];
        for (int c = 0; c < d; c++) {
          double value = x[farthest * d + c];
          sums[from * d + c] -= value;
          sums[j * d + c] = value;
        }
        sumCounts[from]--;
        sumCounts[j] = 1;
        labels[farthest] = j;
        distance[farthest] = 0;
      }
    }

    private double exactInertia(double[] centres) {
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
              sum += Centroids.squaredDistance(x, i * d, centres, labels[i] * d, d);
            }
            blockInertia[b] = sum;
          });
      double total = 0;
      for (int b = 0; b < blocks; b++) {
        total += blockInertia[b];
      }
      return total;
    }
  }
}
