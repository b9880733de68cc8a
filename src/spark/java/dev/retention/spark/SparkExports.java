package dev.retention.spark;

import dev.retention.data.ExportFormat;
import dev.retention.data.ExportSchema;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.data.Rejections;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * An export read in parts by Spark, with the project's own readers and rules: Hadoop splits the
 * file into lines (decompressing gzip, which makes one part), each part's bytes go through {@link
 * FeatureExportReader#readPart} or {@link OrderExportReader#readPart} with the plan the export's
 * head fixed, numbered from the part's first line of the whole file, so a rejected row is named by
 * the line the train function would name. Counts and the first reasons are merged over the parts
 * and the rejected-share rule applied once ({@link Rejections#checkShare(long, long, List, double,
 * String)}).
 *
 * <p>Orders are then grouped by customer (a Spark shuffle); each group's orders, in the export's
 * line order, go into an {@link OrderBook} and through {@link RfmFeatures#partForTraining}: the
 * derivation's code, its edge rules (refunds, zero amounts, duplicates, order lines, cutoff and
 * window) unchanged. Customers keep the order of their first accepted row, as the train function's
 * book keeps them.
 *
 * <p>A quoted CSV field with a line break, in a record that straddles two splits (128 MB by
 * default), would be cut at the split: the distributed reader rejects the two halves, where the
 * train function reads the record whole.
 */
final class SparkExports {

  private SparkExports() {}

  /** An export read into blocks, with its provenance. */
  record Loaded(
      JavaRDD<Block> blocks,
      List<String> columns,
      int rows,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      List<String> ignored,
      RfmFeatures.Counts counts,
      LocalDate cutoff,
      List<RfmFeatures.Definition> definitions,
      RfmFeatures.Columns optional,
      long guestRows,
      long customerIdsMerged,
      List<String> warnings,
      long furtherLines) {}

  /** The export's lines, each part an input stream from its first line's number. */
  private static JavaPairRDD<LongWritable, Text> lines(JavaSparkContext sc, String path) {
    return sc.newAPIHadoopFile(
        path, TextInputFormat.class, LongWritable.class, Text.class, sc.hadoopConfiguration());
  }

  /**
   * The export-wide number of the first line of each part: one counting pass when the file has more
   * than one part.
   */
  private static long[] firstLines(JavaPairRDD<LongWritable, Text> lines) {
    int parts = lines.getNumPartitions();
    long[] first = new long[parts];
    first[0] = 1;
    if (parts == 1) {
      return first;
    }
    long[] perPart = sizesOfParts(lines.keys());
    for (int p = 1; p < parts; p++) {
      first[p] = first[p - 1] + perPart[p - 1];
    }
    return first;
  }

  /**
   * Materializes {@code blocks} (kept: every training pass reads them) and drops the cached steps
   * before them, which nothing reads again, so the training passes have the executors' memory.
   */
  private static void release(JavaRDD<Block> blocks, JavaRDD<?>... before) {
    blocks.persist(StorageLevel.MEMORY_AND_DISK()).count();
    for (JavaRDD<?> rdd : before) {
      rdd.unpersist(false);
    }
  }

  /** The number of elements of each part of {@code rdd}, in part order (one Spark job). */
  static <T> long[] sizesOfParts(JavaRDD<T> rdd) {
    long[] sizes = new long[rdd.getNumPartitions()];
    List<Tuple2<Integer, Long>> counted =
        rdd.mapPartitionsWithIndex(
                (index, it) -> {
                  long count = 0;
                  while (it.hasNext()) {
                    it.next();
                    count++;
                  }
                  return Collections.singletonList(new Tuple2<>(index, count)).iterator();
                },
                true)
            .collect();
    for (Tuple2<Integer, Long> size : counted) {
      sizes[size._1()] = size._2();
    }
    return sizes;
  }

