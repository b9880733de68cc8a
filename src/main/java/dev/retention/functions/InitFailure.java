package dev.retention.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ImageMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Tells Lambda why the native executable's start failed. A custom runtime reports a failed start by
 * posting it to the Runtime API's {@code /runtime/init/error}; Quarkus' poll loop does so, but with
 * its own thread's interruption ("Interrupted while waiting for another thread to start the
 * application"), which hides the cause. Lambda keeps the first report of an init phase, so posting
 * ours first makes the cause (a misspelt setting, an invalid value) the one operators see. The JVM
 * runtime reports the cause itself; this does nothing there.
 */
final class InitFailure {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private InitFailure() {}

  /** Reports {@code failure} to the Runtime API when running natively under Lambda. */
  static void report(RuntimeException failure) {
    String api = System.getenv("AWS_LAMBDA_RUNTIME_API");
    if (api == null || api.isBlank() || ImageMode.current() != ImageMode.NATIVE_RUN) {
      return;
    }
    ObjectNode error = new ObjectMapper().createObjectNode();
    error.put("errorType", failure.getClass().getName());
    error.put("errorMessage", String.valueOf(failure.getMessage()));
    byte[] body = error.toString().getBytes(StandardCharsets.UTF_8);
    try {
      HttpURLConnection post =
          (HttpURLConnection)
              URI.create("http://" + api + "/2018-06-01/runtime/init/error")
                  .toURL()
                  .openConnection();
      post.setConnectTimeout((int) TIMEOUT.toMillis());
      post.setReadTimeout((int) TIMEOUT.toMillis());
      post.setRequestMethod("POST");
      post.setDoOutput(true);
      post.setRequestProperty("Content-Type", "application/json");
      post.setRequestProperty("Lambda-Runtime-Function-Error-Type", failure.getClass().getName());
      try (OutputStream out = post.getOutputStream()) {
        out.write(body);
      }
      post.getResponseCode();
      post.disconnect();
    } catch (IOException e) {
      // The start fails either way; Quarkus' own report and the log still say so.
      System.err.println("could not report the failed start to the Lambda Runtime API: " + e);
    }
  }
}
