package dev.retention.faults;

import dev.retention.testing.FaultProxy;
import dev.retention.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The real s3proxy with the fault-injecting {@link FaultProxy} in front of it, for a
 * {@code @QuarkusTest}: the functions talk to the proxy, the test sets up and inspects the bucket
 * through s3proxy directly. Client timeouts are shortened so that a hanging server costs seconds.
 */
public class FaultyS3Resource implements QuarkusTestResourceLifecycleManager {

  public static final String BUCKET = "retention-data";

  static S3ProxyServer server;
  static FaultProxy proxy;

  @Override
  public Map<String, String> start() {
    try {
      server = S3ProxyServer.start(Files.createTempDirectory("s3proxy-faults"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createBucket(BUCKET);
    proxy = FaultProxy.start(server.endpoint());
    return Map.of(
        "retention.s3.endpoint-override",
        proxy.endpoint().toString(),
        "retention.s3.path-style",
        "true",
        "retention.s3.bucket",
        BUCKET,
        "retention.s3.region",
        "us-east-1",
        "retention.s3.socket-timeout",
        "3s",
        "retention.s3.api-call-attempt-timeout",
        "4s",
        "retention.s3.api-call-timeout",
        "10s");
  }

  @Override
  public void stop() {
    if (proxy != null) {
      proxy.close();
      proxy = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
