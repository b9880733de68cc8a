package dev.retention.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a campaign's outcomes count per customer: purchases in {@code (after, last]} by the label's
 * rule, and their net revenue.
 */
class WindowOutcomesTest {

  private static final int AFTER = (int) LocalDate.of(2026, 11, 20).toEpochDay();

  @Test
  void countsOnlyTheWindowsPurchasesNetOfTheirRefunds() {
    OrderBook book = new OrderBook(OrderBook.Grain.ORDER);
    // a: bought before the window (ignored) and twice in it, one order refunded in part.
    book.add("a", "a1", AFTER, 500, 1, false, null);
    book.add("a", "a2", AFTER + 1, 40, 1, false, null);
    book.add("a", "a3", AFTER + 5, 30, 1, false, null);
    book.add("a", "a3", AFTER + 6, 10, Float.NaN, true, null);
    // b: its only window order refunded in full: no purchase, no revenue.
    book.add("b", "b1", AFTER + 2, 25, 1, false, null);
    book.add("b", "b1", AFTER + 3, OrderBook.WHOLE_ORDER, Float.NaN, true, null);
    // c: a purchase after the window's last day.
    book.add("c", "c1", AFTER + 11, 60, 1, false, null);
    // d: a purchase on the window's last day.
    book.add("d", "d1", AFTER + 10, 15, 1, false, null);

    RfmFeatures.WindowOutcomes w = RfmFeatures.windowOutcomes(book, AFTER, AFTER + 10);

    assertEquals(List.of("a", "b", "c", "d"), w.customerIds());
    assertArrayEquals(new boolean[] {true, false, false, true}, w.bought());
    assertArrayEquals(new double[] {60, 0, 0, 15}, w.revenue(), 1e-9);
  }

  @Test
  void theSameRowsInAnotherOrderGiveTheSameOutcomes() {
    OrderBook forward = new OrderBook(OrderBook.Grain.ORDER);
    OrderBook backward = new OrderBook(OrderBook.Grain.ORDER);
    forward.add("a", "a1", AFTER + 1, 40, 1, false, null);
    forward.add("a", "a1", AFTER + 2, 15, Float.NaN, true, null);
    backward.add("a", "a1", AFTER + 2, 15, Float.NaN, true, null);
    backward.add("a", "a1", AFTER + 1, 40, 1, false, null);
    assertArrayEquals(
        RfmFeatures.windowOutcomes(forward, AFTER, AFTER + 5).revenue(),
        RfmFeatures.windowOutcomes(backward, AFTER, AFTER + 5).revenue(),
        1e-12);
    assertEquals(25, RfmFeatures.windowOutcomes(forward, AFTER, AFTER + 5).revenue()[0], 1e-9);
  }
}
