package dev.retention.service.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection's bytes read on a daemon thread of their own, handed over in chunks, so that the
 * reader waits for them only until the {@link Deadline}: a read blocked on a stalled connection
 * cannot be interrupted, and the SDK's URL-connection client ignores an abort of a response body
 * (its body stream has no abort action), so without this a stall would hold the invocation until
 * the socket timeout. At the deadline the reader stops; the reading thread ends when its blocked
 * read returns or times out.
 */
final class DeadlineInputStream extends InputStream {

  private static final int CHUNK = 64 * 1024;
  private static final byte[] END = new byte[0];

  private final Deadline deadline;
  private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(4);
  private final Thread pump;
  private volatile boolean closed;
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;

  DeadlineInputStream(InputStream connection, Deadline deadline) {
    this.deadline = deadline;
    this.pump =
        new Thread(
            () -> {
              try (connection) {
                while (!closed) {
                  byte[] buffer = new byte[CHUNK];
                  int n = connection.read(buffer);
                  if (n < 0) {
                    hand(END);
                    return;
                  }
                  hand(n == CHUNK ? buffer : Arrays.copyOf(buffer, n));
                }
              } catch (IOException | RuntimeException e) {
                hand(e);
              }
            },
            "export-read");
    pump.setDaemon(true);
    pump.start();
  }

  /** Hands a chunk, the end or a failure over; gives up when the reader has gone. */
  private void hand(Object item) {
    try {
      while (!closed && !chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
        // the reader is busy: wait while it is still there
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean fill() throws IOException {
    while (!ended && position >= current.length) {
      Object item;
      try {
        long wait = Math.max(0, deadline.nanosLeft());
        item = chunks.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the export", e);
      }
      if (item == null) {
        throw deadline.exceeded("reading the export", null);
      }
      if (item instanceof IOException e) {
        throw e;
      }
      if (item instanceof RuntimeException e) {
        throw e;
      }
      byte[] chunk = (byte[]) item;
      if (chunk == END) {
        ended = true;
      } else {
        current = chunk;
        position = 0;
      }
    }
    return !ended || position < current.length;
  }

  @Override
  public int read() throws IOException {
    return fill() ? current[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current, position, buffer, offset, n);
    position += n;
    return n;
  }

  @Override
  public void close() {
    closed = true;
    pump.interrupt(); // ends a wait to hand a chunk over; a blocked socket read ends on its own
  }
}
