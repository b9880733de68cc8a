package dev.retention.functions;

import dev.retention.service.EmfMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.MDC;

/**
 * The invocation in progress, as far as the function can know it. One invocation at a time runs in
 * a Lambda JVM.
 *
 * <p>Its remaining time, as the Lambda context told {@link RetentionHandler}: Funqy's Lambda
 * binding does not pass the context on to the function (its {@code @Context} parameters stay null,
 * quarkusio/quarkus#10592), so the handler that receives it records it here, with the moment it was
 * read.
 *
 * <p>Its request id: the logging context's {@code AWSRequestId}, which Quarkus' runtime poll loop
 * (the native executable, the tests' mock event server) sets from the runtime API, and {@link
 * RetentionHandler} sets from the context on the JVM runtime. And whether it is the process's first
 * (a cold start): each function adapter calls {@link #arrived()} first, in every runtime.
 */
final class Invocation {

  /** The logging context's key, Quarkus' name for it. */
  static final String REQUEST_ID = "AWSRequestId";

  private static volatile long remainingMillis = -1;
  private static volatile long readAtNanos;
  private static final AtomicLong arrivals = new AtomicLong();
  private static volatile long current;

  private Invocation() {}

  static void begin(long remaining, long nanoTime) {
    remainingMillis = remaining;
    readAtNanos = nanoTime;
  }

  static void end() {
    remainingMillis = -1;
  }

  /** Counts the invocation that is starting: the first one of the process is the cold start. */
  static void arrived() {
    current = arrivals.incrementAndGet();
  }

  /** The time left now, when the handler recorded the context's. */
  static Optional<Duration> remaining(long nanoTime) {
    long remaining = remainingMillis;
    if (remaining < 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(remaining).minusNanos(nanoTime - readAtNanos));
  }

  /** The invocation in progress for the metrics, empty before the first one (priming). */
  static Optional<EmfMetrics.Invocation> forMetrics() {
    long number = current;
    if (number == 0) {
      return Optional.empty();
    }
    Object requestId = MDC.get(REQUEST_ID);
    return Optional.of(
        new EmfMetrics.Invocation(number == 1, requestId == null ? null : requestId.toString()));
  }
}
