package dev.retention.storage;

import dev.retention.model.ModelFormatException;

/**
 * A model file that is not the one {@code latest.json} published: its SHA-256 differs from the
 * pointer's (altered after publishing), or its own version, or its key, contradicts the version the
 * pointer names. Scorers never serve such a file.
 */
public final class ModelIntegrityException extends ModelFormatException {

  private static final long serialVersionUID = 1L;

  public ModelIntegrityException(String message) {
    super(message);
  }
}
