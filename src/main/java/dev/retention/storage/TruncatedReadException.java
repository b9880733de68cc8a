package dev.retention.storage;

import java.io.IOException;

/**
 * The body of an object did not have the object's size: the connection closed early (or the server
 * sent more than announced). The read failed; nothing that was read may be used as if it were the
 * whole object.
 */
public final class TruncatedReadException extends IOException {

  private static final long serialVersionUID = 1L;

  private final long read;
  private final long expected;

  public TruncatedReadException(String source, long read, long expected) {
    super(
        "read "
            + read
            + " of the "
            + expected
            + " bytes of "
            + source
            + (read < expected
                ? ": the connection ended early; the read failed"
                : ": more bytes than the object's size; the read failed"));
    this.read = read;
    this.expected = expected;
  }

  public long read() {
    return read;
  }

  public long expected() {
    return expected;
  }
}
