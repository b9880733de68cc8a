package dev.retention.service;

import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.storage.Bucket;
import dev.retention.storage.ObjectInfo;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** What the S3-triggered services (train, batch-score) do alike with the objects of an event. */
public final class ExportObjects {

  private ExportObjects() {}

  /**
   * Handles every object. An object whose export is bad is logged as {@code failedEvent} and the
   * next one is handled; then all failures are thrown together, so the invocation fails visibly
   * (retry policy and on-failure destination apply) and names each object.
   */
  public static <T> List<T> each(
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
  public static LocalDate latestOrderDay(ObjectInfo info) {
    return info.lastModified().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
  }

  public static String source(S3ObjectRef object) {
    return "s3://" + object.bucket() + "/" + object.key();
  }

  /**
   * An object of an event that is to be handled (its metadata and format), or why it is skipped.
   *
   * @param skipReason null when the object is to be handled
   */
  public record Target(ObjectInfo info, ExportFormat format, String skipReason) {
    static Target skip(String reason) {
      return new Target(null, null, reason);
    }
  }

  /**
   * Checks what both S3-triggered functions check before reading an export: the configured bucket,
   * a key under their prefix, a supported suffix, and that the object still exists.
   *
   * @param underPrefix whether the key is under the function's prefix(es)
   * @param prefixes how to name those prefixes in the skip reason
   */
  public static Target target(
      Bucket bucket, S3ObjectRef object, boolean underPrefix, String prefixes) {
    if (!object.bucket().equals(bucket.name())) {
      return Target.skip("bucket is not the configured bucket " + bucket.name());
    }
    if (!underPrefix) {
      return Target.skip("key is outside the " + prefixes);
    }
    Optional<ExportFormat> format = ExportFormat.of(object.key());
    if (format.isEmpty()) {
      return Target.skip("unsupported suffix; expected one of " + ExportFormat.SUFFIXES);
    }
    Optional<ObjectInfo> found = bucket.head(object.key());
    if (found.isEmpty()) {
      return Target.skip("the object no longer exists");
    }
    return new Target(found.get(), format.get(), null);
  }
}
