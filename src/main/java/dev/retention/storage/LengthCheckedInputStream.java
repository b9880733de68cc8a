package dev.retention.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of one S3 object, counted against its size: an end of stream before {@code expected}
 * bytes, or more bytes than that, is a {@link TruncatedReadException}, never a normal end. A
 * connection that closes early therefore fails the read instead of cutting the export short.
 */
final class LengthCheckedInputStream extends FilterInputStream {

  private final long expected;
  private final String source;
  private long count;

  /**
   * @param expected the object's size in bytes, or a negative number when unknown (no check)
   */
  LengthCheckedInputStream(InputStream in, long expected, String source) {
    super(in);
    this.expected = expected;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      checkEnd();
    } else {
      count++;
      checkOver();
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n < 0) {
      checkEnd();
    } else {
      count += n;
      checkOver();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    count += skipped;
    checkOver();
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkEnd() throws TruncatedReadException {
    if (expected >= 0 && count != expected) {
      throw new TruncatedReadException(source, count, expected);
    }
  }

  private void checkOver() throws TruncatedReadException {
    if (expected >= 0 && count > expected) {
      throw new TruncatedReadException(source, count, expected);
    }
  }
}
