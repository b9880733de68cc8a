package dev.retention.service.train;

import dev.retention.storage.ObjectInfo;
import dev.retention.storage.SparkRuns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * When the train function hands an export to the Spark job instead of reading it, and what it tells
 * the job (README "Hand-off to Spark").
 *
 * <p>An export is <em>large</em> when its counted bytes reach the threshold: its stored bytes,
 * times {@code gzipExpansion} for a {@code .gz} export (its text is that much larger). A large
 * export is handed off when a state machine is configured; without one it trains in-process, with a
 * warning. The job gets the command line of {@code dev.retention.spark.SparkTrainJob}: the object's
 * identity (so it reads exactly the version the event named and derives the same model version and
 * order) and the function's own settings, so it trains as the function would have.
 */
public final class HandOff implements AutoCloseable {

  private final long thresholdBytes;
  private final double gzipExpansion;
  private final List<String> settings;
  private final Supplier<SparkRuns> opener;
  private final long maxTextBytes;
  private SparkRuns runs;

  /**
   * The heap the in-process path needs per byte of an export's text, with a margin: measured 2 to
   * 3.5 (docs/spark.md), so a quarter of the heap is the most text read in-process by default.
   */
  static final int HEAP_PER_TEXT_BYTE = 4;

  /**
   * @param thresholdBytes counted bytes from which an export is large
   * @param gzipExpansion how many times its stored bytes a {@code .gz} export counts
   * @param settings {@code key=value} of each setting the job is to train with, one {@code
   *     --setting} each, in this order
   * @param opener opens the state machine's client on the first hand-off; null when no state
   *     machine is configured (large exports then train in-process)
   */
  public HandOff(
      long thresholdBytes,
      double gzipExpansion,
      List<String> settings,
      Supplier<SparkRuns> opener) {
    this(thresholdBytes, gzipExpansion, settings, opener, 0);
  }

  /**
   * @param maxTextBytes the most decompressed text an export may have in-process (0: a quarter of
   *     the heap, {@link #HEAP_PER_TEXT_BYTE}); measured while reading, beyond it the read stops
   *     and the export is handed off, or fails naming the limit
   */
  public HandOff(
      long thresholdBytes,
      double gzipExpansion,
      List<String> settings,
      Supplier<SparkRuns> opener,
      long maxTextBytes) {
    if (thresholdBytes < 1) {
      throw new IllegalArgumentException(
          "the hand-off threshold must be at least 1 byte, got " + thresholdBytes);
    }
    if (!(gzipExpansion >= 1)) {
      throw new IllegalArgumentException(
          "the gzip expansion of the hand-off must be at least 1, got " + gzipExpansion);
    }
    for (String setting : settings) {
      if (setting.indexOf('=') < 1) {
        throw new IllegalArgumentException("a setting is key=value, got " + setting);
      }
    }
    if (maxTextBytes < 0) {
      throw new IllegalArgumentException(
          "retention.export.max-text-bytes must be >= 0 (0 = a quarter of the heap), got "
              + maxTextBytes);
    }
    this.thresholdBytes = thresholdBytes;
    this.gzipExpansion = gzipExpansion;
    this.settings = List.copyOf(settings);
    this.opener = opener;
    this.maxTextBytes =
        maxTextBytes > 0 ? maxTextBytes : Runtime.getRuntime().maxMemory() / HEAP_PER_TEXT_BYTE;
  }

  /** Never hands off and never warns: every export trains in-process (tools and tests). */
  public static HandOff never() {
    return new HandOff(Long.MAX_VALUE, 1, List.of(), null, Long.MAX_VALUE);
  }

  /** The most decompressed text an export may have in-process before it stops. */
  public long maxTextBytes() {
    return maxTextBytes;
  }

  /**
   * The decompressed bytes at which an in-process read stops: the hand-off threshold when a state
   * machine is configured (the estimate before reading was too low: a gzip that expands more than
   * {@code gzipExpansion}), and never more than {@link #maxTextBytes()}.
   */
  public long readLimit() {
    return configured() ? Math.min(thresholdBytes, maxTextBytes) : maxTextBytes;
  }

  public long thresholdBytes() {
    return thresholdBytes;
  }

  /** Whether a state machine is configured. */
  public boolean configured() {
    return opener != null;
  }

  /** The bytes an export counts: its stored bytes, times the gzip expansion when compressed. */
  public long countedBytes(ObjectInfo info, boolean gzip) {
    if (!gzip) {
      return info.size();
    }
    double counted = info.size() * gzipExpansion;
    return counted >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) counted;
  }

  public boolean large(long countedBytes) {
    return countedBytes >= thresholdBytes;
  }

  /**
   * The job's command line for one object version: {@code --bucket B --key K --etag E [--version-id
   * V] [--sequencer S] --last-modified T --model-version M [--setting k=v ...]}.
   *
   * @param sequencer the S3 event's sequencer, or null
   */
  public List<String> arguments(ObjectInfo info, String sequencer, String version) {
    if (info.etag() == null) {
      throw new IllegalStateException(info.uri() + " has no ETag to hand off");
    }
    List<String> args = new ArrayList<>();
    add(args, "--bucket", info.bucket());
    add(args, "--key", info.key());
    add(args, "--etag", info.etag());
    if (info.versionId() != null) {
      add(args, "--version-id", info.versionId());
    }
    if (sequencer != null && !sequencer.isBlank()) {
      add(args, "--sequencer", sequencer);
    }
    add(args, "--last-modified", info.lastModified().toString());
    add(args, "--model-version", version);
    for (String setting : settings) {
      add(args, "--setting", setting);
    }
    return args;
  }

  private static void add(List<String> args, String option, String value) {
    args.add(option);
    args.add(value);
  }

  /**
   * Starts the job's run for {@code version} (the execution name), or finds the one that exists.
   *
   * @param source {@code s3://bucket/key}
   */
  public SparkRuns.Run start(ObjectInfo info, String sequencer, String version, String source) {
    if (opener == null) {
      throw new IllegalStateException("no state machine is configured for the hand-off");
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("arguments", arguments(info, sequencer, version));
    input.put("source", source);
    input.put("modelVersion", version);
    return runs().start(version, input);
  }

  private synchronized SparkRuns runs() {
    if (runs == null) {
      runs = opener.get();
    }
    return runs;
  }

  /** Closes the state machine's client, if one was opened. */
  @Override
  public synchronized void close() {
    if (runs != null) {
      runs.close();
      runs = null;
    }
  }
}
