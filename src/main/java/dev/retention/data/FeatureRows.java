package dev.retention.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Streams the rows of a feature export to be scored: the id and the named features of each row, in
 * the given order, one row at a time (no label needed). Bad rows are rejected and counted exactly
 * as when training ({@link FeatureExportReader}).
 */
public final class FeatureRows {

  /** Receives each good row; {@code values} is reused between calls. */
  @FunctionalInterface
  public interface Consumer {
    void accept(String id, double[] values) throws IOException;
  }

  /** What was read and rejected. */
  public record Result(long rowsRead, long rowsRejected, List<String> rejections) {}

  private FeatureRows() {}

  /**
   * Reads every row.
   *
   * @throws ExportException on a missing id or feature column, or too many rejected rows
   */
  public static Result read(
      InputStream raw,
      ExportFormat format,
      String idColumn,
      List<String> features,
      double maxRejectedShare,
      Consumer consumer)
      throws IOException {
    RowSource source = RowSource.open(raw, format, FeatureExportReader.SAMPLE_ROWS);
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
    Rejections rejections = new Rejections(columns);
    double[] values = new double[index.length];
    rows:
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      rejections.countRead();
      if (row.problem() != null) {
        rejections.rejectRow(row.line(), row.problem());
        continue;
      }
      CharSequence[] cells = row.cells();
      if (Rejections.blank(cells[id])) {
        rejections.rejectMissing(row.line(), id);
        continue;
      }
      for (int f = 0; f < index.length; f++) {
        values[f] = rejections.number(row.line(), index[f], cells[index[f]]);
        if (Double.isNaN(values[f])) {
          continue rows;
        }
      }
      consumer.accept(cells[id].toString().trim(), values);
    }
    rejections.checkShare(maxRejectedShare, "nothing was scored");
    return new Result(rejections.read(), rejections.rejected(), rejections.reasons());
  }
}
