package dev.retention.functions;

import java.time.Duration;
import java.util.Optional;

/**
 * The remaining time of the invocation in progress, as the Lambda context told {@link
 * RetentionHandler}: Funqy's Lambda binding does not pass the context on to the function (its
 * {@code @Context} parameters stay null, quarkusio/quarkus#10592), so the handler that receives it
 * records it here, with the moment it was read. One invocation at a time runs in a Lambda JVM.
 */
final class Invocation {

  private static volatile long remainingMillis = -1;
  private static volatile long readAtNanos;

  private Invocation() {}

  static void begin(long remaining, long nanoTime) {
    remainingMillis = remaining;
    readAtNanos = nanoTime;
  }

  static void end() {
    remainingMillis = -1;
  }

  /** The time left now, when the handler recorded the context's. */
  static Optional<Duration> remaining(long nanoTime) {
    long remaining = remainingMillis;
    if (remaining < 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(remaining).minusNanos(nanoTime - readAtNanos));
  }
}
