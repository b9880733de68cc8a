package dev.retention.spark;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureExpansion;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansFit;
import dev.retention.core.KMeansOptions;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.LogisticRegression.Design;
import dev.retention.core.Standardization;
import dev.retention.core.Workers;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.ModelJson;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.training.CallOrder;
import dev.retention.training.Extremes;
import dev.retention.training.ProfileSums;
import dev.retention.training.TrainingRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Training rows spread over a Spark cluster: a cached RDD of {@link Block}s, consecutive in the
 * export's order. Every pass of {@link TrainingRows} is one Spark job (two for the
 * standardization's moments) running the project's own kernels on each block (one core per task:
 * Spark parallelizes over the blocks), merged on the driver by addition: moments, Newton sums,
 * Lloyd sums, extremes, profile sums. What the driver receives per customer is a handful of scalars
 * (labels, segments, held-out probabilities, the customer-value inputs); rows themselves travel
 * only as bounded samples (the K search's, the decisions', the feature effects').
 */
final class SparkRows implements TrainingRows {

  /** Row sets up to this size are fitted on the driver from their gathered rows (exactly). */
  static final int GATHER_LIMIT = 200_000;

  private final JavaSparkContext sc;
  private final List<String> columns;
  private final int n;
  private JavaRDD<Block> blocks;
  private int[] labels;
  private int[] windowPurchases;
  private List<String> valueNames;
  private final CallOrder order = new CallOrder();

  SparkRows(JavaSparkContext sc, JavaRDD<Block> blocks, List<String> columns, int n) {
    this.sc = sc;
    this.columns = List.copyOf(columns);
    this.n = n;
    this.blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public int rows() {
    return n;
  }

  @Override
  public int[] labels() {
    if (labels == null) {
      labels = concatInts(blocks.map(b -> new Tuple2<>(b.firstRow, b.labels)).collect());
    }
    return labels;
  }

  @Override
  public int[] windowPurchases() {
    if (windowPurchases == null && blocks.first().windowPurchases != null) {
      windowPurchases =
          concatInts(blocks.map(b -> new Tuple2<>(b.firstRow, b.windowPurchases)).collect());
    }
    return windowPurchases;
  }

  private int[] concatInts(List<Tuple2<Long, int[]>> parts) {
    List<Tuple2<Long, int[]>> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> Long.compare(a._1(), b._1()));
    int[] out = new int[n];
    for (Tuple2<Long, int[]> part : sorted) {
      System.arraycopy(part._2(), 0, out, (int) (long) part._1(), part._2().length);
    }
    return out;
  }

  private void replace(JavaRDD<Block> next) {
    JavaRDD<Block> previous = blocks;
    blocks = next.persist(StorageLevel.MEMORY_AND_DISK());
    blocks.count(); // materialize before the previous copy goes
    previous.unpersist(false);
  }

  // ------------------------------------------------------------------ standardization

  @Override
  public Standardization standardize(List<String> log1pColumns) {
    boolean[] log1p = Standardization.log1pFlags(columns, log1pColumns);
    int d = columns.size();
    List<String> names = columns;
    double[] sums =
        fold(
            blocks.map(
                b -> {
                  Standardization.checkDomain(b.raw, b.rows, d, log1p, names, b.firstRow);
                  return new Tuple2<>(
                      b.firstRow, Standardization.columnSums(b.raw, b.rows, d, log1p));
                }),
            SparkRows::add);
    double[] mean = new double[d];
    for (int c = 0; c < d; c++) {
      mean[c] = sums[c] / n;
    }
    double[] deviations =
        fold(
            blocks.map(
                b ->
                    new Tuple2<>(
                        b.firstRow,
                        Standardization.squaredDeviations(b.raw, b.rows, d, log1p, mean))),
            SparkRows::add);
    Standardization standardization = Standardization.of(columns, log1p, mean, deviations, n);
    replace(blocks.map(b -> b.withStandardized(standardization.transform(b.rawMatrix()).data())));
    order.standardized();
    return standardization;
  }

  /**
   * Folds one value per block in block order, whatever order the tasks finish in (Spark's {@code
   * reduce} merges partitions' results as they arrive, so floating-point sums would differ from run
   * to run): within each partition by the blocks' first rows, then the partitions in order.
   */
  static <T> T fold(
      JavaRDD<Tuple2<Long, T>> perBlock,
      org.apache.spark.api.java.function.Function2<T, T, T> merge) {
    List<Tuple2<Integer, T>> parts =
        perBlock
            .mapPartitionsWithIndex(
                (index, it) -> {
                  List<Tuple2<Long, T>> all = new ArrayList<>();
                  it.forEachRemaining(all::add);
                  all.sort((x, y) -> Long.compare(x._1(), y._1()));
                  T folded = null;
                  for (Tuple2<Long, T> value : all) {
                    folded = folded == null ? value._2() : merge.call(folded, value._2());
                  }
                  return folded == null
                      ? java.util.Collections.<Tuple2<Integer, T>>emptyIterator()
                      : java.util.Collections.singletonList(new Tuple2<>(index, folded)).iterator();
                },
                true)
            .collect();
    List<Tuple2<Integer, T>> sorted = new ArrayList<>(parts);
    sorted.sort((x, y) -> Integer.compare(x._1(), y._1()));
    T folded = null;
    for (Tuple2<Integer, T> part : sorted) {
      try {
        folded = folded == null ? part._2() : merge.call(folded, part._2());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return folded;
  }

  static double[] add(double[] a, double[] b) {
    double[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  @Override
  public FeatureMatrix raw(List<String> names) {
    int[] picked = new int[names.size()];
    for (int c = 0; c < picked.length; c++) {
      picked[c] = columns.indexOf(names.get(c));
    }
    int d = columns.size();
    int e = picked.length;
    List<Tuple2<Long, double[]>> parts =
        blocks
            .map(
                b -> {
                  double[] out = new double[b.rows * e];
                  for (int i = 0; i < b.rows; i++) {
                    for (int c = 0; c < e; c++) {
                      out[i * e + c] = b.raw[i * d + picked[c]];
                    }
                  }
                  return new Tuple2<>(b.firstRow, out);
                })
            .collect();
    double[] out = new double[n * e];
    for (Tuple2<Long, double[]> part : parts) {
      System.arraycopy(part._2(), 0, out, (int) (part._1() * e), part._2().length);
    }
    return new FeatureMatrix(names, out);
  }

  @Override
  public FeatureMatrix rawRows(int[] rows) {
    // Each block returns its wanted rows with their positions; placed in the asked order here.
    long[] wanted = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      wanted[i] = rows[i];
    }
    long[] sorted = wanted.clone();
    Arrays.sort(sorted);
    Broadcast<long[]> shared = sc.broadcast(sorted);
    int d = columns.size();
    List<Tuple2<long[], double[]>> parts =
        blocks
            .map(
                b -> {
                  long[] all = shared.value();
                  int from = lowerBound(all, b.firstRow);
                  int to = lowerBound(all, b.firstRow + b.rows);
                  long[] at = Arrays.copyOfRange(all, from, to);
                  double[] values = new double[at.length * d];
                  for (int i = 0; i < at.length; i++) {
                    System.arraycopy(b.raw, (int) (at[i] - b.firstRow) * d, values, i * d, d);
                  }
                  return new Tuple2<>(at, values);
                })
            .collect();
    shared.destroy();
    java.util.Map<Long, Integer> position = new java.util.HashMap<>();
    for (int i = 0; i < wanted.length; i++) {
      position.put(wanted[i], i);
    }
    double[] out = new double[rows.length * d];
    for (Tuple2<long[], double[]> part : parts) {
      for (int i = 0; i < part._1().length; i++) {
        System.arraycopy(part._2(), i * d, out, position.get(part._1()[i]) * d, d);
      }
    }
    return new FeatureMatrix(columns, out);
  }

  private static int lowerBound(long[] sorted, long key) {
    int at = Arrays.binarySearch(sorted, key);
    if (at < 0) {
      return -at - 1;
    }
    while (at > 0 && sorted[at - 1] == key) {
      at--;
    }
    return at;
  }

  @Override
  public void valueColumns(
      RetentionModel.CustomerValue layer, Standardization scaling, FeatureMatrix standardized) {
    // Computed where the rows are, by the same compiled layer and scaling as the driver's copy.
    List<String> names = columns;
    int e = standardized.cols();
    valueNames = standardized.columns();
    replace(
        blocks.map(
            b -> {
              CustomerValueModel model = CustomerValueModel.of(layer, names);
              int d = b.d();
              double[] row = new double[d];
              double[] features = new double[e];
              double[] scaled = new double[e];
              double[] out = new double[b.rows * e];
              for (int i = 0; i < b.rows; i++) {
                System.arraycopy(b.raw, i * d, row, 0, d);
                model.features(model.of(row), features, 0);
                scaling.transformRow(features, scaled);
                System.arraycopy(scaled, 0, out, i * e, e);
              }
              return b.withValue(out, e);
            }));
    order.valueColumnsOffered();
  }

  // ------------------------------------------------------------------ gathering rows

  /** Membership of row indexes, shipped to the executors once per pass. */
  private static final class RowSet implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] bits;

    RowSet(int[] rows, int n) {
      bits = new long[(n + 63) >>> 6];
      for (int r : rows) {
        bits[r >>> 6] |= 1L << (r & 63);
      }
    }

    boolean contains(long row) {
      return (bits[(int) (row >>> 6)] & (1L << (row & 63))) != 0;
    }
  }

  /** The block-local indexes of the rows in {@code set} (all when null), ascending. */
  private static int[] local(Block b, RowSet set) {
    if (set == null) {
      return null;
    }
    int[] out = new int[b.rows];
    int count = 0;
    for (int i = 0; i < b.rows; i++) {
      if (set.contains(b.firstRow + i)) {
        out[count++] = i;
      }
    }
    return Arrays.copyOf(out, count);
  }

  @Override
  public FeatureMatrix standardized(int[] rows, boolean withValue) {
    order.require("standardized", withValue);
    int width = columns.size() + (withValue ? valueNames.size() : 0);
    List<String> names = new ArrayList<>(columns);
    if (withValue) {
      names.addAll(valueNames);
    }
    int count = rows == null ? n : rows.length;
    Broadcast<RowSet> set = rows == null ? null : sc.broadcast(new RowSet(rows, n));
    List<Tuple2<long[], double[]>> parts =
        blocks
            .map(
                b -> {
                  int[] picked = local(b, set == null ? null : set.value());
                  int m = picked == null ? b.rows : picked.length;
                  long[] index = new long[m];
                  double[] out = new double[m * width];
                  int d = b.d();
                  for (int r = 0; r < m; r++) {
                    int i = picked == null ? r : picked[r];
                    index[r] = b.firstRow + i;
                    System.arraycopy(b.z, i * d, out, r * width, d);
                    if (withValue) {
                      System.arraycopy(
                          b.value, i * b.valueColumns, out, r * width + d, b.valueColumns);
                    }
                  }
                  return new Tuple2<>(index, out);
                })
            .collect();
    if (set != null) {
      set.destroy();
    }
    double[] out = new double[count * width];
    int[] position = positions(rows);
    for (Tuple2<long[], double[]> part : parts) {
      long[] index = part._1();
      for (int r = 0; r < index.length; r++) {
        int at = position == null ? (int) index[r] : position[(int) index[r]];
        System.arraycopy(part._2(), r * width, out, at * width, width);
      }
    }
    return new FeatureMatrix(names, out);
  }

  /** Row index to its position in {@code rows} (null when rows is null: the identity). */
  private int[] positions(int[] rows) {
    if (rows == null) {
      return null;
    }
    int[] position = new int[n];
    Arrays.fill(position, -1);
    for (int p = 0; p < rows.length; p++) {
      position[rows[p]] = p;
    }
    return position;
  }

  // ------------------------------------------------------------------ K-means

  @Override
  public KMeansFit kmeans(int k, KMeansOptions options) {
    order.require("kmeans", false);
    // A configured K: seeded on the K search's sample (its k-means++ restarts), then Lloyd on all.
    KSelection.Options search = KSelection.Options.defaults();
    int size = Math.min(n, search.searchSampleRows());
    int[] sample =
        size == n
            ? null
            : KSelection.sample(n, size, new SplittableRandom(options.seed() ^ 0x5DEECE66DL));
    KMeansFit seeded = KMeans.fit(standardized(sample, false), k, options);
    return sample == null ? seeded : refine(seeded.centroids(), options);
  }

  @Override
  public KMeansFit refine(Centroids start, KMeansOptions options) {
    order.require("refine", false);
    return KMeans.lloyd(new Lloyd(), start, options);
  }

  /** The Lloyd passes over the blocks; the labels live with the blocks between passes. */
  private final class Lloyd implements KMeans.LloydRows {
    private JavaRDD<int[]> assigned;

    @Override
    public double meanColumnVariance() {
      int d = columns.size();
      double[] sums =
          fold(
              blocks.map(
                  b ->
                      new Tuple2<>(
                          b.firstRow, Standardization.columnSums(b.z, b.rows, d, new boolean[d]))),
              SparkRows::add);
      double[] mean = new double[d];
      for (int c = 0; c < d; c++) {
        mean[c] = sums[c] / n;
      }
      double[] deviations =
          fold(
              blocks.map(
                  b ->
                      new Tuple2<>(
                          b.firstRow,
                          Standardization.squaredDeviations(b.z, b.rows, d, new boolean[d], mean))),
              SparkRows::add);
      double total = 0;
      for (int c = 0; c < d; c++) {
        total += deviations[c] / n;
      }
      return total / d;
    }

    @Override
    public KMeans.Assignment assign(double[] centres) {
      int d = columns.size();
      int k = centres.length / d;
      Centroids centroids = new Centroids(k, d, centres);
      JavaRDD<int[]> previous = assigned;
      JavaRDD<int[]> next =
          previous == null
              ? blocks.map(b -> nearest(b, centroids))
              : blocks.zip(previous).map(t -> nearest(t._1(), centroids));
      next.persist(StorageLevel.MEMORY_AND_DISK());
      JavaPairRDD<Block, int[]> pairs = blocks.zip(next);
      double[] stats =
          fold(
              previous == null
                  ? pairs.map(
                      t -> new Tuple2<>(t._1().firstRow, statistics(t._1(), t._2(), null, k)))
                  : pairs
                      .zip(previous)
                      .map(
                          t ->
                              new Tuple2<>(
                                  t._1()._1().firstRow,
                                  statistics(t._1()._1(), t._1()._2(), t._2(), k))),
              SparkRows::add);
      if (previous != null) {
        previous.unpersist(false);
      }
      assigned = next;
      double[] sums = Arrays.copyOf(stats, k * d);
      long[] counts = new long[k];
      for (int j = 0; j < k; j++) {
        counts[j] = (long) stats[k * d + j];
      }
      return new KMeans.Assignment(sums, counts, (long) stats[k * d + k]);
    }

    @Override
    public double[][] farthest(int m, double[] centres, long[] counts) {
      int d = columns.size();
      List<double[]> candidates =
          blocks
              .zip(assigned)
              .flatMap(
                  t -> {
                    Block b = t._1();
                    int[] labelsOfBlock = t._2();
                    List<double[]> out = new ArrayList<>();
                    for (int i = 0; i < b.rows; i++) {
                      int j = labelsOfBlock[i];
                      if (counts[j] > 1) {
                        double[] point = new double[2 + d];
                        point[0] = Centroids.squaredDistance(b.z, i * d, centres, j * d, d);
                        point[1] = j;
                        System.arraycopy(b.z, i * d, point, 2, d);
                        out.add(point);
                      }
                    }
                    out.sort((a, c) -> Double.compare(c[0], a[0]));
                    return out.subList(0, Math.min(m, out.size())).iterator();
                  })
              .collect();
      List<double[]> sorted = new ArrayList<>(candidates);
      sorted.sort((a, c) -> Double.compare(c[0], a[0]));
      double[][] out = new double[Math.min(m, sorted.size())][];
      for (int i = 0; i < out.length; i++) {
        out[i] = Arrays.copyOfRange(sorted.get(i), 1, 2 + d);
      }
      return out;
    }

    @Override
    public double inertia(double[] centres) {
      int d = columns.size();
      return fold(
          blocks
              .zip(assigned)
              .map(
                  t -> {
                    double sum = 0;
                    for (int i = 0; i < t._1().rows; i++) {
                      sum += Centroids.squaredDistance(t._1().z, i * d, centres, t._2()[i] * d, d);
                    }
                    return new Tuple2<>(t._1().firstRow, sum);
                  }),
          Double::sum);
    }

    @Override
    public int[] labels() {
      return concatInts(
          blocks.zip(assigned).map(t -> new Tuple2<>(t._1().firstRow, t._2())).collect());
    }
  }

  private static int[] nearest(Block b, Centroids centroids) {
    int[] out = new int[b.rows];
    int d = b.d();
    for (int i = 0; i < b.rows; i++) {
      out[i] = centroids.nearest(b.z, i * d);
    }
    return out;
  }

  /** {@code [sums (k * d), counts (k), changes]} of one block's assignment. */
  private static double[] statistics(Block b, int[] labelsOfBlock, int[] previous, int k) {
    int d = b.d();
    double[] out = new double[k * d + k + 1];
    for (int i = 0; i < b.rows; i++) {
      int j = labelsOfBlock[i];
      for (int c = 0; c < d; c++) {
        out[j * d + c] += b.z[i * d + c];
      }
      out[k * d + j]++;
      if (previous == null || previous[i] != j) {
        out[k * d + k]++;
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ logistic regression

  @Override
  public LogisticFit logistic(
      int[] rows,
      FeatureExpansion expansion,
      boolean withValue,
      LogisticOptions options,
      LogisticFit start) {
    order.require("logistic", withValue);
    if (rows != null && rows.length <= GATHER_LIMIT) {
      // A decision sample: its rows fitted here, exactly as the train function fits them.
      FeatureMatrix gathered = standardized(rows, withValue);
      int[] all = labels();
      int[] picked = new int[rows.length];
      for (int r = 0; r < rows.length; r++) {
        picked[r] = all[rows[r]];
      }
      return LogisticRegression.fit(
          new Design(gathered, null, null, expansion), picked, options, start);
    }
    Broadcast<RowSet> set = rows == null ? null : sc.broadcast(new RowSet(rows, n));
    long size = rows == null ? n : rows.length;
    long positives = 0;
    int[] all = labels();
    if (rows == null) {
      for (int label : all) {
        positives += label;
      }
    } else {
      for (int r : rows) {
        positives += all[r];
      }
    }
    long rowPositives = positives;
    List<String> value = valueNames;
    int terms = expansion.terms(columns.size() + (withValue ? valueNames.size() : 0));
    LogisticFit fit =
        LogisticRegression.fit(
            new LogisticRegression.Objective() {
              @Override
              public long rows() {
                return size;
              }

              @Override
              public long positives() {
                return rowPositives;
              }

              @Override
              public int terms() {
                return terms;
              }

              @Override
              public double[] sums(double[] theta, double[] classWeight) {
                return fold(
                    blocks.map(
                        b -> {
                          Design design =
                              new Design(
                                  b.zMatrix(),
                                  withValue ? b.valueMatrix(value) : null,
                                  local(b, set == null ? null : set.value()),
                                  expansion);
                          try (Workers one = Workers.open(1)) {
                            return new Tuple2<>(
                                b.firstRow,
                                LogisticRegression.sums(design, b.labels, classWeight, theta, one));
                          }
                        }),
                    SparkRows::add);
              }
            },
            options,
            start);
    if (set != null) {
      set.destroy();
    }
    return fit;
  }

  @Override
  public double[] probabilities(
      int[] rows, FeatureExpansion expansion, boolean withValue, LogisticFit fit) {
    order.require("probabilities", withValue);
    List<String> value = valueNames;
    return perRow(
        rows,
        (b, picked) -> {
          Design design =
              new Design(b.zMatrix(), withValue ? b.valueMatrix(value) : null, picked, expansion);
          return LogisticRegression.probabilities(design, fit);
        });
  }

  @Override
  public double[] incumbentProbabilities(RetentionModel incumbent, int[] picked, int[] rows) {
    Broadcast<byte[]> model = sc.broadcast(ModelJson.write(incumbent));
    try {
      return perRow(
          rows,
          (b, local) -> {
            Scorer scorer = Scorer.of(ModelJson.read(model.value()));
            int d = b.d();
            double[] row = new double[picked.length];
            int m = local == null ? b.rows : local.length;
            double[] out = new double[m];
            for (int r = 0; r < m; r++) {
              int i = local == null ? r : local[r];
              for (int c = 0; c < picked.length; c++) {
                row[c] = b.raw[i * d + picked[c]];
              }
              out[r] = scorer.score(row).probability();
            }
            return out;
          });
    } catch (Exception e) { // a task's failure arrives as Spark's (checked) SparkException
      throw new IllegalArgumentException(rootMessage(e), e);
    } finally {
      model.destroy();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  /** One value per row of a block's selected rows. */
  private interface PerRow extends Serializable {
    double[] apply(Block block, int[] localRows) throws Exception;
  }

  /** Values of the given rows (all when null), in that order. */
  private double[] perRow(int[] rows, PerRow function) {
    Broadcast<RowSet> set = rows == null ? null : sc.broadcast(new RowSet(rows, n));
    List<Tuple2<long[], double[]>> parts =
        blocks
            .map(
                b -> {
                  int[] picked = local(b, set == null ? null : set.value());
                  int m = picked == null ? b.rows : picked.length;
                  long[] index = new long[m];
                  for (int r = 0; r < m; r++) {
                    index[r] = b.firstRow + (picked == null ? r : picked[r]);
                  }
                  return new Tuple2<>(index, function.apply(b, picked));
                })
            .collect();
    if (set != null) {
      set.destroy();
    }
    int[] position = positions(rows);
    double[] out = new double[rows == null ? n : rows.length];
    for (Tuple2<long[], double[]> part : parts) {
      long[] index = part._1();
      for (int r = 0; r < index.length; r++) {
        out[position == null ? (int) index[r] : position[(int) index[r]]] = part._2()[r];
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ disclosure and profiles

  @Override
  public double[] lowHigh(int m) {
    int d = columns.size();
    return fold(
            blocks.map(b -> new Tuple2<>(b.firstRow, new Extremes(d, m).addRows(b.raw, b.rows))),
            Extremes::merge)
        .lowHigh();
  }

  @Override
  public ProfileSums profile(
      KMeansFit segments,
      LogisticFit fit,
      FeatureExpansion expansion,
      boolean withValue,
      Playbook playbook,
      RetentionModel.CustomerValue layer,
      double[] clv) {
    order.require("profile", withValue);
    // Every pass is where the rows are: the segment is the nearest centre (as the final Lloyd
    // assignment made it), the probability and the CLV are computed again from the row.
    Centroids centroids = segments.centroids();
    List<String> names = columns;
    List<String> value = valueNames;
    return fold(
        blocks.map(
            b -> {
              ProfileSums sums = new ProfileSums(centroids.k(), names, playbook);
              double[] probability =
                  LogisticRegression.probabilities(
                      new Design(
                          b.zMatrix(), withValue ? b.valueMatrix(value) : null, null, expansion),
                      fit);
              CustomerValueModel model = layer == null ? null : CustomerValueModel.of(layer, names);
              int d = b.d();
              double[] row = new double[d];
              for (int i = 0; i < b.rows; i++) {
                double customerClv = Double.NaN;
                if (model != null) {
                  System.arraycopy(b.raw, i * d, row, 0, d);
                  Double predicted = model.of(row).predictedClv();
                  customerClv = predicted == null ? Double.NaN : predicted;
                }
                sums.add(
                    b.raw,
                    i * d,
                    centroids.nearest(b.z, i * d),
                    b.labels[i],
                    probability[i],
                    customerClv);
              }
              return new Tuple2<>(b.firstRow, sums);
            }),
        ProfileSums::merge);
  }

  /** Releases the cached blocks. */
  void close() {
    blocks.unpersist(false);
  }
}
