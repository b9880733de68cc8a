package dev.retention.training;

/**
 * The order a {@link TrainingRows} implementation's passes must be called in, checked in one place
 * for every implementation: {@code standardize} before any pass over the standardized rows, {@code
 * valueColumns} before any pass that asks for the value columns. A call out of order throws an
 * {@link IllegalStateException} naming the call that is missing, instead of a null pointer deep in
 * a kernel (or, on Spark, a failed task on an executor).
 */
public final class CallOrder {

  private boolean standardized;
  private boolean valueColumns;

  /** Records that {@code standardize} ran. */
  public void standardized() {
    standardized = true;
  }

  /** Records that {@code valueColumns} ran. */
  public void valueColumnsOffered() {
    valueColumns = true;
  }

  /**
   * Checks that {@code call} may run now.
   *
   * @param withValue whether it reads the value columns
   * @throws IllegalStateException naming the missing call
   */
  public void require(String call, boolean withValue) {
    if (!standardized) {
      throw missing(call, "standardize");
    }
    if (withValue && !valueColumns) {
      throw missing(call, "valueColumns");
    }
  }

  private static IllegalStateException missing(String call, String missing) {
    return new IllegalStateException(
        "TrainingRows." + call + " before " + missing + ": call " + missing + " first");
  }
}
