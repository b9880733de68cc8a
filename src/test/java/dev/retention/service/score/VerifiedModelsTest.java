package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.data.ExportSchema;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.NoModelException;
import dev.retention.service.S3ObjectRef;
import dev.retention.service.batch.BatchScoringFailedException;
import dev.retention.service.batch.BatchScoringService;
import dev.retention.service.batch.BatchSettings;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelIntegrityException;
import dev.retention.storage.ModelStore;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 24: the scorer serves only what was published. {@code latest.json} names the version and
 * the SHA-256 of its model file; the cache (cold and warm) and batch scoring verify both.
 */
class VerifiedModelsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "verified-models";
  private static S3ProxyServer server;
  private static S3Client s3;
  private static ReferenceData reference;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start(Files.createTempDirectory("verified"));
    server.createBucket(BUCKET);
    s3 = server.client();
    reference = ReferenceData.load();
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static ModelStore store(String name) {
    return new ModelStore(new Bucket(s3, BUCKET), "models/", name);
  }

  private static RetentionModel train(String name, String version) {
    return new Trainer(
            TrainingOptions.defaults()
                .withK(3)
                .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)))
        .train(
            Trainer.Input.of(reference.features, reference.labels, "repurchased"),
            new Trainer.Identity(name, version, Instant.EPOCH));
  }

  private static byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The model file of {@code version} with its intercept changed: valid, but not published. */
  private static void tamper(String name, String version) throws Exception {
    String key = "models/" + name + "/" + version + ".json";
    ObjectNode json = (ObjectNode) MAPPER.readTree(get(key));
    ObjectNode classifier = (ObjectNode) json.get("classifier");
    classifier.put("intercept", classifier.get("intercept").asDouble() + 3);
    byte[] altered = MAPPER.writeValueAsBytes(json);
    ModelJson.read(altered); // still a valid model: only the hash can tell
    put(key, altered);
  }

  private static ModelCache cache(ModelStore store, AtomicLong clock) {
    return new ModelCache(store, Duration.ofSeconds(60), Duration.ofSeconds(2), clock::get);
  }

  @Test
  void latestNamesTheVersionAndTheSha256OfTheModelFile() throws Exception {
    ModelStore store = store("pointer");
    RetentionModel model = train("pointer", "v1");
    store.publish(model, ReportHtml.render(model));
    JsonNode pointer = MAPPER.readTree(get("models/pointer/latest.json"));
    assertEquals("v1", pointer.get("version").asText());
    assertEquals(sha256(get("models/pointer/v1.json")), pointer.get("sha256").asText());
  }

  @Test
  void aColdScorerRefusesAModelFileAlteredAfterPublishingWithA503() throws Exception {
    ModelStore store = store("cold");
    RetentionModel model = train("cold", "v1");
    store.publish(model, ReportHtml.render(model));
    tamper("cold", "v1");
    ModelCache cache = cache(store, new AtomicLong());
    NoModelException e = assertThrows(NoModelException.class, cache::current);
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    assertEquals(1, cache.refreshCounts()[2], "counted as an integrity failure");
    HttpResult answer =
        new ScoreApi(
                cache, new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 3, 4096))
            .handle("GET", "/model", null);
    assertEquals(503, answer.status(), answer.body());
    assertTrue(answer.body().contains("no_model"), answer.body());
  }

  @Test
  void aWarmScorerKeepsServingTheLastGoodModelWhenTheNextOneIsAltered() throws Exception {
    ModelStore store = store("warm");
    RetentionModel first = train("warm", "v1");
    store.publish(first, ReportHtml.render(first));
    AtomicLong clock = new AtomicLong();
    ModelCache cache = cache(store, clock);
    assertEquals("v1", cache.current().model().version());
    RetentionModel second = train("warm", "v2");
    store.publish(second, ReportHtml.render(second));
    tamper("warm", "v2");
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    assertEquals("v1", cache.current().model().version(), "the last good model keeps serving");
    assertEquals(1, cache.refreshCounts()[2]);
    // Not downloaded again until latest.json changes.
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    assertEquals("v1", cache.current().model().version());
    assertEquals(1, cache.refreshCounts()[2]);
  }

  @Test
  void aPointerWhoseVersionContradictsTheModelFileIsRefused() throws Exception {
    ModelStore store = store("contradiction");
    RetentionModel v1 = train("contradiction", "v1");
    RetentionModel v2 = train("contradiction", "v2");
    store.publish(v1, ReportHtml.render(v1));
    store.publish(v2, ReportHtml.render(v2));
    // latest.json names v2 but its key (and hash) are v1's file: the file's own version differs.
    ObjectNode pointer = (ObjectNode) MAPPER.readTree(get("models/contradiction/latest.json"));
    pointer.put("key", "models/contradiction/v1.json");
    pointer.put("sha256", sha256(get("models/contradiction/v1.json")));
    put("models/contradiction/latest.json", MAPPER.writeValueAsBytes(pointer));
    ModelIntegrityException e =
        assertThrows(ModelIntegrityException.class, () -> store.fetchLatest(null));
    assertTrue(e.getMessage().contains("v2") && e.getMessage().contains("v1"), e.getMessage());
    assertThrows(NoModelException.class, cache(store, new AtomicLong())::current);
  }

  @Test
  void anOlderPointerWithoutAHashIsReadWhenTheVersionsAgree() throws Exception {
    ModelStore store = store("legacy");
    RetentionModel model = train("legacy", "v1");
    store.publish(model, ReportHtml.render(model));
    ObjectNode pointer = (ObjectNode) MAPPER.readTree(get("models/legacy/latest.json"));
    pointer.remove("sha256");
    put("models/legacy/latest.json", MAPPER.writeValueAsBytes(pointer));
    ModelStore.Latest latest = store.fetchLatest(null);
    assertEquals("v1", latest.model().version());
    assertEquals(false, latest.verified(), "read, and said to be unverified");
    // The next publish writes a pointer with the hash again.
    RetentionModel next = train("legacy", "v2");
    store.publish(next, ReportHtml.render(next));
    assertTrue(store.fetchLatest(null).verified());
    assertEquals(
        64,
        MAPPER
            .readTree(new String(get("models/legacy/latest.json"), StandardCharsets.UTF_8))
            .get("sha256")
            .asText()
            .length());
  }

  @Test
  void batchScoringRefusesAnAlteredModelAndWritesNothing() throws Exception {
    ModelStore store = store("batch");
    RetentionModel model = train("batch", "v1");
    store.publish(model, ReportHtml.render(model));
    tamper("batch", "v1");
    put("exports/score/today.csv", ReferenceData.csvBytes());
    BatchScoringService batch =
        new BatchScoringService(
            store,
            new BatchSettings(
                "exports/score/",
                "scores/",
                ExportSchema.defaults(),
                OrdersSchema.defaults(),
                ReadLimits.defaults(),
                new RfmOptions(90, null),
                BatchSettings.Order.PRIORITY));
    BatchScoringFailedException e =
        assertThrows(
            BatchScoringFailedException.class,
            () -> batch.handle(List.of(S3ObjectRef.current(BUCKET, "exports/score/today.csv"))));
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    assertEquals(
        0,
        s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("scores/")).contents().size(),
        "nothing written");
  }
}
