package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.FeatureMatrix;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.report.ReportHtml;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The privacy rule in training: no published segment, centre or range describes fewer customers
 * than the minimum segment size, and scoring assigns exactly as the published profiles count.
 */
class SmallSegmentsTest {

  private static final Trainer.Identity ID = new Trainer.Identity("default", "v", Instant.EPOCH);

  /** Two large groups and a handful of far-away customers that K-means gives their own centre. */
  private static Trainer.Input withOutliers(int outliers) {
    int n = 600 + outliers;
    double[] x = new double[n * 3];
    int[] labels = new int[n];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      double shift = i < 300 ? 0 : i < 600 ? 6 : 60;
      for (int c = 0; c < 3; c++) {
        x[i * 3 + c] = shift + rng.nextGaussian();
      }
      labels[i] = rng.nextInt(2);
    }
    return Trainer.Input.of(new FeatureMatrix(List.of("a", "b", "c"), x), labels, "label");
  }

  @Test
  void aSegmentBelowTheMinimumSizeIsMergedBeforePublishingAndScoringMatchesTheProfiles() {
    Trainer.Input input = withOutliers(6);
    RetentionModel model =
        ModelJson.read(
            ModelJson.write(new Trainer(TrainingOptions.defaults().withK(3)).train(input, ID)));
    assertEquals(2, model.segmentation().k(), "the 6 outliers were a segment of their own");
    assertEquals(1, model.segmentation().merges().size());
    // Its size is never published: only that it was below the minimum and merged.
    assertEquals(
        List.of(
            "a segment below the minimum of 50 customers was merged into a larger segment"
                + " (K = 3 to 2)"),
        model.segmentation().merges());
    String published = ModelJson.writeString(model) + ReportHtml.render(model);
    assertFalse(published.matches("(?s).*\\b6 customers.*"), "the merged segment's size");
    assertFalse(published.contains("segment of 6"), "the merged segment's size");
    long[] counted = new long[model.segmentation().k()];
    Scorer scorer = Scorer.of(model);
    for (int i = 0; i < input.features().rows(); i++) {
      counted[scorer.score(input.features().row(i)).segment()]++;
    }
    for (RetentionModel.Segment s : model.segments()) {
      assertTrue(s.size() >= 50, s.name() + " has " + s.size());
      assertEquals(List.of(s.id()), s.profileCovers());
      assertEquals(s.size(), counted[s.id()], "scoring assigns as the profile counts");
    }
  }

  @Test
  void featureRangesAreMeansOfTheMinimumSizeNotOneCustomersValue() {
    Trainer.Input input = withOutliers(6);
    RetentionModel model = new Trainer(TrainingOptions.defaults().withK(2)).train(input, ID);
    double[] a = new double[input.features().rows()];
    for (int i = 0; i < a.length; i++) {
      a[i] = input.features().get(i, 0);
    }
    Arrays.sort(a);
    double low = Arrays.stream(a, 0, 50).average().orElseThrow();
    double high = Arrays.stream(a, a.length - 50, a.length).average().orElseThrow();
    RetentionModel.Feature f = model.features().get(0);
    assertEquals(low, f.low(), 1e-9);
    assertEquals(high, f.high(), 1e-9);
    assertTrue(f.high() < a[a.length - 1], "the maximum itself is never published");
  }

  @Test
  void tooFewCustomersOrOneThinClassFailWithTheSettingNamed() {
    double[] x = new double[12 * 2];
    int[] labels = new int[12];
    for (int i = 0; i < 12; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = i % 3;
      labels[i] = i % 2;
    }
    IllegalArgumentException few =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Trainer(TrainingOptions.defaults())
                    .train(
                        Trainer.Input.of(new FeatureMatrix(List.of("a", "b"), x), labels, "label"),
                        ID));
    assertTrue(few.getMessage().contains("only 12 customers"), few.getMessage());
    assertTrue(few.getMessage().contains("retention.train.minimum.customers"), few.getMessage());

    Trainer.Input thin = withOutliers(0);
    int[] mostlyOnes = thin.labels().clone();
    Arrays.fill(mostlyOnes, 1);
    mostlyOnes[0] = 0;
    IllegalArgumentException oneClass =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Trainer(TrainingOptions.defaults())
                    .train(Trainer.Input.of(thin.features(), mostlyOnes, "label"), ID));
    assertTrue(oneClass.getMessage().contains("minimum.per-class"), oneClass.getMessage());
    // The thin class's size (1) is below the minimum segment size: never stated.
    assertTrue(
        oneClass.getMessage().startsWith("fewer than 50 customers did not buy again"),
        oneClass.getMessage());
    assertFalse(oneClass.getMessage().matches("(?s).*\\b1 (customers )?did not.*"));
  }
}
