package dev.retention.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.retention.model.ModelFormatException;
import dev.retention.model.RetentionModel;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.S3ProxyServer;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What {@link ModelStore#publish} leaves behind when it fails (no orphan companions). */
class ModelStorePublishTest {

  private static S3ProxyServer server;
  private static S3Client s3;
  private static RetentionModel trained;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start(Files.createTempDirectory("model-store"));
    server.createBucket("store-test");
    s3 = server.client();
    ReferenceData data = ReferenceData.load();
    trained =
        new Trainer(
                TrainingOptions.defaults()
                    .withK(3)
                    .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)))
            .train(
                Trainer.Input.of(data.features, data.labels, "repurchased"),
                new Trainer.Identity("m", "20261201-0000000000000001", Instant.EPOCH));
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket("store-test").prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  @Test
  void aModelThatCannotBeWrittenTakesItsReportWithIt() {
    RetentionModel.Classifier c = trained.classifier();
    RetentionModel broken =
        new RetentionModel(
            trained.schemaVersion(),
            trained.modelName(),
            trained.version(),
            trained.createdAt(),
            trained.labelColumn(),
            trained.features(),
            trained.segmentation(),
            new RetentionModel.Classifier(
                Double.NaN,
                c.coefficients(),
                c.terms(),
                c.squares(),
                c.interactions(),
                c.c(),
                c.classWeight(),
                c.threshold(),
                c.iterations(),
                c.converged(),
                c.gradientNorm(),
                c.nonLinear(),
                c.effects()),
            trained.evaluation(),
            trained.segments(),
            trained.provenance(),
            trained.derivation(),
            trained.playbook(),
            trained.order(),
            trained.customerValue());
    ModelStore store = new ModelStore(new Bucket(s3, "store-test"), "models/", "broken");
    assertThrows(ModelFormatException.class, () -> store.publish(broken, "<html></html>"));
    assertEquals(List.of(), keys("models/broken/"), "no report without its version");
  }
}
