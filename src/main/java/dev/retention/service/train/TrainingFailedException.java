package dev.retention.service.train;

/** At least one export of an event could not be trained on; the message names each. */
public class TrainingFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TrainingFailedException(String message) {
    super(message);
  }
}
