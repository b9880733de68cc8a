package dev.retention.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Export file formats, detected from the object key's suffix: CSV with a header ({@code .csv}) or
 * JSON Lines ({@code .jsonl}, {@code .ndjson}), each optionally gzip-compressed ({@code .gz}), and
 * the limits that reading one is held to and the text's delimiter and decimal separator.
 *
 * @param kind CSV or JSON_LINES
 * @param gzip whether the bytes are gzip-compressed
 * @param limits longest record, largest gzip expansion, most columns
 * @param text the CSV delimiter and the decimal separator of numbers
 */
public record ExportFormat(Kind kind, boolean gzip, ReadLimits limits, TextFormat text)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** A format of the default text layout ({@code ,} and {@code .}). */
  public ExportFormat(Kind kind, boolean gzip, ReadLimits limits) {
    this(kind, gzip, limits, TextFormat.defaults());
  }

  /** The text layout of rows. */
  public enum Kind {
    CSV,
    JSON_LINES
  }

  /** Suffixes the train function accepts, for configuration and the S3 notification filters. */
  public static final java.util.List<String> SUFFIXES =
      java.util.List.of(".csv", ".csv.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz");

  /** The format of {@code key}, or empty when its suffix is not supported. */
  public static Optional<ExportFormat> of(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    boolean gzip = lower.endsWith(".gz");
    String base = gzip ? lower.substring(0, lower.length() - 3) : lower;
    if (base.endsWith(".csv")) {
      return Optional.of(new ExportFormat(Kind.CSV, gzip, ReadLimits.defaults()));
    }
    if (base.endsWith(".jsonl") || base.endsWith(".ndjson")) {
      return Optional.of(new ExportFormat(Kind.JSON_LINES, gzip, ReadLimits.defaults()));
    }
    return Optional.empty();
  }

  /** The same format read under other limits. */
  public ExportFormat withLimits(ReadLimits newLimits) {
    return new ExportFormat(kind, gzip, newLimits, text);
  }

  /** The format of this export's decoded bytes (what the parts of an export read in parts are). */
  public ExportFormat withoutGzip() {
    return new ExportFormat(kind, false, limits, text);
  }

  /** The same format with another delimiter and decimal separator. */
  public ExportFormat withText(TextFormat newText) {
    return new ExportFormat(kind, gzip, limits, newText);
  }

  /**
   * Wraps {@code raw} so that it yields the uncompressed text bytes; a gzip stream that expands
   * beyond {@link ReadLimits#maxGzipRatio()} fails with an {@link ExportException}.
   */
  public InputStream decode(InputStream raw) throws IOException {
    if (!gzip) {
      return raw;
    }
    CountingInputStream compressed = new CountingInputStream(raw);
    return new GzipExpansionGuard(new GZIPInputStream(compressed, 64 * 1024), compressed, limits);
  }

  /** Counts the bytes read through it. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      count += Math.max(n, 0);
      return n;
    }
  }

  /** Fails a gzip stream whose output grows past the ratio limit of its input. */
  private static final class GzipExpansionGuard extends FilterInputStream {
    private final CountingInputStream compressed;
    private final ReadLimits limits;
    private long produced;

    GzipExpansionGuard(InputStream in, CountingInputStream compressed, ReadLimits limits) {
      super(in);
      this.compressed = compressed;
      this.limits = limits;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        produced++;
        check();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        produced += n;
        check();
      }
      return n;
    }

    private void check() {
      if (produced > ReadLimits.GZIP_FREE_BYTES
          && produced > limits.maxGzipRatio() * compressed.count) {
        throw new ExportException(
            "the gzip export expands more than "
                + limits.maxGzipRatio()
                + " times ("
                + produced
                + " bytes from "
                + compressed.count
                + "; setting retention.export.max-gzip-ratio): not read further, nothing used");
      }
    }
  }
}
