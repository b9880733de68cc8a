package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: an export that does not fit in the heap ends in {@code train.failed} with a clear
 * reason, not in an {@code OutOfMemoryError} that kills the invocation without one. The train
 * service runs in a JVM of its own with a 64 MiB heap ({@link SmallHeapTraining}), the text limit
 * off, against the real s3proxy.
 */
class OutOfMemoryTest {

  private static LocalTraining local;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  @Test
  void anExportLargerThanTheHeapEndsInTrainFailedNamingWhatRanOut() throws Exception {
    StringBuilder csv = new StringBuilder("customer_id,a,b,c,d,e,f,g,h,repurchased\n");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 700_000; i++) {
      csv.append('C').append(i);
      for (int c = 0; c < 8; c++) {
        csv.append(',').append(String.format(Locale.ROOT, "%.3f", random.nextDouble()));
      }
      csv.append(',').append(random.nextInt(2)).append('\n');
    }
    local.upload("exports/features/huge.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    Path out = Files.createTempFile("small-heap", ".out");
    Path err = Files.createTempFile("small-heap", ".err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                // JBoss Logging through java.util.logging: its console handler prints to stderr,
                // whichever logging providers the class path holds.
                "-Dorg.jboss.logging.provider=jdk",
                "-Djava.util.logging.manager=java.util.logging.LogManager",
                "-cp",
                System.getProperty("java.class.path"),
                SmallHeapTraining.class.getName(),
                local.server.endpoint().toString(),
                LocalTraining.BUCKET,
                "exports/features/huge.csv")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child finished");
    } finally {
      child.destroyForcibly();
    }
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertEquals(0, child.exitValue(), stdout + stderr);
    // Where the log goes depends on the logging provider on the class path: read both streams.
    String both = stdout + stderr;
    String failed =
        both.lines()
            .filter(l -> l.startsWith("FAILED: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(both));
    assertTrue(failed.contains("did not fit in this function's memory"), failed);
    assertTrue(failed.contains("retention.spark.state-machine-arn"), failed);
    assertTrue(
        both.lines().anyMatch(l -> l.contains("train.failed") && l.contains("kind=resources")),
        both);
    assertEquals(List.of(), local.keys("models/small-heap/"), "nothing published");
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
  }
}
