package dev.retention.local;

import dev.retention.testing.Events;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The orders path of the packaged functions, run as Lambda runs them (target/function.zip in a
 * fresh JVM) against the local S3 server: the train function on a seeded orders export (5,000,000
 * rows by default), cold then warm, heap capped as in a 1 GB Lambda; then the batch-score function
 * on the same export under exports/score/, heap capped as in a 1.5 GB Lambda. Wall time, stage
 * timings and peak RSS.
 *
 * <p>Run: {@code ./mvnw -B -DskipTests package && ./mvnw -B -Pbench exec:exec
 * -Dbench.main=dev.retention.local.OrdersFunctionBenchmark} ({@code -Dbench.args="rows=1000000"}
 * for a quicker run).
 */
public final class OrdersFunctionBenchmark {

  private static final String BUCKET = "retention-data";

  private OrdersFunctionBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = FunctionBenchmark.rows(args, 5_000_000);
    Path work = Path.of("target/orders-function-bench");
    PackagedFunction function = FunctionBenchmark.freshFunction(work);
    try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      Path csv = work.resolve("orders.csv");
      long written;
      try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
        written =
            SyntheticOrders.write(out, rows, (int) (rows / 10), LocalDate.of(2026, 11, 1), 7L);
      }
      System.out.printf("orders export: %,d rows, %d MB CSV%n", written, Files.size(csv) >> 20);
      List<String> keys =
          List.of(
              "exports/orders/bench-a.csv",
              "exports/orders/bench-b.csv",
              "exports/score/today.csv");
      try (S3Client client = s3.client()) {
        for (String key : keys) {
          client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(csv));
        }
      }
      List<String> trainArgs = new ArrayList<>(List.of(PackagedFunction.HANDLER));
      for (int i = 0; i < 2; i++) {
        Path event = work.resolve("train-" + i + ".json");
        try (S3Client client = s3.client()) {
          Files.writeString(
              event,
              Events.asS3Sends(Events.s3WithKey("s3-put-orders-csv-gz.json", keys.get(i)), client));
        }
        trainArgs.add(event.toAbsolutePath().toString());
        trainArgs.add(work.resolve("train-" + i + "-response.json").toAbsolutePath().toString());
      }
      Path trainLog = work.resolve("train.log");
      int exit =
          FunctionBenchmark.runWithC2(function, "train", s3, "-Xmx850m", trainArgs, trainLog);
      FunctionBenchmark.print(trainLog, "timing", "train.published");
      System.out.println(
          "  (train: first line cold, second warm; -Xmx850m as in a 1 GB Lambda; C2 on, as the"
              + " template sets JAVA_TOOL_OPTIONS)");
      if (exit != 0) {
        throw new IllegalStateException("train JVM exited " + exit + ", see " + trainLog);
      }
      Path event = work.resolve("batch.json");
      try (S3Client client = s3.client()) {
        Files.writeString(
            event,
            Events.asS3Sends(Events.s3WithKey("s3-put-score-csv.json", keys.get(2)), client));
      }
      Path batchLog = work.resolve("batch.log");
      exit =
          FunctionBenchmark.runWithC2(
              function,
              "batch-score",
              s3,
              "-Xmx1200m",
              List.of(
                  PackagedFunction.HANDLER,
                  event.toAbsolutePath().toString(),
                  work.resolve("batch-response.json").toAbsolutePath().toString()),
              batchLog);
      FunctionBenchmark.print(batchLog, "timing", "batch.scored");
      System.out.println("  (batch-score: cold; -Xmx1200m as in a 1.5 GB Lambda)");
      if (exit != 0) {
        throw new IllegalStateException("batch JVM exited " + exit + ", see " + batchLog);
      }
    }
  }
}
