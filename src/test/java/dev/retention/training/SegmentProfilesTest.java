package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.core.Centroids;
import dev.retention.core.FeatureMatrix;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
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

  @Test
  void aSmallSegmentSharesTheProfileOfItsNearestLargeSegment() {
    // Segment 0: 3 customers near segment 2 (60); segment 1: 55 customers far away.
    int n = 3 + 55 + 60;
    double[] x = new double[n * 3];
    int[] labels = new int[n];
    int[] segment = new int[n];
    double[] probability = new double[n];
    for (int i = 0; i < n; i++) {
      segment[i] = i < 3 ? 0 : i < 58 ? 1 : 2;
      x[i * 3] = segment[i] == 1 ? 300 : 10;
      x[i * 3 + 1] = segment[i] == 0 ? 9 : segment[i] == 1 ? 1 : 5;
      x[i * 3 + 2] = 50;
      labels[i] = segment[i] == 1 ? 0 : 1;
      probability[i] = 0.5;
    }
    Centroids centroids = new Centroids(3, 3, new double[] {-1, 1.6, 0, 2, -1, 0, -1, 0.9, 0});
    double[][] original = {{10, 9, 50}, {300, 1, 50}, {10, 5, 50}};
    List<RetentionModel.Segment> segments =
        SegmentProfiles.build(
            new FeatureMatrix(RFM, x),
            labels,
            segment,
            probability,
            centroids,
            original,
            SegmentOptions.defaults(),
            Playbook.of(0.33, 0.66, null));
    RetentionModel.Segment small = segments.get(0);
    RetentionModel.Segment owner = segments.get(2);
    assertEquals(List.of(0, 2), small.profileCovers());
    assertEquals(small.profileCovers(), owner.profileCovers());
    assertEquals(63, small.size());
    assertEquals(owner.featureMeans(), small.featureMeans());
    assertEquals((3 * 9 + 60 * 5) / 63.0, small.featureMeans().get("frequency"), 1e-12);
    assertEquals(owner.name(), small.name());
    assertEquals(List.of(1), segments.get(1).profileCovers());
    assertEquals("hibernating", segments.get(1).kind());
    // The small segment's own raw centre is replaced by its profile's means.
    assertArrayEquals(new double[] {10, (3 * 9 + 60 * 5) / 63.0, 50}, original[0], 1e-12);
    assertArrayEquals(new double[] {10, 5, 50}, original[2]);
  }

  @Test
  void whenEverySegmentIsSmallOneProfileCoversAll() {
    int[] owner =
        SegmentProfiles.owners(
            new long[] {10, 20, 30}, new Centroids(3, 1, new double[] {0, 1, 2}), 50);
    assertArrayEquals(new int[] {0, 0, 0}, owner);
  }
}
