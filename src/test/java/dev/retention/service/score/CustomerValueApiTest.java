package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.report.ReportHtml;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.OrdersModels;
import dev.retention.testing.S3ProxyServer;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.TrainingOptions;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code POST /score} on a model trained from orders answers each customer's value. */
class CustomerValueApiTest {

  @Test
  void theScoreApiAnswersPAliveExpectedPurchasesNextOrderDateAndClv() throws Exception {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 30_000, 3_000, LocalDate.of(2026, 10, 31), 4L);
    OrdersModels.Derivation derivation =
        OrdersModels.derive(orders.toString(), RfmOptions.defaults());
    RfmFeatures.Derived derived = derivation.derived();
    RetentionModel model = OrdersModels.train(derivation, TrainingOptions.defaults(), "orders-v1");
    try (S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("value-api"));
        S3Client s3 = server.client()) {
      server.createBucket("value-bucket");
      ModelStore store = new ModelStore(new Bucket(s3, "value-bucket"), "models/", "default");
      store.publish(model, ReportHtml.render(model));
      Clock today = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
      ScoreApi api =
          new ScoreApi(
              new ModelCache(
                  store, Duration.ofSeconds(60), Duration.ofSeconds(2), System::nanoTime),
              new ScoreSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), 10, 100_000),
              today);
      double[] row = derived.features().row(7);
      StringBuilder features = new StringBuilder("{");
      for (int c = 0; c < row.length; c++) {
        features.append(c == 0 ? "" : ",").append('"').append(model.featureNames().get(c));
        features.append("\":").append(row[c]);
      }
      features.append('}');
      HttpResult r =
          api.handle("POST", "/score", "{\"customerId\":\"x\",\"features\":" + features + "}");
      assertEquals(200, r.status(), r.body());
      JsonNode value = new ObjectMapper().readTree(r.body()).get("customerValue");
      Scorer.Score expected = Scorer.of(model).score(row);
      assertEquals(expected.value().pAlive(), value.get("pAlive").asDouble(), 1e-12);
      assertEquals(
          expected.value().expectedPurchases(),
          value.get("expectedPurchases90d").asDouble(),
          1e-12);
      // Issue 21: BG/NBD's P(at least one purchase in the window), beside the repurchase
      // probability.
      assertEquals(
          expected.value().pPurchase(), value.get("pPurchase90d").asDouble(), 1e-12, r.body());
      assertTrue(value.get("pPurchase90d").asDouble() <= value.get("pAlive").asDouble());
      assertEquals(expected.value().predictedClv(), value.get("predictedClv365d").asDouble(), 1e-9);
      assertEquals(expected.value().historicClv(), value.get("historicClv").asDouble(), 1e-9);
      LocalDate next =
          LocalDate.of(2026, 12, 2).plusDays((long) Math.ceil(expected.value().daysToNextOrder()));
      assertEquals(next.toString(), value.get("expectedNextOrderDate").asText());
      // The one ordering (issue 21): the scores file's key, and what it is.
      JsonNode priority = new ObjectMapper().readTree(r.body()).get("priority");
      assertEquals("value-at-risk", priority.get("by").asText(), r.body());
      assertEquals(
          !expected.churnRiskBand().equals("low"), priority.get("likelyToLapse").asBoolean());
      assertEquals(
          expected.value().predictedClv() * (1 - expected.probability()),
          priority.get("value").asDouble(),
          1e-9);
    }
  }
}
