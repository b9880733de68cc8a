package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.service.EmfMetrics;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.SparkRuns;
import dev.retention.testing.FaultProxy;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.StepFunctionsStandIn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.zip.GZIPOutputStream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Issue 18: resources bounded before they run out. The train service reads through a fault proxy in
 * front of a real s3proxy; a trickling or stalled body meets the invocation's deadline, a gzip that
 * expands beyond its estimate meets the read limit, and each ends in {@code train.failed} (kind
 * {@code resources}) or, where a state machine is configured, in a hand-off to Spark (a Step
 * Functions stand-in): never a silent kill, never a heap run out.
 */
class ResourceLimitsTest {

  private static LocalTraining local;
  private static FaultProxy proxy;
  private static S3Client viaProxy;
  private static StepFunctionsStandIn stepFunctions;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
    proxy = FaultProxy.start(local.server.endpoint());
    viaProxy =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallAttemptTimeout(Duration.ofSeconds(30))
                    .build())
            .region(Region.US_EAST_1)
            .endpointOverride(proxy.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "secret")))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
    stepFunctions = StepFunctionsStandIn.start();
  }

  @AfterAll
  static void stop() {
    stepFunctions.close();
    viaProxy.close();
    proxy.close();
    local.close();
  }

  @AfterEach
  void heal() {
    proxy.pass();
  }

  private static TrainingService service(String name, HandOff handOff) {
    return new TrainingService(
        new ModelStore(new Bucket(viaProxy, LocalTraining.BUCKET), "models/", name),
        LocalTraining.quickSettings(),
        Clock.systemUTC(),
        EmfMetrics.disabled(),
        handOff);
  }

  private static HandOff toSpark(long threshold, long maxTextBytes) {
    return new HandOff(
        threshold,
        5,
        List.of(),
        () ->
            SparkRuns.open(
                new SparkRuns.Settings(
                    "arn:aws:states:us-east-1:123456789012:stateMachine:spark",
                    Optional.of(stepFunctions.endpoint()),
                    Duration.ofSeconds(10))),
        maxTextBytes);
  }

  /** The {@code kind} of each train.failed record while a call runs. */
  private static final class Failures extends Handler implements AutoCloseable {
    final List<String> kinds = new CopyOnWriteArrayList<>();

    Failures() {
      java.util.logging.Logger.getLogger("").addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      if (record instanceof ExtLogRecord ext && "train.failed".equals(ext.getMdc("event"))) {
        kinds.add(ext.getMdc("kind"));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      java.util.logging.Logger.getLogger("").removeHandler(this);
    }
  }

  private static Deadline in(long millis, long reserveMillis) {
    return Deadline.in(
        Duration.ofMillis(millis), Duration.ofMillis(reserveMillis), System::nanoTime);
  }

  private static List<S3ObjectRef> event(String key) {
    return List.of(S3ObjectRef.current(LocalTraining.BUCKET, key));
  }

  @Test
  void aTricklingBodySlowerThanTheDeadlineStopsBeforeItWithTrainFailed() {
    local.upload("exports/features/trickle.csv", ReferenceData.csvBytes());
    // 233 KB at 2 KB per 100 ms: about 12 s; the invocation has 4 s, 1 s of it kept.
    proxy.rule(
        r ->
            r.method().equals("GET") && r.path().contains("trickle.csv")
                ? new FaultProxy.Trickle(2048, 100)
                : new FaultProxy.Pass());
    long start = System.nanoTime();
    try (Failures failures = new Failures()) {
      TrainingFailedException e =
          assertThrows(
              TrainingFailedException.class,
              () ->
                  service("trickle", HandOff.never())
                      .handle(event("exports/features/trickle.csv"), in(4000, 1000)));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(e.getMessage().contains("time ran out while reading"), e.getMessage());
      assertTrue(e.getMessage().contains("retention.invocation.deadline-reserve"), e.getMessage());
      assertTrue(tookMs < 4000, "stopped before the deadline, took " + tookMs + " ms");
      assertEquals(List.of("resources"), failures.kinds);
    }
    assertEquals(List.of(), local.keys("models/trickle/"), "nothing published");
  }

  @Test
  void aStalledBodyIsAbortedAtTheDeadlineNotWaitedForToTheSocketTimeout() {
    local.upload("exports/features/stalled.csv", ReferenceData.csvBytes());
    // The head, then one chunk a minute: the client's socket timeout (30 s) never fires in time.
    proxy.rule(
        r ->
            r.method().equals("GET") && r.path().contains("stalled.csv")
                ? new FaultProxy.Trickle(4096, 60_000)
                : new FaultProxy.Pass());
    long start = System.nanoTime();
    TrainingFailedException e =
        assertThrows(
            TrainingFailedException.class,
            () ->
                service("stalled", HandOff.never())
                    .handle(event("exports/features/stalled.csv"), in(3000, 1000)));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("time ran out while reading"), e.getMessage());
    assertTrue(tookMs < 3000, "aborted at the deadline, took " + tookMs + " ms");
  }

  @Test
  void aTricklingBodyIsHandedToSparkWhereAStateMachineIsConfigured() {
    local.upload("exports/features/handed.csv", ReferenceData.csvBytes());
    proxy.rule(
        r ->
            r.method().equals("GET") && r.path().contains("handed.csv")
                ? new FaultProxy.Trickle(2048, 100)
                : new FaultProxy.Pass());
    int before = stepFunctions.executions().size();
    TrainSummary summary =
        service("handed", toSpark(1L << 40, 0))
            .handle(event("exports/features/handed.csv"), in(4000, 1000))
            .get(0);
    assertEquals(TrainSummary.Status.HANDED_OFF, summary.status());
    assertEquals(before + 1, stepFunctions.executions().size());
  }

  /** The reference export with a long, repetitive text column: it gzips about 40 times. */
  private static byte[] expandingGzip() throws IOException {
    String[] lines = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8).split("\n");
    StringBuilder text = new StringBuilder(lines[0]).append(",note\n");
    String note = "x".repeat(600);
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        text.append(lines[i]).append(',').append(note).append('\n');
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void aGzipThatExpandsBeyondItsEstimateIsMeasuredWhileReadingAndHandedOff() throws IOException {
    byte[] gzip = expandingGzip();
    local.upload("exports/features/expands.csv.gz", gzip);
    // Counted before reading as 5 x its bytes, under the threshold; its text is far more.
    long threshold = gzip.length * 5L + 1;
    int before = stepFunctions.executions().size();
    TrainSummary summary =
        service("expands", toSpark(threshold, 0))
            .handle(event("exports/features/expands.csv.gz"), Deadline.none())
            .get(0);
    assertEquals(TrainSummary.Status.HANDED_OFF, summary.status());
    assertEquals(before + 1, stepFunctions.executions().size());
    assertEquals(List.of(), local.keys("models/expands/"), "nothing trained in-process");
  }

  @Test
  void withoutAStateMachineAnExportBeyondTheTextLimitFailsNamingTheSetting() throws IOException {
    local.upload("exports/features/too-much.csv.gz", expandingGzip());
    try (Failures failures = new Failures()) {
      TrainingFailedException e =
          assertThrows(
              TrainingFailedException.class,
              () ->
                  service("too-much", new HandOff(Long.MAX_VALUE, 5, List.of(), null, 1_000_000))
                      .handle(event("exports/features/too-much.csv.gz"), Deadline.none()));
      assertTrue(e.getMessage().contains("retention.export.max-text-bytes"), e.getMessage());
      assertEquals(List.of("resources"), failures.kinds);
    }
    // An uncompressed export beyond it is refused before a byte is read.
    local.upload("exports/features/plain-too-much.csv", ReferenceData.csvBytes());
    proxy.clearLog();
    assertThrows(
        TrainingFailedException.class,
        () ->
            service("too-much", new HandOff(Long.MAX_VALUE, 5, List.of(), null, 100_000))
                .handle(event("exports/features/plain-too-much.csv"), Deadline.none()));
    assertTrue(
        proxy.log().stream().noneMatch(l -> l.startsWith("GET") && l.contains("plain-too-much")),
        proxy.log().toString());
  }

  @Test
  void aDeadlineThatPassesWhileTrainingStopsAtTheNextPass() {
    local.upload("exports/features/slow-training.csv", ReferenceData.csvBytes());
    // The clock runs on normally while the export is read, and jumps an hour on as soon as a
    // training pass looks at it: the training stops at its next pass.
    LongSupplier clock =
        () ->
            System.nanoTime()
                + (StackWalker.getInstance()
                        .walk(
                            frames ->
                                frames.anyMatch(
                                    f -> f.getClassName().endsWith("training.CheckpointedRows")))
                    ? 3_600_000_000_000L
                    : 0);
    TrainingFailedException e =
        assertThrows(
            TrainingFailedException.class,
            () ->
                service("slow-training", HandOff.never())
                    .handle(
                        event("exports/features/slow-training.csv"),
                        Deadline.in(Duration.ofMinutes(10), Duration.ofSeconds(30), clock)));
    assertTrue(e.getMessage().contains("time ran out while training"), e.getMessage());
    assertEquals(List.of(), local.keys("models/slow-training/"));
  }
}
