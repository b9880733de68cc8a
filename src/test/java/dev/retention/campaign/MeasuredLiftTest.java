package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.Intervals;
import dev.retention.core.Moments;
import dev.retention.model.ContactEconomics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MeasuredLiftTest {

  /** One customer's outcome row. */
  record Row(Group group, int stratum, boolean bought, double revenue) {}

  /** A manifest of {@code strata} strata with minimum size {@code m} (counts do not matter). */
  static CampaignManifest manifest(int strata, int m) {
    List<CampaignManifest.Stratum> list = new ArrayList<>();
    for (int s = 0; s < strata; s++) {
      list.add(new CampaignManifest.Stratum(s, "stratum " + s, List.of(), 0, 0, 0, 0, null, null));
    }
    return new CampaignManifest(
        "c",
        "v",
        LocalDate.of(2026, 1, 1),
        new CampaignManifest.Rule(
            HoldoutRule.METHOD,
            0.1,
            CampaignManifest.BY_VALUE_AT_RISK,
            ContactBudget.unlimited(),
            ContactEconomics.defaults(),
            null),
        new CampaignManifest.Totals(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0),
        list,
        m);
  }

  /** {@code n} rows of a group in a stratum, buying with probability {@code rate}. */
  static List<Row> rows(Group g, int stratum, int n, double rate, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean bought = random.nextDouble() < rate;
      out.add(
          new Row(
              g,
              stratum,
              bought,
              bought ? Math.round(2000 + 6000 * random.nextDouble()) / 100.0 : 0));
    }
    return out;
  }

  static CampaignOutcomes outcomes(int strata, List<Row> rows) {
    CampaignOutcomes out = new CampaignOutcomes(strata);
    for (Row r : rows) {
      out.add(r.group(), r.stratum(), r.bought(), r.revenue());
    }
    return out;
  }

  @Test
  void theComparisonIsTheIntervalsOfTheTwoArms() {
    List<Row> rows = new ArrayList<>();
    rows.addAll(rows(Group.CONTACT, 0, 900, 0.30, 1));
    rows.addAll(rows(Group.HOLDOUT, 0, 100, 0.20, 2));
    rows.addAll(rows(Group.SKIP, 0, 40, 0.5, 3));
    LiftResult result =
        MeasuredLift.measure(outcomes(1, rows), manifest(1, 50), LiftOptions.defaults());
    LiftResult.Comparison c = result.overall();
    long x1 = rows.stream().filter(r -> r.group() == Group.CONTACT && r.bought()).count();
    long x0 = rows.stream().filter(r -> r.group() == Group.HOLDOUT && r.bought()).count();
    Moments m1 = new Moments();
    Moments m0 = new Moments();
    rows.stream().filter(r -> r.group() == Group.CONTACT).forEach(r -> m1.add(r.revenue()));
    rows.stream().filter(r -> r.group() == Group.HOLDOUT).forEach(r -> m0.add(r.revenue()));
    assertEquals(Intervals.newcombe(x1, 900, x0, 100, 0.95), c.rateDifference());
    assertEquals(Intervals.wilson(x1, 900, 0.95), c.contact().repurchaseRate());
    Intervals.Interval welch = Intervals.welch(m1, m0, 0.95);
    assertEquals(welch.estimate(), c.revenueDifference().estimate(), 1e-12);
    assertEquals(welch.lower(), c.revenueDifference().lower(), 1e-9);
    assertEquals(welch.upper() * 900, c.incrementalRevenue().upper(), 1e-6);
    assertEquals(c.rateDifference().lower() * 900, c.incrementalBuyers().lower(), 1e-9);
    double pooled = (x1 + x0) / 1000.0;
    assertEquals(
        (1.959963984540054 + 0.8416212335729143)
            * Math.sqrt(pooled * (1 - pooled))
            * Math.sqrt(1.0 / 900 + 1.0 / 100),
        c.minimumDetectableRateDifference(),
        1e-12);
    assertNotNull(c.revenueDifferenceBootstrap());
    assertEquals(40, result.skipped());
    assertEquals(c, result.strata().get(0).comparison());
  }

  @Test
  void theSameOutcomesInAnyOrderGiveTheSameResult() {
    List<Row> rows = new ArrayList<>();
    rows.addAll(rows(Group.CONTACT, 0, 700, 0.30, 4));
    rows.addAll(rows(Group.HOLDOUT, 0, 80, 0.20, 5));
    rows.addAll(rows(Group.CONTACT, 1, 600, 0.25, 6));
    rows.addAll(rows(Group.HOLDOUT, 1, 70, 0.22, 7));
    LiftResult a = MeasuredLift.measure(outcomes(2, rows), manifest(2, 50), LiftOptions.defaults());
    java.util.Collections.shuffle(rows, new java.util.Random(8));
    LiftResult b = MeasuredLift.measure(outcomes(2, rows), manifest(2, 50), LiftOptions.defaults());
    assertEquals(a, b);
  }

  @Test
  void smallStrataAreWithheldAndSoIsAnyStratumThatWouldRevealThem() {
    List<Row> rows = new ArrayList<>();
    rows.addAll(rows(Group.CONTACT, 0, 900, 0.30, 1));
    rows.addAll(rows(Group.HOLDOUT, 0, 100, 0.20, 2));
    rows.addAll(rows(Group.CONTACT, 1, 500, 0.30, 3));
    rows.addAll(rows(Group.HOLDOUT, 1, 60, 0.20, 4));
    rows.addAll(rows(Group.CONTACT, 2, 300, 0.30, 5));
    rows.addAll(rows(Group.HOLDOUT, 2, 30, 0.20, 6));
    LiftResult r =
        MeasuredLift.measure(
            outcomes(3, rows), manifest(3, 50), LiftOptions.defaults().withBootstrapResamples(0));
    assertNotNull(r.strata().get(0).comparison());
    // Stratum 2's 30 held-out customers are below 50; the overall minus strata 0 and 1 would
    // reveal them, so stratum 1 (the smallest holdout shown) is withheld too.
    assertNull(r.strata().get(2).comparison());
    assertNull(r.strata().get(1).comparison());
    assertEquals(2, r.withheldStrata());
    assertEquals(500 + 60 + 300 + 30, r.withheldCustomers());
    assertEquals(30, r.strata().get(2).holdoutCustomers());
    assertNotNull(r.overall());
    assertNull(r.overall().revenueDifferenceBootstrap());
  }

  @Test
  void nothingIsPublishedFromASmallHoldout() {
    List<Row> rows = new ArrayList<>();
    rows.addAll(rows(Group.CONTACT, 0, 900, 0.30, 1));
    rows.addAll(rows(Group.HOLDOUT, 0, 49, 0.20, 2));
    LiftResult r = MeasuredLift.measure(outcomes(1, rows), manifest(1, 50), LiftOptions.defaults());
    assertNull(r.overall());
    assertNull(r.strata().get(0).comparison());
    assertEquals(949, r.withheldCustomers());
  }

  @Test
  void badOutcomesAreNamedByPositionNotValue() {
    CampaignOutcomes o = new CampaignOutcomes(2);
    o.add(Group.CONTACT, 0, true, 12.5);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> o.add(Group.CONTACT, 2, true, 1));
    assertEquals("outcome 2: stratum 2 is not one of the campaign's 2", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.add(Group.HOLDOUT, 1, true, Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().startsWith("outcome 3:"), e.getMessage());
    assertFalse(e.getMessage().contains("Infinity"));
    assertThrows(
        IllegalArgumentException.class,
        () -> MeasuredLift.measure(o, manifest(3, 50), LiftOptions.defaults()));
  }
}
