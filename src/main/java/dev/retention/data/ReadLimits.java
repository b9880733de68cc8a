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
 * @param maxColumns the most columns (CSV header fields, distinct JSON Lines keys) an export may
 *     have (default 1,000): the readers hold a row of every column, so a 260 KB gzip of 120,000
 *     columns fails here instead of in the heap
 */
public record ReadLimits(int maxLineBytes, double maxGzipRatio, int maxColumns)
    implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

  /** Decompressed bytes always allowed, whatever the ratio (small files, repetitive headers). */
  public static final long GZIP_FREE_BYTES = 64L << 20;

  /** The default of {@link #maxColumns}. */
  public static final int DEFAULT_MAX_COLUMNS = 1000;

  public ReadLimits {
    if (maxLineBytes < 1024) {
      throw new IllegalArgumentException("maxLineBytes must be >= 1024, got " + maxLineBytes);
    }
    if (!(maxGzipRatio >= 1) || Double.isInfinite(maxGzipRatio)) {
      throw new IllegalArgumentException("maxGzipRatio must be a number >= 1, got " + maxGzipRatio);
    }
    if (maxColumns < 2) {
      throw new IllegalArgumentException("maxColumns must be >= 2, got " + maxColumns);
    }
  }

  /** Limits with the default column limit. */
  public ReadLimits(int maxLineBytes, double maxGzipRatio) {
    this(maxLineBytes, maxGzipRatio, DEFAULT_MAX_COLUMNS);
  }

  public static ReadLimits defaults() {
    return new ReadLimits(1 << 20, 50, DEFAULT_MAX_COLUMNS);
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

  /** The error for an export with more than {@link #maxColumns} columns. */
  ExportException tooManyColumns(String where) {
    return new ExportException(
        where
            + " more than "
            + maxColumns
            + " columns (setting retention.export.max-columns); nothing was read further");
  }
}
