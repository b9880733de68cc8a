package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.BgNbd;
import dev.retention.core.BgNbdFit;
import dev.retention.core.ClvFitOptions;
import dev.retention.core.GammaGamma;
import dev.retention.core.GammaGammaFit;
import dev.retention.testing.BtydSimulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ValueFitChoice}: which customer-value fits a model may publish, on simulated data. */
class ValueFitChoiceTest {

  private static final ClvFitOptions OPTIONS = ClvFitOptions.defaults();

  @Test
  void aWellIdentifiedPurchaseModelIsFittedAsBeforeWithoutAPenalizer() {
    BtydSimulation.Customers c = BtydSimulation.bgNbd(11, 4000, 0.4, 3, 0.8, 2.5, 0.1, 39, 13);
    List<String> notes = new ArrayList<>();
    BgNbdFit fit = ValueFitChoice.purchases(c.x, c.tx, c.age, OPTIONS, 42, notes);
    BgNbdFit plain = BgNbd.fit(c.x, c.tx, c.age, OPTIONS);
    assertNotNull(fit);
    assertEquals(0, fit.penalizer());
    assertEquals(plain.b(), fit.b());
    assertEquals(List.of(), notes);
  }

  @Test
  void aBoundaryFitIsRegularisedWithThePenalizerThatExplainsHeldOutCustomersBest() {
    // Young customers, little dropout: without a penalty b runs off to a boundary.
    BtydSimulation.Customers c = BtydSimulation.bgNbd(11, 1000, 0.5, 2, 0.02, 5, 0.1, 10, 13);
    assertTrue(ValueFitChoice.problem(BgNbd.fit(c.x, c.tx, c.age, OPTIONS)) != null);
    List<String> notes = new ArrayList<>();
    BgNbdFit fit = ValueFitChoice.purchases(c.x, c.tx, c.age, OPTIONS, 42, notes);
    assertNotNull(fit, notes.toString());
    assertNull(ValueFitChoice.problem(fit));
    assertTrue(Arrays.stream(ValueFitChoice.PENALIZERS).anyMatch(p -> p == fit.penalizer()));
    // The chosen penalizer's fit on the seeded 80 % explains the other 20 % best.
    double[][] parts = ValueFitChoice.split(c.x.length, 42);
    double chosen = Double.NaN;
    double best = Double.NEGATIVE_INFINITY;
    for (double p : ValueFitChoice.PENALIZERS) {
      BgNbdFit part = BgNbd.fit(c.x, c.tx, c.age, parts[0], OPTIONS.withPenalizer(p));
      if (ValueFitChoice.problem(part) == null) {
        double ll = BgNbd.logLikelihood(part, c.x, c.tx, c.age, parts[1], 1);
        if (ll > best) {
          best = ll;
          chosen = p;
        }
      }
    }
    assertEquals(chosen, fit.penalizer());
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains("regularised with penalizer " + chosen), notes.get(0));
  }

  @Test
  void aPurchaseModelNoPenalizerCanRescueIsLeftOutWithTheReason() {
    // Practically no dropout over nine months: every fit ends at a boundary.
    BtydSimulation.Customers c = BtydSimulation.bgNbd(11, 4000, 0.4, 3, 0.01, 1000, 0.1, 39, 13);
    List<String> notes = new ArrayList<>();
    assertNull(ValueFitChoice.purchases(c.x, c.tx, c.age, OPTIONS, 42, notes));
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).contains("with none of the penalizers"), notes.get(0));
  }

  @Test
  void spendThatNeverVariesHasNoSpendModelAndVaryingSpendKeepsItsPlainFit() {
    BtydSimulation.Spend spend = BtydSimulation.gammaGamma(3, 3000, 6, 4, 15, 3);
    List<String> notes = new ArrayList<>();
    GammaGammaFit fit = ValueFitChoice.spend(spend.x, spend.m, OPTIONS, 42, notes);
    assertNotNull(fit, notes.toString());
    assertEquals(0, fit.penalizer());
    assertEquals(List.of(), notes);

    double[] same = new double[spend.m.length];
    Arrays.fill(same, 1.0);
    assertNull(ValueFitChoice.spend(spend.x, same, OPTIONS, 42, notes));
    assertTrue(notes.get(0).contains("same amount per order"), notes.toString());
  }

  @Test
  void theHeldOutLikelihoodOfTheFittedCustomersIsTheFitsOwn() {
    BtydSimulation.Customers c = BtydSimulation.bgNbd(5, 2000, 0.4, 3, 0.8, 2.5, 0.1, 39, 13);
    BgNbdFit fit = BgNbd.fit(c.x, c.tx, c.age, OPTIONS);
    assertEquals(
        fit.logLikelihood(),
        BgNbd.logLikelihood(fit, c.x, c.tx, c.age, null, 1),
        1e-9 * Math.abs(fit.logLikelihood()));
    BtydSimulation.Spend spend = BtydSimulation.gammaGamma(3, 3000, 6, 4, 15, 3);
    GammaGammaFit gg = GammaGamma.fit(spend.x, spend.m, OPTIONS);
    assertEquals(
        gg.logLikelihood(),
        GammaGamma.logLikelihood(gg, spend.x, spend.m, null, 1),
        1e-9 * Math.abs(gg.logLikelihood()));
  }
}
