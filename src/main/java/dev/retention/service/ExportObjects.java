package dev.retention.service;

import dev.retention.data.ExportException;
import dev.retention.storage.ModelStore;
import dev.retention.storage.ObjectInfo;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What the S3-triggered services (train, batch-score) do alike with the objects of an event. */
final class ExportObjects {

  private ExportObjects() {}

  /**
   * Handles every object. An object whose export is bad is logged as {@code failedEvent} and the
   * next one is handled; then all failures are thrown together, so the invocation fails visibly
   * (retry policy and on-failure destination apply) and names each object.
   */
  static <T> List<T> each(
      List<S3ObjectRef> objects,
      Logger log,
      String failedEvent,
      Function<S3ObjectRef, T> handler,
      Function<String, RuntimeException> failure) {
    List<T> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (S3ObjectRef object : objects) {
      try {
        results.add(handler.apply(object));
      } catch (ExportException | IllegalArgumentException e) {
        String source = source(object);
        Log.event(log, Logger.Level.ERROR, failedEvent, "source", source, "reason", e.getMessage());
        failures.add(source + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw failure.apply(String.join("; ", failures));
    }
    return results;
  }

  /**
   * The latest order date an export may hold: the day it was written (UTC) plus one day, since
   * order dates are written in the shop's own time zone. Later rows are future dates.
   */
  static LocalDate latestOrderDay(ObjectInfo info) {
    return info.lastModified().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
  }

  static String source(S3ObjectRef object) {
    return "s3://" + object.bucket() + "/" + object.key();
  }

  /** The object's metadata, or empty when it was deleted before its event was handled. */
  static Optional<ObjectInfo> head(ModelStore store, String key) {
    try {
      return Optional.of(store.head(key));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
