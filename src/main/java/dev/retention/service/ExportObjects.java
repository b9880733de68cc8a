package dev.retention.service;

import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.data.ReadLimits;
import dev.retention.data.TextFormat;
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
   * Handles every object independently. An object that fails, for whatever reason (a bad export, a
   * storage fault, a corrupt model), is logged as {@code failedEvent} and the next one is handled;
   * then all failures are thrown together, so the invocation fails visibly (retry policy and
   * on-failure destination apply) and names each object. Errors of the JVM itself (out of memory)
   * are not caught: the runtime must not go on in an unknown state.
   */
  public static <T> List<T> each(
      List<S3ObjectRef> objects,
      Logger log,
      String failedEvent,
      Function<S3ObjectRef, T> handler,
      Function<String, RuntimeException> failure,
      EmfMetrics metrics) {
    List<T> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (S3ObjectRef object : objects) {
      long start = System.nanoTime();
      try {
        results.add(handler.apply(object));
      } catch (RuntimeException e) {
        String source = source(object);
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean input = e instanceof ExportException || e instanceof IllegalArgumentException;
        String kind =
            e instanceof ResourceLimitException
                ? "resources"
                : input ? "input" : "storage-or-internal";
        metrics
            .record()
            .put("Failures", 1, EmfMetrics.Unit.COUNT)
            .put("InputFailures", input ? 1 : 0, EmfMetrics.Unit.COUNT)
            .emit();
        Log.event(
            log,
            Logger.Level.ERROR,
            failedEvent,
            "source",
            source,
            "reason",
            reason,
            "kind",
            kind,
            "durationMs",
            (System.nanoTime() - start) / 1_000_000);
        failures.add(source + ": " + reason);
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
   * a safe key under their prefix(es), a supported suffix, and that the object the event names is
   * still there: exactly its version (by version id on a versioned bucket), or, on an unversioned
   * bucket, an object whose ETag is still the event's. An object overwritten since its event is
   * skipped as superseded: the overwrite has its own event, which handles it.
   *
   * @param underPrefix whether the key is under the function's prefix(es)
   * @param prefixes how to name those prefixes in the skip reason
   * @param limits what reading the export may cost
   * @param text the export's delimiter, decimal separator and case-collision rule
   */
  public static Target target(
      Bucket bucket,
      S3ObjectRef object,
      boolean underPrefix,
      String prefixes,
      ReadLimits limits,
      TextFormat text) {
    if (!object.bucket().equals(bucket.name())) {
      return Target.skip("bucket is not the configured bucket " + bucket.name());
    }
    String unsafe = unsafeKey(object.key());
    if (unsafe != null) {
      return Target.skip("refused: the key " + unsafe);
    }
    if (!underPrefix) {
      return Target.skip("key is outside the " + prefixes);
    }
    Optional<ExportFormat> format = ExportFormat.of(object.key());
    if (format.isEmpty()) {
      return Target.skip("unsupported suffix; expected one of " + ExportFormat.SUFFIXES);
    }
    Optional<ObjectInfo> found = bucket.head(object.key(), object.versionId());
    if (found.isEmpty()) {
      return Target.skip(
          object.versionId() == null
              ? "the object no longer exists"
              : "version " + object.versionId() + " of the object no longer exists");
    }
    ObjectInfo info = found.get();
    if (object.etag() != null && info.etag() != null && !object.etag().equals(info.etag())) {
      return Target.skip(
          "superseded: the object changed after this event (ETag "
              + object.etag()
              + ", now "
              + info.etag()
              + "); the newer object's own event handles it");
    }
    // An event without a version id on a versioned bucket: pin the version HEAD found.
    return new Target(info, format.get().withLimits(limits).withText(text), null);
  }

  /**
   * Why a key may not be used to derive other keys from (it could leave its prefix), or null when
   * it is safe: no empty, {@code .} or {@code ..} segment, no leading slash, no backslash or
   * control character.
   */
  public static String unsafeKey(String key) {
    if (key.isEmpty() || key.startsWith("/")) {
      return "starts with '/' or is empty";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return "holds a control character or a backslash";
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "has an empty, '.' or '..' path segment";
      }
    }
    return null;
  }
}
