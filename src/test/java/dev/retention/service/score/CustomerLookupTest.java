package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.data.CsvTokenizer;
import dev.retention.model.ModelOrder;
import dev.retention.storage.Bucket;
import dev.retention.storage.ScoreIndex;
import dev.retention.storage.ScoreIndexWriter;
import dev.retention.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How {@code GET /customers/{id}} reads the lookup index: GETs counted on a real S3-compatible
 * server, the clock that drives the pointer's TTL set by the test.
 */
class CustomerLookupTest {

  private static final String BUCKET = "lookups";
  private static final Duration TTL = Duration.ofSeconds(60);
  private static S3ProxyServer server;
  private static S3Client s3;
  private static Bucket bucket;

  @BeforeAll
  static void start() throws IOException {
    server = S3ProxyServer.start(Files.createTempDirectory("customer-lookup"));
    server.createBucket(BUCKET);
    s3 = server.client();
    bucket = new Bucket(s3, BUCKET);
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  /** Publishes customers C0..C(n-1) with cells "tag,i" as a batch of {@code version}. */
  private static void publish(String version, String batch, int n, String tag, String at)
      throws IOException {
    try (ScoreIndexWriter writer = new ScoreIndexWriter(n, 250)) {
      for (int i = 0; i < n; i++) {
        writer.add("C" + i, CsvTokenizer.joinRecord(List.of(tag, Integer.toString(i))));
      }
      writer.publish(
          bucket,
          "lookup/",
          new ScoreIndex.Pointer(
              version,
              batch,
              writer.partitions(),
              n,
              List.of("segment", "probability"),
              "2026-11-28",
              "s3://" + BUCKET + "/exports/score/" + batch + ".csv",
              "scores/" + version + "/" + batch + ".csv",
              at,
              new ModelOrder(at, "exports/score/" + batch + ".csv", null, batch),
              null,
              0),
          2);
    }
  }

  private static CustomerLookup lookup(AtomicLong clock, long maxBytes) {
    return new CustomerLookup(bucket, "lookup/", TTL, Duration.ofSeconds(5), maxBytes, clock::get);
  }

  private static List<String> found(CustomerLookup lookup, String version, String id) {
    CustomerLookup.Answer answer = lookup.find(version, id);
    return assertInstanceOf(CustomerLookup.Found.class, answer, id).cells();
  }

  @Test
  void aColdLookupCostsOneGetOfItsPartitionAndAWarmOneNone() throws IOException {
    publish("v1", "b1", 2000, "one", "2026-11-28T10:00:00Z");
    AtomicLong clock = new AtomicLong();
    CustomerLookup lookup = lookup(clock, 64 << 20);
    assertEquals(List.of("one", "7"), found(lookup, "v1", "C7"));
    assertEquals(2, lookup.objectReads(), "the pointer, then the partition");
    long reads = lookup.objectReads();
    for (int i = 0; i < 2000; i++) {
      long before = lookup.objectReads();
      assertEquals(List.of("one", Integer.toString(i)), found(lookup, "v1", "C" + i));
      assertTrue(lookup.objectReads() - before <= 1, "at most one GET per lookup");
    }
    assertEquals(reads + 7, lookup.objectReads(), "each of the 8 partitions read once");
    long warm = lookup.objectReads();
    for (int i = 0; i < 2000; i += 3) {
      found(lookup, "v1", "C" + i);
    }
    assertEquals(warm, lookup.objectReads(), "warm: no GET at all");
    assertInstanceOf(CustomerLookup.NotInBatch.class, lookup.find("v1", "C2000"));
    assertInstanceOf(CustomerLookup.NotInBatch.class, lookup.find("v1", "c7"));
    assertEquals(warm, lookup.objectReads());
  }

  @Test
  void theCacheStaysWithinItsBudgetAndRereadsWhatItDropped() throws IOException {
    publish("v2", "b1", 2000, "two", "2026-11-28T10:00:00Z");
    AtomicLong clock = new AtomicLong();
    CustomerLookup probe = lookup(clock, 64 << 20);
    found(probe, "v2", "C0");
    long onePartition = probe.cachedBytes();
    CustomerLookup lookup = lookup(clock, 3 * onePartition);
    for (int i = 0; i < 2000; i++) {
      found(lookup, "v2", "C" + i);
      assertTrue(lookup.cachedBytes() <= 3 * onePartition + onePartition / 4, "within budget");
    }
    long reads = lookup.objectReads();
    for (int i = 0; i < 2000; i++) {
      found(lookup, "v2", "C" + i);
    }
    assertTrue(lookup.objectReads() > reads, "dropped partitions are read again");
  }

  @Test
  void thePointerIsRecheckedAfterItsTtlAndANewBatchIsServed() throws IOException {
    publish("v3", "b1", 600, "old", "2026-11-28T10:00:00Z");
    AtomicLong clock = new AtomicLong();
    CustomerLookup lookup = lookup(clock, 64 << 20);
    assertEquals(List.of("old", "5"), found(lookup, "v3", "C5"));
    clock.addAndGet(TTL.toNanos());
    long reads = lookup.objectReads();
    assertEquals(List.of("old", "5"), found(lookup, "v3", "C5"));
    assertEquals(reads + 1, lookup.objectReads(), "one conditional GET (304) of the pointer");
    publish("v3", "b2", 600, "new", "2026-11-28T12:00:00Z");
    assertEquals(List.of("old", "5"), found(lookup, "v3", "C5"), "within the TTL");
    clock.addAndGet(TTL.toNanos());
    assertEquals(List.of("new", "5"), found(lookup, "v3", "C5"));
  }

  @Test
  void aRemovedPartitionMeansThePointerMovedOnAndIsFollowed() throws IOException {
    publish("v4", "b1", 600, "first", "2026-11-28T10:00:00Z");
    AtomicLong clock = new AtomicLong();
    CustomerLookup lookup = lookup(clock, 1); // nothing cached: every lookup reads
    assertEquals(List.of("first", "1"), found(lookup, "v4", "C1"));
    publish("v4", "b2", 600, "second", "2026-11-28T11:00:00Z");
    publish("v4", "b3", 600, "third", "2026-11-28T12:00:00Z"); // removes b1
    assertEquals(List.of("third", "1"), found(lookup, "v4", "C1"), "within the TTL, b1 is gone");
  }

  @Test
  void aModelVersionWithoutBatchScoresHasNone() {
    CustomerLookup lookup = lookup(new AtomicLong(), 64 << 20);
    assertInstanceOf(CustomerLookup.NoBatch.class, lookup.find("never-scored", "C1"));
    assertInstanceOf(CustomerLookup.NoBatch.class, lookup.find("never-scored", "C2"));
    assertEquals(1, lookup.objectReads(), "the missing pointer is remembered for a TTL");
  }
}
