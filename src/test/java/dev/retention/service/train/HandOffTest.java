package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.service.EmfMetrics;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import dev.retention.storage.SparkRuns;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.StepFunctionsStandIn;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.TrainingOptions;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link HandOff}: what counts as large, the job's command line, and training without it. */
class HandOffTest {

  private static final ObjectInfo OBJECT =
      new ObjectInfo(
          "b",
          "exports/orders/o.csv.gz",
          "etag1",
          "v-7",
          Instant.parse("2026-11-28T10:00:00Z"),
          1_000);

  @Test
  void aGzipExportCountsItsExpansionAndTheThresholdItselfIsLarge() {
    HandOff handOff = new HandOff(5_000, 5, List.of(), null);
    assertEquals(1_000, handOff.countedBytes(OBJECT, false));
    assertEquals(5_000, handOff.countedBytes(OBJECT, true));
    assertTrue(handOff.large(5_000));
    assertTrue(!handOff.large(4_999));
    ObjectInfo huge =
        new ObjectInfo("b", "k.gz", "e", null, OBJECT.lastModified(), Long.MAX_VALUE / 2);
    assertEquals(Long.MAX_VALUE, handOff.countedBytes(huge, true), "no overflow");
    assertTrue(!HandOff.never().large(Long.MAX_VALUE - 1));
  }

  @Test
  void theCommandLineNamesTheObjectVersionTheModelVersionAndEachSetting() {
    HandOff handOff =
        new HandOff(1, 5, List.of("retention.model.name=shop", "retention.train.k=4"), null);
    assertEquals(
        List.of(
            "--bucket", "b",
            "--key", "exports/orders/o.csv.gz",
            "--etag", "etag1",
            "--version-id", "v-7",
            "--sequencer", "00AB",
            "--last-modified", "2026-11-28T10:00:00Z",
            "--model-version", "20261128-abcdef0123456789",
            "--setting", "retention.model.name=shop",
            "--setting", "retention.train.k=4"),
        handOff.arguments(OBJECT, "00AB", "20261128-abcdef0123456789"));
    ObjectInfo unversioned =
        new ObjectInfo("b", "k.csv", "e", null, Instant.parse("2026-11-28T10:00:00Z"), 9);
    assertEquals(
        List.of(
            "--bucket",
            "b",
            "--key",
            "k.csv",
            "--etag",
            "e",
            "--last-modified",
            "2026-11-28T10:00:00Z",
            "--model-version",
            "v"),
        new HandOff(1, 5, List.of(), null).arguments(unversioned, null, "v"));
  }

  @Test
  void settingsOutsideTheirRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new HandOff(0, 5, List.of(), null));
    assertThrows(IllegalArgumentException.class, () -> new HandOff(1, 0.5, List.of(), null));
    assertThrows(IllegalArgumentException.class, () -> new HandOff(1, Double.NaN, List.of(), null));
    assertThrows(IllegalArgumentException.class, () -> new HandOff(1, 5, List.of("=value"), null));
    assertThrows(IllegalStateException.class, () -> HandOff.never().start(OBJECT, null, "v", "s"));
  }

  @Test
  void theStateMachinesClientIsOpenedOnTheFirstHandOffOnly() {
    try (StepFunctionsStandIn standIn = StepFunctionsStandIn.start()) {
      AtomicInteger opened = new AtomicInteger();
      HandOff handOff =
          new HandOff(
              1,
              5,
              List.of("retention.train.k=4"),
              () -> {
                opened.incrementAndGet();
                return SparkRuns.open(
                    new SparkRuns.Settings(
                        "arn:aws:states:eu-west-1:123456789012:stateMachine:m",
                        Optional.of(standIn.endpoint()),
                        Duration.ofSeconds(10)));
              });
      assertTrue(handOff.configured());
      assertEquals(0, opened.get(), "nothing opened before a hand-off");
      SparkRuns.Run run = handOff.start(OBJECT, null, "v1", "s3://b/exports/orders/o.csv.gz");
      handOff.start(OBJECT, null, "v2", "s3://b/exports/orders/o.csv.gz");
      assertEquals(1, opened.get());
      assertEquals("arn:aws:states:eu-west-1:123456789012:execution:m:v1", run.id());
      assertEquals(2, standIn.executions().size());
      handOff.close();
    }
  }

  /** The warning records of one event while a call runs. */
  private static final class Warnings extends Handler {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      if (record instanceof ExtLogRecord ext && ext.getMdc("event") != null) {
        events.add(ext.getLevel() + " " + ext.getMdc("event") + " " + ext.getMdc("source"));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void aLargeExportWithoutAStateMachineTrainsInProcessWithOneWarning() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("hand-off"));
        S3Client s3 = server.client()) {
      server.createBucket("retention-data");
      s3.putObject(
          b -> b.bucket("retention-data").key("exports/features/large.csv"),
          RequestBody.fromBytes(ReferenceData.csvBytes()));
      TrainSettings settings =
          TrainSettings.defaults()
              .withOptions(
                  TrainingOptions.defaults()
                      .withK(3)
                      .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)));
      TrainingService training =
          new TrainingService(
              new ModelStore(new Bucket(s3, "retention-data"), "models/", "default"),
              settings,
              Clock.systemUTC(),
              EmfMetrics.disabled(),
              new HandOff(100_000, 5, List.of(), null));
      Warnings warnings = new Warnings();
      java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
      root.addHandler(warnings);
      List<TrainSummary> summaries;
      try {
        summaries =
            training.handle(
                List.of(S3ObjectRef.current("retention-data", "exports/features/large.csv")));
      } finally {
        root.removeHandler(warnings);
      }
      assertEquals(TrainSummary.Status.TRAINED, summaries.get(0).status());
      assertEquals(null, summaries.get(0).runId());
      assertEquals(
          List.of(
              "WARN train.hand-off-not-configured s3://retention-data/exports/features/large.csv"),
          warnings.events.stream().filter(e -> e.contains("hand-off")).toList(),
          warnings.events.toString());
    }
  }
}
