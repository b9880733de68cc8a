package dev.retention.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Does locally what the AWS Lambda Java runtime does with a JVM function: in a JVM whose class path
 * is the unpacked function.zip (its root and {@code lib/*.jar}), it instantiates the configured
 * handler ({@code dev.retention.functions.RetentionHandler::handleRequest}, Funqy's stream handler)
 * once and calls it with each event's bytes, like a warm container serving successive invocations.
 * An exception becomes Lambda's error payload {@code {"errorType", "errorMessage"}}.
 *
 * <p>Arguments: {@code Handler::method}, then pairs of event file and response file. Prints one
 * timing line per invocation, the first measured from JVM start (cold start).
 */
public final class LambdaJavaRuntime {

  private LambdaJavaRuntime() {}

  public static void main(String[] args) throws Exception {
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    String[] handler = args[0].split("::");
    Class<?> type = Class.forName(handler[0]);
    Object instance = type.getDeclaredConstructor().newInstance();
    Method method =
        type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
    for (int i = 1; i + 1 < args.length; i += 2) {
      Path event = Path.of(args[i]);
      Path response = Path.of(args[i + 1]);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long started = System.nanoTime();
      byte[] bytes;
      try {
        method.invoke(
            instance, new ByteArrayInputStream(Files.readAllBytes(event)), out, new LocalContext());
        bytes = out.toByteArray();
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        while (cause.getCause() != null
            && cause.getClass().getName().contains("ApplicationException")) {
          cause = cause.getCause();
        }
        bytes =
            ("{\"errorType\":"
                    + quote(cause.getClass().getName())
                    + ",\"errorMessage\":"
                    + quote(String.valueOf(cause.getMessage()))
                    + "}")
                .getBytes(StandardCharsets.UTF_8);
      }
      double ms = (System.nanoTime() - started) / 1e6;
      Files.write(response, bytes);
      if (i == 1) {
        System.out.printf(
            "timing %s invoke_ms=%.1f since_jvm_start_ms=%d%s%n",
            event.getFileName(), ms, System.currentTimeMillis() - jvmStartMs, peakRss());
      } else {
        System.out.printf("timing %s invoke_ms=%.1f%s%n", event.getFileName(), ms, peakRss());
      }
    }
    System.exit(0); // Quarkus keeps non-daemon threads; Lambda freezes the process instead
  }

  /** Peak resident set size of this JVM so far (Linux), as " peak_rss_mb=N", else "". */
  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return " peak_rss_mb=" + (kb >> 10);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: no RSS figure
    }
    return "";
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** The invocation context a local run can honestly provide. */
  private static final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final long deadline = System.currentTimeMillis() + 900_000;

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/local";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return System.getenv().getOrDefault("QUARKUS_FUNQY_EXPORT", "local");
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:" + getFunctionName();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
      return (int) (Runtime.getRuntime().maxMemory() >> 20);
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.out.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.out.write(message, 0, message.length);
        }
      };
    }
  }
}
