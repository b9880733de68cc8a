package dev.retention.service.train;

import dev.retention.core.FeatureMatrix;
import dev.retention.data.CsvTokenizer;
import dev.retention.training.Holdout;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A model's held-out customers ({@link Holdout}) as {@code holdout.csv.gz} next to it: the raw
 * features in the model's order, then the label; no id. Shop-private like {@code features.csv.gz}
 * (same prefix, same IAM rules); only the next training reads it, for the quality gate. Values are
 * written in Java's shortest round-trip form, so the comparison scores exactly the values the model
 * was evaluated on.
 */
final class HoldoutCsv {

  /** The companion's name. */
  static final String NAME = "holdout.csv.gz";

  /** The label's column in the file. */
  private static final String LABEL = "label";

  private HoldoutCsv() {}

  static void write(Path file, Holdout holdout) throws IOException {
    FeatureMatrix features = holdout.features();
    int d = features.cols();
    double[] x = features.data();
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream gzip = new GZIPOutputStream(raw, 1 << 16);
        Writer out = new OutputStreamWriter(gzip, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(256);
      for (String column : features.columns()) {
        line.append(CsvTokenizer.quote(column)).append(',');
      }
      out.append(line).append(LABEL).append('\n');
      for (int i = 0; i < features.rows(); i++) {
        line.setLength(0);
        for (int c = 0; c < d; c++) {
          line.append(x[i * d + c]).append(',');
        }
        line.append(holdout.labels()[i]).append('\n');
        out.append(line);
      }
    }
  }

  /** The header's column names ({@link CsvTokenizer#quote} quotes a name with a comma). */
  private static List<String> names(String header) {
    List<String> out = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < header.length(); i++) {
      char ch = header.charAt(i);
      if (ch == '"' && quoted && i + 1 < header.length() && header.charAt(i + 1) == '"') {
        name.append('"');
        i++;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        out.add(name.toString());
        name.setLength(0);
      } else {
        name.append(ch);
      }
    }
    out.add(name.toString());
    return out;
  }

  /**
   * Reads a file {@link #write} wrote.
   *
   * @throws IOException when it is not such a file (named by line, never by a value)
   */
  static Holdout read(byte[] gzipped) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gzipped)), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null || !header.endsWith("," + LABEL)) {
        throw new IOException("not a held-out customers file: no header ending in 'label'");
      }
      List<String> columns = names(header.substring(0, header.length() - LABEL.length() - 1));
      int d = columns.size();
      double[] values = new double[1024 * d];
      int[] labels = new int[1024];
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] cells = line.split(",", -1);
        if (cells.length != d + 1) {
          throw new IOException("held-out customers file: line " + (n + 2) + " has a wrong shape");
        }
        if (n == labels.length) {
          labels = Arrays.copyOf(labels, 2 * n);
          values = Arrays.copyOf(values, 2 * n * d);
        }
        try {
          for (int c = 0; c < d; c++) {
            values[n * d + c] = Double.parseDouble(cells[c]);
          }
          labels[n] = Integer.parseInt(cells[d]);
        } catch (NumberFormatException e) {
          throw new IOException("held-out customers file: line " + (n + 2) + " is not numeric");
        }
        n++;
      }
      return new Holdout(
          new FeatureMatrix(columns, Arrays.copyOf(values, n * d)), Arrays.copyOf(labels, n));
    }
  }
}
