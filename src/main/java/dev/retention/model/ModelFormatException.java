package dev.retention.model;

/** A model file that cannot be used: not JSON, an unknown schema major version, or inconsistent. */
public class ModelFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
