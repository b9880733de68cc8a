package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The number cells the product writes: exact to their decimals, plain, no exponent. */
class NumberCellTest {

  private static String cell(double v, int decimals) {
    StringBuilder out = new StringBuilder();
    CsvTokenizer.numberCell(out, v, decimals);
    return out.toString();
  }

  @Test
  void plainNumbersWithoutTrailingZerosOrExponents() {
    assertEquals("0", cell(0, 6));
    assertEquals("0", cell(-0.0000001, 6));
    assertEquals("12", cell(12, 6));
    assertEquals("-12.5", cell(-12.5, 6));
    assertEquals("0.05", cell(0.05, 6));
    assertEquals("0.000001", cell(0.000001, 6));
    assertEquals("1.123457", cell(1.1234567, 6));
    assertEquals("10000000", cell(1e7, 6));
    assertEquals("12345678901234568", cell(12345678901234567d, 6)); // the nearest double
    assertEquals("", cell(Double.NaN, 6));
    assertEquals("0.1", cell(0.06, 1));
    assertEquals("1", cell(0.96, 1), "a carry into the whole part");
    assertEquals("-2.25", cell(-2.25, 2));
  }

  @Test
  void everyCellReadsBackWithinHalfItsLastDecimal() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 100_000; i++) {
      double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-7, 10));
      String text = cell(v, 6);
      // Within half a unit of the sixth decimal, up to the double's own rounding of v * 10^6.
      double back = new BigDecimal(text).doubleValue();
      assertEquals(v, back, 0.5e-6 + 8 * Math.ulp(v), v + " -> " + text);
      assertEquals(text, text.strip());
      assertEquals(-1, text.indexOf('E'), text);
    }
  }
}
