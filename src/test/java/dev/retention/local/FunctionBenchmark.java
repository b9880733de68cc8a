package dev.retention.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.testing.Events;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.Synthetic;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmarks of the packaged functions, run as Lambda runs them (target/function.zip in a fresh JVM
 * through the Funqy stream handler) against the local S3 server:
 *
 * <ol>
 *   <li>train: a seeded 1,000,000 x 8 CSV export, one cold then one warm invocation (a second copy
 *       of the export, so the warm one really trains), heap capped at {@code -Xmx} as in a 1 GB
 *       Lambda; wall time, stage timings and peak RSS;
 *   <li>score: the handler in-process, event bytes to response bytes, single customer and a batch
 *       of 1,000, p50/p99;
 *   <li>cold start: JVM start to the first score response, three fresh JVMs.
 * </ol>
 *
 * Run: {@code ./mvnw -B -Pbench -DskipTests package exec:exec
 * -Dbench.main=dev.retention.local.FunctionBenchmark} ({@code -Dbench.args="rows=200000"} for a
 * quicker run).
 */
public final class FunctionBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";

  private FunctionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = (int) rows(args, 1_000_000);
    Path work = Path.of("target/function-bench");
    PackagedFunction function = freshFunction(work);
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      Path csv = work.resolve("export.csv");
      long t = System.nanoTime();
      writeCsv(csv, rows);
      System.out.printf(
          "export: %d rows x 8 features, %d MB CSV (written in %.1f s)%n",
          rows, Files.size(csv) >> 20, (System.nanoTime() - t) / 1e9);
      try (S3Client client = s3.client()) {
        for (String key : List.of("exports/features/bench-a.csv", "exports/features/bench-b.csv")) {
          client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(csv));
        }
      }
      List<String> trainArgs = new ArrayList<>(List.of(PackagedFunction.HANDLER));
      for (String name : List.of("bench-a", "bench-b")) {
        Path event = work.resolve(name + ".json");
        ObjectNode e = (ObjectNode) MAPPER.readTree(Path.of("events/s3-put-csv.json").toFile());
        ((ObjectNode) e.withArray("Records").get(0).get("s3").get("object"))
            .put("key", "exports/features/" + name + ".csv");
        try (S3Client client = s3.client()) {
          Files.writeString(event, Events.asS3Sends(e.toString(), client));
        }
        trainArgs.add(event.toAbsolutePath().toString());
        trainArgs.add(work.resolve(name + "-response.json").toAbsolutePath().toString());
      }
      Path trainLog = work.resolve("train.log");
      int exit = runWithC2(function, "train", s3, "-Xmx850m", trainArgs, trainLog);
      print(trainLog, "timing", "train.published");
      System.out.println(
          "  (first line cold, second warm; -Xmx850m as in a 1 GB Lambda, C2 enabled)");
      if (exit != 0) {
        throw new IllegalStateException("train JVM exited " + exit + ", see " + trainLog);
      }

      // Score events over the benchmark model's features (f0..f7).
      Path[] events = scoreEvents(work);
      Path singleEvent = events[0];
      Path batch = events[1];
      Path scoreLog = work.resolve("score-bench.log");
      function.run(
          "score",
          s3.endpoint(),
          BUCKET,
          List.of(),
          ScoreHandlerBenchmark.class.getName(),
          List.of(
              singleEvent.toAbsolutePath().toString(), batch.toAbsolutePath().toString(), "3000"),
          scoreLog);
      print(scoreLog, "score-handler");

      coldStartVariants(function, s3, work, singleEvent);
      System.out.println(
          "  (cold start: since_jvm_start_ms = process start to first score response)");
    }
  }

  /**
   * Cold start to the first score response of {@code function}, three fresh JVMs each: as Lambda's
   * java21 starts the zip, with the classes in a jar, with an application class-data archive
   * (AppCDS, JDK 17), plain on JDK 25 and with JDK 25's AOT cache. Each archive is recorded by one
   * run of the same request first.
   */
  static void coldStartVariants(
      PackagedFunction function, S3ProxyServer s3, Path work, Path singleEvent) throws Exception {
    // Cold start, three fresh JVMs each: as Lambda's java21 starts the zip, with the classes in a
    // jar, with an application class-data archive (AppCDS, JDK 17), plain on JDK 25 and with JDK
    // 25's AOT cache. Each archive is recorded by one run of the same request first.
    Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    Path cds = work.resolve("function.jsa").toAbsolutePath();
    Path aot = work.resolve("function.aot").toAbsolutePath();
    Files.deleteIfExists(cds);
    Files.deleteIfExists(aot);
    List<String> opens = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED");
    // record: the JVM options that write the variant's archive (null: no archive), use: its
    // options.
    record Variant(
        String name, PackagedFunction jvm, List<String> record, Path archive, List<String> use) {}
    // Archives need a class path of jars: the function's classes jarred beside lib/.
    PackagedFunction jars = function.jarred(work.resolve("jars"));
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("plain (JDK 17)", function, null, null, List.of()));
    variants.add(new Variant("plain, classes in a jar (JDK 17)", jars, null, null, List.of()));
    variants.add(
        new Variant(
            "AppCDS, classes in a jar (JDK 17)",
            jars,
            List.of("-XX:ArchiveClassesAtExit=" + cds),
            cds,
            List.of("-XX:SharedArchiveFile=" + cds)));
    if (Files.isExecutable(jdk25)) {
      variants.add(new Variant("plain (JDK 25)", function.withJava(jdk25), null, null, opens));
      List<String> recordAot = new ArrayList<>(opens);
      recordAot.add("-XX:AOTCacheOutput=" + aot);
      List<String> useAot = new ArrayList<>(opens);
      useAot.add("-XX:AOTCache=" + aot);
      variants.add(
          new Variant(
              "AOT cache, classes in a jar (JDK 25)",
              jars.withJava(jdk25),
              recordAot,
              aot,
              useAot));
    }
    List<String> runtimeArgs =
        List.of(
            PackagedFunction.HANDLER,
            singleEvent.toAbsolutePath().toString(),
            work.resolve("cold-response.json").toAbsolutePath().toString());
    for (Variant variant : variants) {
      System.out.println("  cold start, " + variant.name() + ":");
      if (variant.record() != null) {
        Path log = work.resolve("cold-record.log");
        int recorded = coldScore(variant.jvm(), s3.endpoint(), variant.record(), runtimeArgs, log);
        if (recorded != 0 || !Files.isRegularFile(variant.archive())) {
          // Without its archive the variant would measure a plain start under another name.
          System.out.println("    archive not written (exit " + recorded + "): see " + log);
          continue;
        }
      }
      for (int run = 0; run < 3; run++) {
        Path log = work.resolve("cold-" + run + ".log");
        coldScore(variant.jvm(), s3.endpoint(), variant.use(), runtimeArgs, log);
        print(log, "timing");
      }
    }
  }

  /** One fresh score JVM through the Lambda runtime emulator, first request only. */
  private static int coldScore(
      PackagedFunction jvm,
      java.net.URI endpoint,
      List<String> jvmArgs,
      List<String> runtimeArgs,
      Path log)
      throws Exception {
    return jvm.run(
        "score", endpoint, BUCKET, jvmArgs, LambdaJavaRuntime.class.getName(), runtimeArgs, log);
  }

  /**
   * Runs the function through the Lambda runtime emulator with C2 on, as the template's {@code
   * JAVA_TOOL_OPTIONS} sets for the S3-triggered functions, and the given heap cap.
   */
  static int runWithC2(
      PackagedFunction function,
      String name,
      S3ProxyServer s3,
      String heap,
      List<String> handlerArgs,
      Path log)
      throws Exception {
    return function.run(
        name,
        s3.endpoint(),
        BUCKET,
        List.of(heap, "-XX:TieredStopAtLevel=4"),
        LambdaJavaRuntime.class.getName(),
        handlerArgs,
        log);
  }

  /**
   * The score benchmark's two API Gateway events over the benchmark model's features (f0..f7): one
   * customer, and a batch of 1,000 (144 KB); written under {@code work}.
   */
  static Path[] scoreEvents(Path work) throws Exception {
    Path singleEvent = work.resolve("score-single-f.json");
    Path batch = work.resolve("score-batch-1000.json");
    ObjectNode customer = MAPPER.createObjectNode();
    customer.put("customerId", "C-1");
    ObjectNode features = customer.putObject("features");
    for (int c = 0; c < 8; c++) {
      features.put("f" + c, 0.25 * c - 0.5);
    }
    ObjectNode single = (ObjectNode) MAPPER.readTree(Path.of("events/score-single.json").toFile());
    single.put("body", customer.toString());
    MAPPER.writeValue(singleEvent.toFile(), single);
    ObjectNode event = (ObjectNode) MAPPER.readTree(Path.of("events/score-batch.json").toFile());
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode customers = body.putArray("customers");
    for (int i = 0; i < 1000; i++) {
      ObjectNode c = customer.deepCopy();
      c.put("customerId", "C-" + i);
      ((ObjectNode) c.get("features")).put("f0", (i % 100) / 25.0 - 2);
      customers.add(c);
    }
    event.put("body", body.toString());
    MAPPER.writeValue(batch.toFile(), event);
    return new Path[] {singleEvent, batch};
  }

  /** The {@code rows=N} argument, or {@code fallback}. */
  static long rows(String[] args, long fallback) {
    for (String arg : args) {
      if (arg.startsWith("rows=")) {
        return Long.parseLong(arg.substring(5));
      }
    }
    return fallback;
  }

  /**
   * An empty work directory with the unpacked function.zip. A fresh S3 store: otherwise the
   * exports' models exist and training is skipped.
   */
  static PackagedFunction freshFunction(Path work) throws Exception {
    PackagedFunction.deleteTree(work);
    Files.createDirectories(work);
    return PackagedFunction.unpack(Path.of("target/function.zip"), work.resolve("function"));
  }

  static void print(Path log, String... prefixes) throws Exception {
    for (String line : Files.readAllLines(log)) {
      for (String prefix : prefixes) {
        int at = line.indexOf(prefix);
        if (at >= 0) {
          System.out.println("  " + line.substring(at));
        }
      }
    }
  }

  static void writeCsv(Path csv, int rows) throws Exception {
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
