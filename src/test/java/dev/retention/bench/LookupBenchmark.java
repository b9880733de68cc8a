package dev.retention.bench;

import dev.retention.data.CsvTokenizer;
import dev.retention.data.OrdersDialect;
import dev.retention.model.ModelJson;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.EmfMetrics;
import dev.retention.service.score.CustomerLookup;
import dev.retention.service.score.HttpResult;
import dev.retention.service.score.ModelCache;
import dev.retention.service.score.ScoreApi;
import dev.retention.service.score.ScoreSettings;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ScoreIndex;
import dev.retention.storage.ScoreIndexWriter;
import dev.retention.testing.S3ProxyServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code GET /customers/{id}} at scale: a lookup index of N customers (10 million by default) built
 * and published by the batch's own writer to a real S3-compatible server (s3proxy on this machine,
 * objects on local disk), then looked up by the score function's own reader and API.
 *
 * <p>Reports: index build time (rows added, then partitions sorted, compressed and uploaded), its
 * objects and bytes (stored and raw); cold lookups (a partition not in memory) with the S3 GETs
 * each cost and their latency; warm lookups (the partition in memory) through {@link
 * CustomerLookup} and through the whole API ({@link ScoreApi#handle}, the JSON answer included),
 * p50/p99/max; a random stream over all customers with the cache bounded by {@code
 * retention.lookup.cache-bytes}: hit rate, GETs, the cache's bytes against its budget, and the
 * heap.
 *
 * <p>Arguments: {@code [customers] [customers-per-partition] [cache-bytes]}; defaults 10,000,000,
 * 2,048 and 64 MiB.
 */
public final class LookupBenchmark {

  private static final String BUCKET = "bench";
  private static final String VERSION = "20261204-bench00000000000";
  private static final String[] NAMES = {
    "champions", "loyal", "promising", "needs attention: many refunds", "at risk", "hibernating"
  };
  private static final String[] ACTIONS = {
    "Thank them; ask for a review or referral",
    "Points boost or bundle on repeat items",
    "Onboarding series with recommendations",
    "Personalised recommendations",
    "Strong win-back offer before they lapse",
    "Seasonal newsletter"
  };
  private static final List<String> COLUMNS =
      List.of(
          "segment",
          "segment_name",
          "probability",
          "churn_risk_band",
          "suggested_action",
          "p_alive",
          "expected_purchases_90d",
          "expected_next_order_date",
          "predicted_clv_365d",
          "value_at_risk",
          "historic_clv");

  private LookupBenchmark() {}

  /** Customer {@code i}'s id: shop-like, unsorted, of varying length. */
  static String id(long i) {
    return "CUST-" + Long.toString(i * 2_654_435_761L % 100_000_000_000L + i, 36);
  }

  /** A scores-file row as batch scoring writes it (same columns and number formats). */
  static String cells(SplittableRandom random) {
    int s = random.nextInt(NAMES.length);
    double p = random.nextDouble();
    double clv = Math.exp(4 + random.nextGaussian());
    return CsvTokenizer.joinRecord(
        List.of(
            Integer.toString(s),
            NAMES[s],
            String.format(Locale.ROOT, "%.6f", p),
            p < 0.33 ? "high" : p < 0.66 ? "medium" : "low",
            ACTIONS[s],
            String.format(Locale.ROOT, "%.6f", random.nextDouble()),
            String.format(Locale.ROOT, "%.6f", random.nextDouble() * 4),
            LocalDate.of(2026, 12, 2).plusDays(random.nextInt(400)).toString(),
            String.format(Locale.ROOT, "%.2f", clv),
            String.format(Locale.ROOT, "%.2f", clv * (1 - p)),
            String.format(Locale.ROOT, "%.2f", Math.exp(4.5 + random.nextGaussian()))));
  }

  public static void main(String[] args) throws Exception {
    long customers = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int perPartition = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
    long cacheBytes = args.length > 2 ? Long.parseLong(args[2]) : 64L << 20;
    Path data = Files.createTempDirectory("lookup-bench");
    try (S3ProxyServer server = S3ProxyServer.start(data);
        S3Client s3 = server.client()) {
      server.createBucket(BUCKET);
      Bucket bucket = new Bucket(s3, BUCKET);
      System.out.printf(
          "lookup benchmark: %,d customers, %d per partition, cache %d MiB, %d cores, %s%n",
          customers,
          perPartition,
          cacheBytes >> 20,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));

      // ---- build: as batch scoring does (add every row, then publish)
      long t0 = System.nanoTime();
      ScoreIndexWriter.Published published;
      int partitions;
      long generating;
      try (ScoreIndexWriter writer = new ScoreIndexWriter(customers, perPartition)) {
        SplittableRandom random = new SplittableRandom(20261204L);
        generating = 0;
        for (long i = 0; i < customers; i++) {
          long g = System.nanoTime();
          String id = id(i);
          String row = cells(random);
          generating += System.nanoTime() - g;
          writer.add(id, row);
        }
        long added = System.nanoTime();
        t0 += generating; // the benchmark's own rows are not the index's cost
        partitions = writer.partitions();
        published =
            writer.publish(
                bucket,
                "lookup/",
                new ScoreIndex.Pointer(
                    VERSION,
                    "batch",
                    partitions,
                    customers,
                    COLUMNS,
                    "2026-12-02",
                    "s3://" + BUCKET + "/exports/score/today.csv",
                    "scores/" + VERSION + "/today.csv",
                    "2026-12-04T00:00:00Z",
                    new ModelOrder("2026-12-04T00:00:00Z", "exports/score/today.csv", null, "b"),
                    null,
                    0),
                8);
        long done = System.nanoTime();
        System.out.printf(
            "build: %.1f s (rows added and spilled %.1f s, sorted, compressed and uploaded %.1f s;"
                + " making the rows, not counted: %.1f s)%n",
            (done - t0) / 1e9, (added - t0) / 1e9, (done - added) / 1e9, generating / 1e9);
      }
      System.out.printf(
          "index: %d partitions, %,d bytes stored (%.1f per customer, %.1f KB per partition),"
              + " %,d bytes raw (%.1fx compression)%n",
          published.objects(),
          published.bytes(),
          (double) published.bytes() / customers,
          published.bytes() / 1024.0 / published.objects(),
          published.rawBytes(),
          (double) published.rawBytes() / published.bytes());

      // ---- cold: each lookup in a partition not read before
      CustomerLookup lookup =
          new CustomerLookup(
              bucket,
              "lookup/",
              Duration.ofSeconds(60),
              Duration.ofSeconds(5),
              cacheBytes,
              System::nanoTime);
      lookup.find(VERSION, id(0)); // the pointer, read once per TTL
      int cold = Math.min(500, partitions - 1);
      long[] coldNs = new long[cold];
      long maxGets = 0;
      long totalGets = 0;
      boolean[] seen = new boolean[partitions];
      seen[ScoreIndex.partition(id(0).getBytes(StandardCharsets.UTF_8), partitions)] = true;
      SplittableRandom pick = new SplittableRandom(7);
      for (int n = 0; n < cold; ) {
        long i = pick.nextLong(customers);
        int p = ScoreIndex.partition(id(i).getBytes(StandardCharsets.UTF_8), partitions);
        if (seen[p]) {
          continue;
        }
        seen[p] = true;
        long reads = lookup.objectReads();
        long t = System.nanoTime();
        found(lookup.find(VERSION, id(i)));
        coldNs[n++] = System.nanoTime() - t;
        long gets = lookup.objectReads() - reads;
        maxGets = Math.max(maxGets, gets);
        totalGets += gets;
      }
      System.out.printf(
          "cold (partition not in memory), %d lookups: %s; S3 GETs per lookup: max %d, mean %.2f%n",
          cold, percentiles(coldNs), maxGets, (double) totalGets / cold);

      // ---- warm: partitions in memory, through the reader and through the whole API
      RetentionModel model;
      try (InputStream in = LookupBenchmark.class.getResourceAsStream("/priming-model.json")) {
        String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        model =
            ModelJson.read(
                json.replaceFirst(
                        "\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\": \"" + VERSION + "\"")
                    .getBytes(StandardCharsets.UTF_8));
      }
      ModelStore store = new ModelStore(bucket, "models/", "default");
      store.publish(model, ReportHtml.render(model));
      ScoreSettings settings =
          new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 1000, 1 << 20);
      ScoreApi api =
          new ScoreApi(
              new ModelCache(
                  store, settings.cacheTtl(), settings.refreshTimeout(), System::nanoTime),
              settings,
              Clock.systemUTC(),
              EmfMetrics.disabled(),
              OrdersDialect.defaults(),
              lookup);
      long[] hot = hotIds(customers, partitions, 200, pick);
      for (long i : hot) {
        found(lookup.find(VERSION, id(i)));
        api.handle("GET", "/customers/" + id(i), null);
      }
      int warm = 1_000_000;
      long[] warmNs = new long[warm];
      long[] apiNs = new long[warm];
      long before = lookup.objectReads();
      for (int round = 0; round < 2; round++) { // the first round warms the JIT
        for (int n = 0; n < warm; n++) {
          String id = id(hot[n % hot.length]);
          long t = System.nanoTime();
          found(lookup.find(VERSION, id));
          warmNs[n] = System.nanoTime() - t;
          t = System.nanoTime();
          HttpResult r = api.handle("GET", "/customers/" + id, null);
          apiNs[n] = System.nanoTime() - t;
          if (r.status() != 200) {
            throw new IllegalStateException(r.body());
          }
        }
      }
      System.out.printf(
          "warm (partition in memory), %,d lookups over %d partitions: reader %s; whole API %s;"
              + " S3 GETs %d%n",
          warm, hot.length, percentiles(warmNs), percentiles(apiNs), lookup.objectReads() - before);

      // ---- a random stream over all customers, the cache within its budget
      int stream = 20_000;
      long[] streamNs = new long[stream];
      long reads = lookup.objectReads();
      long maxCached = 0;
      for (int n = 0; n < stream; n++) {
        long t = System.nanoTime();
        found(lookup.find(VERSION, id(pick.nextLong(customers))));
        streamNs[n] = System.nanoTime() - t;
        maxCached = Math.max(maxCached, lookup.cachedBytes());
      }
      long gets = lookup.objectReads() - reads;
      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf(
          "random over all %,d customers, %,d lookups: %s; partitions read %d (hit rate %.1f%%);"
              + " cache at most %.1f MiB of %d MiB; heap used after GC %.0f MiB%n",
          customers,
          stream,
          percentiles(streamNs),
          gets,
          100.0 * (stream - gets) / stream,
          maxCached / 1048576.0,
          cacheBytes >> 20,
          (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    } finally {
      deleteTree(data);
    }
    System.exit(0);
  }

  /** Customers spread over {@code count} distinct partitions. */
  private static long[] hotIds(long customers, int partitions, int count, SplittableRandom pick) {
    boolean[] used = new boolean[partitions];
    long[] out = new long[Math.min(count, partitions)];
    for (int n = 0; n < out.length; ) {
      long i = pick.nextLong(customers);
      int p = ScoreIndex.partition(id(i).getBytes(StandardCharsets.UTF_8), partitions);
      if (!used[p]) {
        used[p] = true;
        out[n++] = i;
      }
    }
    return out;
  }

  private static void found(CustomerLookup.Answer answer) {
    if (!(answer instanceof CustomerLookup.Found)) {
      throw new IllegalStateException("not found: " + answer);
    }
  }

  private static String percentiles(long[] ns) {
    long[] sorted = ns.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "p50 %.3f ms, p99 %.3f ms, max %.3f ms",
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
