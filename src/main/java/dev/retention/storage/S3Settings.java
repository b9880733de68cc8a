package dev.retention.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the S3 API and the bucket are, and how long the client waits.
 *
 * @param bucket the bucket for exports, models and scores
 * @param region AWS region of the bucket
 * @param endpointOverride a non-AWS endpoint (an S3-compatible server), or empty for AWS
 * @param pathStyle address buckets as {@code endpoint/bucket/key} (needed by most S3-compatible
 *     servers) instead of {@code bucket.endpoint/key}
 * @param connectTimeout TCP connect, per attempt
 * @param socketTimeout the longest silence while reading a response (also mid-stream: a stalled
 *     export read fails after this, instead of hanging until the function's own timeout)
 * @param apiCallAttemptTimeout one attempt of a call, up to its response headers
 * @param apiCallTimeout a whole call, retries included, up to its response headers (streamed bodies
 *     are then bounded by {@code socketTimeout})
 * @param maxAttempts attempts per call, the first included (the SDK's standard retry strategy with
 *     its backoff)
 */
public record S3Settings(
    String bucket,
    String region,
    Optional<URI> endpointOverride,
    boolean pathStyle,
    Duration connectTimeout,
    Duration socketTimeout,
    Duration apiCallAttemptTimeout,
    Duration apiCallTimeout,
    int maxAttempts) {

  public S3Settings {
    for (Duration d :
        new Duration[] {connectTimeout, socketTimeout, apiCallAttemptTimeout, apiCallTimeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("S3 timeouts must be positive, got " + d);
      }
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }
}
