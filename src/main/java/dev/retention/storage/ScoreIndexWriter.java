package dev.retention.storage;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds a batch's lookup index ({@link ScoreIndex}) and publishes it: partitions first, then the
 * pointer, so a reader that follows the pointer always finds every partition it names.
 *
 * <p>Memory stays bounded whatever the batch's size: rows are spilled to temporary files by ranges
 * of partitions ({@value #GROUPS} files at most) as they are added, and each range is then read
 * back alone, sorted and uploaded. Uploads run on a few threads; a failed upload fails the publish
 * (the event's retry writes the same objects again and finishes).
 */
public final class ScoreIndexWriter implements AutoCloseable {

  /** Temporary files the rows are spread over: a range of partitions each. */
  static final int GROUPS = 64;

  private static final int POINTER_ATTEMPTS = 10;

  private final int partitions;
  private final int groups;
  private final Path dir;
  private final DataOutputStream[] spill;
  private long rows;

  /**
   * @param customers how many rows will be added (sets the partition count)
   * @param customersPerPartition the average partition size to aim at
   */
  public ScoreIndexWriter(long customers, int customersPerPartition) throws IOException {
    this.partitions = ScoreIndex.partitions(customers, customersPerPartition);
    this.groups = Math.min(GROUPS, partitions);
    this.dir = Files.createTempDirectory("lookup-index-");
    this.spill = new DataOutputStream[groups];
    for (int g = 0; g < groups; g++) {
      spill[g] =
          new DataOutputStream(
              new BufferedOutputStream(Files.newOutputStream(dir.resolve("g" + g)), 1 << 15));
    }
  }

  /** The partition count chosen for this batch. */
  public int partitions() {
    return partitions;
  }

  /** Rows added so far. */
  public long rows() {
    return rows;
  }

  /** Adds one customer: its id and its cells as one text (the batch writes a CSV record). */
  public void add(String id, String cells) throws IOException {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    byte[] cellBytes = cells.getBytes(StandardCharsets.UTF_8);
    int p = ScoreIndex.partition(idBytes, partitions);
    DataOutputStream out = spill[group(p)];
    out.writeInt(p);
    out.writeInt(idBytes.length);
    out.write(idBytes);
    out.writeInt(cellBytes.length);
    out.write(cellBytes);
    rows++;
  }

  private int group(int partition) {
    return (int) ((long) partition * groups / partitions);
  }

  /** What a publish did. */
  public enum Outcome {
    /** The pointer now names this batch. */
    MOVED,
    /** It already did (a redelivered event). */
    ALREADY_LIVE,
    /** A later export's batch is live: this one's partitions were removed again. */
    NEWER_IS_LIVE
  }

  /**
   * The outcome of a publish.
   *
   * @param outcome what became of the pointer
   * @param liveBatch the batch the pointer names afterwards
   * @param objects partitions written
   * @param bytes their stored (compressed) bytes
   * @param rawBytes their bytes before compression
   */
  public record Published(
      Outcome outcome, String liveBatch, int objects, long bytes, long rawBytes) {}

  /**
   * Uploads every partition (empty ones too: a lookup never meets a missing partition of a live
   * batch), then moves the model version's pointer to this batch if its export is later than the
   * live batch's. A batch that loses to a later one removes its partitions (no orphans), and a move
   * removes the partitions of the batch before the previous one (the previous stays for readers
   * whose pointer is older by up to a cache TTL).
   *
   * @param pointer this batch's pointer ({@code previous} is filled in here)
   * @param threads concurrent uploads
   * @throws StorageException when a write fails
   */
  public Published publish(Bucket bucket, String prefix, ScoreIndex.Pointer pointer, int threads)
      throws IOException {
    if (pointer.partitions() != partitions) {
      throw new IllegalArgumentException("the pointer's partition count is not this index's");
    }
    for (DataOutputStream out : spill) {
      out.close();
    }
    String pointerKey = ScoreIndex.pointerKey(prefix, pointer.modelVersion());
    Optional<Bucket.Stored> before = bucket.read(pointerKey);
    if (before.isPresent()) {
      ScoreIndex.Pointer live = ScoreIndex.Pointer.parse(before.get().bytes(), pointerKey);
      if (live.batch().equals(pointer.batch())) {
        return new Published(Outcome.ALREADY_LIVE, live.batch(), 0, 0, 0);
      }
      if (live.order().compareTo(pointer.order()) > 0) {
        return new Published(Outcome.NEWER_IS_LIVE, live.batch(), 0, 0, 0);
      }
    }
    long[] sizes;
    try {
      sizes = upload(bucket, prefix, pointer, threads);
    } catch (RuntimeException e) {
      removeUnnamed(bucket, prefix, pointerKey, pointer, e);
      throw e;
    }
    Published moved = advance(bucket, prefix, pointerKey, pointer);
    return new Published(moved.outcome(), moved.liveBatch(), partitions, sizes[0], sizes[1]);
  }

  private long[] upload(Bucket bucket, String prefix, ScoreIndex.Pointer pointer, int threads)
      throws IOException {
    AtomicLong stored = new AtomicLong();
    AtomicLong raw = new AtomicLong();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    Semaphore inFlight = new Semaphore(Math.max(1, threads) * 4);
    List<Future<?>> pending = new ArrayList<>();
    try {
      for (int g = 0; g < groups && failure.get() == null; g++) {
        Group group = Group.read(dir.resolve("g" + g));
        int first = (int) (((long) g * partitions + groups - 1) / groups);
        int next = (int) (((long) (g + 1) * partitions + groups - 1) / groups);
        int at = 0;
        for (int p = first; p < next; p++) {
          int from = at;
          while (at < group.size && group.partition[group.order[at]] == p) {
            at++;
          }
          byte[] bytes = ScoreIndex.writePartition(group.ids, group.cells, group.order, from, at);
          raw.addAndGet(group.rawBytes(from, at));
          String key = ScoreIndex.partitionKey(prefix, pointer.modelVersion(), pointer.batch(), p);
          inFlight.acquireUninterruptibly();
          pending.add(
              pool.submit(
                  () -> {
                    try {
                      if (failure.get() == null) {
                        bucket.put(key, bytes, "application/gzip");
                        stored.addAndGet(bytes.length);
                      }
                    } catch (RuntimeException e) {
                      failure.compareAndSet(null, e);
                    } finally {
                      inFlight.release();
                    }
                  }));
        }
        if (at != group.size) {
          throw new IllegalStateException("rows outside their group's partitions");
        }
      }
      for (Future<?> f : pending) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failure.compareAndSet(null, new StorageException("upload failed", e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure.compareAndSet(null, new StorageException("upload interrupted", e));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return new long[] {stored.get(), raw.get()};
  }

  /** Moves the pointer forward to {@code pointer}, like the model pointer ({@link ModelStore}). */
  private Published advance(
      Bucket bucket, String prefix, String pointerKey, ScoreIndex.Pointer pointer) {
    for (int attempt = 0; attempt < POINTER_ATTEMPTS; attempt++) {
      Optional<Bucket.Stored> stored = bucket.read(pointerKey);
      ScoreIndex.Pointer live =
          stored.map(s -> ScoreIndex.Pointer.parse(s.bytes(), pointerKey)).orElse(null);
      if (live != null && live.batch().equals(pointer.batch())) {
        return new Published(Outcome.ALREADY_LIVE, live.batch(), 0, 0, 0);
      }
      if (live != null && live.order().compareTo(pointer.order()) > 0) {
        // Nothing names this batch: its partitions would be orphans.
        removeBatch(bucket, prefix, pointer.modelVersion(), pointer.batch(), partitions);
        return new Published(Outcome.NEWER_IS_LIVE, live.batch(), 0, 0, 0);
      }
      byte[] json = pointer.after(live).json();
      boolean written =
          stored.isEmpty()
              ? bucket.putIfAbsent(pointerKey, json, "application/json")
              : bucket.putIfMatch(pointerKey, json, "application/json", stored.get().etag());
      if (written) {
        if (live != null && live.previous() != null && !live.previous().equals(pointer.batch())) {
          removeBatch(
              bucket, prefix, pointer.modelVersion(), live.previous(), live.previousPartitions());
        }
        return new Published(Outcome.MOVED, pointer.batch(), 0, 0, 0);
      }
    }
    throw new StorageException(
        pointerKey + " kept changing under " + POINTER_ATTEMPTS + " attempts to move it", null);
  }

  /**
   * After a failed upload: removes what was written of this batch, unless a pointer names it (a
   * redelivery of the same export that made it live meanwhile). Nothing is left that nothing names;
   * the event's retry writes the batch again.
   */
  private void removeUnnamed(
      Bucket bucket,
      String prefix,
      String pointerKey,
      ScoreIndex.Pointer pointer,
      RuntimeException cause) {
    try {
      boolean named =
          bucket
              .read(pointerKey)
              .map(s -> ScoreIndex.Pointer.parse(s.bytes(), pointerKey))
              .map(
                  live ->
                      pointer.batch().equals(live.batch())
                          || pointer.batch().equals(live.previous()))
              .orElse(false);
      if (!named) {
        removeBatch(bucket, prefix, pointer.modelVersion(), pointer.batch(), partitions);
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Deletes every partition of a batch (best effort: a failure is left for the next move). */
  static void removeBatch(
      Bucket bucket, String prefix, String modelVersion, String batch, int partitions) {
    List<String> keys = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      keys.add(ScoreIndex.partitionKey(prefix, modelVersion, batch, p));
    }
    try {
      bucket.deleteAll(keys);
    } catch (StorageException e) {
      // Unreferenced objects; the next move of this model version's pointer tries again.
    }
  }

  /** Deletes the temporary files. */
  @Override
  public void close() {
    for (DataOutputStream out : spill) {
      try {
        out.close();
      } catch (IOException e) {
        // closing a temporary file
      }
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** The rows of one range of partitions, read back and sorted by partition, then id bytes. */
  private static final class Group {
    int size;
    int[] partition = new int[1024];
    byte[][] ids = new byte[1024][];
    byte[][] cells = new byte[1024][];
    int[] order;

    static Group read(Path file) throws IOException {
      Group g = new Group();
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
        while (true) {
          int p;
          try {
            p = in.readInt();
          } catch (EOFException end) {
            break;
          }
          byte[] id = new byte[in.readInt()];
          in.readFully(id);
          byte[] c = new byte[in.readInt()];
          in.readFully(c);
          g.add(p, id, c);
        }
      }
      Files.delete(file);
      g.sort();
      return g;
    }

    private void add(int p, byte[] id, byte[] c) {
      if (size == partition.length) {
        partition = Arrays.copyOf(partition, size * 2);
        ids = Arrays.copyOf(ids, size * 2);
        cells = Arrays.copyOf(cells, size * 2);
      }
      partition[size] = p;
      ids[size] = id;
      cells[size] = c;
      size++;
    }

    long rawBytes(int from, int to) {
      long total = 8;
      for (int i = from; i < to; i++) {
        total += 8L + ids[order[i]].length + cells[order[i]].length;
      }
      return total;
    }

    private int compare(int a, int b) {
      int byPartition = Integer.compare(partition[a], partition[b]);
      return byPartition != 0 ? byPartition : Arrays.compareUnsigned(ids[a], ids[b]);
    }

    /** A merge sort of row indices (stable, no boxing). */
    private void sort() {
      order = new int[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      int[] scratch = new int[size];
      for (int width = 1; width < size; width *= 2) {
        for (int lo = 0; lo < size; lo += 2 * width) {
          int mid = Math.min(lo + width, size);
          int hi = Math.min(lo + 2 * width, size);
          int i = lo;
          int j = mid;
          int k = lo;
          while (i < mid && j < hi) {
            scratch[k++] = compare(order[j], order[i]) < 0 ? order[j++] : order[i++];
          }
          while (i < mid) {
            scratch[k++] = order[i++];
          }
          while (j < hi) {
            scratch[k++] = order[j++];
          }
        }
        int[] swap = order;
        order = scratch;
        scratch = swap;
      }
    }
  }
}
