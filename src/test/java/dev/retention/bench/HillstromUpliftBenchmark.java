package dev.retention.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.campaign.CampaignOutcomes;
import dev.retention.campaign.Group;
import dev.retention.campaign.LiftOptions;
import dev.retention.campaign.LiftResult;
import dev.retention.campaign.MeasuredLift;
import dev.retention.campaign.UpliftTraining;
import dev.retention.campaign.UpliftTrainingOptions;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.Intervals;
import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftMetrics;
import dev.retention.model.UpliftModel;
import dev.retention.testing.Hillstrom;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The uplift models on a real randomized experiment, Hillstrom's MineThatData e-mail test, next to
 * a scikit-learn two-model baseline ({@code src/bench/python/uplift_peer.py}) in the same run, and
 * the measured lift of each e-mail arm.
 *
 * <p>For each arm (women's, men's e-mail) against no e-mail and each outcome (visit, conversion):
 * one seeded 70/30 split stratified by treatment × outcome; the product trains on the 70 % exactly
 * as a shop's campaign would ({@link UpliftTraining}: its own inner split to choose the learner,
 * then the chosen learner refit on the 70 %), and so does each product learner alone; the peer fits
 * its two logistic regressions on the same 70 % with the same scaling (log1p of {@code history},
 * z-scores on the training rows, {@code C = 1}). Every ranking is measured on the same untouched 30
 * % by the same code ({@link UpliftMetrics}: Qini coefficient, AUUC, normalised Qini), with a
 * paired bootstrap interval (resampled validation rows) of product − peer Qini, and the agreement
 * of the product's two-model uplift with the peer's (the same model, two solvers).
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.retention.bench.HillstromUpliftBenchmark}. Arguments: {@code python} (default:
 * the first of {@code python3}, {@code /usr/bin/python3} that imports sklearn), {@code seed} (42),
 * {@code resamples} (200, of the paired bootstrap), {@code out} ({@code target/uplift-peer}).
 */
