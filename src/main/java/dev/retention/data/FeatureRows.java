package dev.retention.data;

import dev.retention.features.IdTable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the rows of a feature export to be scored: the id and the named features of each customer,
 * in the given order (no label needed). Bad rows are rejected and counted, rows without an id and
 * repeated ids follow the id rules, exactly as when training ({@link FeatureExportReader}); the
 * customers are handed over once the whole export was read, one per id.
 */
public final class FeatureRows {

  /** Receives each customer; {@code values} is reused between calls. */
  @FunctionalInterface
  public interface Consumer {
    void accept(String id, double[] values) throws IOException;
  }

  /**
   * What was read and rejected.
   *
   * @param guestRows rows without a customer id that the id rule skips
   * @param rowsAggregated rows that repeated an id and were averaged into its row
   */
  public record Result(
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      long guestRows,
      long rowsAggregated) {

    /** A result without skipped or aggregated rows. */
    public Result(long rowsRead, long rowsRejected, List<String> rejections) {
      this(rowsRead, rowsRejected, rejections, 0, 0);
    }
  }

  private FeatureRows() {}

  /**
   * Reads every row, then hands each customer to {@code consumer}.
   *
   * @param schema the id column, its rules and the rejected-share limit (label and feature choice
   *     are not used: {@code features} are the model's)
   * @throws ExportException on a missing id or feature column, a repeated id (unless aggregated),
   *     or too many rejected rows
   */
  public static Result read(
      InputStream raw,
      ExportFormat format,
      ExportSchema schema,
      List<String> features,
      Consumer consumer)
      throws IOException {
    String idColumn = schema.idColumn();
    List<String> required = new ArrayList<>();
    required.add(idColumn);
    required.addAll(features);
    RowSource source =
        RowSource.open(
            raw,
            format,
            FeatureExportReader.SAMPLE_ROWS,
            required,
            "the id column '" + idColumn + "' and the model's features " + features);
    List<String> columns = source.columns();
    int id = columns.indexOf(idColumn);
    if (id < 0) {
      throw new ExportException(
          "the export has no id column '" + idColumn + "'; columns: " + columns);
    }
    int[] index = new int[features.size()];
    for (int f = 0; f < index.length; f++) {
      index[f] = columns.indexOf(features.get(f));
      if (index[f] < 0) {
        throw new ExportException(
            "the model needs feature '"
                + features.get(f)
                + "', which the export does not have; columns: "
                + columns);
      }
    }
    char decimal = format.text().decimalSeparator();
    Rejections rejections = new Rejections(columns);
    IdTable ids = new IdTable();
    int d = index.length;
    double[] values = new double[1024 * d];
    int[] count = new int[1024];
    long[] lines = new long[1024];
    double[] row = new double[d];
    long aggregated = 0;
    long repeats = 0;
    List<long[]> pairs = new ArrayList<>();
    boolean trim = schema.ids().normalisation() == IdRules.Normalisation.TRIM;
    rows:
    for (RowSource.Row r = source.next(); r != null; r = source.next()) {
      rejections.countRead();
      if (r.problem() != null) {
        rejections.rejectRow(r.line(), r.problem());
        continue;
      }
      CharSequence customer = r.cell(id);
      if (IdRules.missing(customer)) {
        if (schema.ids().guests() == IdRules.GuestRows.SKIP) {
          rejections.skip();
        } else {
          rejections.rejectMissing(r.line(), id);
        }
        continue;
      }
      for (int f = 0; f < d; f++) {
        row[f] = rejections.number(r.line(), index[f], r.cell(index[f]), decimal);
        if (Double.isNaN(row[f])) {
          continue rows;
        }
      }
      int known = ids.size();
      int at = ids.index(trim ? OrderExportReader.trimBlanks(customer) : customer);
      if (at < known) {
        if (schema.duplicateIds() == ExportSchema.DuplicateIds.REFUSE) {
          repeats++;
          if (pairs.size() < FeatureExportReader.MAX_REPEATS_NAMED) {
            pairs.add(new long[] {r.line(), lines[at]});
          }
          continue;
        }
        for (int f = 0; f < d; f++) {
          values[at * d + f] += row[f];
        }
        count[at]++;
        aggregated++;
        continue;
      }
      if (at == count.length) {
        count = Arrays.copyOf(count, at * 2);
        lines = Arrays.copyOf(lines, at * 2);
        values = Arrays.copyOf(values, at * 2 * d);
      }
      System.arraycopy(row, 0, values, at * d, d);
      count[at] = 1;
      lines[at] = r.line();
    }
    rejections.checkShare(schema.maxRejectedShare(), "nothing was scored");
    if (repeats > 0) {
      throw FeatureExportReader.repeatedIds(repeats, pairs);
    }
    for (int c = 0; c < ids.size(); c++) {
      for (int f = 0; f < d; f++) {
        row[f] = values[c * d + f] / count[c];
      }
      consumer.accept(ids.get(c), row);
    }
    return new Result(
        rejections.read(),
        rejections.rejected(),
        rejections.reasons(),
        rejections.skipped(),
        aggregated);
  }
}
