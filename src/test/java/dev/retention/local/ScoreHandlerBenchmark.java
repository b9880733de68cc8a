package dev.retention.local;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs inside the packaged score function's JVM (see FunctionBenchmark): the Lambda handler called
 * in-process from event bytes to response bytes, warm, many times; prints p50/p99.
 *
 * <p>Arguments: single-event file, batch-event file, iterations, and optionally a directory to
 * write each event's last response into (for comparing answers with a peer). Besides wall-time
 * percentiles it prints the calling thread's mean CPU time per call, which other jobs on a shared
 * machine disturb less.
 */
public final class ScoreHandlerBenchmark {

  private ScoreHandlerBenchmark() {}

  public static void main(String[] args) throws Exception {
    String[] handler = PackagedFunction.HANDLER.split("::");
    Class<?> type = Class.forName(handler[0]);
    Object instance = type.getDeclaredConstructor().newInstance();
    Method method =
        type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
    int iterations = Integer.parseInt(args[2]);
    for (int e = 0; e < 2; e++) {
      byte[] event = Files.readAllBytes(Path.of(args[e]));
      long[] ns = new long[iterations];
      for (int warm = 0; warm < iterations; warm++) {
        call(method, instance, event);
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuStart = threads.getCurrentThreadCpuTime();
      byte[] out = null;
      for (int i = 0; i < iterations; i++) {
        long t = System.nanoTime();
        out = call(method, instance, event);
        ns[i] = System.nanoTime() - t;
        if (out.length < 20
            || !new String(out, 0, 20, java.nio.charset.StandardCharsets.UTF_8).contains("200")) {
          throw new IllegalStateException(
              "unexpected response " + new String(out, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
      Arrays.sort(ns);
      System.out.printf(
          "score-handler %s iterations=%d p50_us=%.1f p99_us=%.1f max_us=%.1f cpu_us=%.1f%n",
          Path.of(args[e]).getFileName(),
          iterations,
          ns[iterations / 2] / 1e3,
          ns[(int) (iterations * 0.99)] / 1e3,
          ns[iterations - 1] / 1e3,
          cpu / 1e3 / iterations);
      if (args.length > 3) {
        Files.write(Path.of(args[3]).resolve("java-" + Path.of(args[e]).getFileName()), out);
      }
    }
    System.exit(0);
  }

  private static byte[] call(Method method, Object instance, byte[] event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    method.invoke(instance, new ByteArrayInputStream(event), out, null);
    return out.toByteArray();
  }
}
