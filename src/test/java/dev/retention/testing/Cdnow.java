package dev.retention.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDNOW customer summary of lifetimes (test resources {@code cdnow/}; see its SOURCE.md): 2,357
 * customers, times in weeks, and lifetimes' results on it.
 */
public final class Cdnow {

  public final int[] id;
  public final int[] x;
  public final double[] tx;
  public final double[] age;

  /** Mean repeat transaction value ({@code zbar}); 0 where {@code x = 0}. */
  public final double[] m;

  /** lifetimes_reference.json: lifetimes' fits and a handful of customers' predictions. */
  public final JsonNode lifetimes;

  /** lifetimes_predictions.csv, per customer in file order. */
  public final double[] lifetimesProbabilityAlive;

  public final double[] lifetimesExpected39;
  public final double[] lifetimesExpected52;

  private Cdnow(
      int[] id,
      int[] x,
      double[] tx,
      double[] age,
      double[] m,
      JsonNode lifetimes,
      double[][] predictions) {
    this.id = id;
    this.x = x;
    this.tx = tx;
    this.age = age;
    this.m = m;
    this.lifetimes = lifetimes;
    this.lifetimesProbabilityAlive = predictions[0];
    this.lifetimesExpected39 = predictions[1];
    this.lifetimesExpected52 = predictions[2];
  }

  public int size() {
    return x.length;
  }

  /** Row index of a customer id. */
  public int row(int customerId) {
    for (int i = 0; i < id.length; i++) {
      if (id[i] == customerId) {
        return i;
      }
    }
    throw new IllegalArgumentException("no customer " + customerId);
  }

  public static Cdnow load() {
    List<String[]> summary = csv("/cdnow/cdnow_customers_summary_with_transactions.csv", 5);
    List<String[]> predictions = csv("/cdnow/lifetimes_predictions.csv", 4);
    int n = summary.size();
    if (predictions.size() != n) {
      throw new IllegalStateException("predictions for " + predictions.size() + " of " + n);
    }
    int[] id = new int[n];
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    double[] m = new double[n];
    double[][] p = new double[3][n];
    for (int i = 0; i < n; i++) {
      String[] row = summary.get(i);
      id[i] = Integer.parseInt(row[0]);
      x[i] = Integer.parseInt(row[1]);
      tx[i] = Double.parseDouble(row[2]);
      age[i] = Double.parseDouble(row[3]);
      m[i] = Double.parseDouble(row[4]);
      String[] predicted = predictions.get(i);
      if (Integer.parseInt(predicted[0]) != id[i]) {
        throw new IllegalStateException("predictions out of order at row " + i);
      }
      for (int k = 0; k < 3; k++) {
        p[k][i] = Double.parseDouble(predicted[k + 1]);
      }
    }
    try (InputStream json = resource("/cdnow/lifetimes_reference.json")) {
      return new Cdnow(id, x, tx, age, m, new ObjectMapper().readTree(json), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String[]> csv(String name, int columns) {
    try (InputStream in = resource(name)) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      reader.readLine(); // header
      List<String[]> rows = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.strip().split(",");
        if (cells.length != columns) {
          throw new IllegalStateException(name + ": " + cells.length + " cells in a row");
        }
        rows.add(cells);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = Cdnow.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }
}
