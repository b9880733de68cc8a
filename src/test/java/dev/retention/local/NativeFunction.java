package dev.retention.local;

import dev.retention.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * target/function.zip of the native build ({@code ./mvnw package -Pnative}): its {@code bootstrap}
 * run as Lambda's {@code provided.al2023} runs it, a fresh process per environment with the Runtime
 * API at {@code AWS_LAMBDA_RUNTIME_API} ({@link LambdaRuntimeApi}) and the environment a deployed
 * function gets.
 */
final class NativeFunction {

  private final Path bootstrap;

  private NativeFunction(Path bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Unpacks {@code zip} into {@code into}; fails when it holds no {@code bootstrap}. */
  static NativeFunction unpack(Path zip, Path into) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(zip + " is missing: run ./mvnw -B package -Pnative first");
    }
    Files.createDirectories(into);
    Path bootstrap = null;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (entry.getName().equals("bootstrap")) {
          bootstrap = into.resolve("bootstrap");
          Files.copy(in, bootstrap, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
    if (bootstrap == null) {
      throw new IllegalStateException(
          zip + " has no bootstrap: it is the JVM artifact; build with -Pnative");
    }
    return new NativeFunction(bootstrap);
  }

  Path bootstrap() {
    return bootstrap;
  }

  /** One run: the process, the Runtime API it polled, and when it started. */
  record Run(Process process, LambdaRuntimeApi api, long startedNanos, Path log)
      implements AutoCloseable {

    /** Process start to the first event request, in ms (the init phase). */
    double initMs() throws InterruptedException {
      long first = api.firstPollNanos(Duration.ofSeconds(30));
      return first == 0 ? Double.NaN : (first - startedNanos) / 1e6;
    }

    /** Peak RSS of the process so far in MB (/proc VmHWM), or -1 when it has exited. */
    long peakRssMb() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
          }
        }
      } catch (IOException | RuntimeException e) {
        // exited
      }
      return -1;
    }

    String output() throws IOException {
      return Files.readString(log);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        api.close();
      }
    }
  }

  /**
   * Starts {@code function} (train, score or batch-score) against the local S3 server, serving
   * {@code events} in order; {@code environment} adds settings.
   */
  Run start(
      String function,
      URI s3Endpoint,
      String bucket,
      Map<String, String> environment,
      List<byte[]> events,
      Path log)
      throws IOException {
    LambdaRuntimeApi api = LambdaRuntimeApi.serving(events);
    ProcessBuilder builder = new ProcessBuilder(bootstrap.toString()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("RETENTION_") || name.startsWith("QUARKUS_"));
    env.put("AWS_LAMBDA_RUNTIME_API", api.address());
    env.put("QUARKUS_FUNQY_EXPORT", function);
    env.put("AWS_LAMBDA_FUNCTION_NAME", function);
    env.put("RETENTION_S3_BUCKET", bucket);
    env.put("RETENTION_S3_ENDPOINT_OVERRIDE", s3Endpoint.toString());
    env.put("RETENTION_S3_PATH_STYLE", "true");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
    env.putAll(environment);
    builder.redirectOutput(log.toFile());
    long started = System.nanoTime();
    Process process = builder.start();
    return new Run(process, api, started, log);
  }

  /** The bytes of a file, for events. */
  static byte[] bytes(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readAllBytes();
    }
  }
}
