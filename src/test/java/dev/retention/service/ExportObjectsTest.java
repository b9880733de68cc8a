package dev.retention.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.storage.ObjectInfo;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ExportObjectsTest {

  @Test
  void ordersMayBeDatedUpToADayAfterTheExportWasWrittenInUtc() {
    ObjectInfo late =
        new ObjectInfo("b", "k", "e", null, Instant.parse("2026-11-28T23:30:00Z"), 1L);
    // A shop at UTC+14 already writes 2026-11-29 for its last orders.
    assertEquals(LocalDate.of(2026, 11, 29), ExportObjects.latestOrderDay(late));
    ObjectInfo early =
        new ObjectInfo("b", "k", "e", null, Instant.parse("2026-11-28T00:10:00Z"), 1L);
    assertEquals(LocalDate.of(2026, 11, 29), ExportObjects.latestOrderDay(early));
  }
}
