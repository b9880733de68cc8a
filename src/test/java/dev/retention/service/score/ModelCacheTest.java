package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The model cache on a real S3-compatible server: TTL, and the re-check after a SnapStart restore.
 */
class ModelCacheTest {

  @Test
  void afterARestoreTheNextRequestReChecksWhateverTheTtl() throws Exception {
    ReferenceData reference = ReferenceData.load();
    try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("cache"));
        S3Client s3 = server.client()) {
      server.createBucket("cache-bucket");
      ModelStore store = new ModelStore(new Bucket(s3, "cache-bucket"), "models/", "default");
      publish(store, reference, "v1");
      AtomicLong clock = new AtomicLong();
      ModelCache cache =
          new ModelCache(store, Duration.ofHours(1), Duration.ofSeconds(2), clock::get);
      assertEquals("v1", cache.current().model().version());
      publish(store, reference, "v2");
      clock.addAndGet(Duration.ofMinutes(5).toNanos());
      assertEquals("v1", cache.current().model().version(), "within the TTL: no re-check");
      cache.restored();
      assertEquals("v2", cache.current().model().version(), "after a restore: re-checked");
      assertEquals(2, cache.refreshCounts()[0]);
    }
  }

  private static void publish(ModelStore store, ReferenceData reference, String version) {
    RetentionModel model =
        new Trainer(TrainingOptions.defaults().withK(3))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", version, Instant.EPOCH));
    store.publish(model, ReportHtml.render(model));
  }
}
