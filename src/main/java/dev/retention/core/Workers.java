package dev.retention.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fixed pool that runs the blocks of a data-parallel loop.
 *
 * <p>Determinism rule used everywhere in the core: rows are cut into blocks of a fixed size that
 * does not depend on the thread count ({@link #BLOCK_ROWS}); each block writes its partial result
 * into its own slot, and partial results are combined in block order on the calling thread. The
 * floating-point result is therefore bit-identical for 1 or N threads.
 *
 * <p>Owned by one fit call and closed at its end: no global pool, no state shared between fits.
 */
public final class Workers implements AutoCloseable {

  /** Rows per block. Large enough to amortise scheduling, small enough to balance two cores. */
  public static final int BLOCK_ROWS = 8192;

  /** One unit of work: process block {@code block} covering rows {@code [from, to)}. */
  @FunctionalInterface
  public interface BlockTask {
    void run(int block, int from, int to);
  }

  private final int threads;
  private final ExecutorService pool;

  private Workers(int threads) {
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads,
                runnable -> {
                  Thread thread = new Thread(runnable, "retention-core-worker");
                  thread.setDaemon(true);
                  return thread;
                });
  }

  /**
   * Opens a pool of {@code threads} workers; 0 means one per available processor.
   *
   * @throws IllegalArgumentException if {@code threads} is negative
   */
  public static Workers open(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
    }
    int resolved = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    return new Workers(Math.max(1, resolved));
  }

  public int threads() {
    return threads;
  }

  /** Number of blocks that {@link #forEachBlock} uses for {@code rows} rows. */
  public static int blockCount(int rows) {
    return (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
  }

  /** Runs {@code task} once per block of {@link #BLOCK_ROWS} rows, spread over the threads. */
  public void forEachBlock(int rows, BlockTask task) {
    forEachBlock(rows, BLOCK_ROWS, task);
  }

  /**
   * Runs {@code task} once per block of {@code blockRows} rows, spread over the pool's threads. For
   * loops whose per-row cost is high (pairwise distances), where smaller blocks balance better.
   */
  public void forEachBlock(int rows, int blockRows, BlockTask task) {
    int blocks = (rows + blockRows - 1) / blockRows;
    if (pool == null || blocks <= 1) {
      for (int b = 0; b < blocks; b++) {
        task.run(b, b * blockRows, Math.min(rows, (b + 1) * blockRows));
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    List<Callable<Void>> jobs = new ArrayList<>(threads);
    for (int t = 0; t < Math.min(threads, blocks); t++) {
      jobs.add(
          () -> {
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
              task.run(b, b * blockRows, Math.min(rows, (b + 1) * blockRows));
            }
            return null;
          });
    }
    try {
      for (Future<Void> future : pool.invokeAll(jobs)) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
