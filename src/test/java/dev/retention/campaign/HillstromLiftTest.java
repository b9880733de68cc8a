package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.testing.Hillstrom;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The measured lift on a slice of a real randomized experiment, Hillstrom's MineThatData e-mail
 * test (every fourth customer: about 5,300 per arm), against the effects of the whole file that
 * Hillstrom's own summary and every analysis of it report: visits 18.28 % (men's e-mail), 15.14 %
 * (women's), 10.62 % (none); conversions 1.253 %, 0.884 %, 0.573 %; spend per customer 1.4226,
 * 1.0772, 0.6528 (counts in {@code src/test/resources/real/hillstrom/SOURCE.md}).
 */
class HillstromLiftTest {

  private static Hillstrom.Data data;

  @BeforeAll
  static void read() {
    data = Hillstrom.read();
  }

  private static final double NONE_VISIT = 2262.0 / 21306;
  private static final double NONE_CONVERSION = 122.0 / 21306;
  private static final double NONE_SPEND = 13908.33 / 21306;

  private static LiftResult.Comparison measure(Hillstrom.Arm arm, boolean visits) {
    Hillstrom.Experiment e = data.experiment(arm, 4, 0);
    CampaignOutcomes outcomes = new CampaignOutcomes(1);
    for (int i = 0; i < e.size(); i++) {
      outcomes.add(
          e.treatment()[i] == 1 ? Group.CONTACT : Group.HOLDOUT,
          0,
          (visits ? e.visit()[i] : e.conversion()[i]) == 1,
          e.spend()[i]);
    }
    return MeasuredLift.measure(
            outcomes, "hillstrom-" + arm, List.of("all"), 50, LiftOptions.defaults())
        .overall();
  }

  @Test
  void theFileIsTheAuthorsAndTheSliceIsAQuarter() {
    assertEquals(64_000, data.size());
    assertEquals(10_654, data.experiment(Hillstrom.Arm.MENS, 4, 0).size(), 60);
  }

  @Test
  void mensEmailLiftsVisitsConversionsAndSpend() {
    LiftResult.Comparison visits = measure(Hillstrom.Arm.MENS, true);
    double wholeVisit = 3894.0 / 21307 - NONE_VISIT;
    assertTrue(visits.rateDifference().lower() > 0.05, visits.rateDifference().toString());
    assertTrue(visits.rateDifference().contains(wholeVisit), visits.rateDifference().toString());
    LiftResult.Comparison conversions = measure(Hillstrom.Arm.MENS, false);
    double wholeConversion = 267.0 / 21307 - NONE_CONVERSION;
    assertTrue(conversions.rateDifference().contains(wholeConversion));
    assertTrue(conversions.rateDifference().lower() > 0, conversions.rateDifference().toString());
    double wholeSpend = 30311.69 / 21307 - NONE_SPEND;
    assertTrue(
        visits.revenueDifference().contains(wholeSpend), visits.revenueDifference().toString());
    assertTrue(visits.revenueDifferenceBootstrap().contains(wholeSpend));
    // About 5,300 customers per arm detect a visit-rate difference of about 2 points.
    assertEquals(0.02, visits.minimumDetectableRateDifference(), 0.004);
  }

  @Test
  void womensEmailLiftsVisitsLessThanMensDoes() {
    LiftResult.Comparison womens = measure(Hillstrom.Arm.WOMENS, true);
    LiftResult.Comparison mens = measure(Hillstrom.Arm.MENS, true);
    double wholeVisit = 3238.0 / 21387 - NONE_VISIT;
    assertTrue(womens.rateDifference().lower() > 0.02, womens.rateDifference().toString());
    assertTrue(womens.rateDifference().contains(wholeVisit));
    assertTrue(womens.rateDifference().estimate() < mens.rateDifference().estimate());
    double wholeSpend = 23038.11 / 21387 - NONE_SPEND;
    assertTrue(womens.revenueDifference().contains(wholeSpend));
  }
}
