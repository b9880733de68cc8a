package dev.retention.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Export file formats, detected from the object key's suffix: CSV with a header ({@code .csv}) or
 * JSON Lines ({@code .jsonl}, {@code .ndjson}), each optionally gzip-compressed ({@code .gz}).
 *
 * @param kind CSV or JSON_LINES
 * @param gzip whether the bytes are gzip-compressed
 */
public record ExportFormat(Kind kind, boolean gzip) {

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
      return Optional.of(new ExportFormat(Kind.CSV, gzip));
    }
    if (base.endsWith(".jsonl") || base.endsWith(".ndjson")) {
      return Optional.of(new ExportFormat(Kind.JSON_LINES, gzip));
    }
    return Optional.empty();
  }

  /** Wraps {@code raw} so that it yields the uncompressed text bytes. */
  public InputStream decode(InputStream raw) throws IOException {
    return gzip ? new GZIPInputStream(raw, 64 * 1024) : raw;
  }
}
