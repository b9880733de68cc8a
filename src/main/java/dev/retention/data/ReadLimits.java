package dev.retention.data;

/**
 * What one export may cost to read, so that a hostile or broken file fails with a clear error
 * instead of exhausting the function's memory or time.
 *
 * @param maxLineBytes the longest record (one CSV record, quoted line breaks included, or one JSON
 *     line) in bytes; a longer one fails the read (default 1 MiB: a customer or order row is a few
 *     hundred bytes)
 * @param maxGzipRatio a gzip export may not decompress to more than this many times the compressed
 *     bytes read so far, beyond the first {@link #GZIP_FREE_BYTES} (default 50: CSV exports
 *     compress 3-12 times, a decompression bomb a thousand times)
 */
public record ReadLimits(int maxLineBytes, double maxGzipRatio) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Decompressed bytes always allowed, whatever the ratio (small files, repetitive headers). */
  public static final long GZIP_FREE_BYTES = 64L << 20;

  public ReadLimits {
    if (maxLineBytes < 1024) {
      throw new IllegalArgumentException("maxLineBytes must be >= 1024, got " + maxLineBytes);
    }
    if (!(maxGzipRatio >= 1) || Double.isInfinite(maxGzipRatio)) {
      throw new IllegalArgumentException("maxGzipRatio must be a number >= 1, got " + maxGzipRatio);
    }
  }

  public static ReadLimits defaults() {
    return new ReadLimits(1 << 20, 50);
  }

  /** The error for a record over {@link #maxLineBytes}. */
  ExportException lineTooLong(long line) {
    return new ExportException(
        "line "
            + line
            + " is longer than "
            + maxLineBytes
            + " bytes (setting retention.export.max-line-bytes); the read failed");
  }
}
