package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentProfilesTest {

  private static final List<String> RFM = List.of("recency_days", "frequency", "monetary");

  @Test
  void rfmRulesNameStandardizedCentres() {
    int[] roles = {0, 1, 2};
    // z of recency is negated: a low recency (recent) is good.
    assertEquals("champions", SegmentNames.rfmKind(new double[] {-1, 1, 0.2}, roles));
    assertEquals("loyal", SegmentNames.rfmKind(new double[] {0.3, 0.8, -1}, roles));
    assertEquals("at risk", SegmentNames.rfmKind(new double[] {1, 0.1, 0}, roles));
    assertEquals("at risk", SegmentNames.rfmKind(new double[] {1, -1, 0.6}, roles));
    assertEquals("hibernating", SegmentNames.rfmKind(new double[] {1, -1, -1}, roles));
    assertEquals("promising", SegmentNames.rfmKind(new double[] {-0.8, -0.5, 0}, roles));
    assertEquals("needs attention", SegmentNames.rfmKind(new double[] {0.2, 0, 0}, roles));
    assertEquals(null, SegmentNames.rfmRoles(SegmentOptions.defaults(), List.of("a", "b")));
  }
}
