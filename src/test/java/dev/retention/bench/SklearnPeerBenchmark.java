package dev.retention.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.core.Centroids;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansFit;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.data.ExportFormat;
import dev.retention.data.ExportSchema;
import dev.retention.data.FeatureExportReader;
import dev.retention.data.ReadResult;
import dev.retention.model.RetentionModel;
import dev.retention.testing.Synthetic;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The numeric core side by side with scikit-learn 1.2.1 ({@code src/bench/python/sklearn_peer.py}
 * as a subprocess) on the seeded 1,000,000 x 8 table of {@link CoreBenchmark}, written once as a
 * CSV export. Rounds alternate: every Java stage in-process, then the Python peer with 2 and with 1
 * thread (order swapped each round), so a noisy shared machine hits both sides alike; the table
 * shows medians over rounds and the ratio product / sklearn.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.retention.bench.SklearnPeerBenchmark -Dbench.args="rows=1000000 rounds=3"}.
 * Arguments: {@code rows}, {@code rounds}, {@code python} (default: the first of {@code python3},
 * {@code /usr/bin/python3} that imports sklearn), {@code script}, {@code csv} (default {@code
 * target/sklearn-peer/features-<rows>.csv}), {@code out} (raw peer output, default {@code
 * target/sklearn-peer}), {@code java1=false} to skip the product's 1-thread runs, {@code
 * peerThreads=2,1}, {@code whole=false} to run the numeric kernels only (no whole training on
 * either side, no memory measurement). The peer inherits the environment: on a shared machine,
 * {@code OMP_WAIT_POLICY=PASSIVE} keeps libgomp's spinning threads from stalling when another
 * process holds a core (it changed sklearn's 2-thread whole training from about 19 s to 6 s here).
 */
public final class SklearnPeerBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String R_READ_MEM = "read CSV (product: byte[] in memory)";
  private static final String R_READ_FILE = "read CSV (product: file)";
  private static final String R_READ_NOID = "read CSV, pandas usecols without id (product: file)";
  private static final String R_STD = "standardize fit+transform";
  private static final String R_KM1 = "kmeans k=5 nInit=1 maxIter=100 (product Hamerly)";
  private static final String R_KM1_IT = "  per iteration (total / iterations)";
  private static final String R_KM1L = "kmeans k=5 nInit=1 maxIter=100 (product plain Lloyd)";
  private static final String R_KM1L_IT = "  per iteration (total / iterations) ";
  private static final String R_KMF_IT = "kmeans fixed init, per iteration (product Hamerly)";
  private static final String R_KMFL_IT = "kmeans fixed init, per iteration (product plain Lloyd)";
  private static final String R_KM10 = "kmeans k=5 nInit=10 maxIter=300";
  private static final String R_LR = "logistic C=1 (product Newton 1e-9 | lbfgs tol 1e-4)";
  private static final String R_LR8 = "logistic C=1 (product Newton 1e-9 | lbfgs tol 1e-8)";
  private static final String R_KM1_IT_CPU =
      "kmeans k=5 nInit=1, per iteration, process CPU time (product Hamerly)";
  private static final String R_KMF_IT_CPU = "kmeans fixed init, per iteration, process CPU time";
  private static final String R_KM10_CPU = "kmeans k=5 nInit=10, process CPU time";
  private static final String R_LR_CPU = "logistic C=1 (lbfgs tol 1e-4), process CPU time";
  private static final String R_WHOLE = "whole training: read file + train (defaults)";
  private static final String R_WHOLE_OFF = "whole training, product nonLinear OFF";
  private static final List<String> PARTS =
      List.of("read", "standardize", "kSearch", "kmeans", "evaluate", "refit", "profile");

  private static final List<String> ROW_ORDER = rowOrder();

  private static List<String> rowOrder() {
    List<String> rows =
        new ArrayList<>(
            List.of(
                R_READ_MEM,
                R_READ_FILE,
                R_READ_NOID,
                R_STD,
                R_KM1,
                R_KM1_IT,
                R_KM1L,
                R_KM1L_IT,
                R_KMF_IT,
                R_KMFL_IT,
                R_KM10,
                R_LR,
                R_LR8,
                R_KM1_IT_CPU,
                R_KMF_IT_CPU,
                R_KM10_CPU,
                R_LR_CPU,
                R_WHOLE,
                R_WHOLE_OFF));
    for (String part : PARTS) {
      rows.add(part(part));
    }
    return rows;
  }

  private static String part(String name) {
    return "  whole: " + name;
  }

  /** Stages whose product code is single-threaded: one measurement serves both columns. */
  private static final List<String> SINGLE_THREADED =
      List.of(R_READ_MEM, R_READ_FILE, R_READ_NOID, R_STD, part("read"), part("standardize"));

  private final int rows;
  private final int rounds;
  private final boolean javaOneThread;
  private final boolean wholeTraining;
  private final List<Integer> peerThreads;
  private final String python;
  private final Path script;
  private final Path csv;
  private final Path out;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final String productAll = "product " + cores + "T";
  private final String productOne = "product 1T";

  /** row -> column -> seconds per round. */
  private final Map<String, Map<String, List<Double>>> table = new LinkedHashMap<>();

  /** Latest deterministic results, for the agreement lines: name -> value. */
  private final Map<String, Object> product = new LinkedHashMap<>();

  /** Latest peer JSON line per stage key and thread count. */
  private final Map<String, JsonNode> peer = new LinkedHashMap<>();

  private final List<Double> peerWholeRss = new ArrayList<>();
  private final List<Double> peerWholeRssBefore = new ArrayList<>();
  private final List<String> loads = new ArrayList<>();
  private byte[] bytes;

  private SklearnPeerBenchmark(Map<String, String> args) throws IOException, InterruptedException {
    rows = Integer.parseInt(args.getOrDefault("rows", "1000000"));
    rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
    javaOneThread = Boolean.parseBoolean(args.getOrDefault("java1", "true"));
    wholeTraining = Boolean.parseBoolean(args.getOrDefault("whole", "true"));
    peerThreads =
        Arrays.stream(args.getOrDefault("peerThreads", "2,1").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    script = Path.of(args.getOrDefault("script", "src/bench/python/sklearn_peer.py"));
    out = Path.of(args.getOrDefault("out", "target/sklearn-peer"));
    csv = Path.of(args.getOrDefault("csv", "target/sklearn-peer/features-" + rows + ".csv"));
    python = args.containsKey("python") ? args.get("python") : findPython();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2
          || !List.of(
                  "rows",
                  "rounds",
                  "python",
                  "script",
                  "csv",
                  "out",
                  "java1",
                  "peerThreads",
                  "whole")
              .contains(kv[0])) {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
      parsed.put(kv[0], kv[1]);
    }
    new SklearnPeerBenchmark(parsed).run();
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    System.out.printf(
        "machine: %d cores, java %s, max heap %d MB; python %s%n",
        cores, System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, python);
    long t = System.nanoTime();
    writeCsv();
    bytes = Files.readAllBytes(csv);
    System.out.printf(
        "data: %s, %d rows x 8 features, %.1f MB, written in %.1f s%n",
        csv, rows, bytes.length / 1e6, (System.nanoTime() - t) / 1e9);

    System.out.println("warm-up (Java stages, not recorded)");
    javaStages(0, false);
    for (int round = 1; round <= rounds; round++) {
      String load = load();
      loads.add("round " + round + ": " + load);
      System.out.printf("%n=== round %d/%d, load: %s%n", round, rounds, load);
      javaStages(round, true);
      List<Integer> order = new ArrayList<>(peerThreads);
      if (round % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (int threads : order) {
        System.out.printf("  load before sklearn %dT: %s%n", threads, load());
        peerRound(round, threads);
      }
    }
    System.out.printf("load after the last round: %s%n", load());
    printTable();
    printAgreement();
    if (wholeTraining) {
      memory();
    }
  }

  // ---------------------------------------------------------------- Java side

  private void javaStages(int round, boolean record) throws IOException {
    ExportFormat format = ExportFormat.of("features.csv").orElseThrow();
    ExportSchema schema = ExportSchema.defaults();
    ReadResult[] read = new ReadResult[1];
    measure(
        round,
        record,
        R_READ_MEM,
        productAll,
        () -> read[0] = FeatureExportReader.read(new ByteArrayInputStream(bytes), format, schema));
    measure(round, record, R_READ_FILE, productAll, () -> read[0] = readFile());
    copy(R_READ_FILE, R_READ_NOID, record);
    FeatureMatrix raw = read[0].features();
    int[] labels = read[0].labels();
    FeatureMatrix[] z = new FeatureMatrix[1];
    measure(
        round,
        record,
        R_STD,
        productAll,
        () -> z[0] = Standardization.fit(raw, List.of()).transform(raw));

    List<Integer> threadCounts = javaOneThread ? List.of(0, 1) : List.of(0);
    for (int threads : threadCounts) {
      String column = threads == 0 ? productAll : productOne;
      KMeansOptions single =
          KMeansOptions.defaults().withNInit(1).withMaxIter(100).withThreads(threads);
      KMeansFit[] fit = new KMeansFit[1];
      long cpu = processCpuNanos();
      double s = measure(round, record, R_KM1, column, () -> fit[0] = KMeans.fit(z[0], 5, single));
      put(R_KM1_IT_CPU, column, (processCpuNanos() - cpu) / 1e9 / fit[0].iterations(), record);
      derived(round, record, R_KM1_IT, column, s / fit[0].iterations());
      note("kmeans1 inertia", fit[0].inertia());
      note("kmeans1 iterations", fit[0].iterations());

      KMeansOptions lloyd = single.withAlgorithm(KMeansOptions.Algorithm.LLOYD);
      s = measure(round, record, R_KM1L, column, () -> fit[0] = KMeans.fit(z[0], 5, lloyd));
      derived(round, record, R_KM1L_IT, column, s / fit[0].iterations());
      note("kmeans1 Lloyd inertia", fit[0].inertia());

      Centroids fixed = fixedInit(z[0]);
      cpu = processCpuNanos();
      s = measure(round, record, null, column, () -> fit[0] = KMeans.refine(z[0], fixed, single));
      put(R_KMF_IT_CPU, column, (processCpuNanos() - cpu) / 1e9 / fit[0].iterations(), record);
      derived(round, record, R_KMF_IT, column, s / fit[0].iterations());
      note("fixed-init inertia", fit[0].inertia());
      note("fixed-init iterations", fit[0].iterations());
      s = measure(round, record, null, column, () -> fit[0] = KMeans.refine(z[0], fixed, lloyd));
      derived(round, record, R_KMFL_IT, column, s / fit[0].iterations());
      note("fixed-init Lloyd iterations", fit[0].iterations());

      KMeansOptions ten = KMeansOptions.defaults().withThreads(threads);
      cpu = processCpuNanos();
      measure(round, record, R_KM10, column, () -> fit[0] = KMeans.fit(z[0], 5, ten));
      put(R_KM10_CPU, column, (processCpuNanos() - cpu) / 1e9, record);
      note("kmeans10 inertia", fit[0].inertia());
      note("kmeans10 iterations", fit[0].iterations());

      LogisticFit[] lr = new LogisticFit[1];
      LogisticOptions logistic = LogisticOptions.defaults().withThreads(threads);
      cpu = processCpuNanos();
      s =
          measure(
              round,
              record,
              R_LR,
              column,
              () -> lr[0] = LogisticRegression.fit(z[0], labels, logistic));
      put(R_LR_CPU, column, (processCpuNanos() - cpu) / 1e9, record);
      put(R_LR8, column, s, record);
      note("logistic", lr[0]);

      if (!wholeTraining) {
        continue;
      }
      TrainingOptions options = TrainingOptions.defaults().withThreads(threads);
      whole(round, record, R_WHOLE, column, options, true);
      whole(
          round,
          record,
          R_WHOLE_OFF,
          column,
          options.withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)),
          false);
    }
  }

  private void whole(
      int round, boolean record, String row, String column, TrainingOptions options, boolean parts)
      throws IOException {
    Trainer.Identity id = new Trainer.Identity("bench", "bench", Instant.EPOCH);
    long start = System.nanoTime();
    ReadResult read = readFile();
    long readNanos = System.nanoTime() - start;
    RetentionModel model =
        new Trainer(options)
            .train(Trainer.Input.of(read.features(), read.labels(), "repurchased"), id);
    double seconds = (System.nanoTime() - start) / 1e9;
    put(row, column, seconds, record);
    log(round, record, row, column, seconds);
    if (parts) {
      put(part("read"), column, readNanos / 1e9, record);
      for (Map.Entry<String, Long> e : model.provenance().timingsMs().entrySet()) {
        if (PARTS.contains(e.getKey())) {
          put(part(e.getKey()), column, e.getValue() / 1e3, record);
        }
      }
      note("whole K", model.segmentation().k());
      note("whole AUC", model.evaluation().rocAuc());
      note("whole timings ms", model.provenance().timingsMs());
      note("whole expansion", model.classifier().nonLinear().used());
    }
  }

  private ReadResult readFile() throws IOException {
    try (InputStream in = Files.newInputStream(csv)) {
      return FeatureExportReader.read(
          in, ExportFormat.of("features.csv").orElseThrow(), ExportSchema.defaults());
    }
  }

  /** Standardized rows {@code i * (n / 5)}, i = 0..4: the peer's fixed start. */
  private static Centroids fixedInit(FeatureMatrix z) {
    int k = 5;
    int d = z.cols();
    double[] centres = new double[k * d];
    for (int j = 0; j < k; j++) {
      System.arraycopy(z.row(j * (z.rows() / k)), 0, centres, j * d, d);
    }
    return new Centroids(k, d, centres);
  }

  @FunctionalInterface
  private interface Work {
    void run() throws IOException;
  }

  /** Times one run of {@code work}; records it under {@code row} unless the row is null. */
  private double measure(int round, boolean record, String row, String column, Work work)
      throws IOException {
    long t = System.nanoTime();
    work.run();
    double seconds = (System.nanoTime() - t) / 1e9;
    if (row != null) {
      put(row, column, seconds, record);
      log(round, record, row, column, seconds);
    }
    return seconds;
  }

  /**
   * CPU time of this process, all threads (JIT and GC threads included; measured after the warm-up
   * round): the work a stage took, which the other jobs on a shared machine inflate far less than
   * its wall time.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void log(int round, boolean record, String row, String column, double seconds) {
    if (record) {
      System.out.printf("  r%d %-12s %-58s %9.4f s%n", round, column, row.strip(), seconds);
    }
  }

  private void derived(int round, boolean record, String row, String column, double seconds) {
    put(row, column, seconds, record);
    log(round, record, row, column, seconds);
  }

  private void copy(String from, String to, boolean record) {
    if (record) {
      List<Double> values = table.get(from).get(productAll);
      put(to, productAll, values.get(values.size() - 1), true);
    }
  }

  private void put(String row, String column, double seconds, boolean record) {
    if (record) {
      table
          .computeIfAbsent(row, r -> new LinkedHashMap<>())
          .computeIfAbsent(column, c -> new ArrayList<>())
          .add(seconds);
    }
  }

  private void note(String name, Object value) {
    product.put(name, value);
  }

  // ---------------------------------------------------------------- Python side

  private void peerRound(int round, int threads) throws IOException, InterruptedException {
    String column = "sklearn " + threads + "T";
    for (JsonNode line :
        runPeer(round, threads, "read,kmeans1,kmeans1fixed,kmeans10,logreg", "stages")) {
      String stage = line.get("stage").asText();
      switch (stage) {
        case "read" -> {
          double s = line.get("seconds").asDouble();
          peerPut(round, R_READ_MEM, column, s);
          peerPut(round, R_READ_FILE, column, s);
          peerPut(round, R_READ_NOID, column, line.get("seconds_without_id").asDouble());
          System.out.printf(
              "    pandas %.0f MB/s (%.0f MB/s without id)%n",
              line.get("mb_per_s").asDouble(), line.get("mb_per_s_without_id").asDouble());
        }
        case "standardize" -> peerPut(round, R_STD, column, line.get("seconds").asDouble());
        case "kmeans1" -> {
          put(R_KM1_IT_CPU, column, line.get("cpu_seconds_per_iter").asDouble(), true);
          peerPut(round, R_KM1, column, line.get("seconds").asDouble());
          peerPut(round, R_KM1L, column, line.get("seconds").asDouble());
          peerPut(round, R_KM1_IT, column, line.get("seconds_per_iter").asDouble());
          peerPut(round, R_KM1L_IT, column, line.get("seconds_per_iter").asDouble());
        }
        case "kmeans1fixed" -> {
          put(R_KMF_IT_CPU, column, line.get("cpu_seconds_per_iter").asDouble(), true);
          peerPut(round, R_KMF_IT, column, line.get("seconds_per_iter").asDouble());
          peerPut(round, R_KMFL_IT, column, line.get("seconds_per_iter").asDouble());
        }
        case "kmeans10" -> {
          put(R_KM10_CPU, column, line.get("cpu_seconds").asDouble(), true);
          peerPut(round, R_KM10, column, line.get("seconds").asDouble());
        }
        case "logreg" -> {
          boolean strict = line.get("tol").asDouble() < 1e-6;
          if (!strict) {
            put(R_LR_CPU, column, line.get("cpu_seconds").asDouble(), true);
          }
          peerPut(round, strict ? R_LR8 : R_LR, column, line.get("seconds").asDouble());
          stage = strict ? "logreg-1e-8" : "logreg-1e-4";
        }
        default -> {
          // meta: versions and thread pools, printed once
          if (peer.isEmpty()) {
            System.out.println("    peer: " + line);
          }
        }
      }
      peer.put(stage + "/" + threads, line);
    }
    if (!wholeTraining) {
      return;
    }
    for (JsonNode line : runPeer(round, threads, "whole", "whole")) {
      if ("whole".equals(line.get("stage").asText())) {
        peerPut(round, R_WHOLE, column, line.get("seconds").asDouble());
        peerPut(round, R_WHOLE_OFF, column, line.get("seconds").asDouble());
        for (Map.Entry<String, JsonNode> e : line.get("parts").properties()) {
          peerPut(round, part(e.getKey()), column, e.getValue().asDouble());
        }
        peerWholeRss.add(line.get("peak_rss_mb").asDouble());
        peerWholeRssBefore.add(line.get("peak_rss_mb_before").asDouble());
        System.out.printf(
            "    sklearn whole: K %d, AUC %.5f, peak RSS %.0f MB (%.0f MB before the stage)%n",
            line.get("chosen_k").asInt(),
            line.get("metrics").get("roc_auc").asDouble(),
            line.get("peak_rss_mb").asDouble(),
            line.get("peak_rss_mb_before").asDouble());
        peer.put("whole/" + threads, line);
      }
    }
  }

  private void peerPut(int round, String row, String column, double seconds) {
    put(row, column, seconds, true);
    log(round, true, row, column, seconds);
  }

  /** Runs the peer once; keeps its raw output under {@code out}; returns its JSON lines. */
  private List<JsonNode> runPeer(int round, int threads, String stages, String name)
      throws IOException, InterruptedException {
    Path raw = out.resolve("peer-r" + round + "-t" + threads + "-" + name + ".jsonl");
    Path err = out.resolve("peer-r" + round + "-t" + threads + "-" + name + ".stderr");
    List<String> command =
        List.of(
            python,
            script.toString(),
            csv.toString(),
            "--stages",
            stages,
            "--threads",
            Integer.toString(threads));
    Process process =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(raw.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("peer timed out: " + command);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "peer failed (" + process.exitValue() + "): " + command + "\n" + Files.readString(err));
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(raw, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  static String findPython() throws IOException, InterruptedException {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import sklearn, pandas")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException notFound) {
        // try the next one
      }
    }
    throw new IllegalStateException(
        "no python3 with scikit-learn and pandas (apt-get install python3-sklearn python3-pandas)");
  }

  // ---------------------------------------------------------------- report

  private void printTable() {
    List<String> columns = new ArrayList<>(List.of(productAll));
    if (javaOneThread) {
      columns.add(productOne);
    }
    for (int t : peerThreads) {
      columns.add("sklearn " + t + "T");
    }
    System.out.printf(
        "%nMedians over %d rounds (seconds unless ms; '=' the product code is single-threaded,"
            + " one measurement for both):%n%n",
        rounds);
    StringBuilder header = new StringBuilder("| stage |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (String c : columns) {
      header.append(' ').append(c).append(" |");
      rule.append(" ---: |");
    }
    for (int t : peerThreads) {
      header.append(" product/sklearn ").append(t).append("T |");
      rule.append(" ---: |");
    }
    System.out.println(header);
    System.out.println(rule);
    for (String row : ROW_ORDER) {
      Map<String, List<Double>> cells = table.get(row);
      if (cells == null) {
        continue;
      }
      StringBuilder line = new StringBuilder("| ").append(row.replace("  ", "· ")).append(" |");
      for (String c : columns) {
        List<Double> values = cells.get(c);
        boolean same = c.equals(productOne) && SINGLE_THREADED.contains(row);
        line.append(' ').append(same ? "=" : values == null ? "-" : time(median(values)));
        line.append(" |");
      }
      for (int t : peerThreads) {
        List<Double> mine = cells.get(t == 1 && javaOneThread ? productOne : productAll);
        if (mine == null) {
          mine = cells.get(productAll);
        }
        List<Double> theirs = cells.get("sklearn " + t + "T");
        line.append(' ')
            .append(
                mine == null || theirs == null
                    ? "-"
                    : String.format(Locale.ROOT, "%.2f", median(mine) / median(theirs)));
        line.append(" |");
      }
      System.out.println(line);
    }
    System.out.println();
    System.out.println(
        "product/sklearn 1T compares the product's 1-thread run with sklearn's 1-thread run"
            + " (2T with 2T); below 1 = the product is faster.");
    System.out.println("per-round values are printed above (r<round> lines); loads:");
    loads.forEach(l -> System.out.println("  " + l));
  }

  private void printAgreement() {
    System.out.println();
    System.out.println("Agreement (last round; sklearn per thread count):");
    for (int t : peerThreads) {
      JsonNode km1 = peer.get("kmeans1/" + t);
      JsonNode fixed = peer.get("kmeans1fixed/" + t);
      JsonNode km10 = peer.get("kmeans10/" + t);
      JsonNode lr4 = peer.get("logreg-1e-4/" + t);
      JsonNode lr8 = peer.get("logreg-1e-8/" + t);
      JsonNode whole = peer.get("whole/" + t);
      System.out.printf("  sklearn %dT:%n", t);
      if (km1 != null) {
        System.out.printf(
            "    kmeans1 (k-means++, own seeds): inertia product %.6e (Lloyd %.6e), sklearn %.6e,"
                + " rel. diff %.2e; iterations %s vs %d%n",
            (double) product.get("kmeans1 inertia"),
            (double) product.get("kmeans1 Lloyd inertia"),
            km1.get("inertia").asDouble(),
            rel((double) product.get("kmeans1 inertia"), km1.get("inertia").asDouble()),
            product.get("kmeans1 iterations"),
            km1.get("n_iter").asInt());
      }
      if (fixed != null) {
        System.out.printf(
            "    kmeans fixed init: inertia rel. diff %.2e; iterations product %s (Lloyd %s),"
                + " sklearn %d%n",
            rel((double) product.get("fixed-init inertia"), fixed.get("inertia").asDouble()),
            product.get("fixed-init iterations"),
            product.get("fixed-init Lloyd iterations"),
            fixed.get("n_iter").asInt());
      }
      if (km10 != null) {
        System.out.printf(
            "    kmeans10: inertia product %.6e, sklearn %.6e, rel. diff %.2e; iterations of the"
                + " best restart %s vs %d%n",
            (double) product.get("kmeans10 inertia"),
            km10.get("inertia").asDouble(),
            rel((double) product.get("kmeans10 inertia"), km10.get("inertia").asDouble()),
            product.get("kmeans10 iterations"),
            km10.get("n_iter").asInt());
      }
      LogisticFit fit = (LogisticFit) product.get("logistic");
      for (JsonNode lr : Arrays.asList(lr4, lr8)) {
        if (lr != null && fit != null) {
          double max = Math.abs(fit.intercept() - lr.get("intercept").asDouble());
          for (int c = 0; c < fit.coefficients().length; c++) {
            max =
                Math.max(
                    max,
                    Math.abs(fit.coefficients()[c] - lr.get("coefficients").get(c).asDouble()));
          }
          System.out.printf(
              "    logistic vs lbfgs tol %s: max |coefficient difference| (incl. intercept) %.2e;"
                  + " iterations product %d (gradient norm %.1e), lbfgs %d%n",
              lr.get("tol").asText(),
              max,
              fit.iterations(),
              fit.gradientNorm(),
              lr.get("n_iter").asInt());
        }
      }
      if (whole != null) {
        System.out.printf(
            "    whole: K product %s, sklearn %d (%s rule); held-out AUC product %.5f, sklearn"
                + " %.5f (different split); product used squares/interactions: %s%n",
            product.get("whole K"),
            whole.get("chosen_k").asInt(),
            whole.get("k_rule").asText(),
            (double) product.get("whole AUC"),
            whole.get("metrics").get("roc_auc").asDouble(),
            product.get("whole expansion"));
        System.out.printf(
            "    whole: sklearn K search %.2f s in KMeans fits + %.2f s in silhouette_score;"
                + " product timings ms %s%n",
            whole.get("kmeans_fit_seconds_in_search").asDouble(),
            whole.get("silhouette_seconds_in_search").asDouble(),
            product.get("whole timings ms"));
      }
    }
  }

  private void memory() throws IOException {
    bytes = null;
    table.clear();
    Trainer.Identity id = new Trainer.Identity("bench", "bench", Instant.EPOCH);
    System.gc();
    resetPeakHeap();
    long before = usedHeap();
    ReadResult read = readFile();
    long afterRead = usedHeap();
    RetentionModel model =
        new Trainer(TrainingOptions.defaults())
            .train(Trainer.Input.of(read.features(), read.labels(), "repurchased"), id);
    long peak = peakHeap();
    System.out.println();
    System.out.printf(
        "Memory, whole training on %d rows: product peak heap %d MB (sum of heap pools' peaks"
            + " after System.gc(); heap before %d MB, after the read %d MB; K %d)%n",
        rows, peak >> 20, before >> 20, afterRead >> 20, model.segmentation().k());
    if (!peerWholeRss.isEmpty()) {
      System.out.printf(
          "  sklearn whole: peak RSS (VmHWM) median %.0f MB over %d runs (process RSS: includes the"
              + " interpreter and native libraries, %.0f MB before the stage)%n",
          median(peerWholeRss), peerWholeRss.size(), peerWholeRssBefore.get(0));
    }
    System.out.printf("  JVM peak RSS (VmHWM, whole benchmark run): %s%n", vmHwm());
  }

  private static String vmHwm() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return "n/a";
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return line.substring(6).trim();
      }
    }
    return "n/a";
  }

  private void writeCsv() throws IOException {
    Files.createDirectories(csv.toAbsolutePath().getParent());
    Synthetic data = Synthetic.blobs(rows, 8, 5, 1.2, 2026);
    // The layout of FunctionBenchmark's export: an id, eight float-rounded features, the label.
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("customer_id,f0,f1,f2,f3,f4,f5,f6,f7,repurchased\n");
      StringBuilder line = new StringBuilder(128);
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append('C').append(i);
        for (int c = 0; c < 8; c++) {
          line.append(',').append((float) data.features.get(i, c));
        }
        line.append(',').append(data.labels[i]).append('\n');
        w.append(line);
      }
    }
  }

  private static String load() {
    try {
      Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line = r.readLine();
        p.waitFor(10, TimeUnit.SECONDS);
        return line == null ? "n/a" : line.trim();
      }
    } catch (IOException e) {
      return "n/a (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "n/a (interrupted)";
    }
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double rel(double a, double b) {
    return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  }

  private static String time(double seconds) {
    return seconds >= 1
        ? String.format(Locale.ROOT, "%.2f s", seconds)
        : String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
  }

  private static void resetPeakHeap() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
