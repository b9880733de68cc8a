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
 * features (primitive arrays) and their ids, never with the file's size as text.
 *
 * <p>Columns: the id column is never a feature; the label column is required; the features are the
 * {@code include} list if given, else every other column that is numeric in the first {@value
 * #SAMPLE_ROWS} rows (a column with no numeric value there is ignored and listed), minus {@code
 * exclude}. JSON Lines: every key of every object is read; a key first seen after those rows cannot
 * become a feature any more (the rows before it have been taken without it), so unless {@code
 * include} names the features or {@code exclude} names the key, the read fails naming the key, its
 * line and both settings: a feature is never dropped without a word.
 *
 * <p>A row with a missing, non-numeric or non-finite feature, a bad label, or the wrong number of
 * fields is rejected and counted; the first {@value Rejections#MAX_REASONS} reasons name the line
 * and column, never the value. A row without a customer id is rejected, or skipped and counted as a
 * guest row by the id rule. A customer id on two accepted rows refuses the export, naming the lines
 * (never the id), or by the schema's rule the rows of one id are aggregated; a customer is never
 * counted twice. Good rows are never lost because of bad ones, but if more than {@code
 * maxRejectedShare} of rows is rejected the whole read fails: such an export is more likely broken
 * than dirty.
 */
public final class FeatureExportReader {

  /** Rows used to tell numeric from text columns. */
  public static final int SAMPLE_ROWS = 100;

  /** Repeated-id line pairs an error names at most. */
  public static final int MAX_REPEATS_NAMED = 5;

  private FeatureExportReader() {}

  /**
   * Reads an export.
   *
   * @throws ExportException on a bad header, no usable row, a repeated id, or too many rejected
   *     rows
   * @throws IOException when the stream fails
   */
  public static ReadResult read(InputStream raw, ExportFormat format, ExportSchema schema)
      throws IOException {
    RowSource source =
        RowSource.open(raw, format, SAMPLE_ROWS, required(schema), expectation(schema));
    List<RowSource.Row> sample = new ArrayList<>();
    Plan plan = plan(source, format, schema, sample);
    List<String> ignored = new ArrayList<>(plan.ignored());
    Accumulator acc = new Accumulator(plan, schema, format.text());
    LateKeys late = new LateKeys(plan.columns().size(), schema, ignored);
    for (RowSource.Row row : sample) {
      acc.accept(row);
    }
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      late.check(source);
      acc.accept(row);
    }
    checkPresent(source, plan, schema);
    acc.rejections.checkShare(schema.maxRejectedShare(), "nothing was trained");
    acc.settleRepeats();
    int d = plan.featureIndex().length;
    return new ReadResult(
        new FeatureMatrix(plan.features(), acc.values(d)),
        Arrays.copyOf(acc.labels, acc.rows),
        acc.rejections.read(),
        acc.rejections.rejected(),
        acc.rejections.reasons(),
        List.copyOf(ignored),
        acc.ids(),
        acc.rejections.skipped(),
        acc.aggregated,
        acc.treatment == null ? null : Arrays.copyOf(acc.treatment, acc.rows));
  }

  /**
   * The columns a feature export must have, for header checks and JSON keys (the id column is
   * optional: an export without one is read without id checks).
   */
  private static List<String> required(ExportSchema schema) {
    List<String> out = new ArrayList<>();
    out.add(schema.labelColumn());
    if (schema.treatmentColumn() != null) {
      out.add(schema.treatmentColumn());
    }
    out.addAll(schema.include());
    return out;
  }

  private static String expectation(ExportSchema schema) {
    return "the id column '"
        + schema.idColumn()
        + "', the label column '"
        + schema.labelColumn()
        + (schema.treatmentColumn() == null
            ? ""
            : "', the treatment column '"
                + schema.treatmentColumn()
                + "' (retention.export.treatment-column)")
        + "' and the feature columns";
  }

  /**
   * JSON Lines: fails when the label or an included feature never had a key (the header of a CSV
   * export was checked before its first row).
   */
  private static void checkPresent(RowSource source, Plan plan, ExportSchema schema) {
    if (!source.present(plan.labelIndex())) {
      throw new ExportException(
          "label column '"
              + schema.labelColumn()
              + "' is not in the export's columns "
              + presentColumns(source));
    }
    if (plan.treatmentIndex() >= 0 && !source.present(plan.treatmentIndex())) {
      throw missingTreatment(schema, presentColumns(source));
    }
    for (int c : plan.featureIndex()) {
      if (!source.present(c)) {
        throw new ExportException(
            "included feature column '"
                + plan.columns().get(c)
                + "' is not in the export's columns "
                + presentColumns(source));
      }
    }
  }

  private static ExportException missingTreatment(ExportSchema schema, List<String> columns) {
    return new ExportException(
        "treatment column '"
            + schema.treatmentColumn()
            + "' (retention.export.treatment-column) is not in the export's columns "
            + columns);
  }

  private static List<String> presentColumns(RowSource source) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < source.columns().size(); c++) {
      if (source.present(c)) {
        out.add(source.columns().get(c));
      }
    }
    return out;
  }

  /**
   * What every part of one feature export is read with, fixed by its head: the columns (its header,
   * or its first records' keys), the label and the feature columns chosen exactly as {@link #read}
   * chooses them (from the first {@link #SAMPLE_ROWS} rows).
   *
   * @param format the format of the decoded parts (delimiter, decimal separator, limits)
   * @param idIndex the id column, or -1 when the export has none
   * @param treatmentIndex the treatment column, or -1 when the schema names none
   */
  public record Plan(
      ExportFormat format,
      List<String> columns,
      int idIndex,
      int labelIndex,
      int[] featureIndex,
      List<String> features,
      List<String> ignored,
      int treatmentIndex)
      implements java.io.Serializable {
    private static final long serialVersionUID = 3L;

    /** CSV or JSON Lines. */
    public ExportFormat.Kind kind() {
      return format.kind();
    }
  }

  /**
   * The plan of an export from its head (its first bytes, decoded: the header and at least the
   * first {@link #SAMPLE_ROWS} rows, or the whole export when shorter).
   *
   * @throws ExportException on a bad header or no data row
   */
  public static Plan plan(InputStream head, ExportFormat format, ExportSchema schema)
      throws IOException {
    return plan(
        RowSource.open(head, format, SAMPLE_ROWS, required(schema), expectation(schema)),
        format,
        schema,
        new ArrayList<>());
  }

  /** The plan from {@code source}'s header and first rows, which are left in {@code sample}. */
  private static Plan plan(
      RowSource source, ExportFormat format, ExportSchema schema, List<RowSource.Row> sample)
      throws IOException {
    List<String> columns = List.copyOf(source.columns());
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
    // JSON Lines: the sample's keys (its rows are read by now) join the columns.
    columns = List.copyOf(source.columns());
    int treatmentIndex =
        schema.treatmentColumn() == null ? -1 : columns.indexOf(schema.treatmentColumn());
    if (schema.treatmentColumn() != null && treatmentIndex < 0) {
      throw missingTreatment(schema, columns);
    }
    List<String> ignored = new ArrayList<>();
    int[] featureIndex =
        chooseFeatures(columns, labelIndex, schema, sample, ignored, format.text());
    List<String> features = new ArrayList<>();
    for (int c : featureIndex) {
      features.add(columns.get(c));
    }
    return new Plan(
        format.withoutGzip(),
        columns,
        columns.indexOf(schema.idColumn()),
        labelIndex,
        featureIndex,
        features,
        ignored,
        treatmentIndex);
  }

  /**
   * The rows of one part of an export, read with its plan and the same per-row rules as {@link
   * #read} (the rejected-share limit and the repeated-id rule are the caller's, over all parts:
   * {@link Rejections#checkShare(long, long, List, double, String)}).
   *
   * @param plain the part's decoded bytes, starting at line {@code firstLine}, without the header
   * @param values the accepted rows, row-major in the plan's feature order
   * @param ids the id of each accepted row (null without an id column)
   * @param reasonLines the line of each kept reason
   * @param present the columns holding a value in this part (JSON Lines keys)
   */
  public record Part(
      int rows,
      double[] values,
      int[] labels,
      long[] lines,
      String[] ids,
      long read,
      long rejected,
      long guestRows,
      List<String> reasons,
      List<Long> reasonLines,
      List<String> present)
      implements java.io.Serializable {
    private static final long serialVersionUID = 2L;
  }

  /** Reads one part; see {@link Part}. Repeated ids are the caller's to find, over all parts. */
  public static Part readPart(InputStream plain, Plan plan, ExportSchema schema, long firstLine)
      throws IOException {
    RowSource source = RowSource.part(plain, plan.format(), plan.columns(), firstLine);
    Accumulator acc = new Accumulator(plan, schema, null);
    LateKeys late = new LateKeys(plan.columns().size(), schema, new ArrayList<>());
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      late.check(source);
      acc.accept(row);
    }
    int d = plan.featureIndex().length;
    List<String> ids = acc.ids();
    return new Part(
        acc.rows,
        acc.values(d),
        Arrays.copyOf(acc.labels, acc.rows),
        Arrays.copyOf(acc.lines, acc.rows),
        ids == null ? null : ids.toArray(String[]::new),
        acc.rejections.read(),
        acc.rejections.rejected(),
        acc.rejections.skipped(),
        acc.rejections.reasons(),
        acc.rejections.reasonLines(),
        presentColumns(source));
  }

  /**
   * The error for customer ids repeated on other lines: the first {@value #MAX_REPEATS_NAMED} pairs
   * of lines (a repeat and the line of the id's first row) and how many rows repeat an id; never
   * the id itself.
   *
   * @param pairs line pairs {repeat, first}, by the repeat's line
   */
  public static ExportException repeatedIds(long repeats, List<long[]> pairs) {
    StringBuilder named = new StringBuilder();
    for (int i = 0; i < Math.min(MAX_REPEATS_NAMED, pairs.size()); i++) {
      named
          .append(i == 0 ? "" : ", ")
          .append("line ")
          .append(pairs.get(i)[0])
          .append(" repeats the id of line ")
          .append(pairs.get(i)[1]);
    }
    return new ExportException(
        repeats
            + " row"
            + (repeats == 1 ? " repeats" : "s repeat")
            + " a customer id of an earlier row ("
            + named
            + "): a feature export holds one row per customer; nothing was trained (set"
            + " retention.export.duplicate-ids=MEAN to average the rows of one id)");
  }

  private static int[] chooseFeatures(
      List<String> columns,
      int labelIndex,
      ExportSchema schema,
      List<RowSource.Row> sample,
      List<String> ignored,
      TextFormat text) {
    List<Integer> chosen = new ArrayList<>();
    if (!schema.include().isEmpty()) {
      for (String name : schema.include()) {
        int c = columns.indexOf(name);
        if (c < 0) {
          throw new ExportException(
              "included feature column '" + name + "' is not in the export's columns " + columns);
        }
        if (c == labelIndex
            || name.equals(schema.idColumn())
            || name.equals(schema.treatmentColumn())) {
          throw new ExportException(
              "column '" + name + "' cannot be both a feature and the id/label/treatment");
        }
        chosen.add(c);
      }
    } else {
      for (int c = 0; c < columns.size(); c++) {
        String name = columns.get(c);
        if (c == labelIndex
            || name.equals(schema.idColumn())
            || name.equals(schema.treatmentColumn())) {
          continue;
        }
        if (schema.exclude().contains(name)) {
          ignored.add(name + " (excluded)");
          continue;
        }
        if (numericSomewhere(sample, c, text.decimalSeparator())) {
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

  private static boolean numericSomewhere(
      List<RowSource.Row> sample, int column, char decimalSeparator) {
    for (RowSource.Row row : sample) {
      if (row.cells() != null) {
        CharSequence cell = row.cell(column);
        if (cell != null && Numbers.isNumber(cell, decimalSeparator)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * JSON Lines keys first seen after the sample that fixed the feature columns: ignored when the
   * features are named ({@code include}) or the key is excluded, else the read fails.
   */
  private static final class LateKeys {
    private final ExportSchema schema;
    private final List<String> ignored;
    private int known;

    LateKeys(int known, ExportSchema schema, List<String> ignored) {
      this.known = known;
      this.schema = schema;
      this.ignored = ignored;
    }

    void check(RowSource source) {
      List<String> columns = source.columns();
      for (; known < columns.size(); known++) {
        String name = columns.get(known);
        long line = source.firstLine(known);
        if (name.equals(schema.idColumn())) {
          throw new ExportException(
              "line "
                  + line
                  + ": the id key '"
                  + name
                  + "' first appears after the first "
                  + SAMPLE_ROWS
                  + " objects: in a feature export every row has its customer id, or none has");
        }
        if (!schema.include().isEmpty()) {
          ignored.add(name + " (not included; first seen at line " + line + ")");
        } else if (schema.exclude().contains(name)) {
          ignored.add(name + " (excluded)");
        } else {
          throw new ExportException(
              "line "
                  + line
                  + ": key '"
                  + name
                  + "' first appears after the first "
                  + SAMPLE_ROWS
                  + " objects, which fix a feature export's columns; name the features with"
                  + " retention.export.include-columns, or leave the key out with"
                  + " retention.export.exclude-columns");
        }
      }
    }
  }

  /** Growable primitive storage for accepted rows and their ids, plus rejection bookkeeping. */
  private static final class Accumulator {
    private final int[] featureIndex;
    private final int labelIndex;
    private final int idIndex;
    private final int treatmentIndex;
    private final char decimal;
    private final ExportSchema schema;
    private final double[] row;
    private final Rejections rejections;
    private final IdColumn ids;
    private double[] values;
    private int[] labels;
    // 0/1 per row, null without a treatment column.
    private int[] treatment;
    private long[] lines;
    private int rows;
    private long aggregated;
    // After the read, with repeated ids aggregated: the row of the id table each row's id is at.
    private int[] idRows;

    /**
     * @param text the export's text layout; null for a part (the plan's)
     */
    Accumulator(Plan plan, ExportSchema schema, TextFormat text) {
      this.featureIndex = plan.featureIndex();
      this.labelIndex = plan.labelIndex();
      this.idIndex = plan.idIndex();
      this.treatmentIndex = plan.treatmentIndex();
      this.decimal = (text == null ? plan.format().text() : text).decimalSeparator();
      this.schema = schema;
      this.row = new double[featureIndex.length];
      this.rejections = new Rejections(plan.columns());
      this.ids = idIndex >= 0 ? new IdColumn() : null;
      this.values = new double[1024 * featureIndex.length];
      this.labels = new int[1024];
      this.treatment = treatmentIndex >= 0 ? new int[1024] : null;
      this.lines = new long[1024];
    }

    void accept(RowSource.Row source) {
      rejections.countRead();
      if (source.problem() != null) {
        rejections.rejectRow(source.line(), source.problem());
        return;
      }
      CharSequence id = null;
      if (idIndex >= 0) {
        id = source.cell(idIndex);
        if (IdRules.missing(id)) {
          if (schema.ids().guests() == IdRules.GuestRows.SKIP) {
            rejections.skip();
          } else {
            rejections.rejectMissing(source.line(), idIndex);
          }
          return;
        }
        if (schema.ids().normalisation() == IdRules.Normalisation.TRIM) {
          id = OrderExportReader.trimBlanks(id);
        }
      }
      int label = parseLabel(source.cell(labelIndex));
      if (label < 0) {
        rejections.reject(source.line(), labelIndex, "label must be 1/0, true/false or yes/no");
        return;
      }
      int treated = 0;
      if (treatmentIndex >= 0) {
        // The values the shop declared; anything else is a bad cell, named by line and column.
        treated = schema.treatment().arm(source.cell(treatmentIndex));
        if (treated < 0) {
          rejections.reject(
              source.line(),
              treatmentIndex,
              "treatment is not one of the declared values (retention.export.treated-values,"
                  + " control-values, outside-treatment-values)");
          return;
        }
      }
      for (int f = 0; f < featureIndex.length; f++) {
        double value =
            rejections.number(
                source.line(), featureIndex[f], source.cell(featureIndex[f]), decimal);
        if (Double.isNaN(value)) {
          return;
        }
        row[f] = value;
      }
      if (rows == labels.length) {
        int size = labels.length * 2;
        labels = Arrays.copyOf(labels, size);
        if (treatment != null) {
          treatment = Arrays.copyOf(treatment, size);
        }
        lines = Arrays.copyOf(lines, size);
        values = Arrays.copyOf(values, size * featureIndex.length);
      }
      System.arraycopy(row, 0, values, rows * featureIndex.length, featureIndex.length);
      lines[rows] = source.line();
      if (ids != null) {
        ids.add(id);
      }
      if (treatment != null) {
        treatment[rows] = treated;
      }
      labels[rows++] = label;
    }

    /**
     * After the read: a customer id on more than one row refuses the export (naming the first
     * lines, never the id), or under MEAN each id's rows become its first row (features averaged,
     * label 1 when any row's is).
     */
    void settleRepeats() {
      int[] first = ids == null ? null : ids.firstRows();
      if (first == null) {
        return;
      }
      if (schema.duplicateIds() == ExportSchema.DuplicateIds.REFUSE) {
        long repeats = 0;
        List<long[]> pairs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          if (first[r] != r) {
            repeats++;
            if (pairs.size() < MAX_REPEATS_NAMED) {
              pairs.add(new long[] {lines[r], lines[first[r]]});
            }
          }
        }
        throw repeatedIds(repeats, pairs);
      }
      int d = featureIndex.length;
      int[] target = new int[rows];
      int[] count = new int[rows];
      idRows = new int[rows];
      int kept = 0;
      for (int r = 0; r < rows; r++) {
        if (first[r] == r) {
          target[r] = kept;
          idRows[kept] = r;
          if (kept != r) {
            System.arraycopy(values, r * d, values, kept * d, d);
            labels[kept] = labels[r];
            if (treatment != null) {
              treatment[kept] = treatment[r];
            }
            lines[kept] = lines[r];
          }
          count[kept++] = 1;
        } else {
          int t = target[first[r]];
          for (int f = 0; f < d; f++) {
            values[t * d + f] += values[r * d + f];
          }
          labels[t] = Math.max(labels[t], labels[r]);
          if (treatment != null && treatment[t] != treatment[r]) {
            // Rows of one customer in different arms: not a randomized assignment.
            treatment[t] = ExportSchema.Treatment.OUTSIDE;
          }
          count[t]++;
          aggregated++;
        }
      }
      for (int t = 0; t < kept; t++) {
        if (count[t] > 1) {
          for (int f = 0; f < d; f++) {
            values[t * d + f] /= count[t];
          }
        }
      }
      rows = kept;
    }

    /** The rows' values, row-major. */
    double[] values(int d) {
      return Arrays.copyOf(values, rows * d);
    }

    /** The rows' ids: a view on the id column (an id becomes a string only when asked for). */
    List<String> ids() {
      if (ids == null) {
        return null;
      }
      IdColumn column = ids;
      int[] at = idRows;
      int size = rows;
      return new java.util.AbstractList<>() {
        @Override
        public String get(int index) {
          java.util.Objects.checkIndex(index, size);
          return column.get(at == null ? index : at[index]);
        }

        @Override
        public int size() {
          return size;
        }
      };
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
      switch (cell.toString().strip().toLowerCase(Locale.ROOT)) {
        case "1", "1.0", "1,0", "true", "yes", "y" -> {
          return 1;
        }
        case "0", "0.0", "0,0", "false", "no", "n" -> {
          return 0;
        }
        default -> {
          return -1;
        }
      }
    }
  }
}
