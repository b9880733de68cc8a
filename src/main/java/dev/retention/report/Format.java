package dev.retention.report;

import java.util.List;
import java.util.Locale;

/**
 * Every number the report prints, formatted in one place: counts, shares, money and stand-alone
 * numbers in sentences, tables and chart labels alike ({@link Svg} draws, this formats).
 * Locale-free (a dot for decimals, commas for thousands), no currency assumed (exports carry none),
 * and a missing or withheld value shows as "–".
 */
final class Format {

  private Format() {}

  /**
   * One format for a column (or a row) of one quantity, so that its numbers line up: the decimals
   * give the largest value three significant digits (money: cents below 100, none above), thousands
   * grouped; a missing or withheld value shows as "–".
   */
  record Column(int decimals) {

    static Column of(double... values) {
      double max = 0;
      for (double v : values) {
        if (Double.isFinite(v)) {
          max = Math.max(max, Math.abs(v));
        }
      }
      if (max == 0) {
        return new Column(0);
      }
      int decimals = (int) Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(max))));
      return new Column(decimals);
    }

    static Column money(List<Double> values) {
      double max = 0;
      for (Double v : values) {
        if (v != null && Double.isFinite(v)) {
          max = Math.max(max, Math.abs(v));
        }
      }
      return new Column(max >= 100 ? 0 : 2);
    }

    String format(Double v) {
      if (v == null || !Double.isFinite(v)) {
        return "–";
      }
      String text = String.format(Locale.ROOT, "%,." + decimals + "f", v);
      return text.matches("-0[.,]?0*") ? text.substring(1) : text;
    }

    String format(double v) {
      return format(Double.valueOf(v));
    }
  }

  /** Three significant digits, thousands grouped: numbers that stand alone in a sentence. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1e6 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(3))
        .stripTrailingZeros()
        .toPlainString();
  }

  static String percent(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /** Money: no currency assumed (exports carry none), two decimals below 1,000, grouped above. */
  static String money(double v) {
    return Math.abs(v) >= 1000
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%,.2f", v);
  }

  /** A count, thousands grouped. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A share as a whole number of percent, without the sign ("per 100"). */
  static String per100(double share) {
    return String.format(Locale.ROOT, "%.0f", 100 * share);
  }
}
