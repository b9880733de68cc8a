package dev.retention.faults;

import static dev.retention.faults.Bucketed.event;
import static dev.retention.faults.Bucketed.invoke;
import static dev.retention.faults.Bucketed.keys;
import static dev.retention.faults.Bucketed.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.FaultProxy;
import dev.retention.testing.ReferenceData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, through the real Lambda event path: an S3 body that trickles in slower than the
 * invocation's deadline is stopped before the deadline with {@code train.failed}, the invocation
 * fails naming the reason, and nothing is published: never a silent kill by Lambda.
 */
@QuarkusTest
@TestProfile(TrainDeadlineProfile.class)
@QuarkusTestResource(value = FaultyS3Resource.class, restrictToAnnotatedClass = true)
class TrainDeadlineFaultsTest {

  /** kind and durationMs of each train.failed record while it is open. */
  private static final class Failed extends Handler implements AutoCloseable {
    final List<String[]> records = new CopyOnWriteArrayList<>();

    Failed() {
      java.util.logging.Logger.getLogger("").addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      if (record instanceof ExtLogRecord ext && "train.failed".equals(ext.getMdc("event"))) {
        records.add(new String[] {ext.getMdc("kind"), ext.getMdc("durationMs")});
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      java.util.logging.Logger.getLogger("").removeHandler(this);
    }
  }

  @AfterEach
  void heal() {
    FaultyS3Resource.proxy.pass();
  }

  @Test
  void aBodySlowerThanTheDeadlineStopsBeforeItAndPublishesNothing() {
    upload("exports/features/trickle.csv", ReferenceData.csvBytes());
    List<String> before = keys("models/");
    // 233 KB at 2 KB per 100 ms takes about 12 s; never silent for the 3 s socket timeout.
    FaultyS3Resource.proxy.rule(
        r ->
            r.method().equals("GET") && r.path().contains("trickle.csv")
                ? new FaultProxy.Trickle(2048, 100)
                : new FaultProxy.Pass());
    Response response;
    try (Failed failed = new Failed()) {
      response = invoke(event("s3-put-csv.json", "exports/features/trickle.csv"));
      // The function's own clock: it stopped 2 s before its 6 s, as the reserve says.
      assertEquals(1, failed.records.size(), failed.records.toString());
      String[] record = failed.records.get(0);
      assertEquals("resources", record[0]);
      long durationMs = Long.parseLong(record[1]);
      assertTrue(durationMs >= 3500 && durationMs < 6000, "took " + durationMs + " ms");
    }
    String body = response.asString();
    assertTrue(body.contains("errorMessage"), body);
    assertTrue(body.contains("time ran out while reading"), body);
    assertEquals(before, keys("models/"), "nothing published");
  }
}
