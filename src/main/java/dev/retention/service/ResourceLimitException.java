package dev.retention.service;

/**
 * A record stopped before a resource of the function ran out: its time (the invocation's deadline)
 * or its memory (an export larger than it can hold). Logged with {@code kind=resources}: neither
 * the export's fault nor storage's, and a Spark hand-off, where configured, finishes the work.
 */
public class ResourceLimitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ResourceLimitException(String message) {
    super(message);
  }

  public ResourceLimitException(String message, Throwable cause) {
    super(message, cause);
  }
}
