package dev.retention.service.train;

import dev.retention.service.ResourceLimitException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What reading one export in-process may cost, checked while it streams: its <b>decompressed</b>
 * bytes (counted, not estimated: a gzip may expand 14 times where 5 were assumed) against a limit,
 * and the invocation's {@link Deadline}. A read past either stops with a {@link
 * ResourceLimitException} before the heap or the time runs out; a stalled connection is not waited
 * for past the deadline ({@link DeadlineInputStream}).
 */
final class ReadBudget extends FilterInputStream {

  private final long limit;
  private final Deadline deadline;
  private long text;

  /**
   * @param text the export's decompressed bytes
   * @param limit the most decompressed bytes allowed
   */
  ReadBudget(InputStream text, long limit, Deadline deadline) {
    super(text);
    this.limit = limit;
    this.deadline = deadline;
  }

  /** The connection's bytes, read within {@code deadline} (as they come when there is none). */
  static InputStream within(InputStream connection, Deadline deadline) {
    return deadline.isNone() ? connection : new DeadlineInputStream(connection, deadline);
  }

  @Override
  public int read() throws IOException {
    deadline.check("reading the export");
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    deadline.check("reading the export");
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(long bytes) {
    text += bytes;
    if (text > limit) {
      throw new TooLarge(text, limit);
    }
  }

  /** An export whose text is larger than a read in-process may be. */
  static final class TooLarge extends ResourceLimitException {
    private static final long serialVersionUID = 1L;
    final long textBytes;

    TooLarge(long textBytes, long limit) {
      super(
          "the export's text is larger than this function reads in-process: more than "
              + limit
              + " bytes once decompressed (setting retention.export.max-text-bytes, by default a"
              + " quarter of the heap; with a state machine, retention.spark.hand-off-bytes);"
              + " not read further, nothing published. Configure the Spark hand-off"
              + " (retention.spark.state-machine-arn) or raise the function's memory");
      this.textBytes = textBytes;
    }
  }
}
