package dev.retention.service.train;

import dev.retention.service.EmfMetrics;
import dev.retention.service.S3ObjectRef;
import dev.retention.storage.Bucket;
import dev.retention.storage.ModelStore;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The train service in a JVM of its own with a small heap ({@link OutOfMemoryTest} starts it):
 * trains {@code args[2]} from the S3 server at {@code args[0]}, bucket {@code args[1]}, with no
 * text limit, and prints {@code FAILED: <message>} or {@code TRAINED}.
 */
public final class SmallHeapTraining {

  private SmallHeapTraining() {}

  public static void main(String[] args) {
    try (S3Client s3 =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(args[0]))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "secret")))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      TrainingService service =
          new TrainingService(
              new ModelStore(new Bucket(s3, args[1]), "models/", "small-heap"),
              LocalTraining.quickSettings(),
              Clock.systemUTC(),
              EmfMetrics.disabled(),
              new HandOff(Long.MAX_VALUE, 5, List.of(), null, Long.MAX_VALUE / 4));
      service.handle(List.of(S3ObjectRef.current(args[1], args[2])));
      System.out.println("TRAINED");
    } catch (TrainingFailedException e) {
      System.out.println("FAILED: " + e.getMessage());
    }
  }
}
