package dev.retention.local;

import dev.retention.testing.S3ProxyServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * target/function.zip unpacked as the Lambda Java runtime unpacks it, and run in fresh JVMs whose
 * class path is its root and {@code lib/*} (plus the test classes that hold the runtime emulator),
 * with the environment a deployed function gets.
 */
final class PackagedFunction {

  static final String HANDLER = "dev.retention.functions.RetentionHandler::handleRequest";

  private final Path root;
  private final Path java;
  private final List<String> classPath;

  private PackagedFunction(Path root, Path java, List<String> classPath) {
    this.root = root.toAbsolutePath();
    this.java = java;
    this.classPath = classPath;
  }

  /** The same function run by another JDK's {@code java} (cold-start measurements). */
  PackagedFunction withJava(Path javaExecutable) {
    return new PackagedFunction(root, javaExecutable, classPath);
  }

  /**
   * The same function from jars only: its classes in one jar beside {@code lib/}, the runtime
   * emulator in another. A class-data archive (AppCDS, JDK 25's AOT cache) refuses a class path
   * with a non-empty directory, which the unpacked zip is.
   */
  PackagedFunction jarred(Path into) throws IOException {
    Files.createDirectories(into);
    Path app = into.resolve("function-classes.jar").toAbsolutePath();
    Path runtime = into.resolve("runtime-emulator.jar").toAbsolutePath();
    jar(root, app, p -> !p.startsWith(root.resolve("lib")));
    Path tests = Path.of("target/test-classes").toAbsolutePath();
    jar(tests, runtime, p -> true);
    return new PackagedFunction(
        root,
        java,
        List.of(app.toString(), root.resolve("lib") + File.separator + "*", runtime.toString()));
  }

  private static void jar(Path from, Path to, java.util.function.Predicate<Path> keep)
      throws IOException {
    try (Stream<Path> files = Files.walk(from);
        java.util.jar.JarOutputStream out =
            new java.util.jar.JarOutputStream(Files.newOutputStream(to))) {
      for (Path file : files.filter(Files::isRegularFile).filter(keep).sorted().toList()) {
        out.putNextEntry(new java.util.jar.JarEntry(from.relativize(file).toString()));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
  }

  static PackagedFunction unpack(Path zip, Path into) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(zip + " is missing: run the build first");
    }
    Files.createDirectories(into);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return new PackagedFunction(
        into, Path.of(System.getProperty("java.home"), "bin", "java"), null);
  }

  /** Deletes a directory tree if it exists. */
  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Runs {@code mainClass} with {@code args} as the given function; the JVM's output goes to {@code
   * log}. Returns the exit code.
   */
  int run(
      String function,
      URI s3Endpoint,
      String bucket,
      List<String> jvmArgs,
      String mainClass,
      List<String> args,
      Path log)
      throws IOException, InterruptedException {
    return run(function, s3Endpoint, bucket, Map.of(), jvmArgs, mainClass, args, log, s -> {});
  }

  /**
   * As above, with extra environment variables (settings, as a deployed function gets them) and a
   * progress callback told the elapsed seconds every {@link #PROGRESS_SECONDS} while it runs.
   */
  int run(
      String function,
      URI s3Endpoint,
      String bucket,
      Map<String, String> environment,
      List<String> jvmArgs,
      String mainClass,
      List<String> args,
      Path log,
      IntConsumer progress)
      throws IOException, InterruptedException {
    Process process =
        start(function, s3Endpoint, bucket, environment, jvmArgs, mainClass, args, log);
    long start = System.nanoTime();
    while (!process.waitFor(PROGRESS_SECONDS, TimeUnit.SECONDS)) {
      progress.accept((int) ((System.nanoTime() - start) / 1_000_000_000L));
    }
    return process.exitValue();
  }

  /**
   * Starts {@code mainClass} with {@code args} as the given function, without waiting for it (a
   * server); its output goes to {@code log}.
   */
  Process start(
      String function,
      URI s3Endpoint,
      String bucket,
      Map<String, String> environment,
      List<String> jvmArgs,
      String mainClass,
      List<String> args,
      Path log)
      throws IOException {
    String classPath =
        this.classPath != null
            ? String.join(File.pathSeparator, this.classPath)
            : String.join(
                File.pathSeparator,
                root.toString(),
                root.resolve("lib") + File.separator + "*",
                Path.of("target/test-classes").toAbsolutePath().toString());
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // What AWS sets for Java functions by default: fast start over peak throughput.
    command.add("-XX:+TieredCompilation");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_FUNQY_EXPORT", function);
    env.put("RETENTION_S3_BUCKET", bucket);
    env.put("RETENTION_S3_ENDPOINT_OVERRIDE", s3Endpoint.toString());
    env.put("RETENTION_S3_PATH_STYLE", "true");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
    env.putAll(environment);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  /** How often a long run reports progress. */
  static final int PROGRESS_SECONDS = 10;
}
