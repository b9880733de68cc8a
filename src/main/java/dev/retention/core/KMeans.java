package dev.retention.core;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * K-means clustering (Euclidean) with k-means++ seeding, restarts and an accelerated exact Lloyd
 * iteration.
 *
 * <ul>
 *   <li>Seeding: k-means++ (Arthur &amp; Vassilvitskii, "k-means++: the advantages of careful
 *       seeding", SODA 2007) with greedy local trials as in scikit-learn: at each step {@code 2 +
 *       floor(ln k)} candidates are drawn with probability proportional to D(x)^2 and the one that
 *       lowers the potential most is kept.
 *   <li>Iteration: Lloyd (1982). The assignment step uses Hamerly's bounds (G. Hamerly, "Making
 *       k-means even faster", SDM 2010): one upper bound on the distance to the assigned centre and
 *       one lower bound on the distance to every other centre let most points skip all distance
 *       computations once centres settle. The assignments equal plain Lloyd's (up to exact distance
 *       ties); {@link KMeansOptions.Algorithm#LLOYD} runs the plain step for comparison.
 *   <li>Stopping: as scikit-learn, when the assignment no longer changes, or the summed squared
 *       centre shift is at most {@code tol * mean column variance}, or after {@code maxIter}
 *       iterations; then a final assignment makes labels consistent with the centres.
 *   <li>Empty clusters: re-seeded with the point farthest from its current centre.
 *   <li>Restarts: {@code nInit} seeds derived from {@code seed}; the lowest inertia wins.
 * </ul>
 *
 * <p>The assignment, update and seeding passes run on all cores in fixed row blocks (see {@link
 * Workers}), so the result is bit-identical whatever the thread count. Distances are computed a
 * tile of rows at a time ({@link RowTile}), vectorised by C2, each the same bits as one {@link
 * Centroids#squaredDistance} call (decision 0004).
 */
public final class KMeans {

  private KMeans() {}

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
    SplittableRandom seeds = new SplittableRandom(options.seed());
    long[] restartSeeds = new long[options.nInit()];
    for (int init = 0; init < restartSeeds.length; init++) {
      restartSeeds[init] = seeds.nextLong();
    }
    KMeansFit[] fits = new KMeansFit[options.nInit()];
    try (Workers workers = Workers.open(options.threads())) {
      double tolerance = options.tol() * meanColumnVariance(data, workers);
      if (workers.threads() > 1 && options.nInit() > 1 && n <= PARALLEL_RESTART_ROWS) {
        // Small inputs: whole restarts in parallel, one thread each. Row blocks do not depend on
        // the thread count, so each restart's result is the same bits either way.
        workers.forEachBlock(
            options.nInit(),
            1,
            (b, from, to) -> {
              try (Workers single = Workers.open(1)) {
                Run run = new Run(data, k, options, tolerance, single);
                fits[b] = run.restart(restartSeeds[b], b);
              }
            });
      } else {
        // One run's buffers (labels, bounds, seeding distances) serve every restart in turn.
        Run run = new Run(data, k, options, tolerance, workers);
        for (int init = 0; init < fits.length; init++) {
          fits[init] = run.restart(restartSeeds[init], init);
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
    try (Workers workers = Workers.open(options.threads())) {
      double tolerance = options.tol() * meanColumnVariance(data, workers);
      return new Run(data, k, options, tolerance, workers).iterate(initial.centres(), 0);
    }
  }

  /**
   * The rows of a Lloyd iteration that lives elsewhere (the parts of a distributed dataset): what
   * {@link #lloyd} needs of them, each call one pass over the rows.
   */
  public interface LloydRows {

    /** Mean over the columns of each column's variance (the tolerance's scale). */
    double meanColumnVariance();

    /**
     * Assigns every row to its nearest centre ({@link Centroids#nearest}'s tie rule) and keeps the
     * labels for the next call.
     */
    Assignment assign(double[] centres);

    /**
     * Up to {@code m} rows farthest from their assigned centre among clusters with more than one
     * member (by {@code counts}), farthest first: each as its cluster then its coordinates.
     */
    double[][] farthest(int m, double[] centres, long[] counts);

    /** Sum of squared distances of every row to its assigned centre. */
    double inertia(double[] centres);

    /** The labels of the last assignment, in row order. */
    int[] labels();
  }

  /**
   * One assignment pass: per-cluster coordinate sums ({@code k * d}) and counts, and how many
   * labels changed since the previous pass (every row on the first).
   */
  public record Assignment(double[] sums, long[] counts, long changes) {}

  /**
   * Lloyd's iteration from {@code initial} over rows held elsewhere, with {@link #refine}'s rules:
   * the same stopping test (no label changes, or a summed squared centre shift within {@code tol}
   * times the mean column variance, or {@code maxIter}), empty clusters re-seeded with the points
   * farthest from their centre, and a final assignment consistent with the centres. Plain Lloyd (no
   * Hamerly bounds: the bounds would have to live with the rows); the fixed point is the same.
   */
  public static KMeansFit lloyd(LloydRows rows, Centroids initial, KMeansOptions options) {
    int k = initial.k();
    int d = initial.d();
    double tolerance = options.tol() * rows.meanColumnVariance();
    double[] centres = initial.centres().clone();
    double[] next = new double[k * d];
    Assignment assignment = rows.assign(centres);
    boolean consistent = true;
    boolean converged = false;
    int iterations = 0;
    while (iterations < options.maxIter()) {
      iterations++;
      double[] sums = assignment.sums().clone();
      long[] counts = assignment.counts().clone();
      boolean relocated = reseed(rows, centres, sums, counts, d);
      double totalShift = 0;
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < d; c++) {
          next[j * d + c] = sums[j * d + c] / counts[j];
        }
        totalShift += Centroids.squaredDistance(centres, j * d, next, j * d, d);
      }
      System.arraycopy(next, 0, centres, 0, k * d);
      consistent = false;
      if (!relocated && totalShift <= tolerance) {
        converged = true;
        break;
      }
      assignment = rows.assign(centres);
      consistent = true;
      if (assignment.changes() == 0) {
        converged = true;
        break;
      }
    }
    if (!consistent) {
      assignment = rows.assign(centres);
    }
    return new KMeansFit(
        new Centroids(k, d, centres),
        rows.labels(),
        assignment.counts().clone(),
        rows.inertia(centres),
        iterations,
        converged,
        0,
        new double[0],
        0);
  }

  /** Moves the farthest points into empty clusters' sums, as {@code Run.reseedEmpty} does. */
  private static boolean reseed(
      LloydRows rows, double[] centres, double[] sums, long[] counts, int d) {
    int empty = 0;
    for (long count : counts) {
      empty += count == 0 ? 1 : 0;
    }
    if (empty == 0) {
      return false;
    }
    double[][] farthest = rows.farthest(empty, centres, counts);
    int next = 0;
    for (int j = 0; j < counts.length && next < farthest.length; j++) {
      if (counts[j] != 0) {
        continue;
      }
      double[] point = farthest[next++];
      int from = (int) point[0];
      for (int c = 0; c < d; c++) {
        sums[from * d + c] -= point[1 + c];
        sums[j * d + c] = point[1 + c];
      }
      counts[from]--;
      counts[j] = 1;
    }
    return true;
  }

  /** Assigns every row of {@code data} to its nearest centre ({@link Centroids#nearest}'s rule). */
  public static int[] assign(FeatureMatrix data, Centroids centroids, int threads) {
    int[] labels = new int[data.rows()];
    double[] x = data.data();
    int d = data.cols();
    int k = centroids.k();
    double[] centres = centroids.centres();
    try (Workers workers = Workers.open(threads)) {
      workers.forEachBlock(
          data.rows(),
          (b, from, to) -> {
            RowTile tile = new RowTile(d, k);
            for (int start = from; start < to; start += tile.capacity()) {
              int m = Math.min(tile.capacity(), to - start);
              tile.load(x, start, m);
              tile.nearestTwo(centres, k);
              for (int t = 0; t < m; t++) {
                labels[start + t] = tile.nearest(t);
              }
            }
          });
    }
    return labels;
  }

  /** Sum of squared distances of each row to the given centre. */
  public static double inertia(FeatureMatrix data, Centroids centroids, int[] labels) {
    double sum = 0;
    for (int i = 0; i < data.rows(); i++) {
      sum += centroids.distanceSquared(data.data(), i, labels[i]);
    }
    return sum;
  }

  /**
   * Mean over the columns of each column's population variance (the tolerance's scale): one
   * parallel pass in fixed blocks, each block's sums and squared deviations from its own mean
   * combined in block order by Chan, Golub &amp; LeVeque's update ({@code M2 = sum_b M2_b + n_b
   * (mean_b - mean)^2}), so the result does not depend on the thread count.
   */
  static double meanColumnVariance(FeatureMatrix data, Workers workers) {
    int n = data.rows();
    int d = data.cols();
    double[] x = data.data();
    int blocks = Workers.blockCount(n);
    double[] blockSums = new double[blocks * d];
    double[] blockSquares = new double[blocks * d];
    workers.forEachBlock(
        n,
        (b, from, to) -> {
          // Row-wise loops: the matrix is row-major; the second loop reads the block from cache.
          double[] sum = new double[d];
          for (int i = from; i < to; i++) {
            for (int c = 0; c < d; c++) {
              sum[c] += x[i * d + c];
            }
          }
          double[] mean = new double[d];
          for (int c = 0; c < d; c++) {
            mean[c] = sum[c] / (to - from);
          }
          double[] squares = new double[d];
          for (int i = from; i < to; i++) {
            for (int c = 0; c < d; c++) {
              double deviation = x[i * d + c] - mean[c];
              squares[c] += deviation * deviation;
            }
          }
          System.arraycopy(sum, 0, blockSums, b * d, d);
          System.arraycopy(squares, 0, blockSquares, b * d, d);
        });
    double total = 0;
    for (int c = 0; c < d; c++) {
      double sum = 0;
      for (int b = 0; b < blocks; b++) {
        sum += blockSums[b * d + c];
      }
      double mean = sum / n;
      double squares = 0;
      for (int b = 0; b < blocks; b++) {
        int rows = Math.min(n, (b + 1) * Workers.BLOCK_ROWS) - b * Workers.BLOCK_ROWS;
        double shift = blockSums[b * d + c] / rows - mean;
        squares += blockSquares[b * d + c] + rows * shift * shift;
      }
      total += squares / n;
    }
    return total / d;
  }

  /** k-means++ with greedy local trials; returns k*d centre coordinates. */
  static double[] seedPlusPlus(FeatureMatrix data, int k, SplittableRandom rng, Workers workers) {
    return new Seeding(data, k).seed(rng, workers);
  }

  /**
   * k-means++ with greedy local trials (scikit-learn's {@code _kmeans_plusplus}), its buffers kept
   * for the next restart. Each round is one parallel pass that measures every row against all the
   * round's candidates at once (a {@link RowTile}), and one serial pass that sums the rows' D(x)^2
   * in row order: the draw needs that exact running sum, so it is kept only at block ends and
   * re-run inside the one block the draw falls in. Same numbers, in the same order, as measuring
   * one candidate per pass over a stored running sum.
   */
  private static final class Seeding {
    private final FeatureMatrix data;
    private final int k;
    private final int n;
    private final int d;
    private final int trials;
    private final int blocks;
    private double[] closest;
    private final double[][] trialClosest;
    private final double[] blockPotentials;
    private final double[] blockEnds;

    Seeding(FeatureMatrix data, int k) {
      this.data = data;
      this.k = k;
      this.n = data.rows();
      this.d = data.cols();
      this.trials = 2 + (int) Math.log(k);
      this.blocks = Workers.blockCount(n);
      this.closest = new double[n];
      this.trialClosest = new double[trials][n];
      this.blockPotentials = new double[trials * blocks];
      this.blockEnds = new double[blocks];
    }

    double[] seed(SplittableRandom rng, Workers workers) {
      double[] x = data.data();
      double[] centres = new double[k * d];
      int first = rng.nextInt(n);
      System.arraycopy(x, first * d, centres, 0, d);
      double[] firstClosest = closest;
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            RowTile tile = new RowTile(d, 1);
            for (int start = from; start < to; start += tile.capacity()) {
              int m = Math.min(tile.capacity(), to - start);
              tile.load(x, start, m);
              tile.distancesTo(centres, 0, 0);
              System.arraycopy(tile.distances(0), 0, firstClosest, start, m);
            }
          });
      int[] candidates = new int[trials];
      for (int c = 1; c < k; c++) {
        double total = runningSums();
        for (int t = 0; t < trials; t++) {
          candidates[t] = firstAbove(rng.nextDouble() * total);
        }
        double[] current = closest;
        workers.forEachBlock(n, (b, from, to) -> trialBlock(x, current, candidates, b, from, to));
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
        // The winner's min(D(x)^2, distance) becomes D(x)^2: swap buffers instead of copying.
        closest = trialClosest[bestTrial];
        trialClosest[bestTrial] = current;
      }
      return centres;
    }

    /** D(x)^2 summed in row order; keeps the running sum at each block's end; returns the total. */
    private double runningSums() {
      double running = 0;
      for (int b = 0; b < blocks; b++) {
        int to = Math.min(n, (b + 1) * Workers.BLOCK_ROWS);
        for (int i = b * Workers.BLOCK_ROWS; i < to; i++) {
          running += closest[i];
        }
        blockEnds[b] = running;
      }
      return running;
    }

    /**
     * First row whose running sum of D(x)^2 exceeds {@code target} (the last row if none does): a
     * D^2-weighted draw. Finds the block by its end sum, then re-runs the sum inside it.
     */
    private int firstAbove(double target) {
      int lo = 0;
      int hi = blocks - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (blockEnds[mid] > target) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      double running = lo == 0 ? 0 : blockEnds[lo - 1];
      int to = Math.min(n, (lo + 1) * Workers.BLOCK_ROWS);
      for (int i = lo * Workers.BLOCK_ROWS; i < to; i++) {
        running += closest[i];
        if (running > target) {
          return i;
        }
      }
      return n - 1;
    }

    /** Every candidate against the rows of one block: min(D(x)^2, distance) and its sum. */
    private void trialBlock(
        double[] x, double[] current, int[] candidates, int b, int from, int to) {
      RowTile tile = new RowTile(d, trials + 1);
      double[] potentials = new double[trials];
      for (int start = from; start < to; start += tile.capacity()) {
        int m = Math.min(tile.capacity(), to - start);
        tile.load(x, start, m);
        double[] known = tile.distances(trials);
        System.arraycopy(current, start, known, 0, m);
        for (int t = 0; t < trials; t++) {
          tile.distancesTo(x, candidates[t] * d, t);
          double[] nearest = tile.distances(t);
          keepSmaller(nearest, known, m);
          System.arraycopy(nearest, 0, trialClosest[t], start, m);
        }
        addInOrder(tile, potentials, m);
      }
      for (int t = 0; t < trials; t++) {
        blockPotentials[t * blocks + b] = potentials[t];
      }
    }

    /** {@code out[i] = min(other[i], out[i])}. */
    private static void keepSmaller(double[] out, double[] other, int m) {
      for (int i = 0; i < m; i++) {
        out[i] = Math.min(other[i], out[i]);
      }
    }

    /** Adds each trial's tile values to its potential in row order, up to three sums at a time. */
    private void addInOrder(RowTile tile, double[] potentials, int m) {
      int t = 0;
      for (; t + 2 < trials; t += 3) {
        double[] a = tile.distances(t);
        double[] b = tile.distances(t + 1);
        double[] c = tile.distances(t + 2);
        double pa = potentials[t];
        double pb = potentials[t + 1];
        double pc = potentials[t + 2];
        for (int i = 0; i < m; i++) {
          pa += a[i];
          pb += b[i];
          pc += c[i];
        }
        potentials[t] = pa;
        potentials[t + 1] = pb;
        potentials[t + 2] = pc;
      }
      for (; t < trials; t++) {
        double[] a = tile.distances(t);
        double pa = potentials[t];
        for (int i = 0; i < m; i++) {
          pa += a[i];
        }
        potentials[t] = pa;
      }
    }
  }

  /**
   * The iteration state of one fit: labels, Hamerly's bounds, cluster sums and the seeding buffers,
   * reused by every restart that runs on it.
   */
  private static final class Run {
    private final FeatureMatrix data;
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
    // Hamerly's bound update after the centres moved, applied by the next assignment pass as it
    // reads each point's bounds (one pass over the bounds instead of two).
    private boolean loosenPending;
    private final double[] lowerDrop;
    private final long[] halfGapBits;
    // Per-task scratch (a tile, the pending rows, block-local sums), handed from task to task.
    private final ConcurrentLinkedQueue<Scratch> scratch = new ConcurrentLinkedQueue<>();
    private Seeding seeding;

    Run(FeatureMatrix data, int k, KMeansOptions options, double tolerance, Workers workers) {
      this.data = data;
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
      this.lowerDrop = new double[k];
      this.halfGapBits = new long[k];
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

    /** One k-means++ restart from {@code seed}, its seeding's distances counted in. */
    KMeansFit restart(long seed, int init) {
      if (seeding == null) {
        seeding = new Seeding(data, k);
      }
      double[] centres = seeding.seed(new SplittableRandom(seed), workers);
      KMeansFit fit = iterate(centres, init);
      long seedingEvaluations = (long) n * (1 + (k - 1L) * (2 + (int) Math.log(k)));
      return new KMeansFit(
          fit.centroids(),
          fit.labels(),
          fit.sizes(),
          fit.inertia(),
          fit.iterations(),
          fit.converged(),
          fit.bestInit(),
          fit.inertiaTrace(),
          fit.distanceEvaluations() + seedingEvaluations);
    }

    KMeansFit iterate(double[] initialCentres, int init) {
      double[] centres = initialCentres.clone();
      double[] next = new double[k * d];
      long[] counts = new long[k];
      double[] trace = new double[options.traceInertia() ? options.maxIter() + 1 : 0];
      int traced = 0;
      long evaluations = 0;

      // The full assignment below writes every label and bound, and the cluster sums.
      loosenPending = false;
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
          loosenPending = false;
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
      // The incremental counts are the cluster sizes of the final labels.
      return new KMeansFit(
          new Centroids(k, d, centres),
          labels.clone(),
          sumCounts.clone(),
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

    /**
     * Assigns points to their nearest centre; returns distance evaluations, adds label changes. The
     * full (first) assignment also sums each cluster's points.
     */
    private long assignStep(double[] centres, boolean full, long[] changes) {
      boolean useBounds = hamerly && !full;
      if (useBounds) {
        computeHalfGaps(centres);
      }
      boolean loosen = loosenPending;
      loosenPending = false;
      workers.forEachBlock(
          n,
          (b, from, to) -> {
            Scratch s = takeScratch();
            if (useBounds) {
              boundedBlock(s, centres, loosen, b, from, to);
            } else {
              exactBlock(s, centres, full, b, from, to);
            }
            scratch.add(s);
          });
      long evaluations = 0;
      for (int b = 0; b < blocks; b++) {
        changes[0] += blockChanges[b];
        evaluations += blockEvaluations[b];
      }
      if (full) {
        combineBlockSums();
      } else {
        applyDeltas();
      }
      return evaluations;
    }

    /** Every row of the block against every centre (the first pass, and plain Lloyd's). */
    private void exactBlock(Scratch s, double[] centres, boolean full, int b, int from, int to) {
      RowTile tile = s.tile;
      int kd = k * d;
      double[] local = s.sums;
      long[] members = s.counts;
      if (full) {
        Arrays.fill(local, 0.0);
        Arrays.fill(members, 0L);
      }
      long changed = 0;
      for (int start = from; start < to; start += tile.capacity()) {
        int m = Math.min(tile.capacity(), to - start);
        tile.load(x, start, m);
        tile.nearestTwo(centres, k);
        tile.rootsOfNearestTwo();
        if (full) {
          // Every label and bound is new; and the cluster sums in row order, as a separate pass
          // over the labels would add them.
          for (int t = 0; t < m; t++) {
            int label = tile.nearest(t);
            labels[start + t] = label;
            members[label]++;
            int target = label * d;
            for (int c = 0; c < d; c++) {
              local[target + c] += tile.value(t, c);
            }
          }
          tile.copyNearestTwo(upper, lower, start);
        } else {
          for (int t = 0; t < m; t++) {
            changed += settle(start + t, tile.nearest(t), tile.best(t), tile.second(t), b);
          }
        }
      }
      if (full) {
        System.arraycopy(local, 0, blockSums, b * kd, kd);
        System.arraycopy(members, 0, blockCounts, b * k, k);
      }
      blockChanges[b] = changed;
      blockEvaluations[b] = (long) (to - from) * k;
    }

    /**
     * Hamerly's step for one block: loosen each point's bounds if the centres moved, skip it when
     * the upper bound is within {@code max(s(a), lower)}, else tighten the upper bound to the exact
     * distance, and only if that fails too, find its nearest two centres. Each stage is its own
     * loop over the rows that reached it; the rows that fail both tests go through the tile
     * together, a tile at a time, while they are still in cache.
     */
    private void boundedBlock(
        Scratch s, double[] centres, boolean loosen, int b, int from, int to) {
      int[] pending = s.pending;
      int count = candidates(pending, loosen, from, to);
      RowTile tile = s.tile;
      int[] searched = s.searched;
      long evaluated = count;
      long changed = 0;
      for (int start = 0; start < count; start += tile.capacity()) {
        int end = Math.min(count, start + tile.capacity());
        int m = tighten(centres, pending, start, end, searched);
        if (m == 0) {
          continue;
        }
        // Their nearest two centres, together in the tile.
        tile.load(x, searched, 0, m);
        tile.nearestTwo(centres, k);
        tile.rootsOfNearestTwo();
        for (int t = 0; t < m; t++) {
          changed += settle(searched[t], tile.nearest(t), tile.best(t), tile.second(t), b);
        }
        evaluated += (long) m * k;
      }
      blockChanges[b] = changed;
      blockEvaluations[b] = evaluated;
    }

    /**
     * Rows of {@code [from, to)} whose upper bound (loosened first if the centres moved) exceeds
     * {@code max(s(a), lower)}, into {@code pending}; returns how many.
     */
    private int candidates(int[] pending, boolean loosen, int from, int to) {
      int count = 0;
      for (int i = from; i < to; i++) {
        int assigned = labels[i];
        double u = upper[i];
        double l = lower[i];
        if (loosen) {
          u += shift[assigned];
          l -= lowerDrop[assigned];
          upper[i] = u;
          lower[i] = l;
        }
        pending[count] = i;
        count += exceeds(u, halfGapBits[assigned], l);
      }
      return count;
    }

    /**
     * Tightens the upper bounds of rows {@code pending[start .. end)} to their exact distances; the
     * rows that still fail the test go to {@code searched}; returns how many.
     */
    private int tighten(double[] centres, int[] pending, int start, int end, int[] searched) {
      int m = 0;
      for (int p = start; p < end; p++) {
        int i = pending[p];
        int assigned = labels[i];
        double tight = Math.sqrt(Centroids.squaredDistance(x, i * d, centres, assigned * d, d));
        upper[i] = tight;
        searched[m] = i;
        m += exceeds(tight, halfGapBits[assigned], lower[i]);
      }
      return m;
    }

    /**
     * 1 if {@code upper > max(halfGap, lower)}, else 0, without a branch (the outcome is a coin
     * flip in the early iterations): a non-negative double orders as its bits do as a long, and a
     * negative lower bound's bits are a negative long, below any half gap's.
     */
    private static int exceeds(double upper, long halfGapBits, double lower) {
      long bound = Math.max(halfGapBits, Double.doubleToRawLongBits(lower));
      return (int) ((bound - Double.doubleToRawLongBits(upper)) >>> 63);
    }

    private Scratch takeScratch() {
      Scratch s = scratch.poll();
      return s != null ? s : new Scratch(d, k);
    }

    /**
     * Records point i's nearest centre and Hamerly's bounds (the distances to its nearest two
     * centres); if its label changed, moves its coordinates between the clusters' sums. Returns 1
     * if the label changed.
     */
    private int settle(int i, int best, double bestRoot, double secondRoot, int block) {
      int previous = labels[i];
      int changed = best != previous ? 1 : 0;
      if (changed == 1) {
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
        labels[i] = best;
      }
      upper[i] = bestRoot;
      lower[i] = secondRoot;
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
      for (int j = 0; j < k; j++) {
        halfGapBits[j] = Double.doubleToRawLongBits(halfGap[j]);
      }
    }

    /**
     * After centres moved by {@code shift}: the triangle inequality keeps the bounds valid if each
     * upper bound grows by its centre's shift and each lower bound shrinks by the largest shift of
     * another centre. Recorded here, applied by the next assignment as it reads the bounds.
     */
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
      for (int j = 0; j < k; j++) {
        lowerDrop[j] = j == fastest ? secondFastest : shift[fastest];
      }
      loosenPending = true;
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

    /** The cluster sums from the full assignment's block sums, combined in block order. */
    private void combineBlockSums() {
      int kd = k * d;
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
        throw new IllegalStateException("cluster sums used before the first full assignment");
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

  /** What one block task needs of its own; reused by the next task. */
  private static final class Scratch {
    final RowTile tile;
    final int[] pending = new int[Workers.BLOCK_ROWS];
    final int[] searched;
    final double[] sums;
    final long[] counts;

    Scratch(int d, int k) {
      this.tile = new RowTile(d, k);
      this.searched = new int[tile.capacity()];
      this.sums = new double[k * d];
      this.counts = new long[k];
    }
  }
}
