package dev.retention.data;

import dev.retention.features.Utf8Slice;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The one number grammar of the project: every numeric cell of every export (features, orders,
 * batch exports, in the function and in Spark) is read here, and nothing else is a number.
 *
 * <pre>
 *   cell     = blank* number blank*          blank = space or tab
 *   number   = [+-] (digits [sep [digits]] | sep digits) [(e|E) [+-] digits]
 * </pre>
 *
 * where {@code sep} is the dialect's decimal separator ({@code .} by default, {@code ,} by the
 * setting {@code retention.export.decimal-separator}). The whole cell must match: no hexadecimal
 * floats ({@code 0x1p4}), no type suffixes ({@code 10d}, {@code 10f}), no {@code NaN} or {@code
 * Infinity}, no thousands separators. A number too large for a double reads as infinite (the
 * readers then reject it as not finite).
 *
 * <p>Fast path (Clinger, "How to read floating point numbers accurately", PLDI 1990): when the
 * significant digits form an integer {@code m < 2^53} and the decimal exponent {@code e} has {@code
 * |e| <= 22}, both {@code m} and {@code 10^|e|} are exact doubles, so the single IEEE
 * multiplication or division {@code m * 10^e} is correctly rounded, the same double {@link
 * Double#parseDouble} returns. Other numbers of the grammar (more digits, larger exponents) are
 * handed to {@link Double#parseDouble} after the grammar was checked here, so its own, wider syntax
 * never decides what is a number.
 */
public final class Numbers {

  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private Numbers() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Whether the eight bytes of {@code word} (little-endian) are all ASCII digits (Lemire, "Fast
   * numeric parsing", the SWAR test: each byte's high nibble is 3 and adding 6 does not carry).
   */
  private static boolean eightDigits(long word) {
    return ((word & 0xF0F0F0F0F0F0F0F0L)
            | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
        == 0x3333333333333333L;
  }

  /** The value of eight ASCII digits in {@code word}, first digit in the lowest byte. */
  private static long eightDigitsValue(long word) {
    long v = word & 0x0F0F0F0F0F0F0F0FL;
    v = (v * 2561) >>> 8; // pairs: 10 * a + b
    v = ((v & 0x00FF00FF00FF00FFL) * 6553601) >>> 16; // quads: 100 * ab + cd
    return ((v & 0x0000FFFF0000FFFFL) * 42949672960001L) >>> 32; // 10000 * abcd + efgh
  }

  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** {@link #eightDigits} for the four bytes of {@code word}. */
  private static boolean fourDigits(int word) {
    return ((word & 0xF0F0F0F0) | (((word + 0x06060606) & 0xF0F0F0F0) >>> 4)) == 0x33333333;
  }

  /** The value of four ASCII digits in {@code word}, first digit in the lowest byte. */
  private static int fourDigitsValue(int word) {
    int v = word & 0x0F0F0F0F;
    v = (v * 2561) >>> 8;
    return ((v & 0x00FF00FF) * 6553601) >>> 16;
  }

  /** Decimal digits of a chunk value below 10^8 (0 has none). */
  private static int decimalLength(long v) {
    int length = 0;
    while (length < 8 && v >= POWERS[length]) {
      length++;
    }
    return length;
  }

  /**
   * The number in {@code text}, with {@code .} as the decimal separator.
   *
   * @throws NumberFormatException if {@code text} is not a number of the grammar
   */
  public static double parse(CharSequence text) {
    return parse(text, '.');
  }

  /**
   * The number in {@code text}, with {@code decimalSeparator} ({@code .} or {@code ,}).
   *
   * @throws NumberFormatException if {@code text} is not a number of the grammar
   */
  public static double parse(CharSequence text, char decimalSeparator) {
    if (text instanceof Utf8Slice slice) {
      return parse(
          slice.bytes(), slice.start(), slice.start() + slice.length(), (byte) decimalSeparator);
    }
    String s = text.toString();
    byte[] bytes = new byte[s.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = ascii(s.charAt(i));
    }
    return parse(bytes, 0, bytes.length, (byte) decimalSeparator);
  }

  /**
   * The number in {@code text[offset, offset + length)}, with {@code .} as the decimal separator:
   * for a JSON parser's own character buffer, without a {@code String} per number.
   *
   * @throws NumberFormatException if the text is not a number of the grammar
   */
  public static double parse(char[] text, int offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = ascii(text[offset + i]);
    }
    return parse(bytes, 0, length, (byte) '.');
  }

  /** Numbers are ASCII: any other character fails the grammar (as a '?' byte). */
  private static byte ascii(char c) {
    return c < 0x80 ? (byte) c : (byte) '?';
  }

  /** Whether {@code text} is a number of the grammar (finite or not). */
  public static boolean isNumber(CharSequence text, char decimalSeparator) {
    try {
      parse(text, decimalSeparator);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The number in {@code bytes[from, to)} (UTF-8 text), read straight from the bytes.
   *
   * @throws NumberFormatException if the text is not a number of the grammar
   */
  static double parse(byte[] bytes, int from, int to) {
    return parse(bytes, from, to, (byte) '.');
  }

  private static boolean blank(byte b) {
    return b == ' ' || b == '\t';
  }

  static double parse(byte[] b, int from, int to, byte separator) {
    int n = to;
    int i = from;
    while (i < n && blank(b[i])) {
      i++;
    }
    while (n > i && blank(b[n - 1])) {
      n--;
    }
    int start = i;
    boolean negative = false;
    if (i < n && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int exponent = 0;
    boolean any = false;
    boolean fraction = false;
    // The integer and the fraction digits in one loop; eight digits at a time where eight follow.
    while (i < n) {
      if (i + 8 <= n) {
        long word = (long) LONGS.get(b, i);
        if (eightDigits(word)) {
          long chunk = eightDigitsValue(word);
          mantissa = mantissa * 100_000_000L + chunk;
          // digits > 0 once a non-zero digit was seen (the mantissa may have overflowed since:
          // more than 15 digits fall back to parseDouble below).
          digits = digits > 0 ? digits + 8 : decimalLength(chunk);
          any = true;
          i += 8;
          if (fraction) {
            exponent -= 8;
          }
          continue;
        }
      }
      if (i + 4 <= n) {
        int word = (int) INTS.get(b, i);
        if (fourDigits(word)) {
          long chunk = fourDigitsValue(word);
          mantissa = mantissa * 10_000L + chunk;
          digits = digits > 0 ? digits + 4 : decimalLength(chunk);
          any = true;
          i += 4;
          if (fraction) {
            exponent -= 4;
          }
          continue;
        }
      }
      int d = b[i] - '0';
      if (d >= 0 && d <= 9) {
        any = true;
        if (digits > 0 || d != 0) {
          digits++;
        }
        mantissa = mantissa * 10 + d;
        i++;
        if (fraction) {
          exponent--;
        }
      } else if (!fraction && b[i] == separator) {
        fraction = true;
        i++;
      } else {
        break;
      }
    }
    if (!any) {
      throw notANumber();
    }
    boolean longExponent = false;
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      int j = i + 1;
      boolean negativeExponent = false;
      if (j < n && (b[j] == '-' || b[j] == '+')) {
        negativeExponent = b[j] == '-';
        j++;
      }
      int value = 0;
      int expDigits = 0;
      for (; j < n; j++) {
        int d = b[j] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        if (value < 100_000) {
          value = value * 10 + d;
        } else {
          longExponent = true;
        }
        expDigits++;
      }
      if (expDigits == 0) {
        throw notANumber();
      }
      exponent += negativeExponent ? -value : value;
      i = j;
    }
    if (i != n) {
      throw notANumber();
    }
    if (longExponent || digits > 15 || exponent < -22 || exponent > 22) {
      // In the grammar, but beyond the fast path: the JDK rounds it (its syntax is wider, and the
      // text was checked above). The separator becomes '.'.
      char[] text = new char[n - start];
      for (int k = start; k < n; k++) {
        text[k - start] = b[k] == separator ? '.' : (char) b[k];
      }
      return Double.parseDouble(new String(text));
    }
    double value = exponent >= 0 ? mantissa * POWERS[exponent] : mantissa / POWERS[-exponent];
    return negative ? -value : value;
  }

  private static NumberFormatException notANumber() {
    // The cell's text is never part of the message: it could be a customer's value.
    return new NumberFormatException("not a number");
  }
}
