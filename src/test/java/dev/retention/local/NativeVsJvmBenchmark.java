package dev.retention.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.testing.Events;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.Synthetic;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The native executable against the JVM, side by side in one run, each as Lambda runs it
 * (FunctionBenchmark's part for issue 19): the JVM zip (plain JDK 17, AppCDS, JDK 25 plain and AOT
 * cache, through the Lambda Java runtime emulator) and the native zip's {@code bootstrap} (through
 * the Runtime API emulator), against one s3proxy:
 *
 * <ol>
 *   <li>train, a seeded {@code rows} x 8 export (100,000 by default): a fresh process trains one
 *       copy cold, then a second copy warm; wall times, peak RSS. JVM with C2 as the template sets
 *       it, {@code -Xmx850m} (a 1 GB function); the native image with its defaults;
 *   <li>cold start to the first score response (the model trained above), three fresh processes per
 *       variant;
 *   <li>warm scoring: {@code calls} single-customer and 50 batch-of-1,000 invocations in one
 *       process, p50/p99 per invocation. The JVM's handler is called in-process, the native one
 *       through the emulated Runtime API (loopback HTTP, a few tens of µs per call, included);
 *   <li>artifact sizes.
 * </ol>
 *
 * Run (both zips are needed; the native build overwrites target/function.zip):
 *
 * <pre>
 * ./mvnw -B package -Pnative -Dno-spark &amp;&amp; cp target/function.zip target/function-native.zip
 * ./mvnw -B -DskipTests -Dno-spark package
 * ./mvnw -B -Pbench exec:exec -Dbench.main=dev.retention.local.NativeVsJvmBenchmark \
 *   -Dbench.args="native=target/function-native.zip rows=100000"
 * </pre>
 */
