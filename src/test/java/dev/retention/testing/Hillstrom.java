package dev.retention.testing;

import dev.retention.core.FeatureMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Kevin Hillstrom's MineThatData e-mail test (2008; 64,000 customers, one third each sent a men's
 * e-mail, a women's e-mail or none), as stored under {@code src/test/resources/real/hillstrom/}
 * (source, terms and dialect in its SOURCE.md), read for the uplift tests and benchmark.
 *
 * <p>Each row is a customer (the file has no id: the id is {@code "H" + row}, 1-based). Features,
 * numeric as the uplift learners take them: {@code recency} (months), {@code history} (dollars in
 * the past year, log1p-transformed by the trainer), {@code mens}, {@code womens}, {@code newbie},
 * and indicators {@code zip_urban}, {@code zip_suburban} (rural: both 0) and {@code channel_phone},
 * {@code channel_web} (multichannel: both 0). Outcomes in the two weeks after: {@code visit},
 * {@code conversion}, {@code spend}.
 */
public final class Hillstrom {

  public static final Path FILE =
      Path.of(
          "src/test/resources/real/hillstrom/"
              + "Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv.gz");

  public static final List<String> FEATURES =
      List.of(
          "recency",
          "history",
          "mens",
          "womens",
          "newbie",
          "zip_urban",
          "zip_suburban",
          "channel_phone",
          "channel_web");

  /** The arms of the {@code segment} column. */
  public enum Arm {
    MENS("Mens E-Mail"),
    WOMENS("Womens E-Mail"),
    NONE("No E-Mail");

    public final String label;

    Arm(String label) {
      this.label = label;
    }
  }

  /** The customers, in file order. */
  public record Data(
      String[] ids, double[] features, Arm[] arm, int[] visit, int[] conversion, double[] spend) {

    public int size() {
      return ids.length;
    }

    /** The customers of {@code treated} and of the control arm: ids, features, treatment flags. */
    public Experiment experiment(Arm treated) {
      return experiment(treated, 1, 0);
    }

    /**
     * As {@link #experiment(Arm)}, keeping only rows whose index is {@code offset} mod {@code
     * every}.
     */
    public Experiment experiment(Arm treated, int every, int offset) {
      int d = FEATURES.size();
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < size(); i++) {
        if (i % every == offset && (arm[i] == treated || arm[i] == Arm.NONE)) {
          rows.add(i);
        }
      }
      int n = rows.size();
      String[] id = new String[n];
      double[] x = new double[n * d];
      int[] t = new int[n];
      int[] v = new int[n];
      int[] c = new int[n];
      double[] s = new double[n];
      for (int k = 0; k < n; k++) {
        int i = rows.get(k);
        id[k] = ids[i];
        System.arraycopy(features, i * d, x, k * d, d);
        t[k] = arm[i] == treated ? 1 : 0;
        v[k] = visit[i];
        c[k] = conversion[i];
        s[k] = spend[i];
      }
      return new Experiment(id, new FeatureMatrix(FEATURES, x), t, v, c, s);
    }
  }

  /** One e-mail arm against no e-mail. */
  public record Experiment(
      String[] ids,
      FeatureMatrix features,
      int[] treatment,
      int[] visit,
      int[] conversion,
      double[] spend) {

    public int size() {
      return ids.length;
    }
  }

  /** Reads the whole file. */
  public static Data read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(FILE)), StandardCharsets.US_ASCII))) {
      String header = in.readLine();
      if (!header.equals(
          "recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,"
              + "conversion,spend")) {
        throw new IllegalStateException("unexpected header: " + header);
      }
      int d = FEATURES.size();
      List<String[]> rows = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        rows.add(split(line));
      }
      int n = rows.size();
      String[] ids = new String[n];
      double[] x = new double[n * d];
      Arm[] arm = new Arm[n];
      int[] visit = new int[n];
      int[] conversion = new int[n];
      double[] spend = new double[n];
      for (int i = 0; i < n; i++) {
        String[] f = rows.get(i);
        ids[i] = "H" + (i + 1);
        x[i * d] = Double.parseDouble(f[0]);
        x[i * d + 1] = Double.parseDouble(f[2]);
        x[i * d + 2] = Double.parseDouble(f[3]);
        x[i * d + 3] = Double.parseDouble(f[4]);
        x[i * d + 4] = Double.parseDouble(f[6]);
        x[i * d + 5] = f[5].equals("Urban") ? 1 : 0;
        x[i * d + 6] = f[5].equals("Surburban") ? 1 : 0;
        x[i * d + 7] = f[7].equals("Phone") ? 1 : 0;
        x[i * d + 8] = f[7].equals("Web") ? 1 : 0;
        arm[i] = arm(f[8], i + 2);
        visit[i] = Integer.parseInt(f[9]);
        conversion[i] = Integer.parseInt(f[10]);
        spend[i] = Double.parseDouble(f[11]);
      }
      return new Data(ids, x, arm, visit, conversion, spend);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Arm arm(String label, int line) {
    for (Arm a : Arm.values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new IllegalStateException("line " + line + ": unknown segment");
  }

  /** Splits one line of the file: commas, with {@code "..."} around a value that holds one. */
  static String[] split(String line) {
    List<String> out = new ArrayList<>(12);
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    out.add(cell.toString());
    if (out.size() != 12) {
      throw new IllegalStateException(
          "a Hillstrom row has 12 fields, got "
              + out.size()
              + ": "
              + Arrays.toString(out.toArray()));
    }
    return out.toArray(new String[0]);
  }

  private Hillstrom() {}
}
