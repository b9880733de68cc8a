package dev.retention.service.batch;

/** At least one export of an event could not be scored; the message names each. */
public class BatchScoringFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BatchScoringFailedException(String message) {
    super(message);
  }
}
