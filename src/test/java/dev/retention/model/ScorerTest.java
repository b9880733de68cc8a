package dev.retention.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.testing.ReferenceData;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScorerTest {

  private static ReferenceData reference;
  private static Scorer linear;
  private static Scorer quadratic;

  @BeforeAll
  static void setUp() {
    reference = ReferenceData.load();
    Trainer.Identity id = new Trainer.Identity("default", "v", Instant.EPOCH);
    Trainer.Input input = Trainer.Input.of(reference.features, reference.labels, "repurchased");
    linear =
        Scorer.of(
            ModelJson.read(
                ModelJson.write(
                    new Trainer(TrainingOptions.defaults().withK(5)).train(input, id))));
    quadratic =
        Scorer.of(
            ModelJson.read(
                ModelJson.write(
                    new Trainer(
                            TrainingOptions.defaults()
                                .withK(5)
                                .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.ON))
                                .withLog1pColumns(List.of("monetary", "frequency")))
                        .train(input, id))));
  }

  @Test
  void scoresEqualTheTrainingComputationForEveryReferenceRow() {
    RetentionModel m = linear.model();
    FeatureMatrix z =
        Standardization.fit(reference.features, List.of()).transform(reference.features);
    int[] segments =
        KMeans.assign(
            z,
            new dev.retention.core.Centroids(
                m.segmentation().k(), 7, flatten(m.segmentation().centresStandardized())),
            1);
    for (int i = 0; i < reference.features.rows(); i++) {
      Scorer.Score s = linear.score(reference.features.row(i));
      double eta = m.classifier().intercept();
      for (int c = 0; c < 7; c++) {
        eta += m.classifier().coefficients()[c] * z.get(i, c);
      }
      assertEquals(LogisticRegression.sigmoid(eta), s.probability(), 1e-12);
      assertEquals(segments[i], s.segment());
      assertEquals(m.segments().get(s.segment()).name(), s.segmentName());
    }
  }

  @Test
  void contributionsFoldExpandedTermsBackAndSumToTheLogOdds() {
    RetentionModel m = quadratic.model();
    assertEquals(7 + 7 + 21, m.classifier().coefficients().length);
    for (int i = 0; i < 50; i++) {
      double[] raw = reference.features.row(i);
      Scorer.Score s = quadratic.score(raw);
      // Recompute the linear predictor term by term from the model file.
      double[] z = new double[7];
      for (int c = 0; c < 7; c++) {
        RetentionModel.Feature f = m.features().get(c);
        z[c] = ((f.log1p() ? Math.log1p(raw[c]) : raw[c]) - f.mean()) / f.std();
      }
      double[] terms = new double[35];
      new dev.retention.core.FeatureExpansion(true, true).expandRow(z, 0, 7, terms, 0);
      double eta = m.classifier().intercept();
      for (int t = 0; t < 35; t++) {
        eta += m.classifier().coefficients()[t] * terms[t];
      }
      assertEquals(LogisticRegression.sigmoid(eta), s.probability(), 1e-12);
      assertEquals(3, s.topContributions().size());
      double previous = Double.POSITIVE_INFINITY;
      for (Scorer.Contribution c : s.topContributions()) {
        assertTrue(Math.abs(c.value()) <= previous);
        previous = Math.abs(c.value());
      }
    }
  }

  @Test
  void valuesOutsideTheTransformsDomainNameTheirFeatureButNotTheValue() {
    double[] nan = reference.features.row(0);
    nan[ReferenceData.FEATURES.indexOf("frequency")] = Double.NaN;
    FeatureValueException e3 = assertThrows(FeatureValueException.class, () -> linear.score(nan));
    assertEquals("frequency", e3.feature());
    assertEquals("feature 'frequency' must be a finite number", e3.getMessage());

    double[] belowLog = reference.features.row(0);
    belowLog[ReferenceData.FEATURES.indexOf("monetary")] = -3.0;
    FeatureValueException e4 =
        assertThrows(FeatureValueException.class, () -> quadratic.score(belowLog));
    assertEquals("monetary", e4.feature());
    assertFalse(e4.getMessage().contains("-3"), e4.getMessage());
  }

  private static double[] flatten(double[][] rows) {
    double[] out = new double[rows.length * rows[0].length];
    for (int j = 0; j < rows.length; j++) {
      System.arraycopy(rows[j], 0, out, j * rows[j].length, rows[j].length);
    }
    return out;
  }
}
