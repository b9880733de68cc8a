package dev.retention.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.service.train.TrainingService;
import dev.retention.storage.ObjectInfo;
import dev.retention.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The Spark job's S3 path against a real S3-compatible server (s3proxy): as the state machine
 * starts it for a handed-off export, it checks the object, trains, and publishes through the
 * project's storage code (report, version, forward-only {@code latest.json}); run again (a retried
 * job) it finds the version and finishes; an object that changed since the event is not trained on.
 * Spark reads the lines from a copy of the object ({@code --read-path}): Hadoop's S3 client is
 * EMR's and is not part of this build.
 */
class SparkPublishTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUCKET = "retention-data";
  private static final String KEY = "exports/features/big.csv";
  private static S3ProxyServer s3;
  private static SparkSession spark;
  private static JavaSparkContext sc;

  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start(Files.createDirectories(work.resolve("s3")));
    s3.createBucket(BUCKET);
    spark =
        SparkSession.builder()
            .config(
                new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("publish")
                    .set("spark.ui.enabled", "false"))
            .getOrCreate();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static JobSettings settings() {
    return JobSettings.of(
        Map.of(
            "retention.s3.endpoint-override", s3.endpoint().toString(),
            "retention.s3.path-style", "true",
            "retention.s3.region", "us-east-1"));
  }

  private static SparkTrainJob.Arguments arguments(
      HeadObjectResponse head, Path copy, String etag) {
    ObjectInfo info =
        new ObjectInfo(
            BUCKET,
            KEY,
            head.eTag().replace("\"", ""),
            head.versionId(),
            head.lastModified(),
            head.contentLength());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bucket",
                BUCKET,
                "--key",
                KEY,
                "--etag",
                etag,
                "--last-modified",
                head.lastModified().toString(),
                "--model-version",
                TrainingService.version(info),
                "--read-path",
                copy.toUri().toString()));
    return SparkTrainJob.Arguments.parse(args.toArray(String[]::new));
  }

  @Test
  void aHandedOffExportIsTrainedAndPublishedAndARetryFinishesIt() throws Exception {
    Path copy = work.resolve("big.csv");
    Files.copy(Path.of("src/test/resources/reference/customers.csv"), copy);
    HeadObjectResponse head;
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromFile(copy));
      head = client.headObject(b -> b.bucket(BUCKET).key(KEY));
    }
    String etag = head.eTag().replace("\"", "");

    // An event for an older version of the object: nothing is trained.
    JsonNode stale = SparkTrainJob.run(sc, arguments(head, copy, "0000"), settings());
    assertEquals("SKIPPED", stale.get("status").asText(), stale.toString());

    JsonNode summary = SparkTrainJob.run(sc, arguments(head, copy, etag), settings());
    assertEquals("TRAINED", summary.get("status").asText(), summary.toString());
    // MOVED, or ALREADY_LIVE when the SDK retried the pointer's create and met its own write.
    assertTrue(
        List.of("MOVED", "ALREADY_LIVE").contains(summary.get("latest").asText()),
        summary.toString());
    String version = summary.get("version").asText();
    try (S3Client client = s3.client()) {
      RetentionModel model =
          ModelJson.read(
              client
                  .getObjectAsBytes(
                      b -> b.bucket(BUCKET).key("models/default/" + version + ".json"))
                  .asByteArray());
      assertEquals(6000, model.provenance().rowsUsed());
      assertTrue(
          client
              .getObjectAsBytes(
                  b -> b.bucket(BUCKET).key("models/default/" + version + "/report.html"))
              .asUtf8String()
              .contains("contact-table"));
      assertEquals(
          version,
          MAPPER
              .readTree(
                  client
                      .getObjectAsBytes(b -> b.bucket(BUCKET).key("models/default/latest.json"))
                      .asByteArray())
              .get("version")
              .asText());
    }

    // A retried job (Step Functions' retry, or a redelivered hand-off) finds the version.
    JsonNode again = SparkTrainJob.run(sc, arguments(head, copy, etag), settings());
    assertEquals("ALREADY_PUBLISHED", again.get("status").asText(), again.toString());
    assertEquals("ALREADY_LIVE", again.get("latest").asText());
  }
}
