package dev.retention.data;

/** An export that cannot be trained on: bad header, no usable rows, or too many bad rows. */
public class ExportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
