package dev.retention.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The contact decisions of an uplift model's groups obey the table's disclosure rule: a group below
 * the minimum size publishes no count of decisions and no sum, and a band's total is withheld when
 * it would give a withheld group away (total minus the published groups).
 */
class BandTableUpliftTest {

  private static final int MIN = 5;
  private static final ContactEconomics ECONOMICS = new ContactEconomics(1, 0.5);

  /** {@code n} customers of one segment and band, the {@code i}-th with uplift {@code tau(i)}. */
  private static void add(BandTable.Sums sums, int segment, int band, int n, double tau) {
    for (int i = 0; i < n; i++) {
      sums.add(segment, band, Double.NaN, Double.NaN, 0.2);
      sums.addDecision(segment, band, ECONOMICS.decide(tau - 0.05 * i, 100));
    }
  }

  @Test
  void largeGroupsPublishTheirDecisionsAndSmallOnesNothing() {
    BandTable.Sums sums = new BandTable.Sums(3);
    add(sums, 0, 0, 6, 0.2); // uplift 0.2 .. -0.05: profit 9, 6.5, 4, 1.5, -1, -3.5
    add(sums, 1, 0, 8, 0.1); // 0.1 .. -0.25
    add(sums, 2, 0, 2, 0.3); // a small group of the same band
    add(sums, 2, 1, 3, 0.3); // a small group alone in its band
    BandTable table = sums.table(MIN);

    BandTable.UpliftCell big = table.uplift().segments().get(0).get(0);
    assertEquals(4L, big.worthContacting());
    assertEquals(1L, big.sleepingDogs());
    assertEquals(9 + 6.5 + 4 + 1.5, big.expectedIncrementalProfit(), 1e-9);
    assertEquals(20 + 15 + 10 + 5, big.expectedIncrementalRevenue(), 1e-9);

    BandTable.UpliftCell small = table.uplift().segments().get(2).get(0);
    assertTrue(small.withheld());
    assertNull(small.sleepingDogs());
    assertNull(small.expectedIncrementalProfit());
    // The high band's total would be the two large groups plus the withheld pair: withheld.
    assertTrue(table.uplift().totals().get(0).withheld());
    // The medium band holds 3 customers in all: below the minimum, its total says nothing.
    assertTrue(table.uplift().totals().get(1).withheld());
    // An empty band publishes nothing either, as its money (the rule counts customers).
    assertTrue(table.uplift().totals().get(2).withheld());
  }

  @Test
  void aBandWithoutWithheldGroupsPublishesItsTotal() {
    BandTable.Sums sums = new BandTable.Sums(2);
    add(sums, 0, 0, 6, 0.2);
    add(sums, 1, 0, 8, 0.1);
    BandTable table = sums.table(MIN);
    BandTable.UpliftCell total = table.uplift().totals().get(0);
    assertEquals(
        table.uplift().segments().get(0).get(0).worthContacting()
            + table.uplift().segments().get(1).get(0).worthContacting(),
        total.worthContacting());
    assertEquals(
        table.uplift().segments().get(0).get(0).expectedIncrementalProfit()
            + table.uplift().segments().get(1).get(0).expectedIncrementalProfit(),
        total.expectedIncrementalProfit(),
        1e-9);
  }

  @Test
  void withoutDecisionsTheTableHasNoUpliftPart() {
    BandTable.Sums sums = new BandTable.Sums(1);
    sums.add(0, 0, 10, Double.NaN, 0.2);
    assertNull(sums.table(MIN).uplift());
  }
}