  /**
   * A part's lines as one stream, each line followed by a line feed; the header (the file's first
   * line, in the first part of a CSV export) left out.
   */
  static InputStream stream(Iterator<Tuple2<LongWritable, Text>> lines, boolean skipFirst) {
    return new InputStream() {
      private byte[] current = new byte[0];
      private int length;
      private int position;
      private boolean skipped = !skipFirst;

      private boolean fill() {
        while (position >= length) {
          if (!lines.hasNext()) {
            return false;
          }
          Text text = lines.next()._2();
          if (!skipped) {
            skipped = true;
            continue;
          }
          int size = text.getLength();
          if (current.length < size + 1) {
            current = new byte[Math.max(size + 1, current.length * 2)];
          }
          System.arraycopy(text.getBytes(), 0, current, 0, size);
          current[size] = '\n';
          length = size + 1;
          position = 0;
        }
        return true;
      }

      @Override
      public int read() {
        return fill() ? current[position++] & 0xff : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int count) {
        if (count == 0) {
          return 0;
        }
        if (!fill()) {
          return -1;
        }
        int copied = Math.min(count, length - position);
        System.arraycopy(current, position, buffer, offset, copied);
        position += copied;
        return copied;
      }
    };
  }

  /** The first reasons of all parts, by line: those the train function would have kept. */
  static List<String> firstReasons(List<List<String>> reasons, List<List<Long>> lines) {
    List<Map.Entry<Long, String>> all = new ArrayList<>();
    for (int p = 0; p < reasons.size(); p++) {
      for (int r = 0; r < reasons.get(p).size(); r++) {
        all.add(Map.entry(lines.get(p).get(r), reasons.get(p).get(r)));
      }
    }
    all.sort(Map.Entry.comparingByKey());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(Rejections.MAX_REASONS, all.size()); i++) {
      out.add(all.get(i).getValue());
    }
    return out;
  }

  /**
   * A feature export: its plan from {@code head} (the export's first bytes, decoded), every part
   * read with it; repeated customer ids found over all parts (one shuffle of ids and lines) and
   * refused, or averaged by the schema's rule, as the train function does.
   */
  static Loaded features(
      JavaSparkContext sc, String path, InputStream head, ExportFormat format, ExportSchema schema)
      throws IOException {
    FeatureExportReader.Plan plan = FeatureExportReader.plan(head, format, schema);
    JavaPairRDD<LongWritable, Text> lines = lines(sc, path);
    long[] firstLines = firstLines(lines);
    boolean csv = plan.kind() == ExportFormat.Kind.CSV;
    Broadcast<FeatureExportReader.Plan> shared = sc.broadcast(plan);
    JavaRDD<Tuple2<Integer, FeatureExportReader.Part>> parts =
        lines
            .mapPartitionsWithIndex(
                (index, it) -> {
                  boolean header = csv && index == 0;
                  FeatureExportReader.Part part =
                      FeatureExportReader.readPart(
                          stream(it, header),
                          shared.value(),
                          schema,
                          firstLines[index] + (header ? 1 : 0));
                  return Collections.singletonList(new Tuple2<>(index, part)).iterator();
                },
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Tuple2<Integer, long[]>> counts =
        parts
            .map(
                t ->
                    new Tuple2<>(
                        t._1(),
                        new long[] {
                          t._2().rows(), t._2().read(), t._2().rejected(), t._2().guestRows()
                        }))
            .collect();
    List<Tuple2<Integer, List<String>>> reasonsOfParts =
        parts.map(t -> new Tuple2<>(t._1(), t._2().reasons())).collect();
    List<Tuple2<Integer, List<Long>>> linesOfParts =
        parts.map(t -> new Tuple2<>(t._1(), t._2().reasonLines())).collect();
    java.util.Set<String> present =
        new java.util.HashSet<>(
            parts.flatMap(t -> t._2().present().iterator()).distinct().collect());
    if (!present.contains(schema.labelColumn())) {
      throw new dev.retention.data.ExportException(
          "label column '"
              + schema.labelColumn()
              + "' is not in the export's columns "
              + new java.util.TreeSet<>(present));
    }
    int numberOfParts = lines.getNumPartitions();
    long[] firstRow = new long[numberOfParts];
    long[] rowsOfPart = new long[numberOfParts];
    long read = 0;
    long rejected = 0;
    long guests = 0;
    for (Tuple2<Integer, long[]> count : counts) {
      rowsOfPart[count._1()] = count._2()[0];
      read += count._2()[1];
      rejected += count._2()[2];
      guests += count._2()[3];
    }
    for (int p = 1; p < numberOfParts; p++) {
      firstRow[p] = firstRow[p - 1] + rowsOfPart[p - 1];
    }
    List<String> reasons = firstReasons(ordered(reasonsOfParts), ordered(linesOfParts));
    Rejections.checkShare(
        read - guests, rejected, reasons, schema.maxRejectedShare(), "nothing was trained");
    List<String> columns = plan.features();
    if (plan.idIndex() >= 0) {
      Loaded aggregated =
          repeatedIds(parts, columns, read, rejected, guests, reasons, plan, schema);
      if (aggregated != null) {
        return aggregated;
      }
    }
    JavaRDD<Block> blocks =
        parts.map(
            t ->
                new Block(
                    firstRow[t._1()],
                    t._2().rows(),
                    columns,
                    t._2().values(),
                    t._2().labels(),
                    null,
                    null,
                    null,
                    0));
    release(blocks, parts);
    long total = firstRow[numberOfParts - 1] + rowsOfPart[numberOfParts - 1];
    return new Loaded(
        blocks,
        columns,
        Math.toIntExact(total),
        read,
        rejected,
        reasons,
        plan.ignored(),
        null,
        null,
        null,
        null,
        guests,
        0,
        List.of(),
        0);
  }

  /**
   * Customer ids on more than one row, over all parts: refused naming the first lines (never an
   * id), or under MEAN the rows of each id averaged into one customer (label 1 when any row's is),
   * in the order of their first rows. Null when no id repeats.
   */
  private static Loaded repeatedIds(
      JavaRDD<Tuple2<Integer, FeatureExportReader.Part>> parts,
      List<String> columns,
      long read,
      long rejected,
      long guests,
      List<String> reasons,
      FeatureExportReader.Plan plan,
      ExportSchema schema) {
    JavaPairRDD<String, Long> idLines =
        parts.flatMapToPair(
            t -> {
              FeatureExportReader.Part part = t._2();
              List<Tuple2<String, Long>> out = new ArrayList<>(part.rows());
              for (int i = 0; i < part.rows(); i++) {
                out.add(new Tuple2<>(part.ids()[i], part.lines()[i]));
              }
              return out.iterator();
            });
    // Per id: its first line and how many rows it has.
    JavaPairRDD<String, long[]> perId =
        idLines
            .mapValues(line -> new long[] {line, 1})
            .reduceByKey((a, b) -> new long[] {Math.min(a[0], b[0]), a[1] + b[1]});
    JavaPairRDD<String, long[]> repeated = perId.filter(t -> t._2()[1] > 1);
    long repeats = repeated.values().map(v -> v[1] - 1).fold(0L, Long::sum);
    if (repeats == 0) {
      return null;
    }
    if (schema.duplicateIds() == ExportSchema.DuplicateIds.REFUSE) {
      List<long[]> pairs =
          idLines
              .join(repeated)
              .filter(t -> t._2()._1() != t._2()._2()[0])
              .map(t -> new long[] {t._2()._1(), t._2()._2()[0]})
              .takeOrdered(
                  FeatureExportReader.MAX_REPEATS_NAMED,
                  (java.util.Comparator<long[]> & Serializable) (a, b) -> Long.compare(a[0], b[0]));
      throw FeatureExportReader.repeatedIds(repeats, pairs);
    }
    int d = columns.size();
    // Per id: first line, label (max), row count, feature sums.
    JavaRDD<Tuple2<Long, double[]>> customers =
        parts
            .flatMapToPair(
                t -> {
                  FeatureExportReader.Part part = t._2();
                  List<Tuple2<String, double[]>> out = new ArrayList<>(part.rows());
                  for (int i = 0; i < part.rows(); i++) {
                    double[] row = new double[d + 3];
                    row[0] = part.lines()[i];
                    row[1] = part.labels()[i];
                    row[2] = 1;
                    System.arraycopy(part.values(), i * d, row, 3, d);
                    out.add(new Tuple2<>(part.ids()[i], row));
                  }
                  return out.iterator();
                })
            .reduceByKey(
                (a, b) -> {
                  double[] sum = new double[a.length];
                  sum[0] = Math.min(a[0], b[0]);
                  sum[1] = Math.max(a[1], b[1]);
                  for (int k = 2; k < a.length; k++) {
                    sum[k] = a[k] + b[k];
                  }
                  return sum;
                })
            .map(
                t -> {
                  double[] v = t._2();
                  double[] row = new double[d + 1];
                  for (int f = 0; f < d; f++) {
                    row[f] = v[3 + f] / v[2];
                  }
                  row[d] = v[1];
                  return new Tuple2<>((long) v[0], row);
                })
            .sortBy(Tuple2::_1, true, Math.max(1, parts.getNumPartitions()));
    Blocks blocks = blocks(customers, columns, d, false);
    release(blocks.rdd(), parts);
    long total = blocks.rows();
    return new Loaded(
        blocks.rdd(),
        columns,
        Math.toIntExact(total),
        read,
        rejected,
        reasons,
        plan.ignored(),
        null,
        null,
        null,
        null,
        guests,
        0,
        List.of(),
        0);
  }

  /** Blocks of sorted customer rows, and how many rows they hold. */
  private record Blocks(JavaRDD<Block> rdd, long rows) {}

  /**
   * Customer rows in their sorted order ({@code features, label[, window purchases]}) as one block
   * per partition, numbered by its first row: the one layout both derived reads hand to training.
   *
   * @param window whether each row carries its window purchases after the label
   */
  private static Blocks blocks(
      JavaRDD<Tuple2<Long, double[]>> customers, List<String> columns, int d, boolean window) {
    int numberOfParts = customers.getNumPartitions();
    long[] firstRow = new long[numberOfParts];
    long[] rowsOfPart = sizesOfParts(customers);
    for (int p = 1; p < numberOfParts; p++) {
      firstRow[p] = firstRow[p - 1] + rowsOfPart[p - 1];
    }
    JavaRDD<Block> blocks =
        customers
            .mapPartitionsWithIndex(
                (index, it) -> {
                  List<double[]> kept = new ArrayList<>();
                  while (it.hasNext()) {
                    kept.add(it.next()._2());
                  }
                  int m = kept.size();
                  double[] raw = new double[m * d];
                  int[] labels = new int[m];
                  int[] windowPurchases = window ? new int[m] : null;
                  for (int i = 0; i < m; i++) {
                    System.arraycopy(kept.get(i), 0, raw, i * d, d);
                    labels[i] = (int) kept.get(i)[d];
                    if (window) {
                      windowPurchases[i] = (int) kept.get(i)[d + 1];
                    }
                  }
                  return Collections.singletonList(
                          new Block(
                              firstRow[index],
                              m,
                              columns,
                              raw,
                              labels,
                              windowPurchases,
                              null,
                              null,
                              0))
                      .iterator();
                },
                true)
            .filter(b -> b.rows > 0);
    return new Blocks(blocks, firstRow[numberOfParts - 1] + rowsOfPart[numberOfParts - 1]);
  }

  private static <T> List<T> ordered(List<Tuple2<Integer, T>> parts) {
    List<Tuple2<Integer, T>> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
    List<T> out = new ArrayList<>();
    for (Tuple2<Integer, T> part : sorted) {
      out.add(part._2());
    }
    return out;
  }

  /** The customers derived in one partition of the grouped orders, and their counts. */
  record Derived(
      List<long[]> firstLines,
      List<double[]> features,
      List<int[]> labelAndWindow,
      RfmFeatures.Counts counts,
      long merged)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** An orders export: read in parts, grouped by customer, derived with the project's rules. */
  static Loaded orders(
      JavaSparkContext sc,
      String path,
      InputStream head,
      ExportFormat format,
      OrdersSchema schema,
      RfmOptions rfm,
      LocalDate latestAllowed)
      throws IOException {
    OrderExportReader.Plan plan = OrderExportReader.plan(head, format, schema);
    JavaPairRDD<LongWritable, Text> lines = lines(sc, path);
    long[] firstLines = firstLines(lines);
    boolean csv = plan.format().kind() == ExportFormat.Kind.CSV;
    Broadcast<OrderExportReader.Plan> shared = sc.broadcast(plan);
    // Each part: its accepted rows combined per customer, and its counts, kept apart.
    JavaRDD<Tuple2<Integer, Object>> parsed =
        lines
            .mapPartitionsWithIndex(
                (index, it) -> {
                  boolean header = csv && index == 0;
                  Map<String, CustomerRows> byCustomer = new LinkedHashMap<>();
                  OrderExportReader.PartCounts counts =
                      OrderExportReader.readPart(
                          stream(it, header),
                          shared.value(),
                          schema,
                          latestAllowed,
                          firstLines[index] + (header ? 1 : 0),
                          (line, customer, spelling, order, day, amount, items, refund, channel) ->
                              byCustomer
                                  .computeIfAbsent(customer.toString(), CustomerRows::new)
                                  .add(
                                      line,
                                      order.toString(),
                                      day,
                                      amount,
                                      items,
                                      refund,
                                      channel == null ? null : channel.toString(),
                                      spelling == null ? null : spelling.toString()));
                  List<Tuple2<Integer, Object>> out = new ArrayList<>(byCustomer.size() + 1);
                  for (CustomerRows rows : byCustomer.values()) {
                    out.add(new Tuple2<>(index, rows));
                  }
                  out.add(new Tuple2<>(index, counts));
                  return out.iterator();
                },
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Tuple2<Integer, Object>> partCounts =
        parsed.filter(t -> t._2() instanceof OrderExportReader.PartCounts).collect();
    long read = 0;
    long rejected = 0;
    long guests = 0;
    long furtherLines = 0;
    java.util.Set<String> present = new java.util.LinkedHashSet<>();
    List<Tuple2<Integer, List<String>>> reasonsOfParts = new ArrayList<>();
    List<Tuple2<Integer, List<Long>>> linesOfParts = new ArrayList<>();
    for (Tuple2<Integer, Object> part : partCounts) {
      OrderExportReader.PartCounts counts = (OrderExportReader.PartCounts) part._2();
      read += counts.read();
      rejected += counts.rejected();
      guests += counts.guestRows();
      furtherLines += counts.furtherLines();
      present.addAll(counts.present());
      reasonsOfParts.add(new Tuple2<>(part._1(), counts.reasons()));
      linesOfParts.add(new Tuple2<>(part._1(), counts.reasonLines()));
    }
    // JSON Lines: a column counts when any object of any part has its key.
    OrderExportReader.checkColumns(schema, List.copyOf(present));
    List<String> reasons = firstReasons(ordered(reasonsOfParts), ordered(linesOfParts));
    if (read > 0 && guests == read) {
      throw new dev.retention.data.ExportException(
          "every one of the "
              + read
              + " rows has no customer id (guest rows, skipped): there is no customer to learn"
              + " from");
    }
    Rejections.checkShare(
        read - guests,
        rejected,
        reasons,
        schema.maxRejectedShare(),
        OrderExportReader.refusedOutcome(schema, reasons));
    JavaRDD<CustomerRows> rows =
        parsed.filter(t -> t._2() instanceof CustomerRows).map(t -> (CustomerRows) t._2());
    int[] span =
        rows.map(CustomerRows::span)
            .reduce((a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    int cutoff = RfmFeatures.cutoffDay(span[0], span[1], rfm, true);
    int window = rfm.labelWindowDays();
    String censored = RfmFeatures.censoredWindowWarning(cutoff, span[0], span[1], window);
    RfmFeatures.Columns optional = OrderExportReader.optional(schema, List.copyOf(present));
    OrderBook.Grain grain = schema.grain();
    JavaRDD<Derived> derived =
        rows.mapToPair(r -> new Tuple2<>(r.customerId(), r))
            .combineByKey(CustomerRows::copy, CustomerRows::append, CustomerRows::append)
            .mapPartitions(
                groups -> {
                  OrderBook book = new OrderBook(grain);
                  Map<String, Long> firstLine = new HashMap<>();
                  long merged = 0;
                  while (groups.hasNext()) {
                    CustomerRows customer = groups.next()._2();
                    merged += customer.spellings() - 1;
                    int[] order = customer.inLineOrder();
                    firstLine.put(customer.customerId(), customer.line(order[0]));
                    for (int i : order) {
                      book.add(
                          customer.customerId(),
                          customer.orderId(i),
                          customer.day(i),
                          customer.amount(i),
                          customer.items(i),
                          customer.refund(i),
                          customer.channel(i));
                    }
                  }
                  if (book.customers() == 0) {
                    return Collections.emptyIterator();
                  }
                  RfmFeatures.Derived d =
                      RfmFeatures.partForTraining(book, optional, cutoff, window);
                  int width = d.features().cols();
                  List<long[]> lineOf = new ArrayList<>();
                  List<double[]> values = new ArrayList<>();
                  List<int[]> labelAndWindow = new ArrayList<>();
                  for (int i = 0; i < d.features().rows(); i++) {
                    lineOf.add(new long[] {firstLine.get(d.customerIds().get(i))});
                    values.add(Arrays.copyOfRange(d.features().data(), i * width, (i + 1) * width));
                    labelAndWindow.add(new int[] {d.labels()[i], d.windowPurchases()[i]});
                  }
                  return Collections.singletonList(
                          new Derived(lineOf, values, labelAndWindow, d.counts(), merged))
                      .iterator();
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    RfmFeatures.Counts counts = derived.map(Derived::counts).reduce(RfmFeatures.Counts::plus);
    long merged = derived.map(Derived::merged).fold(0L, Long::sum);
    List<String> columns =
        RfmFeatures.definitions(optional).stream().map(RfmFeatures.Definition::name).toList();
    int d = columns.size();
    // Customers in the order of their first accepted row, in blocks of consecutive rows.
    JavaRDD<Tuple2<Long, double[]>> customers =
        derived
            .flatMap(
                part -> {
                  List<Tuple2<Long, double[]>> out = new ArrayList<>();
                  for (int i = 0; i < part.features().size(); i++) {
                    double[] row = Arrays.copyOf(part.features().get(i), d + 2);
                    row[d] = part.labelAndWindow().get(i)[0];
                    row[d + 1] = part.labelAndWindow().get(i)[1];
                    out.add(new Tuple2<>(part.firstLines().get(i)[0], row));
                  }
                  return out.iterator();
                })
            .sortBy(Tuple2::_1, true, Math.max(1, lines.getNumPartitions()));
    Blocks blocks = blocks(customers, columns, d, true);
    release(blocks.rdd(), parsed, derived);
    long total = blocks.rows();
    if (total == 0) {
      throw new IllegalArgumentException(
          "no customer has a purchase on or before the cutoff " + LocalDate.ofEpochDay(cutoff));
    }
    return new Loaded(
        blocks.rdd(),
        columns,
        Math.toIntExact(total),
        read,
        rejected,
        reasons,
        List.of(),
        counts,
        LocalDate.ofEpochDay(cutoff),
        RfmFeatures.definitions(optional),
        optional,
        guests,
        merged,
        censored == null ? List.of() : List.of(censored),
        furtherLines);
  }
}
