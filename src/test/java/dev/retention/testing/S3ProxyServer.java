package dev.retention.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-compatible server (s3proxy, filesystem storage) in its own process on a free loopback
 * port. The build copies its jar to {@code target/s3proxy/s3proxy.jar}; tests and the local run
 * start it, nothing else needs installing.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "local";
  public static final String SECRET_KEY = "local-secret";

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private S3ProxyServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Starts a server storing objects under {@code dataDir}; waits until it answers. */
  public static S3ProxyServer start(Path dataDir) {
    try {
      Path jar = jar();
      Files.createDirectories(dataDir);
      int port = freePort();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Path config = Files.createTempFile("s3proxy", ".properties");
      Files.writeString(
          config,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=none",
              "jclouds.provider=filesystem",
              "jclouds.filesystem.basedir=" + dataDir.toAbsolutePath(),
              "jclouds.identity=" + ACCESS_KEY,
              "jclouds.credential=" + SECRET_KEY,
              ""));
      Path log = Files.createTempFile("s3proxy", ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process =
          new ProcessBuilder(
                  List.of(
                      java, "-Xmx256m", "-jar", jar.toString(), "--properties", config.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      S3ProxyServer server = new S3ProxyServer(process, endpoint, log);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path jar() {
    String configured = System.getProperty("s3proxy.jar");
    Path jar =
        configured != null ? Path.of(configured) : Path.of("target", "s3proxy", "s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "s3proxy jar not found at "
              + jar.toAbsolutePath()
              + "; run the build (./mvnw verify) first");
    }
    return jar;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        c.getResponseCode();
        c.disconnect();
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    close();
    throw new IllegalStateException(
        "s3proxy did not answer within " + timeout + ": " + Files.readString(log));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The server process's id (to check later that exactly this process has ended). */
  public long pid() {
    return process.pid();
  }

  /** A plain SDK client for this server (path-style, any credentials). */
  public S3Client client() {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  /** Creates {@code bucket} if it does not exist. */
  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // already there
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
