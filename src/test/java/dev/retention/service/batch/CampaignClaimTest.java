package dev.retention.service.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.campaign.CampaignJson;
import dev.retention.campaign.CampaignOptions;
import dev.retention.data.ExportSchema;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.features.RfmOptions;
import dev.retention.model.RetentionModel;
import dev.retention.report.ReportHtml;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.OrdersModels;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two different exports of one campaign id scored at the same time: whatever the interleaving,
 * exactly one becomes the campaign (the pointer names it, its scores and manifest exist) and the
 * other is refused naming {@code retention.campaign.id}, having written nothing under its scores
 * key. Last-write-wins would score both and leave the pointer on whichever finished last.
 */
class CampaignClaimTest {

  private static final String BUCKET = "campaign-claim";

  private static String orders(LocalDate last, long seed) throws Exception {
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, 8_000, 800, last, seed);
    return out.toString();
  }

  @Test
  void ofTwoConcurrentBatchesOfOneCampaignExactlyOneIsPlannedAndTheOtherWritesNothing()
      throws Exception {
    RetentionModel model = OrdersModels.synthetic().model();
    try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("claim"));
        S3Client s3 = server.client()) {
      server.createBucket(BUCKET);
      Bucket bucket = new Bucket(s3, BUCKET);
      ModelStore store = new ModelStore(bucket, "models/", "default");
      store.publish(model, ReportHtml.render(model));
      List<String> keys = List.of("exports/score/week-47.csv", "exports/score/week-48.csv");
      s3.putObject(
          b -> b.bucket(BUCKET).key(keys.get(0)),
          RequestBody.fromString(orders(LocalDate.of(2026, 11, 20), 7L)));
      s3.putObject(
          b -> b.bucket(BUCKET).key(keys.get(1)),
          RequestBody.fromString(orders(LocalDate.of(2026, 11, 27), 8L)));
      BatchSettings plain =
          new BatchSettings(
              "exports/score/",
              "scores/",
              ExportSchema.defaults(),
              OrdersSchema.defaults(),
              ReadLimits.defaults(),
              RfmOptions.defaults(),
              BatchSettings.Order.PRIORITY);
      BatchSettings settings =
          plain.withCampaign(new BatchSettings.Campaign("winter-2026", CampaignOptions.defaults()));
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<String>> runs = new ArrayList<>();
      try {
        for (String key : keys) {
          BatchScoringService service = new BatchScoringService(store, settings);
          runs.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      return "SCORED "
                          + service
                              .handle(List.of(S3ObjectRef.current(BUCKET, key)))
                              .get(0)
                              .outputKey();
                    } catch (BatchScoringFailedException e) {
                      return "REFUSED " + e.getMessage();
                    }
                  }));
        }
        start.countDown();
        List<String> scored = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Future<String> run : runs) {
          String outcome = run.get();
          (outcome.startsWith("SCORED ") ? scored : refused).add(outcome.substring(7));
        }
        assertEquals(1, scored.size(), "scored: " + scored + ", refused: " + refused);
        assertEquals(1, refused.size(), "scored: " + scored + ", refused: " + refused);
        assertTrue(refused.get(0).contains("retention.campaign.id"), refused.get(0));
        String winner = scored.get(0);
        assertTrue(refused.get(0).contains(winner), "names the campaign's batch: " + refused);
        CampaignJson.Pointer pointer =
            CampaignJson.readPointer(
                bucket.read("scores/campaigns/winter-2026.json").orElseThrow().bytes(), "pointer");
        assertEquals(winner, pointer.scores());
        assertTrue(bucket.head(pointer.manifest()).isPresent(), "the winner's manifest");
        String loser =
            winner.endsWith("week-47.csv")
                ? winner.replace("week-47", "week-48")
                : winner.replace("week-48", "week-47");
        assertEquals(
            0,
            s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(loser.substring(0, loser.length() - 4)))
                .keyCount(),
            "the refused batch wrote nothing");
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
