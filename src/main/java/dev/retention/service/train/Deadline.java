package dev.retention.service.train;

import dev.retention.service.ResourceLimitException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a training must stop so that the invocation ends on its own terms: the invocation's deadline
 * (Lambda's remaining time) minus a reserve for what comes after (publishing, or starting the Spark
 * job). Reading and every training pass check it ({@link #check}); past it they stop with a {@link
 * Exceeded}, logged as {@code train.failed} (or handed off), never a silent kill by Lambda.
 */
public final class Deadline {

  private static final Deadline NONE =
      new Deadline(Long.MAX_VALUE, Duration.ZERO, System::nanoTime);

  private final long stopAt;
  private final Duration reserve;
  private final LongSupplier nanoTime;

  private Deadline(long stopAt, Duration reserve, LongSupplier nanoTime) {
    this.stopAt = stopAt;
    this.reserve = reserve;
    this.nanoTime = nanoTime;
  }

  /** No deadline (tools, tests, the Spark job). */
  public static Deadline none() {
    return NONE;
  }

  /**
   * A deadline {@code remaining} from now, stopping {@code reserve} before it.
   *
   * @param nanoTime the monotonic clock
   */
  public static Deadline in(Duration remaining, Duration reserve, LongSupplier nanoTime) {
    long now = nanoTime.getAsLong();
    long stop = now + Math.max(0, remaining.minus(reserve).toNanos());
    return new Deadline(stop, reserve, nanoTime);
  }

  public boolean isNone() {
    return this == NONE;
  }

  /** Nanoseconds until the work must stop (negative when past; huge without a deadline). */
  public long nanosLeft() {
    return isNone() ? Long.MAX_VALUE : stopAt - nanoTime.getAsLong();
  }

  public boolean passed() {
    return nanosLeft() <= 0;
  }

  /**
   * Stops the work when the deadline (less the reserve) has passed.
   *
   * @param stage what was running, for the message
   * @throws Exceeded past it
   */
  public void check(String stage) {
    if (passed()) {
      throw exceeded(stage, null);
    }
  }

  Exceeded exceeded(String stage, Throwable cause) {
    return new Exceeded(
        "the invocation's time ran out while "
            + stage
            + ": stopped "
            + reserve.toSeconds()
            + " s before its deadline, the time kept for publishing (setting"
            + " retention.invocation.deadline-reserve); nothing published. Export fewer rows,"
            + " raise the function's timeout, or configure the Spark hand-off"
            + " (retention.spark.state-machine-arn)",
        cause);
  }

  /** The work stopped at the deadline. */
  public static final class Exceeded extends ResourceLimitException {
    private static final long serialVersionUID = 1L;

    Exceeded(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
