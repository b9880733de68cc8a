package dev.retention.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.core.FeatureMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared reference table (../shared/reference, copied to test resources) and sklearn's results.
 */
public final class ReferenceData {

  public static final List<String> FEATURES =
      List.of(
          "recency_days",
          "frequency",
          "monetary",
          "tenure_days",
          "avg_gap_days",
          "sessions_30d",
          "returns_rate");

  public final FeatureMatrix features;
  public final int[] labels;
  public final JsonNode sklearn;

  private ReferenceData(FeatureMatrix features, int[] labels, JsonNode sklearn) {
    this.features = features;
    this.labels = labels;
    this.sklearn = sklearn;
  }

  public static ReferenceData load() {
    try (InputStream csv = resource("/reference/customers.csv");
        InputStream json = resource("/reference/sklearn_results.json")) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
      String[] header = reader.readLine().split(",");
      if (!Arrays.asList(header).subList(1, 8).equals(FEATURES)) {
        throw new IllegalStateException("unexpected header " + Arrays.toString(header));
      }
      List<double[]> rows = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] cells = line.split(",");
        double[] row = new double[7];
        for (int c = 0; c < 7; c++) {
          row[c] = Double.parseDouble(cells[c + 1]);
        }
        rows.add(row);
        labels.add(Integer.parseInt(cells[8]));
      }
      double[] data = new double[rows.size() * 7];
      for (int i = 0; i < rows.size(); i++) {
        System.arraycopy(rows.get(i), 0, data, i * 7, 7);
      }
      return new ReferenceData(
          new FeatureMatrix(FEATURES, data),
          labels.stream().mapToInt(Integer::intValue).toArray(),
          new ObjectMapper().readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference table as CSV text, exactly as shipped. */
  public static byte[] csvBytes() {
    try (InputStream in = resource("/reference/customers.csv")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = ReferenceData.class.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + path);
    }
    return in;
  }
}
