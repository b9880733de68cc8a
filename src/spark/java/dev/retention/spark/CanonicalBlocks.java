package dev.retention.spark;

import dev.retention.training.CanonicalOrder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The Spark trainer's rows in the train function's canonical order ({@link CanonicalOrder}), in
 * blocks that do not depend on how the export was split or ordered: every row is sorted by the same
 * key, numbered, and cut into blocks of {@link #BLOCK_ROWS} consecutive rows, {@link
 * #BLOCKS_PER_PARTITION} consecutive blocks to a partition. With the passes folding per-block sums
 * in block order ({@link SparkRows#fold}), the same customers in any row order, however the file is
 * split, give a byte-identical model. (Not bit-identical to the train function's: its threads sum
 * other row blocks; the parity test bounds the difference.)
 */
final class CanonicalBlocks {

  /** Rows per block: large enough for the kernels' blocked sums, small for one core's share. */
  static final int BLOCK_ROWS = 1 << 15;

  /**
   * Blocks per partition. The partitions, and so the grouping of the per-block sums that each pass
   * folds, follow from the number of rows alone, never from how the file was split.
   */
  static final int BLOCKS_PER_PARTITION = 4;

  private CanonicalBlocks() {}

  /** One customer's row as a sort key. */
  static final class RowKey implements Comparable<RowKey>, Serializable {
    private static final long serialVersionUID = 1L;
    final double[] values;
    final int label;
    final int window;

    RowKey(double[] values, int label, int window) {
      this.values = values;
      this.label = label;
      this.window = window;
    }

    @Override
    public int compareTo(RowKey other) {
      return CanonicalOrder.compare(
          values, 0, label, window, other.values, 0, other.label, other.window, values.length);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RowKey key && compareTo(key) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(values) * 31 + label * 7 + window;
    }
  }

  /** Block {@code b} goes to partition {@code b * partitions / blocks}: consecutive ranges. */
  private static final class BlockRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final long blocks;

    BlockRanges(int partitions, long blocks) {
      this.partitions = partitions;
      this.blocks = blocks;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (int) ((Long) key * partitions / blocks);
    }
  }

  /** The rows of {@code blocks} ({@code n} in all) in canonical order and canonical blocks. */
  static JavaRDD<Block> of(JavaRDD<Block> blocks, List<String> columns, long n) {
    if (n == 0) {
      return blocks;
    }
    int d = columns.size();
    boolean windows = blocks.first().windowPurchases != null;
    long count = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    int partitions = (int) ((count + BLOCKS_PER_PARTITION - 1) / BLOCKS_PER_PARTITION);
    JavaRDD<RowKey> rows =
        blocks.flatMap(
            b -> {
              List<RowKey> out = new ArrayList<>(b.rows);
              for (int i = 0; i < b.rows; i++) {
                double[] values = new double[d];
                System.arraycopy(b.raw, i * d, values, 0, d);
                out.add(new RowKey(values, b.labels[i], windows ? b.windowPurchases[i] : 0));
              }
              return out.iterator();
            });
    return rows.sortBy(key -> key, true, partitions)
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2() / BLOCK_ROWS, t))
        .partitionBy(new BlockRanges(partitions, count))
        .mapPartitions(
            it -> {
              List<Tuple2<Long, Tuple2<RowKey, Long>>> all = new ArrayList<>();
              it.forEachRemaining(all::add);
              all.sort((x, y) -> Long.compare(x._2()._2(), y._2()._2()));
              List<Block> out = new ArrayList<>();
              int from = 0;
              while (from < all.size()) {
                long block = all.get(from)._1();
                int to = from;
                while (to < all.size() && all.get(to)._1() == block) {
                  to++;
                }
                out.add(block(all.subList(from, to), block, columns, windows));
                from = to;
              }
              return out.iterator();
            },
            true);
  }

  private static Block block(
      List<Tuple2<Long, Tuple2<RowKey, Long>>> rows,
      long block,
      List<String> columns,
      boolean windows) {
    int m = rows.size();
    int d = columns.size();
    double[] raw = new double[m * d];
    int[] labels = new int[m];
    int[] window = windows ? new int[m] : null;
    for (int i = 0; i < m; i++) {
      RowKey key = rows.get(i)._2()._1();
      System.arraycopy(key.values, 0, raw, i * d, d);
      labels[i] = key.label;
      if (windows) {
        window[i] = key.window;
      }
    }
    return new Block(block * BLOCK_ROWS, m, columns, raw, labels, window, null, null, 0);
  }
}
