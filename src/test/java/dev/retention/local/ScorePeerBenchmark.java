package dev.retention.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.testing.Events;
import dev.retention.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The score function's handler against a plain Python handler doing the same work, in the same run
 * (issue 22: a batch of 1,000 at most half the Python handler's time).
 *
 * <p>Trains a model on a seeded feature export through the packaged train function, then, in
 * alternating rounds: the packaged score function in a fresh JVM with Lambda's default C1, its
 * handler called in-process from event bytes to response bytes ({@link ScoreHandlerBenchmark}); and
 * {@code src/bench/python/score_handler_peer.py}, a Lambda-style Python handler with the same model
 * (event bytes decoded as the Python runtime does, the body parsed, each customer standardized,
 * given its nearest centre, probability, band, action and top three contributions, the body and the
 * response encoded), once in plain Python and once with NumPy's vectorised arithmetic. The answers
 * are compared field by field.
 *
 * <p>Run: {@code ./mvnw -B -DskipTests -Dno-spark package && ./mvnw -B -q -Pbench exec:exec
 * -Dbench.main=dev.retention.local.ScorePeerBenchmark -Dbench.args="rounds=3
 * python=/usr/bin/python3"} (other arguments: {@code rows=20000}, {@code iterations=3000}, {@code
 * python=none} for the product alone, {@code jvm="opt1 opt2"} for the score JVM's extra options).
 */
public final class ScorePeerBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";

  private ScorePeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = (int) FunctionBenchmark.rows(args, 20_000);
    int rounds = Integer.parseInt(arg(args, "rounds", "3"));
    String iterations = arg(args, "iterations", "3000");
    String python = arg(args, "python", "/usr/bin/python3");
    // Extra options of the score JVM, separated by spaces (e.g. a flight recording, or C2).
    String jvm = arg(args, "jvm", "");
    List<String> jvmArgs = jvm.isEmpty() ? List.of() : List.of(jvm.split(" "));
    Path work = Path.of("target/score-peer-bench");
    PackagedFunction function = FunctionBenchmark.freshFunction(work);
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      Path csv = work.resolve("export.csv");
      FunctionBenchmark.writeCsv(csv, rows);
      String key = "exports/features/bench-a.csv";
      Path event = work.resolve("train.json");
      try (S3Client client = s3.client()) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(csv));
        ObjectNode e = (ObjectNode) MAPPER.readTree(Path.of("events/s3-put-csv.json").toFile());
        ((ObjectNode) e.withArray("Records").get(0).get("s3").get("object")).put("key", key);
        Files.writeString(event, Events.asS3Sends(e.toString(), client));
      }
      List<String> trainArgs =
          List.of(
              PackagedFunction.HANDLER,
              event.toAbsolutePath().toString(),
              work.resolve("train-response.json").toAbsolutePath().toString());
      int exit =
          FunctionBenchmark.runWithC2(
              function, "train", s3, "-Xmx850m", trainArgs, work.resolve("train.log"));
      if (exit != 0) {
        throw new IllegalStateException("train JVM exited " + exit);
      }
      Path model = work.resolve("model.json");
      try (S3Client client = s3.client()) {
        JsonNode latest =
            MAPPER.readTree(
                client
                    .getObjectAsBytes(b -> b.bucket(BUCKET).key("models/default/latest.json"))
                    .asByteArray());
        String version = latest.get("version").asText();
        Files.write(
            model,
            client
                .getObjectAsBytes(b -> b.bucket(BUCKET).key("models/default/" + version + ".json"))
                .asByteArray());
      }
      Path[] events = FunctionBenchmark.scoreEvents(work);
      Path answers = Files.createDirectories(work.resolve("answers")).toAbsolutePath();
      List<String> eventArgs =
          List.of(events[0].toAbsolutePath().toString(), events[1].toAbsolutePath().toString());
      System.out.printf("load before: %s%n", load());
      for (int round = 0; round < rounds; round++) {
        Path log = work.resolve("score-" + round + ".log");
        List<String> handlerArgs = new ArrayList<>(eventArgs);
        handlerArgs.add(iterations);
        handlerArgs.add(answers.toString());
        function.run(
            "score",
            s3.endpoint(),
            BUCKET,
            jvmArgs,
            ScoreHandlerBenchmark.class.getName(),
            handlerArgs,
            log);
        System.out.println("round " + round + " java (C1, in-process handler):");
        FunctionBenchmark.print(log, "score-handler");
        if (python.equals("none")) {
          continue;
        }
        for (String variant : List.of("python", "numpy")) {
          List<String> peer =
              new ArrayList<>(
                  List.of(
                      python,
                      "src/bench/python/score_handler_peer.py",
                      model.toAbsolutePath().toString()));
          peer.addAll(eventArgs);
          peer.add(iterations);
          peer.add(answers.toString());
          if (variant.equals("numpy")) {
            peer.add("--numpy");
          }
          Process p = new ProcessBuilder(peer).redirectErrorStream(true).start();
          String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (p.waitFor() != 0) {
            throw new IllegalStateException("python peer failed:\n" + out);
          }
          System.out.println("round " + round + " " + variant + " (plain handler):");
          System.out.print(out.indent(2));
        }
      }
      System.out.printf("load after: %s%n", load());
      if (!python.equals("none")) {
        for (String variant : List.of("python", "numpy")) {
          compare(answers, events[1].getFileName().toString(), variant);
        }
      }
    }
  }

  /** The two handlers' batch answers, field by field (probabilities to 1e-12). */
  private static void compare(Path answers, String name, String peer) throws Exception {
    JsonNode java = answer(answers.resolve("java-" + name));
    JsonNode python = answer(answers.resolve(peer + "-" + name));
    JsonNode a = java.get("results");
    JsonNode b = python.get("results");
    int differences = 0;
    double largest = 0;
    for (int i = 0; i < a.size(); i++) {
      JsonNode x = a.get(i);
      JsonNode y = b.get(i);
      for (String field : List.of("customerId", "segment", "segmentName", "churnRiskBand")) {
        if (!x.get(field).equals(y.get(field))) {
          differences++;
        }
      }
      double p = x.get("probability").asDouble();
      double q = y.get("probability").asDouble();
      largest = Math.max(largest, Math.abs(p - q));
      for (int t = 0; t < 3; t++) {
        if (!x.get("topContributions")
            .get(t)
            .get("feature")
            .equals(y.get("topContributions").get(t).get("feature"))) {
          differences++;
        }
      }
    }
    System.out.printf(
        "answers compared with %s: %d customers, %d differing fields, largest probability"
            + " difference %.1e%n",
        peer, a.size(), differences, largest);
  }

  private static JsonNode answer(Path response) throws Exception {
    JsonNode event = MAPPER.readTree(response.toFile());
    return MAPPER.readTree(event.get("body").asText());
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  private static String arg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return fallback;
  }
}