public final class HillstromUpliftBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIN = 50;

  private final String python;
  private final Path script = Path.of("src/bench/python/uplift_peer.py");
  private final Path out;
  private final long seed;
  private final int resamples;

  private HillstromUpliftBenchmark(java.util.Map<String, String> args) {
    python = args.containsKey("python") ? args.get("python") : findPython();
    out = Path.of(args.getOrDefault("out", "target/uplift-peer"));
    seed = Long.parseLong(args.getOrDefault("seed", "42"));
    resamples = Integer.parseInt(args.getOrDefault("resamples", "200"));
  }

  public static void main(String[] argv) throws Exception {
    java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq < 0 || !List.of("python", "seed", "resamples", "out").contains(a.substring(0, eq))) {
        throw new IllegalArgumentException("unknown argument " + a);
      }
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    new HillstromUpliftBenchmark(args).run();
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    Hillstrom.Data data = Hillstrom.read();
    System.out.printf(
        Locale.ROOT,
        "Hillstrom MineThatData e-mail test: %d customers; java %s, %d cores; python %s%n%n",
        data.size(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        python);
    measuredLift(data);
    System.out.println();
    System.out.println("| arm | outcome | ranking | Qini | AUUC | normalised Qini | fit s |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    List<String> notes = new ArrayList<>();
    for (Hillstrom.Arm arm : List.of(Hillstrom.Arm.WOMENS, Hillstrom.Arm.MENS)) {
      for (String outcome : List.of("visit", "conversion")) {
        notes.add(task(data.experiment(arm), arm, outcome));
      }
    }
    System.out.println();
    notes.forEach(System.out::println);
  }

  /** The measured lift of each arm against no e-mail on the whole file. */
  private static void measuredLift(Hillstrom.Data data) {
    System.out.println(
        "| arm | outcome | e-mail | no e-mail | difference, Newcombe (95 %) | MDE (α 0.05, power"
            + " 0.8) |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    List<String> spend = new ArrayList<>();
    for (Hillstrom.Arm arm : List.of(Hillstrom.Arm.MENS, Hillstrom.Arm.WOMENS)) {
      Hillstrom.Experiment e = data.experiment(arm);
      for (String outcome : List.of("visit", "conversion")) {
        CampaignOutcomes o = new CampaignOutcomes(1);
        int[] y = outcome.equals("visit") ? e.visit() : e.conversion();
        for (int i = 0; i < e.size(); i++) {
          o.add(e.treatment()[i] == 1 ? Group.CONTACT : Group.HOLDOUT, 0, y[i] == 1, e.spend()[i]);
        }
        LiftResult.Comparison c =
            MeasuredLift.measure(o, arm.label, List.of("all"), MIN, LiftOptions.defaults())
                .overall();
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %.2f pp |%n",
            arm.label,
            outcome,
            rate(c.contact().repurchaseRate()),
            rate(c.holdout().repurchaseRate()),
            points(c.rateDifference()),
            100 * c.minimumDetectableRateDifference());
        if (outcome.equals("visit")) {
          spend.add(
              String.format(
                  Locale.ROOT,
                  "| %s | %.4f | %.4f | %s | %s | %s | %.3f |",
                  arm.label,
                  c.contact().revenuePerCustomer(),
                  c.holdout().revenuePerCustomer(),
                  money(c.revenueDifference()),
                  money(c.revenueDifferenceBootstrap()),
                  money(c.incrementalRevenue()),
                  c.minimumDetectableRevenueDifference()));
        }
      }
    }
    System.out.println();
    System.out.println(
        "| arm | spend per customer, e-mail | no e-mail | difference, Welch (95 %) | bootstrap"
            + " (95 %, 2,000) | incremental spend of the e-mailed (Welch) | MDE |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    spend.forEach(System.out::println);
  }

  private static String rate(Intervals.Interval i) {
    return String.format(
        Locale.ROOT, "%.2f %% [%.2f, %.2f]", 100 * i.estimate(), 100 * i.lower(), 100 * i.upper());
  }

  private static String points(Intervals.Interval i) {
    return String.format(
        Locale.ROOT,
        "%+.2f pp [%+.2f, %+.2f]",
        100 * i.estimate(),
        100 * i.lower(),
        100 * i.upper());
  }

  private static String money(Intervals.Interval i) {
    return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", i.estimate(), i.lower(), i.upper());
  }

  /** One arm × outcome: product and peer on the same split; returns the agreement note. */
  private String task(Hillstrom.Experiment e, Hillstrom.Arm arm, String outcome)
      throws IOException, InterruptedException {
    int[] y = outcome.equals("visit") ? e.visit() : e.conversion();
    boolean[] validation = split(e.treatment(), y, 0.3, seed);
    int[] train = indexes(validation, false);
    int[] held = indexes(validation, true);
    int[] heldT = pick(e.treatment(), held);
    double[] heldY = new double[held.length];
    for (int k = 0; k < held.length; k++) {
      heldY[k] = y[held[k]];
    }
    FeatureMatrix trainX = e.features().selectRows(train);
    FeatureMatrix heldX = e.features().selectRows(held);
    String[] trainIds = new String[train.length];
    for (int k = 0; k < train.length; k++) {
      trainIds[k] = e.ids()[train[k]];
    }
    UpliftTrainingOptions options =
        UpliftTrainingOptions.defaults().withLog1pColumns(List.of("history"));

    List<Object[]> rows = new ArrayList<>();
    long start = System.nanoTime();
    UpliftModel product =
        UpliftTraining.fit(
            trainIds, trainX, pick(e.treatment(), train), pick(y, train), options, MIN);
    double productSeconds = (System.nanoTime() - start) / 1e9;
    double[] productScore = score(product, heldX);
    rows.add(
        new Object[] {"product (chose " + product.learner() + ")", productScore, productSeconds});
    double[] productTwoModel = null;
    for (UpliftLearner learner : UpliftLearner.values()) {
      start = System.nanoTime();
      UpliftModel alone =
          UpliftTraining.fit(
              trainIds,
              trainX,
              pick(e.treatment(), train),
              pick(y, train),
              options.withCandidates(List.of(learner)),
              MIN);
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] s = score(alone, heldX);
      if (learner == UpliftLearner.TWO_MODEL) {
        productTwoModel = s;
      }
      rows.add(new Object[] {"  product " + learner + " alone", s, seconds});
    }
    Peer peer = peer(e, y, validation, arm, outcome);
    rows.add(new Object[] {"scikit-learn two-model (peer)", peer.uplift(), peer.fitSeconds()});

    for (Object[] row : rows) {
      UpliftMetrics.Evaluation m = UpliftMetrics.evaluate((double[]) row[1], heldT, heldY);
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.5f | %.5f | %.3f | %.2f |%n",
          arm.label,
          outcome,
          row[0],
          m.qini(),
          m.auuc(),
          m.normalizedQini(),
          (double) row[2]);
    }
    // Random order: its Qini is 0 in expectation; its spread over seeds is the noise floor.
    SplittableRandom random = new SplittableRandom(seed);
    double[] randomQini = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      randomQini[r] = UpliftMetrics.qini(random.doubles(held.length).toArray(), heldT, heldY);
    }
    double mean = Arrays.stream(randomQini).average().orElseThrow();
    double sd =
        Math.sqrt(
            Arrays.stream(randomQini).map(q -> (q - mean) * (q - mean)).sum() / (resamples - 1));
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | random order, %d seeds: mean ± sd | %.5f ± %.5f | | | |%n",
        arm.label,
        outcome,
        resamples,
        mean,
        sd);
    double maxDifference = 0;
    for (int k = 0; k < held.length; k++) {
      maxDifference = Math.max(maxDifference, Math.abs(productTwoModel[k] - peer.uplift()[k]));
    }
    double[] paired = pairedQiniDifference(productScore, peer.uplift(), heldT, heldY);
    return String.format(
        Locale.ROOT,
        "%s, %s: %d training / %d held-out customers (ATE on held-out %+.4f); product − peer Qini"
            + " %+.5f, paired bootstrap 95 %% [%+.5f, %+.5f] (%d resamples); product two-model vs"
            + " scikit-learn two-model: max |uplift difference| %.2e",
        arm.label,
        outcome,
        train.length,
        held.length,
        UpliftMetrics.evaluate(productScore, heldT, heldY).averageEffect(),
        paired[0],
        paired[1],
        paired[2],
        resamples,
        maxDifference);
  }

  private static double[] score(UpliftModel model, FeatureMatrix x) {
    double[] out = new double[x.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = model.uplift(x.row(i));
    }
    return out;
  }

  /** {@code [difference, lower, upper]} of Qini(a) − Qini(b) over resampled rows. */
  private double[] pairedQiniDifference(double[] a, double[] b, int[] t, double[] y) {
    double observed = UpliftMetrics.qini(a, t, y) - UpliftMetrics.qini(b, t, y);
    SplittableRandom random = new SplittableRandom(seed);
    int n = t.length;
    double[] differences = new double[resamples];
    double[] ra = new double[n];
    double[] rb = new double[n];
    int[] rt = new int[n];
    double[] ry = new double[n];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(n);
        ra[i] = a[k];
        rb[i] = b[k];
        rt[i] = t[k];
        ry[i] = y[k];
      }
      differences[r] = UpliftMetrics.qini(ra, rt, ry) - UpliftMetrics.qini(rb, rt, ry);
    }
    Arrays.sort(differences);
    return new double[] {
      observed,
      differences[(int) Math.floor(0.025 * (resamples - 1))],
      differences[(int) Math.ceil(0.975 * (resamples - 1))]
    };
  }

  private record Peer(double[] uplift, double fitSeconds) {}

  /** Writes the design with its folds, runs the peer, reads its held-out uplift. */
  private Peer peer(
      Hillstrom.Experiment e, int[] y, boolean[] validation, Hillstrom.Arm arm, String outcome)
      throws IOException, InterruptedException {
    String name = arm.name().toLowerCase(Locale.ROOT) + "-" + outcome;
    Path design = out.resolve(name + "-design.csv");
    Path result = out.resolve(name + "-peer-uplift.txt");
    try (BufferedWriter w = Files.newBufferedWriter(design, StandardCharsets.UTF_8)) {
      w.write("fold,treatment,outcome," + String.join(",", e.features().columns()));
      w.newLine();
      int d = e.features().cols();
      for (int i = 0; i < e.size(); i++) {
        StringBuilder line = new StringBuilder();
        line.append(validation[i] ? "validation" : "train")
            .append(',')
            .append(e.treatment()[i])
            .append(',')
            .append(y[i]);
        for (int c = 0; c < d; c++) {
          line.append(',').append(e.features().get(i, c));
        }
        w.write(line.toString());
        w.newLine();
      }
    }
    Process p =
        new ProcessBuilder(python, script.toString(), design.toString(), result.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the peer failed: " + output);
    }
    JsonNode meta = JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElseThrow());
    List<String> lines = Files.readAllLines(result);
    double[] uplift = new double[lines.size()];
    for (int i = 0; i < uplift.length; i++) {
      uplift[i] = Double.parseDouble(lines.get(i));
    }
    System.err.println("peer " + name + ": " + meta);
    return new Peer(uplift, meta.get("fitSeconds").asDouble());
  }

  /** Validation flags: a seeded share of each treatment × outcome class. */
  static boolean[] split(int[] t, int[] y, double fraction, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] held = new boolean[t.length];
    for (int c = 0; c < 4; c++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < t.length; i++) {
        if (2 * t[i] + y[i] == c) {
          rows.add(i);
        }
      }
      int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
      for (int i = r.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int s = r[i];
        r[i] = r[j];
        r[j] = s;
      }
      for (int k = 0; k < Math.round(fraction * r.length); k++) {
        held[r[k]] = true;
      }
    }
    return held;
  }

  private static int[] indexes(boolean[] flags, boolean value) {
    int count = 0;
    for (boolean f : flags) {
      count += f == value ? 1 : 0;
    }
    int[] out = new int[count];
    for (int i = 0, k = 0; i < flags.length; i++) {
      if (flags[i] == value) {
        out[k++] = i;
      }
    }
    return out;
  }

  private static int[] pick(int[] values, int[] rows) {
    int[] out = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = values[rows[k]];
    }
    return out;
  }

  private static String findPython() {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import sklearn, pandas")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException | InterruptedException e) {
        // try the next one
      }
    }
    throw new IllegalStateException(
        "no python3 with scikit-learn and pandas (apt-get install python3-sklearn python3-pandas)");
  }
}
