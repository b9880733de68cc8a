package dev.retention.service.train;

import dev.retention.core.FeatureMatrix;
import dev.retention.data.CsvTokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The customer features an orders training derived, as {@code features.csv.gz} next to the model:
 * one row per customer with its id, every feature in the model's order and the label, so analysts
 * can check the derivation and join it to their own tables. It is the shop's own data in its own
 * bucket, under the model's prefix (the same IAM rules as the model), and never leaves it: the
 * report and the model stay aggregate.
 */
final class FeaturesCsv {

  private static final int DECIMALS = 6;

  private FeaturesCsv() {}

  /** Writes the file gzip-compressed to {@code file}. */
  static void write(
      Path file, List<String> ids, FeatureMatrix features, int[] labels, String labelName)
      throws IOException {
    int d = features.cols();
    double[] x = features.data();
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream gzip = new GZIPOutputStream(raw, 1 << 16);
        Writer out = new OutputStreamWriter(gzip, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(256);
      line.append("customer_id");
      for (String column : features.columns()) {
        line.append(',').append(CsvTokenizer.quote(column));
      }
      line.append(',').append(CsvTokenizer.quote(labelName)).append('\n');
      out.append(line);
      for (int i = 0; i < features.rows(); i++) {
        line.setLength(0);
        line.append(CsvTokenizer.textCell(ids.get(i)));
        for (int c = 0; c < d; c++) {
          line.append(',');
          CsvTokenizer.numberCell(line, x[i * d + c], DECIMALS);
        }
        line.append(',').append(labels[i]).append('\n');
        out.append(line);
      }
    }
  }
}
