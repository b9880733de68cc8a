package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.FeatureMatrix;
import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftMetrics;
import dev.retention.model.UpliftModel;
import dev.retention.testing.UpliftSimulation;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UpliftTrainingTest {

  private static final int MIN = 50;

  /** A randomized campaign of the simulation: ids, features, treatment (80 %) and outcome. */
  private record Experiment(String[] ids, FeatureMatrix x, int[] t, int[] y) {}

  private static Experiment experiment(long seed, int n) {
    UpliftSimulation.Customers c =
        UpliftSimulation.customers(seed, n, UpliftSimulation.Parameters.defaults());
    boolean[] contacted = UpliftSimulation.randomTreatment(n, 0.8, seed + 1);
    UpliftSimulation.Outcomes o = UpliftSimulation.outcomes(c, contacted, seed + 2);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = contacted[i] ? 1 : 0;
    }
    return new Experiment(c.ids(), c.features(), t, o.bought());
  }

  private static UpliftModel fit(Experiment e, UpliftTrainingOptions options) {
    return UpliftTraining.fit(e.ids(), e.x(), e.t(), e.y(), options, MIN);
  }

  @Test
  void theSameCustomersInAnyOrderGiveTheSameModel() {
    Experiment e = experiment(31, 8000);
    int n = e.ids().length;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom random = new SplittableRandom(1);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int s = perm[i];
      perm[i] = perm[j];
      perm[j] = s;
    }
    String[] ids = new String[n];
    int[] t = new int[n];
    int[] y = new int[n];
    for (int k = 0; k < n; k++) {
      ids[k] = e.ids()[perm[k]];
      t[k] = e.t()[perm[k]];
      y[k] = e.y()[perm[k]];
    }
    Experiment shuffled = new Experiment(ids, e.x().selectRows(perm), t, y);
    UpliftModel a = fit(e, UpliftTrainingOptions.defaults());
    UpliftModel b = fit(shuffled, UpliftTrainingOptions.defaults());
    assertEquals(a.candidates(), b.candidates());
    assertEquals(a.deciles(), b.deciles());
    double[] row = e.x().row(5);
    assertEquals(a.uplift(row), b.uplift(row));
    assertArrayEquals(a.standardization().mean(), b.standardization().mean());
  }

  @Test
  void choosesOnHeldOutQiniAndPublishesOnlyWhatTheMinimumSizeAllows() {
    Experiment e = experiment(32, 20_000);
    UpliftModel m = fit(e, UpliftTrainingOptions.defaults());
    assertEquals(3, m.candidates().size());
    UpliftModel.LearnerScore chosen =
        m.candidates().stream().filter(UpliftModel.LearnerScore::chosen).findFirst().orElseThrow();
    assertEquals(chosen.learner(), m.learner());
    for (UpliftModel.LearnerScore s : m.candidates()) {
      assertTrue(s.qini() <= chosen.qini());
      assertTrue(s.qini() > 0, s.learner() + " ranks better than random");
    }
    assertEquals(chosen.qini(), m.heldOut().qini());
    // Held-out deciles: each holds at least the minimum size of both arms, together the whole
    // validation part (30 % of 20,000, stratified).
    long rows = 0;
    for (UpliftMetrics.Group g : m.deciles()) {
      assertTrue(g.treated() >= MIN && g.control() >= MIN, g.toString());
      rows += g.rows();
    }
    assertEquals(6000, rows);
    assertEquals(m.heldOut().rows(), rows);
    assertTrue(m.deciles().size() >= 5 && m.deciles().size() <= 10);
    // The top decile gains more from a contact than the bottom one, as predicted.
    assertTrue(
        m.deciles().get(0).observedUplift()
            > m.deciles().get(m.deciles().size() - 1).observedUplift());
    // Predicted against observed uplift: the overall level agrees, the slope is near 1.
    UpliftMetrics.Calibration c = m.calibration();
    assertEquals(c.observedEffect(), c.meanPredicted(), 0.03);
    assertTrue(c.slope() > 0.5 && c.slope() < 1.5, "slope " + c.slope());
    List<UpliftMetrics.CurvePoint> curve = m.heldOut().curve();
    assertTrue(curve.size() <= UpliftTraining.CURVE_POINTS && curve.size() > 50);
    for (UpliftMetrics.CurvePoint p : curve) {
      assertTrue(p.treated() >= MIN && p.control() >= MIN);
    }
    assertEquals(1.0, curve.get(curve.size() - 1).share());
    assertEquals(20_000, m.customers());
    assertEquals(m.customers(), m.treated() + m.control());
    assertEquals(UpliftTrainingOptions.defaults().describe(), m.options());
  }

  @Test
  void theSeedChoosesTheSplit() {
    Experiment e = experiment(33, 8000);
    UpliftModel a = fit(e, UpliftTrainingOptions.defaults());
    assertEquals(a.candidates(), fit(e, UpliftTrainingOptions.defaults()).candidates());
    assertNotEquals(
        a.candidates(), fit(e, UpliftTrainingOptions.defaults().withSeed(7)).candidates());
  }

  @Test
  void aSingleCandidateIsChosen() {
    Experiment e = experiment(34, 6000);
    UpliftModel m =
        fit(
            e,
            UpliftTrainingOptions.defaults()
                .withCandidates(List.of(UpliftLearner.CLASS_TRANSFORMATION)));
    assertEquals(UpliftLearner.CLASS_TRANSFORMATION, m.learner());
  }

  @Test
  void refusesTooFewCustomersAndBadFlags() {
    Experiment e = experiment(35, 1000);
    // 20 % of 1,000 are control; 30 % of those, about 60, are held out: fine for 50, not for 100.
    IllegalArgumentException small =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UpliftTraining.fit(
                    e.ids(), e.x(), e.t(), e.y(), UpliftTrainingOptions.defaults(), 100));
    assertTrue(
        small.getMessage().contains("at least 100 treated and 100 control"), small.getMessage());
    int[] bad = e.t().clone();
    bad[9] = 3;
    IllegalArgumentException flag =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UpliftTraining.fit(
                    e.ids(), e.x(), bad, e.y(), UpliftTrainingOptions.defaults(), MIN));
    assertEquals("treatment at row 10 is not 0 or 1", flag.getMessage());
    String[] twice = e.ids().clone();
    twice[500] = twice[3];
    IllegalArgumentException duplicate =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UpliftTraining.fit(
                    twice, e.x(), e.t(), e.y(), UpliftTrainingOptions.defaults(), MIN));
    assertEquals("customers 4 and 501 have the same customer id", duplicate.getMessage());
  }
}
