package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Metric definitions on random and hand-made data. */
class EvaluationMetricsProperties {

  @Property(tries = 50)
  void aucOfAPerfectRankingIsOneAndOfAReversedOneZero(
      @ForAll @IntRange(min = 2, max = 500) int rows,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] labels = new int[rows];
    labels[0] = 0;
    labels[1] = 1;
    for (int i = 2; i < rows; i++) {
      labels[i] = rng.nextInt(2);
    }
    double[] perfect = new double[rows];
    double[] reversed = new double[rows];
    for (int i = 0; i < rows; i++) {
      // Positives above every negative, ties inside a class allowed.
      perfect[i] = labels[i] + 0.5 * rng.nextInt(2) * 0.1;
      reversed[i] = -perfect[i];
    }
    assertEquals(1.0, EvaluationMetrics.rocAuc(perfect, labels), 0);
    assertEquals(0.0, EvaluationMetrics.rocAuc(reversed, labels), 0);
    assertEquals(1.0, EvaluationMetrics.averagePrecision(perfect, labels), 1e-12);
  }

  @Property(tries = 50)
  void aucEqualsThePairwiseDefinitionWithTiesCountingHalf(
      @ForAll @IntRange(min = 2, max = 200) int rows,
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] labels = new int[rows];
    double[] score = new double[rows];
    labels[0] = 0;
    labels[1] = 1;
    for (int i = 0; i < rows; i++) {
      if (i >= 2) {
        labels[i] = rng.nextInt(2);
      }
      score[i] = rng.nextInt(5); // many ties
    }
    double pairs = 0;
    double wins = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < rows; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          pairs++;
          wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    assertEquals(wins / pairs, EvaluationMetrics.rocAuc(score, labels), 1e-12);
  }

  @Test
  void averagePrecisionMatchesAHandComputedExample() {
    // sklearn's docstring example: average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) =
    // 0.8333...
    assertEquals(
        0.8333333333333333,
        EvaluationMetrics.averagePrecision(
            new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}),
        1e-12);
    assertEquals(
        0.75,
        EvaluationMetrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}),
        1e-12);
  }

  @Test
  void confusionCalibrationAndLiftAddUp() {
    double[] p = {0.05, 0.15, 0.25, 0.55, 0.65, 0.95, 0.95, 0.5, 0.49, 1.0};
    int[] y = {0, 0, 1, 1, 0, 1, 1, 1, 0, 1};
    EvaluationMetrics.Confusion confusion = EvaluationMetrics.confusion(p, y, 0.5);
    assertEquals(5, confusion.truePositives()); // 0.55, 0.95, 0.95, 0.5, 1.0
    assertEquals(1, confusion.falsePositives()); // 0.65
    assertEquals(3, confusion.trueNegatives());
    assertEquals(1, confusion.falseNegatives()); // 0.25
    assertEquals(0.8, confusion.accuracy(), 1e-12);
    assertEquals(5.0 / 6, confusion.precision(), 1e-12);
    assertEquals(5.0 / 6, confusion.recall(), 1e-12);
    List<EvaluationMetrics.CalibrationBin> bins = EvaluationMetrics.calibration(p, y, 10);
    assertEquals(10, bins.stream().mapToLong(EvaluationMetrics.CalibrationBin::count).sum());
    assertEquals(3, bins.get(9).count()); // 0.95, 0.95 and 1.0 (the last bin includes 1)
    List<EvaluationMetrics.LiftBin> lift = EvaluationMetrics.lift(p, y);
    assertEquals(10, lift.stream().mapToLong(EvaluationMetrics.LiftBin::count).sum());
    assertEquals(1.0, lift.get(9).cumulativeCapture(), 1e-12);
    assertEquals(1 / 0.6, lift.get(0).lift(), 1e-12); // top row (1.0) is positive, base rate 0.6
  }
}
