package dev.retention.data;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one time grammar of orders exports: an order date is the day of a cell that matches one
 * accepted format entirely, with valid fields.
 *
 * <p>By default (no formats configured) the ISO forms: {@code yyyy-MM-dd}, optionally followed by
 * {@code T} or a space and a time {@code HH:mm[:ss[.fraction]]}, optionally followed by an offset
 * ({@code Z}, {@code ±HH}, {@code ±HHmm}, {@code ±HH:mm}, at most ±18:00). Hours run 0-23, minutes
 * and seconds 0-59. Anything else (hour 25, minute 61, an offset of +19:00, text after the {@code
 * T}) is not a date. Read by hand: exports hold millions of them.
 *
 * <p>With formats configured ({@code retention.orders.date-formats}, Java {@link DateTimeFormatter}
 * patterns such as {@code M/d/yyyy H:mm}), each is tried in order, strictly (no 31 February, no
 * hour 24) and to the end of the cell.
 *
 * <p>The day: with a time zone configured ({@code retention.orders.time-zone}), a date-time with an
 * offset is converted to that zone's day, and a date or local date-time is taken as written (it is
 * that zone's already). Without one, every date is taken as written, an offset's own local day.
 * Surrounding spaces and tabs are not part of the value.
 */
final class DateParser {

  static final int INVALID = Integer.MIN_VALUE;

  private final List<DateTimeFormatter> formats;
  private final ZoneId zone;
  private final char[] last = new char[10];
  private int lastDay = INVALID;
  private String lastText;
  private int lastTextDay = INVALID;

  /**
   * @param patterns {@link DateTimeFormatter} patterns tried in order; empty = the ISO forms
   * @param zone the zone whose day a date-time with an offset falls on; null = as written
   * @throws IllegalArgumentException on a pattern that is not one, naming the setting
   */
  DateParser(List<String> patterns, ZoneId zone) {
    this.formats = compile(patterns);
    this.zone = zone;
  }

  /** ISO dates, taken as written. */
  DateParser() {
    this(List.of(), null);
  }

