package dev.retention.service.train;

import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.service.EmfMetrics;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import dev.retention.testing.S3ProxyServer;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The train service on a real s3proxy in its own process, for tests of what training publishes: one
 * server per test class, a fresh model name per test so tests do not see each other's models.
 */
final class LocalTraining implements AutoCloseable {

  static final String BUCKET = "retention-data";

  final S3ProxyServer server;
  final S3Client s3;

  private LocalTraining(S3ProxyServer server) {
    this.server = server;
    this.s3 = server.client();
  }

  static LocalTraining start() {
    try {
      S3ProxyServer server = S3ProxyServer.start(Files.createTempDirectory("local-training"));
      server.createBucket(BUCKET);
      return new LocalTraining(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings of a quick training (K = 3, no non-linear terms) with the other defaults. */
  static TrainSettings quickSettings() {
    return TrainSettings.defaults()
        .withOptions(
            TrainingOptions.defaults()
                .withK(3)
                .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF)));
  }

  ModelStore store(String modelName) {
    return new ModelStore(new Bucket(s3, BUCKET), "models/", modelName);
  }

  TrainingService service(String modelName, UnaryOperator<TrainSettings> settings) {
    return new TrainingService(
        store(modelName),
        settings.apply(quickSettings()),
        Clock.systemUTC(),
        EmfMetrics.disabled());
  }

  void upload(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  TrainSummary train(TrainingService service, String key) {
    return service.handle(List.of(S3ObjectRef.current(BUCKET, key))).get(0);
  }

  /** Every key under {@code prefix}, sorted. */
  List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  byte[] bytes(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  RetentionModel model(String modelName, String version) {
    return ModelJson.read(bytes("models/" + modelName + "/" + version + ".json"));
  }

  Optional<String> live(String modelName) {
    return store(modelName).hasLatest()
        ? Optional.ofNullable(store(modelName).liveVersion())
        : Optional.empty();
  }

  @Override
  public void close() {
    s3.close();
    server.close();
  }
}
