package dev.retention.storage;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the S3 client: AWS SDK v2 with the JDK's URL-connection HTTP client (no Netty or Apache
 * client: smaller, faster cold start, native-image friendly), the default credentials chain (the
 * Lambda role's credentials in AWS), explicit timeouts and a bounded retry budget ({@link
 * S3Settings}), and an optional endpoint override with path-style access for S3-compatible servers.
 */
public final class S3Clients {

  private S3Clients() {}

  /** The configured bucket, on a client of its own that {@link Bucket#close()} closes. */
  public static Bucket open(S3Settings settings) {
    return new Bucket(create(settings), settings.bucket());
  }

  static S3Client create(S3Settings settings) {
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.socketTimeout()))
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(settings.apiCallTimeout())
                        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                        .retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts())
                                .build()))
            .region(Region.of(settings.region()))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