  /**
   * The formatters of {@code patterns}: strict, in English (month names), with the era of {@code
   * yyyy} patterns taken as AD (a strict resolver needs one).
   */
  static List<DateTimeFormatter> compile(List<String> patterns) {
    List<DateTimeFormatter> out = new ArrayList<>();
    for (String pattern : patterns) {
      try {
        out.add(
            new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(pattern)
                .parseDefaulting(ChronoField.ERA, 1)
                .toFormatter(Locale.ENGLISH)
                .withResolverStyle(ResolverStyle.STRICT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "retention.orders.date-formats: '"
                + pattern
                + "' is not a date pattern: "
                + e.getMessage(),
            e);
      }
    }
    return List.copyOf(out);
  }

  /** The accepted forms, for rejection reasons. */
  static String describe(List<String> patterns) {
    return patterns.isEmpty() ? "yyyy-MM-dd" : String.join(" or ", patterns);
  }

  /** The day of {@code text} (epoch day), or {@link #INVALID}. */
  int epochDay(CharSequence text) {
    int from = 0;
    int to = text.length();
    while (from < to && blank(text.charAt(from))) {
      from++;
    }
    while (to > from && blank(text.charAt(to - 1))) {
      to--;
    }
    return formats.isEmpty() ? iso(text, from, to) : patterns(text, from, to);
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  private int patterns(CharSequence text, int from, int to) {
    String value = text.subSequence(from, to).toString();
    if (value.equals(lastText)) {
      return lastTextDay;
    }
    int day = INVALID;
    for (DateTimeFormatter format : formats) {
      try {
        day = day(format.parse(value));
        break;
      } catch (DateTimeException e) {
        // not this format: the next one
      }
    }
    lastText = value;
    lastTextDay = day;
    return day;
  }

  private int day(TemporalAccessor parsed) {
    LocalDate date = LocalDate.from(parsed);
    if (zone != null && parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
      // A date-time with an offset or a zone of its own: an instant, on the configured zone's day.
      return inZone(parsed.getLong(ChronoField.INSTANT_SECONDS));
    }
    return (int) date.toEpochDay();
  }

  /** The day in the configured zone of the instant {@code epochSeconds}. */
  private int inZone(long epochSeconds) {
    ZoneOffset offset =
        zone instanceof ZoneOffset fixed
            ? fixed
            : zone.getRules().getOffset(Instant.ofEpochSecond(epochSeconds));
    return (int) Math.floorDiv(epochSeconds + offset.getTotalSeconds(), 86_400L);
  }

  private int iso(CharSequence t, int from, int to) {
    int n = to - from;
    if (n < 10) {
      return INVALID;
    }
    int day = isoDate(t, from);
    if (day == INVALID || n == 10) {
      return day;
    }
    char separator = t.charAt(from + 10);
    if ((separator != 'T' && separator != ' ') || n < 16) {
      return INVALID;
    }
    int p = from + 11;
    int hour = digits(t, p, p + 2);
    int minute = digits(t, p + 3, p + 5);
    if (t.charAt(p + 2) != ':' || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return INVALID;
    }
    p += 5;
    int second = 0;
    if (p < to && t.charAt(p) == ':') {
      second = p + 3 <= to ? digits(t, p + 1, p + 3) : -1;
      if (second < 0 || second > 59) {
        return INVALID;
      }
      p += 3;
      if (p < to && t.charAt(p) == '.') {
        int fraction = p + 1;
        while (fraction < to && fraction - p <= 9 && isDigit(t.charAt(fraction))) {
          fraction++;
        }
        if (fraction == p + 1) {
          return INVALID;
        }
        p = fraction;
      }
    }
    if (p == to) {
      return day;
    }
    int offset = offsetSeconds(t, p, to);
    if (offset == INVALID) {
      return INVALID;
    }
    if (zone == null) {
      return day;
    }
    return inZone((long) day * 86_400 + hour * 3_600L + minute * 60L + second - offset);
  }

  /**
   * {@code Z}, {@code ±HH}, {@code ±HHmm} or {@code ±HH:mm} filling {@code [p, to)}, at most
   * ±18:00.
   */
  private static int offsetSeconds(CharSequence t, int p, int to) {
    char sign = t.charAt(p);
    if (sign == 'Z' && p + 1 == to) {
      return 0;
    }
    if (sign != '+' && sign != '-') {
      return INVALID;
    }
    int hours;
    int minutes = 0;
    int n = to - p - 1;
    if (n == 2) {
      hours = digits(t, p + 1, p + 3);
    } else if (n == 4) {
      hours = digits(t, p + 1, p + 3);
      minutes = digits(t, p + 3, p + 5);
    } else if (n == 5 && t.charAt(p + 3) == ':') {
      hours = digits(t, p + 1, p + 3);
      minutes = digits(t, p + 4, p + 6);
    } else {
      return INVALID;
    }
    if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
      return INVALID;
    }
    int seconds = hours * 3_600 + minutes * 60;
    return sign == '-' ? -seconds : seconds;
  }

  /** {@code yyyy-MM-dd} at {@code from}; remembers the last one: exports repeat dates. */
  private int isoDate(CharSequence text, int from) {
    if (lastDay != INVALID && same(text, from)) {
      return lastDay;
    }
    if (text.charAt(from + 4) != '-' || text.charAt(from + 7) != '-') {
      return INVALID;
    }
    int year = digits(text, from, from + 4);
    int month = digits(text, from + 5, from + 7);
    int dayOfMonth = digits(text, from + 8, from + 10);
    if (year < 0 || month < 0 || dayOfMonth < 0) {
      return INVALID;
    }
    int day;
    try {
      day = (int) LocalDate.of(year, month, dayOfMonth).toEpochDay();
    } catch (DateTimeException e) {
      return INVALID;
    }
    for (int i = 0; i < 10; i++) {
      last[i] = text.charAt(from + i);
    }
    lastDay = day;
    return day;
  }

  private boolean same(CharSequence text, int from) {
    for (int i = 9; i >= 0; i--) {
      if (text.charAt(from + i) != last[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digits(CharSequence t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
