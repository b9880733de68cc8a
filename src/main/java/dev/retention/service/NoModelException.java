package dev.retention.service;

/** No usable model is available yet (none published, or the store cannot be reached). */
public class NoModelException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NoModelException(String message) {
    super(message);
  }

  public NoModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
