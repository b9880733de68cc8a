package dev.retention.data;

import dev.retention.core.FeatureMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Streams a customer feature export into a {@link ReadResult}: memory grows with accepted rows x
 * features (primitive arrays), never with the file's size as text.
 *
 * <p>Columns: the id column is never a feature; the label column is required; the features are the
 * {@code include} list if given, else every other column that is numeric in the first {@value
 * #SAMPLE_ROWS} rows (a column with no numeric value there is ignored and listed), minus {@code
 * exclude}.
 *
 * <p>A row with a missing, non-numeric or non-finite feature, a bad label, or the wrong number of
 * fields is rejected and counted; the first {@value Rejections#MAX_REASONS} reasons name the line,
 * column and value. Good rows are never lost because of bad ones, but if more than {@code
 * maxRejectedShare} of rows is rejected the whole read fails: such an export is more likely broken
 * than dirty.
 */
public final class FeatureExportReader {

  /** Rows used to tell numeric from text columns. */
  public static final int SAMPLE_ROWS = 100;

  private FeatureExportReader() {}

  /**
   * Reads an export.
   *
   * @throws ExportException on a bad header, no usable row, or too many rejected rows
   * @throws IOException when the stream fails
   */
  public static ReadResult read(InputStream raw, ExportFormat format, ExportSchema schema)
      throws IOException {
    RowSource source = RowSource.open(raw, format, SAMPLE_ROWS);
    List<RowSource.Row> sample = new ArrayList<>();
    Plan plan = plan(source, format, schema, sample);
    int[] featureIndex = plan.featureIndex();
    List<String> featureNames = plan.features();
    List<String> ignored = plan.ignored();

    Accumulator acc = new Accumulator(plan.columns(), featureIndex, plan.labelIndex());
    for (RowSource.Row row : sample) {
      acc.accept(row);
    }
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      acc.accept(row);
    }
    acc.rejections.checkShare(schema.maxRejectedShare(), "nothing was trained");
    return new ReadResult(
        new FeatureMatrix(
            featureNames, Arrays.copyOf(acc.values, acc.accepted * featureIndex.length)),
        Arrays.copyOf(acc.labels, acc.accepted),
        acc.rejections.read(),
        acc.rejections.rejected(),
        acc.rejections.reasons(),
        List.copyOf(ignored));
  }

  /**
   * What every part of one feature export is read with, fixed by its head: the columns (its header,
   * or its first records' keys), the label and the feature columns chosen exactly as {@link #read}
   * chooses them (from the first {@link #SAMPLE_ROWS} rows).
   */
  public record Plan(
      ExportFormat.Kind kind,
      List<String> columns,
      int labelIndex,
      int[] featureIndex,
      List<String> features,
      List<String> ignored)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The plan of an export from its head (its first bytes, decoded: the header and at least the
   * first {@link #SAMPLE_ROWS} rows, or the whole export when shorter).
   *
   * @throws ExportException on a bad header or no data row
   */
  public static Plan plan(InputStream head, ExportFormat format, ExportSchema schema)
      throws IOException {
    return plan(RowSource.open(head, format, SAMPLE_ROWS), format, schema, new ArrayList<>());
  }

  /** The plan from {@code source}'s header and first rows, which are left in {@code sample}. */
  private static Plan plan(
      RowSource source, ExportFormat format, ExportSchema schema, List<RowSource.Row> sample)
      throws IOException {
    List<String> columns = source.columns();
    int labelIndex = columns.indexOf(schema.labelColumn());
    if (labelIndex < 0) {
      throw new ExportException(
          "label column '" + schema.labelColumn() + "' is not in the export's columns " + columns);
    }
    while (sample.size() < SAMPLE_ROWS) {
      RowSource.Row row = source.next();
      if (row == null) {
        break;
      }
      sample.add(row.copy());
    }
    if (sample.isEmpty()) {
      throw new ExportException("the export has a header but no data rows");
    }
    List<String> ignored = new ArrayList<>();
    int[] featureIndex = chooseFeatures(columns, labelIndex, schema, sample, ignored);
    List<String> features = new ArrayList<>();
    for (int c : featureIndex) {
      features.add(columns.get(c));
    }
    return new Plan(
        format.kind(), List.copyOf(columns), labelIndex, featureIndex, features, ignored);
  }

  /**
   * The rows of one part of an export, read with its plan and the same per-row rules as {@link
   * #read} (the rejected-share limit is the caller's, over all parts: {@link
   * Rejections#checkShare(long, long, List, double, String)}).
   *
   * @param plain the part's decoded bytes, starting at line {@code firstLine}, without the header
   * @param values the accepted rows, row-major in the plan's feature order
   * @param reasonLines the line of each kept reason
   */
  public record Part(
      int rows,
      double[] values,
      int[] labels,
      long[] lines,
      long read,
      long rejected,
      List<String> reasons,
      List<Long> reasonLines)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Reads one part; see {@link Part}. */
  public static Part readPart(InputStream plain, Plan plan, long firstLine, ReadLimits limits)
      throws IOException {
    RowSource source = RowSource.part(plain, plan.kind(), plan.columns(), firstLine, limits);
    Accumulator acc = new Accumulator(plan.columns(), plan.featureIndex(), plan.labelIndex());
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      acc.accept(row);
    }
    int d = plan.featureIndex().length;
    return new Part(
        acc.accepted,
        Arrays.copyOf(acc.values, acc.accepted * d),
        Arrays.copyOf(acc.labels, acc.accepted),
        Arrays.copyOf(acc.lines, acc.accepted),
        acc.rejections.read(),
        acc.rejections.rejected(),
        acc.rejections.reasons(),
        acc.rejections.reasonLines());
  }

  private static int[] chooseFeatures(
      List<String> columns,
      int labelIndex,
      ExportSchema schema,
      List<RowSource.Row> sample,
      List<String> ignored) {
    List<Integer> chosen = new ArrayList<>();
    if (!schema.include().isEmpty()) {
      for (String name : schema.include()) {
        int c = columns.indexOf(name);
        if (c < 0) {
          throw new ExportException(
              "included feature column '" + name + "' is not in the export's columns " + columns);
        }
        if (c == labelIndex || name.equals(schema.idColumn())) {
          throw new ExportException(
              "column '" + name + "' cannot be both a feature and the id/label");
        }
        chosen.add(c);
      }
    } else {
      for (int c = 0; c < columns.size(); c++) {
        String name = columns.get(c);
        if (c == labelIndex || name.equals(schema.idColumn())) {
          continue;
        }
        if (schema.exclude().contains(name)) {
          ignored.add(name + " (excluded)");
          continue;
        }
        if (numericSomewhere(sample, c)) {
          chosen.add(c);
        } else {
          ignored.add(name + " (not numeric)");
        }
      }
    }
    if (chosen.isEmpty()) {
      throw new ExportException(
          "the export has no numeric feature column besides id '"
              + schema.idColumn()
              + "' and label '"
              + schema.labelColumn()
              + "': columns "
              + columns);
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean numericSomewhere(List<RowSource.Row> sample, int column) {
    for (RowSource.Row row : sample) {
      if (row.cells() != null && row.cells()[column] != null) {
        try {
          Double.parseDouble(row.cells()[column].toString().trim());
          return true;
        } catch (NumberFormatException e) {
          // text value: keep looking
        }
      }
    }
    return false;
  }

  /** Growable primitive storage for accepted rows, plus rejection bookkeeping. */
  private static final class Accumulator {
    private final int[] featureIndex;
    private final int labelIndex;
    private final double[] row;
    private final Rejections rejections;
    private double[] values;
    private int[] labels;
    private long[] lines;
    private int accepted;

    Accumulator(List<String> columns, int[] featureIndex, int labelIndex) {
      this.featureIndex = featureIndex;
      this.labelIndex = labelIndex;
      this.row = new double[featureIndex.length];
      this.rejections = new Rejections(columns);
      this.values = new double[1024 * featureIndex.length];
      this.labels = new int[1024];
      this.lines = new long[1024];
    }

    void accept(RowSource.Row source) {
      rejections.countRead();
      if (source.problem() != null) {
        rejections.rejectRow(source.line(), source.problem());
        return;
      }
      CharSequence[] cells = source.cells();
      int label = parseLabel(cells[labelIndex]);
      if (label < 0) {
        rejections.reject(source.line(), labelIndex, "label must be 1/0, true/false or yes/no");
        return;
      }
      for (int f = 0; f < featureIndex.length; f++) {
        double value = rejections.number(source.line(), featureIndex[f], cells[featureIndex[f]]);
        if (Double.isNaN(value)) {
          return;
        }
        row[f] = value;
      }
      if (accepted == labels.length) {
        labels = Arrays.copyOf(labels, labels.length * 2);
        lines = Arrays.copyOf(lines, labels.length);
        values = Arrays.copyOf(values, labels.length * featureIndex.length);
      }
      System.arraycopy(row, 0, values, accepted * featureIndex.length, featureIndex.length);
      lines[accepted] = source.line();
      labels[accepted++] = label;
    }

    /** 1 or 0, or -1 for a value that is not a label; the common one-character forms first. */
    private static int parseLabel(CharSequence cell) {
      if (cell == null) {
        return -1;
      }
      if (cell.length() == 1) {
        char c = cell.charAt(0);
        if (c == '1') {
          return 1;
        }
        if (c == '0') {
          return 0;
        }
      }
      switch (cell.toString().trim().toLowerCase(Locale.ROOT)) {
        case "1", "1.0", "true", "yes", "y" -> {
          return 1;
        }
        case "0", "0.0", "false", "no", "n" -> {
          return 0;
        }
        default -> {
          return -1;
        }
      }
    }
  }
}
