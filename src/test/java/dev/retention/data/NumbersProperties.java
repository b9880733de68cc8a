package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The fast decimal parser returns exactly what Double.parseDouble returns. */
class NumbersProperties {

  @Property(tries = 3000)
  void equalsParseDoubleOnAnyDouble(@ForAll double value) {
    for (String text :
        new String[] {
          Double.toString(value),
          String.format(Locale.ROOT, "%.4f", value),
          String.format(Locale.ROOT, "%.12e", value),
          String.format(Locale.ROOT, "%.2f", value)
        }) {
      assertEquals(
          Double.doubleToLongBits(Double.parseDouble(text)),
          Double.doubleToLongBits(Numbers.parse(text)),
          text);
    }
  }

  @Property(tries = 3000)
  void equalsParseDoubleOnExportLikeDecimals(
      @ForAll @IntRange(min = -1_000_000, max = 1_000_000) int whole,
      @ForAll @IntRange(min = 0, max = 9999) int fraction,
      @ForAll @IntRange(min = 0, max = 4) int places) {
    String text =
        whole + (places == 0 ? "" : "." + String.format("%04d", fraction).substring(0, places));
    assertEquals(
        Double.doubleToLongBits(Double.parseDouble(text)),
        Double.doubleToLongBits(Numbers.parse(text)),
        text);
    // The orders reader parses byte windows in a larger buffer.
    byte[] padded = ("9," + text + ",9").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(
        Double.doubleToLongBits(Double.parseDouble(text)),
        Double.doubleToLongBits(
            Numbers.parse(new dev.retention.features.Utf8Slice().set(padded, 2, text.length()))),
        text);
  }

  @Test
  void edgeCasesAndErrorsMatchParseDouble() {
    for (String text :
        new String[] {
          "0",
          "-0",
          "+1",
          " 12 ",
          "1.",
          ".5",
          "1e3",
          "1E-3",
          "-2.5e+2",
          "0.1",
          "9007199254740993",
          "123456789012345678",
          "1e23",
          "1e-23",
          "NaN",
          "Infinity",
          "-Infinity",
          "0x1p3",
          "12d",
          "1e"
        }) {
      double expected;
      try {
        expected = Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        assertThrows(NumberFormatException.class, () -> Numbers.parse(text), text);
        continue;
      }
      assertEquals(
          Double.doubleToLongBits(expected), Double.doubleToLongBits(Numbers.parse(text)), text);
    }
    for (String bad : new String[] {"", "abc", "1.2.3", "--1", "1,5", "e5", "."}) {
      assertThrows(NumberFormatException.class, () -> Numbers.parse(bad), bad);
    }
  }
}
