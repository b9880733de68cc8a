package dev.retention.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.data.CsvTokenizer;
import dev.retention.model.ModelOrder;
import dev.retention.testing.FaultProxy;
import dev.retention.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** The lookup index of batch scores on a real S3-compatible server: layout, lookups, pointer. */
class ScoreIndexTest {

  private static final String BUCKET = "index";
  private static final List<String> COLUMNS = List.of("segment", "segment_name", "probability");
  private static S3ProxyServer server;
  private static S3Client s3;
  private static Bucket bucket;

  @BeforeAll
  static void start() throws IOException {
    server = S3ProxyServer.start(Files.createTempDirectory("score-index"));
    server.createBucket(BUCKET);
    s3 = server.client();
    bucket = new Bucket(s3, BUCKET);
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static ScoreIndex.Pointer pointer(
      String version, String batch, int partitions, long customers, String lastModified) {
    return new ScoreIndex.Pointer(
        version,
        batch,
        partitions,
        customers,
        COLUMNS,
        "2026-11-28",
        "s3://" + BUCKET + "/exports/score/" + batch + ".csv",
        "scores/" + version + "/" + batch + ".csv",
        "2026-11-29T00:00:00Z",
        new ModelOrder(lastModified, "exports/score/" + batch + ".csv", null, batch),
        null,
        0);
  }

  /** Writes {@code rows} (id to cells) as one batch and publishes it. */
  private static ScoreIndexWriter.Published write(
      String version, String batch, Map<String, String> rows, String lastModified, int perPartition)
      throws IOException {
    try (ScoreIndexWriter writer = new ScoreIndexWriter(rows.size(), perPartition)) {
      for (Map.Entry<String, String> row : rows.entrySet()) {
        writer.add(row.getKey(), row.getValue());
      }
      return writer.publish(
          bucket,
          "lookup/",
          pointer(version, batch, writer.partitions(), rows.size(), lastModified),
          4);
    }
  }

  private static List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  private static Map<String, String> rows(int n, long seed, String tag) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, String> rows = new HashMap<>();
    for (int i = 0; i < n; i++) {
      // Ids of every kind: numbers, spaces, quotes, commas, non-ASCII, leading formula signs.
      String id =
          switch (i % 5) {
            case 0 -> "C" + i;
            case 1 -> Integer.toString(random.nextInt(1 << 30));
            case 2 -> " padded " + i + " ";
            case 3 -> "=\"quoted, " + i + "\"";
            default -> "kund-\u00e9\u00df-" + i;
          };
      rows.put(
          id,
          CsvTokenizer.joinRecord(
              List.of(Integer.toString(i % 4), "name, \"" + tag + "\"", "0.5" + i)));
    }
    return rows;
  }

  @Test
  void everyIdIsFoundInItsPartitionAndNothingElse() throws IOException {
    Map<String, String> rows = rows(10_000, 7, "a");
    ScoreIndexWriter.Published published = write("v1", "b1", rows, "2026-11-28T10:00:00Z", 700);
    assertEquals(ScoreIndexWriter.Outcome.MOVED, published.outcome());
    assertEquals(16, published.objects(), "10,000 customers at 700 a partition: 16 partitions");
    assertEquals(16, keys("lookup/v1/b1/").size());
    assertTrue(published.bytes() < published.rawBytes(), "stored compressed");
    ScoreIndex.Pointer live =
        ScoreIndex.Pointer.parse(
            bucket.read("lookup/v1/latest.json").orElseThrow().bytes(), "latest.json");
    assertEquals("b1", live.batch());
    assertEquals(COLUMNS, live.columns());
    Map<Integer, ScoreIndex.Partition> partitions = new HashMap<>();
    for (int p = 0; p < 16; p++) {
      String key = ScoreIndex.partitionKey("lookup/", "v1", "b1", p);
      partitions.put(p, ScoreIndex.Partition.parse(bucket.read(key).orElseThrow().bytes(), key));
    }
    assertEquals(10_000, partitions.values().stream().mapToInt(ScoreIndex.Partition::size).sum());
    for (Map.Entry<String, String> row : rows.entrySet()) {
      byte[] id = row.getKey().getBytes(StandardCharsets.UTF_8);
      String cells = partitions.get(ScoreIndex.partition(id, 16)).find(id);
      assertEquals(row.getValue(), cells, row.getKey());
      assertEquals(3, CsvTokenizer.splitRecord(cells).size());
      assertTrue(CsvTokenizer.splitRecord(cells).get(1).contains(", \"a\""));
    }
    for (String absent : List.of("C1", "c0", "C0 ", "", "padded 2", "zzz")) {
      byte[] id = absent.getBytes(StandardCharsets.UTF_8);
      assertNull(partitions.get(ScoreIndex.partition(id, 16)).find(id), absent);
    }
  }

