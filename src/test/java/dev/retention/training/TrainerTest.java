package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.Synthetic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainerTest {

  static final Trainer.Identity IDENTITY =
      new Trainer.Identity("default", "test-v1", Instant.parse("2026-11-28T12:00:00Z"));

  private static ReferenceData reference;
  private static RetentionModel model;

  @BeforeAll
  static void train() {
    reference = ReferenceData.load();
    model = new Trainer(TrainingOptions.defaults()).train(input(), IDENTITY);
  }

  static Trainer.Input input() {
    return Trainer.Input.of(reference.features, reference.labels, "repurchased");
  }

  @Test
  void publishedClassifierIsTheAllRowsFitAndMatchesSklearn() {
    JsonNode expected =
        reference.sklearn.get("logistic_regression_standardized").get("by_C").get("1.0");
    assertFalse(model.classifier().squares(), "AUTO should keep the linear model on this data");
    assertEquals(expected.get("intercept").asDouble(), model.classifier().intercept(), 1e-4);
    for (int j = 0; j < 7; j++) {
      assertEquals(
          expected.get("coefficients").get(ReferenceData.FEATURES.get(j)).asDouble(),
          model.classifier().coefficients()[j],
          1e-4);
    }
  }

  @Test
  void heldOutEvaluationIsStratifiedAndPlausible() {
    RetentionModel.Evaluation e = model.evaluation();
    assertEquals(1200, e.validationRows());
    assertEquals(4800, e.trainRows());
    assertEquals(Math.round(0.2 * 3646), e.validationPositives());
    assertTrue(e.rocAuc() > 0.85 && e.rocAuc() < 0.95, "auc " + e.rocAuc());
    RetentionModel.Confusion c = e.confusion();
    assertEquals(
        1200, c.truePositives() + c.falsePositives() + c.trueNegatives() + c.falseNegatives());
    // Bins with fewer customers than the minimum segment size are merged into their neighbours.
    assertEquals(
        1200, e.calibration().stream().mapToLong(RetentionModel.CalibrationBin::count).sum());
    assertTrue(e.calibration().stream().allMatch(b -> b.count() >= 50), e.calibration().toString());
    assertTrue(e.calibration().size() >= 5, e.calibration().toString());
    assertEquals(10, e.lift().size());
    assertTrue(e.lift().get(0).lift() > 1.4, "top decile lift " + e.lift().get(0).lift());
  }

  @Test
  void segmentsMatchAKMeansFitOnTheSameData() {
    RetentionModel.Segmentation s = model.segmentation();
    assertEquals(s.kSearch().chosenK(), s.k());
    FeatureMatrix z =
        Standardization.fit(reference.features, List.of()).transform(reference.features);
    double direct = KMeans.fit(z, s.k(), KMeansOptions.defaults()).inertia();
    assertEquals(direct, s.inertia(), 1e-9 * direct);
    long total = model.segments().stream().mapToLong(RetentionModel.Segment::size).sum();
    assertEquals(6000, total);
    double rate =
        model.segments().stream().mapToDouble(g -> g.repurchaseRate() * g.size()).sum() / 6000;
    assertEquals(3646 / 6000.0, rate, 1e-12);
    // Original-unit centres invert the standardization.
    RetentionModel.Feature recency = model.features().get(0);
    assertEquals(
        s.centresStandardized()[0][0] * recency.std() + recency.mean(),
        s.centresOriginal()[0][0],
        1e-9);
  }

  @Test
  void sameSeedGivesIdenticalModelJsonWithOneOrTwoThreads() throws Exception {
    RetentionModel one =
        new Trainer(TrainingOptions.defaults().withThreads(1)).train(input(), IDENTITY);
    RetentionModel two =
        new Trainer(TrainingOptions.defaults().withThreads(2)).train(input(), IDENTITY);
    assertEquals(withoutTimings(model), withoutTimings(one));
    assertEquals(withoutTimings(one), withoutTimings(two));
  }

  @Test
  void differentSeedChangesTheSplitAndSoTheHeldOutMetrics() throws Exception {
    RetentionModel other =
        new Trainer(TrainingOptions.defaults().withSeed(7)).train(input(), IDENTITY);
    assertTrue(model.evaluation().logLoss() != other.evaluation().logLoss());
  }

  @Test
  void modelHoldsNoCustomerIdOrRow() {
    String json = new String(ModelJson.write(model), StandardCharsets.UTF_8);
    assertFalse(json.contains("C100000"), "customer id leaked into the model");
    assertFalse(json.contains("C10"), "customer id leaked into the model");
    // The first customer's exact feature tuple must not appear either.
    assertFalse(json.contains("21.27"), "a raw customer value leaked into the model");
  }

  @Test
  void quadraticTermsAreUsedWhenTheLabelIsNonLinear() {
    // Label depends on x^2: a linear model cannot rank it, the expansion can.
    Synthetic base = Synthetic.blobs(4000, 2, 1, 0.0, 5);
    int[] labels = new int[4000];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
    for (int i = 0; i < 4000; i++) {
      double x = base.features.get(i, 0);
      labels[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(2.5 * x * x - 2))) ? 1 : 0;
    }
    RetentionModel m =
        new Trainer(TrainingOptions.defaults().withK(2))
            .train(Trainer.Input.of(base.features, labels, "y"), IDENTITY);
    RetentionModel.NonLinearDecision decision = m.classifier().nonLinear();
    assertTrue(decision.used(), decision.rule());
    assertTrue(decision.expandedLogLoss() < decision.linearLogLoss());
    assertEquals(List.of("f0", "f1", "f0^2", "f1^2", "f0*f1"), m.classifier().terms());
    assertTrue(m.evaluation().rocAuc() > 0.8, "auc " + m.evaluation().rocAuc());
    assertEquals(Math.round(0.2 * 4000), m.evaluation().validationRows(), "split size");
    // The published coefficients are the all-rows fit of the chosen expansion.
    double[] all =
        LogisticRegression.fit(
                new LogisticRegression.Design(
                    Standardization.fit(base.features, List.of()).transform(base.features),
                    null,
                    dev.retention.core.FeatureExpansion.QUADRATIC),
                labels,
                LogisticOptions.defaults())
            .coefficients();
    for (int t = 0; t < all.length; t++) {
      assertEquals(all[t], m.classifier().coefficients()[t], 1e-12);
    }
  }

  static String withoutTimings(RetentionModel m) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode tree = (ObjectNode) mapper.readTree(ModelJson.write(m));
    ((ObjectNode) tree.get("provenance")).remove("timingsMs");
    return mapper.writeValueAsString(tree);
  }
}
