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
    // The score API parses windows of a JSON parser's character buffer.
    char[] chars = ("[" + text + "]").toCharArray();
    assertEquals(
        Double.doubleToLongBits(Double.parseDouble(text)),
        Double.doubleToLongBits(Numbers.parse(chars, 1, text.length())),
        text);
  }

  @Test
  void decimalsOfTheGrammarReadAsParseDoubleReadsThem() {
    for (String text :
        new String[] {
          "0",
          "-0",
          "+1",
          " 12 ",
          "\t12",
          "1.",
          ".5",
          "-.5",
          "1e3",
          "1E-3",
          "-2.5e+2",
          "0.1",
          "9007199254740993",
          "123456789012345678",
          "1e23",
          "1e-23",
          "1e400",
          "1e-400",
          "1e0000000000000000003"
        }) {
      assertEquals(
          Double.doubleToLongBits(Double.parseDouble(text.trim())),
          Double.doubleToLongBits(Numbers.parse(text)),
          text);
    }
  }

  /** Issue 24: Java's number syntax is not the exports' (hex floats, type suffixes, words). */
  @Test
  void nothingElseIsANumber() {
    for (String bad :
        new String[] {
          "",
          " ",
          "abc",
          "1.2.3",
          "--1",
          "1,5",
          "e5",
          ".",
          "1e",
          "1e+",
          "0x1p3",
          "0x1p4",
          "0X10",
          "10d",
          "10f",
          "10D",
          "10F",
          "1e5d",
          "NaN",
          "Infinity",
          "-Infinity",
          "+NaN",
          "1_000",
          "1 000",
          "12\u00a0",
          "\u0000 12",
          "1.5\n",
          "\uff11\uff12"
        }) {
      NumberFormatException e =
          assertThrows(NumberFormatException.class, () -> Numbers.parse(bad), bad);
      assertEquals("not a number", e.getMessage(), "the message never holds the cell");
      char[] chars = (" " + bad + " ").toCharArray();
      assertThrows(NumberFormatException.class, () -> Numbers.parse(chars, 1, bad.length()), bad);
    }
  }

  @Test
  void aDecimalCommaByTheDialect() {
    assertEquals(12.5, Numbers.parse("12,5", ','));
    assertEquals(-0.25, Numbers.parse("-,25", ','));
    assertEquals(1250.0, Numbers.parse("1,25e3", ','));
    assertEquals(
        Double.parseDouble("0.12345678901234567890"), Numbers.parse("0,12345678901234567890", ','));
    assertThrows(NumberFormatException.class, () -> Numbers.parse("12.5", ','));
    assertThrows(NumberFormatException.class, () -> Numbers.parse("1.250,5", ','));
    assertThrows(NumberFormatException.class, () -> Numbers.parse("12,5"));
  }

  @Property(tries = 2000)
  void aDecimalCommaReadsAsTheSameDecimalWithAPoint(@ForAll double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    String text = Double.toString(value);
    assertEquals(
        Double.doubleToLongBits(Numbers.parse(text)),
        Double.doubleToLongBits(Numbers.parse(text.replace('.', ','), ',')),
        text);
  }
}