public final class NativeVsJvmBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";
  private static final Pattern TIMING =
      Pattern.compile(
          "invoke_ms=([0-9.]+)(?: since_jvm_start_ms=([0-9]+))?(?: peak_rss_mb=(\\d+))?");

  private NativeVsJvmBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = (int) FunctionBenchmark.rows(args, 100_000);
    Path nativeZip = Path.of(argument(args, "native", "target/function-native.zip"));
    int calls = Integer.parseInt(argument(args, "calls", "2000"));
    Path work = Path.of("target/native-vs-jvm-bench");
    PackagedFunction jvm = FunctionBenchmark.freshFunction(work);
    NativeFunction image = NativeFunction.unpack(nativeZip, work.resolve("native"));
    System.out.printf(
        "artifacts: JVM function.zip %.1f MB, native function.zip %.1f MB, bootstrap %.1f MB%n",
        Files.size(Path.of("target/function.zip")) / 1e6,
        Files.size(nativeZip) / 1e6,
        Files.size(image.bootstrap()) / 1e6);
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      Path csv = work.resolve("export.csv");
      writeCsv(csv, rows);
      System.out.printf("export: %d rows x 8 features, %.1f MB CSV%n", rows, Files.size(csv) / 1e6);

      // 1. train, cold then warm, in one process each.
      System.out.println("train (cold = process start to the first summary; warm = the next one):");
      List<Path> jvmEvents = trainEvents(s3, csv, work, "jvm");
      List<String> jvmArgs = new ArrayList<>(List.of(PackagedFunction.HANDLER));
      for (Path event : jvmEvents) {
        jvmArgs.add(event.toAbsolutePath().toString());
        jvmArgs.add(work.resolve(event.getFileName() + ".out").toAbsolutePath().toString());
      }
      Path jvmLog = work.resolve("jvm-train.log");
      long started = System.nanoTime();
      int exit = FunctionBenchmark.runWithC2(jvm, "train", s3, "-Xmx850m", jvmArgs, jvmLog);
      double total = (System.nanoTime() - started) / 1e6;
      if (exit != 0) {
        throw new IllegalStateException("JVM train exited " + exit + ", see " + jvmLog);
      }
      List<double[]> timings = timings(jvmLog);
      System.out.printf(
          "  JVM (JDK 17, C2, -Xmx850m): cold %.0f ms (first invocation %.0f ms), warm %.0f ms,"
              + " peak RSS %.0f MB; process wall %.0f ms%n",
          timings.get(0)[1], timings.get(0)[0], timings.get(1)[0], timings.get(1)[2], total);
      List<Path> nativeEvents = trainEvents(s3, csv, work, "native");
      List<byte[]> events = new ArrayList<>();
      for (Path event : nativeEvents) {
        events.add(Files.readAllBytes(event));
      }
      try (NativeFunction.Run run =
          image.start(
              "train", s3.endpoint(), BUCKET, Map.of(), events, work.resolve("native-train.log"))) {
        if (!run.api().awaitAll(java.time.Duration.ofMinutes(10))
            || run.api().initError() != null) {
          throw new IllegalStateException("native train failed: " + run.output());
        }
        long rss = run.peakRssMb();
        var first = run.api().outcome(0);
        var second = run.api().outcome(1);
        check(first.body(), "TRAINED");
        check(second.body(), "TRAINED");
        System.out.printf(
            "  native: cold %.0f ms (init %.0f ms), warm %.0f ms, peak RSS %d MB%n",
            (first.answeredNanos() - run.startedNanos()) / 1e6,
            run.initMs(),
            (second.answeredNanos() - first.answeredNanos()) / 1e6,
            rss);
      }

      // 2. cold start to the first score response.
      Path[] scoreEvents = FunctionBenchmark.scoreEvents(work);
      Path single = scoreEvents[0];
      Path batch = scoreEvents[1];
      System.out.println("cold start to the first score response (three fresh processes each):");
      FunctionBenchmark.coldStartVariants(jvm, s3, work, single);
      List<String> nativeCold = new ArrayList<>();
      long nativeRss = 0;
      for (int i = 0; i < 3; i++) {
        try (NativeFunction.Run run =
            image.start(
                "score",
                s3.endpoint(),
                BUCKET,
                Map.of(),
                List.of(Files.readAllBytes(single)),
                work.resolve("native-cold-" + i + ".log"))) {
          if (!run.api().awaitAll(java.time.Duration.ofMinutes(1))) {
            throw new IllegalStateException("native score did not answer: " + run.output());
          }
          check(run.api().outcome(0).body(), "\"statusCode\":200");
          nativeCold.add(
              String.format(
                  "%.0f ms (init %.0f ms)",
                  (run.api().outcome(0).answeredNanos() - run.startedNanos()) / 1e6, run.initMs()));
          nativeRss = Math.max(nativeRss, run.peakRssMb());
        }
      }
      System.out.println(
          "  native: " + String.join(", ", nativeCold) + "; peak RSS " + nativeRss + " MB");

      // 3. warm scoring.
      System.out.println("warm scoring, per invocation:");
      Path scoreLog = work.resolve("jvm-score.log");
      jvm.run(
          "score",
          s3.endpoint(),
          BUCKET,
          List.of(),
          ScoreHandlerBenchmark.class.getName(),
          List.of(
              single.toAbsolutePath().toString(),
              batch.toAbsolutePath().toString(),
              Integer.toString(calls)),
          scoreLog);
      FunctionBenchmark.print(scoreLog, "score-handler");
      System.out.println("  (JVM: Lambda's default C1, handler in-process)");
      nativeWarm(image, s3, work, single, calls, "one customer");
      nativeWarm(image, s3, work, batch, 50, "batch of 1,000");
      System.out.println("  (native: through the emulated Runtime API on loopback)");
    }
  }

  private static void nativeWarm(
      NativeFunction image, S3ProxyServer s3, Path work, Path event, int calls, String what)
      throws Exception {
    byte[] bytes = Files.readAllBytes(event);
    List<byte[]> events = new ArrayList<>();
    for (int i = 0; i < 2 * calls; i++) {
      events.add(bytes);
    }
    try (NativeFunction.Run run =
        image.start(
            "score", s3.endpoint(), BUCKET, Map.of(), events, work.resolve("native-warm.log"))) {
      if (!run.api().awaitAll(java.time.Duration.ofMinutes(10))) {
        throw new IllegalStateException("native warm scoring did not finish: " + run.output());
      }
      long[] ns = new long[calls];
      for (int i = 0; i < calls; i++) {
        // the time between consecutive answers: one invocation, poll included
        ns[i] =
            run.api().outcome(calls + i).answeredNanos()
                - run.api().outcome(calls + i - 1).answeredNanos();
      }
      check(run.api().outcome(2 * calls - 1).body(), "\"statusCode\":200");
      Arrays.sort(ns);
      System.out.printf(
          "  native %s: %d calls after %d warm-up, p50 %.1f µs, p99 %.1f µs; peak RSS %d MB%n",
          what, calls, calls, ns[calls / 2] / 1e3, ns[(int) (calls * 0.99)] / 1e3, run.peakRssMb());
    }
  }

  private static void check(String body, String expected) {
    if (!body.contains(expected)) {
      throw new IllegalStateException("unexpected answer: " + body);
    }
  }

  /** invoke_ms, since_jvm_start_ms (NaN when absent), peak_rss_mb per timing line. */
  private static List<double[]> timings(Path log) throws Exception {
    List<double[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("timing ")) {
        Matcher m = TIMING.matcher(line);
        if (m.find()) {
          out.add(
              new double[] {
                Double.parseDouble(m.group(1)),
                m.group(2) == null ? Double.NaN : Double.parseDouble(m.group(2)),
                m.group(3) == null ? Double.NaN : Double.parseDouble(m.group(3))
              });
        }
      }
    }
    return out;
  }

  /** Two copies of the export and their events, as S3 sends them. */
  private static List<Path> trainEvents(S3ProxyServer s3, Path csv, Path work, String prefix)
      throws Exception {
    List<Path> out = new ArrayList<>();
    for (String copy : List.of("a", "b")) {
      String key = "exports/features/" + prefix + "-" + copy + ".csv";
      try (S3Client client = s3.client()) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(csv));
        ObjectNode e = (ObjectNode) MAPPER.readTree(Path.of("events/s3-put-csv.json").toFile());
        ((ObjectNode) e.withArray("Records").get(0).get("s3").get("object")).put("key", key);
        Path event = work.resolve(prefix + "-" + copy + ".json");
        Files.writeString(event, Events.asS3Sends(e.toString(), client));
        out.add(event);
      }
    }
    return out;
  }

  private static String argument(String[] args, String name, String fallback) {
    for (String arg : args) {
      if (arg.startsWith(name + "=")) {
        return arg.substring(name.length() + 1);
      }
    }
    return fallback;
  }

  private static void writeCsv(Path csv, int rows) throws Exception {
    Synthetic data = Synthetic.blobs(rows, 8, 5, 1.2, 2026);
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("customer_id,f0,f1,f2,f3,f4,f5,f6,f7,repurchased\n");
      StringBuilder line = new StringBuilder(128);
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append('C').append(i);
        for (int c = 0; c < 8; c++) {
          line.append(',').append((float) data.features.get(i, c));
        }
        line.append(',').append(data.labels[i]).append('\n');
        out.append(line);
      }
    }
  }
}
