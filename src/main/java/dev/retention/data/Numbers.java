package dev.retention.data;

/**
 * Decimal text to double, exactly as {@link Double#parseDouble} but fast for the plain decimals
 * exports are made of ({@code -12}, {@code 0.0743}, {@code 3.5e2}).
 *
 * <p>Fast path (Clinger, "How to read floating point numbers accurately", PLDI 1990): when the
 * significant digits form an integer {@code m < 2^53} and the decimal exponent {@code e} has {@code
 * |e| <= 22}, both {@code m} and {@code 10^|e|} are exact doubles, so the single IEEE
 * multiplication or division {@code m * 10^e} is correctly rounded, the same double {@code
 * parseDouble} returns. Anything else (more digits, larger exponents, hex, "NaN", "Infinity",
 * suffixes) goes to {@link Double#parseDouble}, which also supplies the error for text that is not
 * a number.
 */
final class Numbers {

  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private Numbers() {}

  /**
   * @throws NumberFormatException if {@code text} is not a number
   */
  static double parse(CharSequence text) {
    int n = text.length();
    int i = 0;
    while (i < n && text.charAt(i) <= ' ') {
      i++;
    }
    while (n > i && text.charAt(n - 1) <= ' ') {
      n--;
    }
    int start = i;
    boolean negative = false;
    if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int exponent = 0;
    boolean any = false;
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      any = true;
      if (digits > 0 || c != '0') {
        digits++;
      }
      mantissa = mantissa * 10 + (c - '0');
    }
    if (i < n && text.charAt(i) == '.') {
      i++;
      for (; i < n; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        any = true;
        if (digits > 0 || c != '0') {
          digits++;
        }
        mantissa = mantissa * 10 + (c - '0');
        exponent--;
      }
    }
    if (any && i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      int j = i + 1;
      boolean negativeExponent = false;
      if (j < n && (text.charAt(j) == '-' || text.charAt(j) == '+')) {
        negativeExponent = text.charAt(j) == '-';
        j++;
      }
      int value = 0;
      int expDigits = 0;
      for (; j < n && expDigits < 4; j++) {
        char c = text.charAt(j);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        expDigits++;
      }
      if (expDigits > 0) {
        exponent += negativeExponent ? -value : value;
        i = j;
      }
    }
    if (!any || i != n || digits > 15 || exponent < -22 || exponent > 22) {
      return Double.parseDouble(text.subSequence(start, n).toString());
    }
    double value = exponent >= 0 ? mantissa * POWERS[exponent] : mantissa / POWERS[-exponent];
    return negative ? -value : value;
  }
}
