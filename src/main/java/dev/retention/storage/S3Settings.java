package dev.retention.storage;

import java.net.URI;
import java.util.Optional;

/**
 * Where the S3 API and the bucket are.
 *
 * @param bucket the bucket for exports, models and scores
 * @param region AWS region of the bucket
 * @param endpointOverride a non-AWS endpoint (an S3-compatible server), or empty for AWS
 * @param pathStyle address buckets as {@code endpoint/bucket/key} (needed by most S3-compatible
 *     servers) instead of {@code bucket.endpoint/key}
 */
public record S3Settings(
    String bucket, String region, Optional<URI> endpointOverride, boolean pathStyle) {}
