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
    List<String> columns = source.columns();
    int labelIndex = columns.indexOf(schema.labelColumn());
    if (labelIndex < 0) {
      throw new ExportException(
          "label column '" + schema.labelColumn() + "' is not in the export's columns " + columns);
    }
    List<RowSource.Row> sample = new ArrayList<>();
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
    List<String> featureNames = new ArrayList<>();
    for (int c : featureIndex) {
      featureNames.add(columns.get(c));
    }

    Accumulator acc = new Accumulator(columns, featureIndex, labelIndex);
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
    private int accepted;

    Accumulator(List<String> columns, int[] featureIndex, int labelIndex) {
      this.featureIndex = featureIndex;
      this.labelIndex = labelIndex;
      this.row = new double[featureIndex.length];
      this.rejections = new Rejections(columns);
      this.values = new double[1024 * featureIndex.length];
      this.labels = new int[1024];
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
        values = Arrays.copyOf(values, labels.length * featureIndex.length);
      }
      System.arraycopy(row, 0, values, accepted * featureIndex.length, featureIndex.length);
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
