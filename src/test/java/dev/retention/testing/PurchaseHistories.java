package dev.retention.testing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Purchase days of one customer for the generated exports: a "buy till you die" history (Fader,
 * Hardie and Lee 2005, BG/NBD): exponential gaps at the customer's own rate, and after each
 * purchase the customer leaves with the customer's own probability. Recent, frequent buyers are the
 * ones who buy again, so a model trained on such an export can beat no model.
 */
final class PurchaseHistories {

  private PurchaseHistories() {}

  /**
   * The days (ascending, at least one) a customer buys on between {@code first} and {@code last}.
   */
  static List<LocalDate> days(SplittableRandom rng, LocalDate first, LocalDate last) {
    long span = last.toEpochDay() - first.toEpochDay();
    double meanGap = 15 + rng.nextDouble() * 150;
    double leave = 0.05 + rng.nextDouble() * 0.45;
    long day = first.toEpochDay() + (long) (rng.nextDouble() * span * 0.8);
    List<LocalDate> out = new ArrayList<>();
    while (day <= last.toEpochDay()) {
      out.add(LocalDate.ofEpochDay(day));
      if (rng.nextDouble() < leave) {
        break;
      }
      day += 1 + (long) (-meanGap * Math.log(1 - rng.nextDouble()));
    }
    return out;
  }

  /** Money with two decimals, from cents. */
  static String cents(long cents) {
    return (cents < 0 ? "-" : "") + Math.abs(cents) / 100 + "." + pad2(Math.abs(cents) % 100);
  }

  static String pad2(long value) {
    return value < 10 ? "0" + value : Long.toString(value);
  }

  /** RFC 4180: quoted when the cell holds the delimiter, a quote or a line end. */
  static String cell(String value, char delimiter) {
    if (value.indexOf(delimiter) < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