  @Test
  void thePartitionOfAnIdIsFixedAcrossMachinesAndSpreadEvenly() {
    // FNV-1a 64 of "C100000", folded: a fixed number, so any reader finds what any writer wrote.
    assertEquals(
        ScoreIndex.partition("C100000".getBytes(StandardCharsets.UTF_8), 1 << 20),
        ScoreIndex.partition("C100000".getBytes(StandardCharsets.UTF_8), 1 << 20));
    int[] counts = new int[64];
    for (int i = 0; i < 64_000; i++) {
      counts[ScoreIndex.partition(("C" + i).getBytes(StandardCharsets.UTF_8), 64)]++;
    }
    for (int c : counts) {
      assertTrue(c > 800 && c < 1200, "about 1,000 each: " + c);
    }
    assertEquals(1, ScoreIndex.partitions(0, 2048));
    assertEquals(1, ScoreIndex.partitions(2048, 2048));
    assertEquals(2, ScoreIndex.partitions(2049, 2048));
    assertEquals(8192, ScoreIndex.partitions(10_000_000, 2048));
  }

  @Test
  void thePointerMovesOnlyToALaterExportAndNothingIsLeftOrphaned() throws IOException {
    Map<String, String> first = rows(300, 1, "first");
    Map<String, String> second = rows(300, 2, "second");
    Map<String, String> third = rows(300, 3, "third");
    assertEquals(
        ScoreIndexWriter.Outcome.MOVED,
        write("v2", "b-noon", first, "2026-11-28T12:00:00Z", 100).outcome());
    // A redelivered event of the same export: already live, nothing rewritten.
    assertEquals(
        ScoreIndexWriter.Outcome.ALREADY_LIVE,
        write("v2", "b-noon", first, "2026-11-28T12:00:00Z", 100).outcome());
    // An export written earlier, scored later: published nowhere, its partitions not left behind.
    ScoreIndexWriter.Published late = write("v2", "b-morning", second, "2026-11-28T08:00:00Z", 100);
    assertEquals(ScoreIndexWriter.Outcome.NEWER_IS_LIVE, late.outcome());
    assertEquals("b-noon", late.liveBatch());
    assertEquals(List.of(), keys("lookup/v2/b-morning/"));
    // Two later exports: each moves the pointer; the batch before the previous one is removed.
    assertEquals(
        ScoreIndexWriter.Outcome.MOVED,
        write("v2", "b-evening", second, "2026-11-28T18:00:00Z", 100).outcome());
    assertEquals(4, keys("lookup/v2/b-noon/").size(), "the previous batch stays for a TTL");
    assertEquals(
        ScoreIndexWriter.Outcome.MOVED,
        write("v2", "b-night", third, "2026-11-28T23:00:00Z", 100).outcome());
    assertEquals(List.of(), keys("lookup/v2/b-noon/"));
    assertEquals(4, keys("lookup/v2/b-evening/").size());
    ScoreIndex.Pointer live =
        ScoreIndex.Pointer.parse(
            bucket.read("lookup/v2/latest.json").orElseThrow().bytes(), "latest.json");
    assertEquals("b-night", live.batch());
    assertEquals("b-evening", live.previous());
    assertNotNull(live.order());
  }

  @Test
  void aFailedUploadLeavesNoPartitionBehindAndItsRetryPublishes() throws IOException {
    Map<String, String> rows = rows(1_000, 4, "retried");
    try (FaultProxy proxy = FaultProxy.start(server.endpoint());
        S3Client faulty =
            S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1)
                .endpointOverride(proxy.endpoint())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .serviceConfiguration(
                    S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
      proxy.rule(
          r ->
              r.method().equals("PUT") && r.path().contains("/part-00005.gz")
                  ? new FaultProxy.Status(500)
                  : new FaultProxy.Pass());
      Bucket failing = new Bucket(faulty, BUCKET);
      try (ScoreIndexWriter writer = new ScoreIndexWriter(rows.size(), 100)) {
        for (Map.Entry<String, String> row : rows.entrySet()) {
          writer.add(row.getKey(), row.getValue());
        }
        assertThrows(
            StorageException.class,
            () ->
                writer.publish(
                    failing,
                    "lookup/",
                    pointer("v5", "b", writer.partitions(), rows.size(), "2026-11-28T12:00:00Z"),
                    4));
      }
    }
    assertEquals(List.of(), keys("lookup/v5/"), "nothing left that nothing names");
    assertEquals(
        ScoreIndexWriter.Outcome.MOVED,
        write("v5", "b", rows, "2026-11-28T12:00:00Z", 100).outcome());
    assertEquals(17, keys("lookup/v5/").size(), "16 partitions and the pointer");
  }

  @Test
  void aBatchWithNoCustomersStillHasItsPartition() throws IOException {
    write("v3", "empty", Map.of(), "2026-11-28T12:00:00Z", 100);
    String key = ScoreIndex.partitionKey("lookup/", "v3", "empty", 0);
    ScoreIndex.Partition partition =
        ScoreIndex.Partition.parse(bucket.read(key).orElseThrow().bytes(), key);
    assertEquals(0, partition.size());
    assertNull(partition.find("x".getBytes(StandardCharsets.UTF_8)));
  }
}
