package dev.retention.service.score;

import dev.retention.model.ModelFormatException;
import dev.retention.model.Scorer;
import dev.retention.service.Log;
import dev.retention.service.NoModelException;
import dev.retention.storage.ModelIntegrityException;
import dev.retention.storage.ModelStore;
import dev.retention.storage.StorageException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The current model, compiled for scoring, kept in memory across invocations of a warm function.
 *
 * <p>Loaded on first use; afterwards latest.json is re-checked at most once per TTL with a
 * conditional GET on its ETag (an unchanged model costs one 304). A re-check never takes longer
 * than the refresh timeout, retries included: if the store is slow, unreachable or hanging, the
 * last good model keeps serving and the next re-check waits another TTL, so at most one request per
 * TTL pays the timeout. A new model that fails to parse or validate, or whose file is not the one
 * {@code latest.json} published (its SHA-256 or its version differs: {@link
 * ModelIntegrityException}), never replaces the last good one; the failure is logged and counted
 * and its ETag remembered, so the bad file is not downloaded again until it changes. Without any
 * good model the API answers 503.
 */
public final class ModelCache {

  private static final Logger LOG = Logger.getLogger(ModelCache.class);

  private final ModelStore store;
  private final long ttlNanos;
  private final Duration refreshTimeout;
  private final LongSupplier nanoTime;
  private Scorer current;
  private String seenEtag;
  private long checkedAt;
  private long refreshes;
  private long refreshFailures;
  private long integrityFailures;
  private boolean forceCheck;

  public ModelCache(
      ModelStore store, Duration ttl, Duration refreshTimeout, LongSupplier nanoTime) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
    this.refreshTimeout = refreshTimeout;
    this.nanoTime = nanoTime;
  }

  /**
   * The scorer of the current model.
   *
   * @throws NoModelException when no model was ever loaded and none can be
   */
  public synchronized Scorer current() {
    long now = nanoTime.getAsLong();
    if (current == null || forceCheck || now - checkedAt >= ttlNanos) {
      forceCheck = false;
      refresh(now);
    }
    if (current == null) {
      throw new NoModelException(
          "no model is published yet: upload a customer export under the export prefix to train one");
    }
    return current;
  }

  /**
   * After a SnapStart restore: whatever was loaded when the snapshot was taken may be old, so the
   * next request re-checks latest.json whatever the TTL says (the monotonic clock of a restored
   * snapshot says nothing about the time that passed).
   */
  public synchronized void restored() {
    forceCheck = true;
  }

  /**
   * Re-checks done and failed so far, and of the failures those where the model file was not the
   * one published (for metrics and tests).
   */
  public synchronized long[] refreshCounts() {
    return new long[] {refreshes, refreshFailures, integrityFailures};
  }

  private void refresh(long now) {
    checkedAt = now;
    refreshes++;
    try {
      ModelStore.Latest latest =
          store.fetchLatest(current == null ? null : seenEtag, refreshTimeout);
      switch (latest.status()) {
        case NOT_MODIFIED, NOT_FOUND -> {
          return;
        }
        case FOUND -> {
          seenEtag = latest.etag();
          if (current != null && current.model().version().equals(latest.model().version())) {
            return;
          }
          Scorer next = Scorer.of(latest.model());
          String previous = current == null ? null : current.model().version();
          current = next;
          Log.event(
              LOG,
              latest.verified() ? Logger.Level.INFO : Logger.Level.WARN,
              "model.loaded",
              "version",
              next.model().version(),
              "previous",
              previous,
              "verified",
              latest.verified());
        }
        default -> throw new IllegalStateException(latest.status().name());
      }
    } catch (ModelFormatException e) {
      refreshFailures++;
      boolean integrity = e instanceof ModelIntegrityException;
      if (integrity) {
        integrityFailures++;
      }
      Log.event(
          LOG,
          Logger.Level.ERROR,
          "model.rejected",
          "reason",
          e.getMessage(),
          "integrity",
          integrity,
          "serving",
          current == null ? null : current.model().version());
      if (current == null) {
        throw new NoModelException("the published model cannot be used: " + e.getMessage(), e);
      }
      // Remember the bad pointer's state: re-check only when latest.json changes again.
      rememberCurrentEtag();
    } catch (StorageException e) {
      refreshFailures++;
      Log.event(
          LOG,
          Logger.Level.WARN,
          "model.refresh-failed",
          "reason",
          e.getMessage(),
          "timeoutMs",
          refreshTimeout.toMillis(),
          "serving",
          current == null ? null : current.model().version());
      if (current == null) {
        throw new NoModelException("the model store cannot be reached", e);
      }
    }
  }

  private void rememberCurrentEtag() {
    try {
      seenEtag = store.latestEtag(refreshTimeout);
    } catch (StorageException e) {
      // keep the old ETag: the next check downloads again, which is safe
    }
  }
}
