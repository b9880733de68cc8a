package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StrataTest {

  @Test
  void bandsMergeWithinASegmentAndSmallSegmentsPool() {
    // Segment 0: high 30, medium 30, low 100; segment 1: 10 + 10 + 10; segment 2: 60, 0, 0.
    long[] participants = {30, 30, 100, 10, 10, 10, 60, 0, 0};
    Strata s = Strata.merge(participants, List.of("champions", "promising", "loyal"), 50);
    assertEquals(3, s.size());
    assertEquals(s.of(0, 0), s.of(0, 1));
    assertEquals(0, s.of(0, 0));
    assertEquals(1, s.of(0, 2));
    // Segment 2 (60 in high; the empty bands join it) is a stratum of its own.
    assertEquals(2, s.of(2, 0));
    assertEquals(2, s.of(2, 2));
    // The pool of segment 1 (30 < 50) joins the smallest stratum, 0 (60).
    assertEquals(0, s.of(1, 1));
    assertEquals("champions · high + medium; small segments", s.labels().get(0));
    assertEquals("champions · low", s.labels().get(1));
    assertEquals("loyal · all bands", s.labels().get(2));
    assertEquals(List.of("0/high", "0/medium", "1/high", "1/medium", "1/low"), s.members().get(0));
  }

  @Test
  void aRemainderJoinsTheSegmentsLastStratumAndALargePoolStandsAlone() {
    long[] participants = {80, 20, 10, 30, 0, 0, 25, 0, 0};
    Strata s = Strata.merge(participants, List.of(), 50);
    assertEquals(2, s.size());
    assertEquals("segment 0 · all bands", s.labels().get(0));
    assertEquals("small segments", s.labels().get(1));
    assertEquals(1, s.of(1, 0));
    assertEquals(1, s.of(2, 0));
  }

  @Test
  void aCampaignBelowTheMinimumIsOneStratum() {
    Strata s = Strata.merge(new long[] {3, 4, 5}, List.of("x"), 50);
    assertEquals(1, s.size());
    assertEquals(0, s.of(0, 2));
  }
}
