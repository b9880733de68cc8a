package dev.retention.service.score;

import dev.retention.data.CsvTokenizer;
import dev.retention.storage.Bucket;
import dev.retention.storage.ScoreIndex;
import dev.retention.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code GET /customers/{id}}: a customer's row of the latest batch scores of the live model, read
 * from the lookup index that batch scoring writes ({@link ScoreIndex}).
 *
 * <p>The live model version's pointer is kept and re-checked at most once per TTL with a
 * conditional GET on its ETag (an unchanged pointer costs one 304 and no body). A lookup reads the
 * one partition the id hashes to: from memory when it was read before, else with one GET.
 * Partitions of a batch never change (a newer batch has objects of its own and moves the pointer),
 * so a cached partition needs no re-check; the cache keeps the most recently used ones within a
 * byte budget. A partition that is gone means the pointer moved on since it was read: the pointer
 * is read again and the lookup retried once.
 */
public final class CustomerLookup {

  /** What a lookup found. */
  public sealed interface Answer permits Found, NotInBatch, NoBatch {}

  /** The customer's cells, in the pointer's columns. */
  public record Found(ScoreIndex.Pointer batch, List<String> cells) implements Answer {}

  /** The latest batch has no row for this id. */
  public record NotInBatch(ScoreIndex.Pointer batch) implements Answer {}

  /** No export has been batch-scored with this model version yet. */
  public record NoBatch() implements Answer {}

  private final Bucket bucket;
  private final String prefix;
  private final long ttlNanos;
  private final Duration timeout;
  private final long maxBytes;
  private final LongSupplier nanoTime;
  private final Map<String, ScoreIndex.Partition> partitions = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedBytes;
  private String version;
  private ScoreIndex.Pointer pointer;
  private String pointerEtag;
  private long checkedAt;
  private boolean pointerRead;
  private long objectReads;

  /**
   * @param prefix where the index lives ({@code retention.lookup.prefix})
   * @param ttl how long a read pointer is used before it is re-checked
   * @param timeout the most one read may take, retries included
   * @param maxBytes the partitions kept in memory ({@code retention.lookup.cache-bytes})
   */
  public CustomerLookup(
      Bucket bucket,
      String prefix,
      Duration ttl,
      Duration timeout,
      long maxBytes,
      LongSupplier nanoTime) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.ttlNanos = ttl.toNanos();
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.nanoTime = nanoTime;
  }

  /** GETs sent so far (pointer and partitions, 304s included): for metrics and benchmarks. */
  public synchronized long objectReads() {
    return objectReads;
  }

  /** Bytes of the partitions held in memory. */
  public synchronized long cachedBytes() {
    return cachedBytes;
  }

  /**
   * The row of {@code id} in the latest batch of {@code modelVersion}.
   *
   * @throws StorageException when the index cannot be read
   */
  public synchronized Answer find(String modelVersion, String id) {
    ScoreIndex.Pointer current = pointer(modelVersion, false);
    if (current == null) {
      return new NoBatch();
    }
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    ScoreIndex.Partition partition = partition(current, key);
    if (partition == null) {
      // Removed: two newer batches were published since the pointer was read.
      current = pointer(modelVersion, true);
      if (current == null) {
        return new NoBatch();
      }
      partition = partition(current, key);
      if (partition == null) {
        throw new StorageException(
            "the lookup index of batch "
                + current.batch()
                + " misses a partition its pointer names",
            null);
      }
    }
    String cells = partition.find(key);
    return cells == null
        ? new NotInBatch(current)
        : new Found(current, CsvTokenizer.splitRecord(cells));
  }

  private ScoreIndex.Pointer pointer(String modelVersion, boolean force) {
    long now = nanoTime.getAsLong();
    String key = ScoreIndex.pointerKey(prefix, modelVersion);
    if (!modelVersion.equals(version)) {
      version = modelVersion;
      pointer = null;
      pointerEtag = null;
      pointerRead = false;
      clear();
    } else if (pointerRead && !force && now - checkedAt < ttlNanos) {
      return pointer;
    }
    objectReads++;
    Bucket.Read read = bucket.readIfChanged(key, pointer == null ? null : pointerEtag, timeout);
    checkedAt = now;
    pointerRead = true;
    switch (read.status()) {
      case NOT_MODIFIED -> {}
      case NOT_FOUND -> {
        pointer = null;
        pointerEtag = null;
      }
      case FOUND -> {
        ScoreIndex.Pointer earlier = pointer;
        pointer = parsePointer(read.stored(), key);
        if (earlier != null && !earlier.batch().equals(pointer.batch())) {
          clear(); // the earlier batch's partitions will not be asked for again
        }
        pointerEtag = read.stored().etag();
      }
      default -> throw new IllegalStateException(read.status().name());
    }
    return pointer;
  }

  private static ScoreIndex.Pointer parsePointer(Bucket.Stored stored, String key) {
    return ScoreIndex.Pointer.parse(stored.bytes(), key);
  }

  private ScoreIndex.Partition partition(ScoreIndex.Pointer batch, byte[] id) {
    int p = ScoreIndex.partition(id, batch.partitions());
    String key = ScoreIndex.partitionKey(prefix, batch.modelVersion(), batch.batch(), p);
    ScoreIndex.Partition cached = partitions.get(key);
    if (cached != null) {
      return cached;
    }
    objectReads++;
    Bucket.Stored stored = bucket.read(key, timeout).orElse(null);
    if (stored == null) {
      return null;
    }
    ScoreIndex.Partition read = ScoreIndex.Partition.parse(stored.bytes(), key);
    if (read.bytes() <= maxBytes) {
      partitions.put(key, read);
      cachedBytes += read.bytes();
      evict();
    }
    return read;
  }

  private void evict() {
    Iterator<ScoreIndex.Partition> eldest = partitions.values().iterator();
    while (cachedBytes > maxBytes && eldest.hasNext()) {
      cachedBytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  private void clear() {
    partitions.clear();
    cachedBytes = 0;
  }
}
