package dev.retention.data;

import dev.retention.features.IdTable;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeature;
import dev.retention.features.RfmFeatures;
import dev.retention.features.Utf8Slice;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Streams an orders export (CSV or JSON Lines, optionally gzip) into an {@link OrderBook}: one
 * pass, one row at a time; memory grows with customers and their distinct orders, never with the
 * export's text or its line count.
 *
 * <p>A row is rejected and counted, with line, column and value, when the customer or order id is
 * missing, the date is not {@code yyyy-MM-dd[...]}, the date is after {@code latestAllowed} (a
 * future date), the amount is not a finite number, or the items are not a non-negative number. As
 * for feature exports, more than {@code maxRejectedShare} rejected rows fail the read.
 */
public final class OrderExportReader {

  /**
   * The orders and what was rejected.
   *
   * @param book the accepted orders
   * @param columns which optional columns the export has
   */
  public record Result(
      OrderBook book,
      RfmFeatures.Columns columns,
      long rowsRead,
      long rowsRejected,
      List<String> rejections) {}

  /** The values an items cell may hold: those of the derived {@code items} feature. */
  private static final RfmFeature.Domain ITEMS = RfmFeature.ITEMS.domain();

  private OrderExportReader() {}

  /**
   * Why one row was refused.
   *
   * @param column the column at fault, or null when the row as a whole was bad
   * @param problem what is wrong, without the value (e.g. "not a date (yyyy-MM-dd)")
   */
  public record RowProblem(String column, String problem) {}

  /**
   * The per-row rules of {@link #read} for rows that arrive one by one rather than from a file (the
   * score API's orders, sent as JSON objects): the same checks, in the same order, and the good
   * rows added to a book of their own. One rule for every path that reads orders.
   */
  public static final class RowRules {
    private final Rows rows;

    /**
     * @param columns the cells' columns, which must include the schema's required ones
     * @param latestAllowed rows dated after this day are future dates; null = no check
     * @throws ExportException on a missing required column
     */
    public RowRules(List<String> columns, OrdersSchema schema, LocalDate latestAllowed) {
      rows = new Rows(columns, schema, latestAllowed);
    }

    /**
     * Checks one row and adds it to the book when it is good.
     *
     * @param cells values by column; null where absent
     * @return null when the row was accepted, else why not
     */
    public RowProblem accept(long line, CharSequence[] cells) {
      long before = rows.rejections.rejected();
      rows.accept(line, null, cells);
      if (rows.rejections.rejected() == before) {
        return null;
      }
      return new RowProblem(rows.rejections.lastColumn(), rows.rejections.lastProblem());
    }

    /** The accepted rows. */
    public OrderBook book() {
      return rows.book;
    }

    /** Which optional columns the rows have. */
    public RfmFeatures.Columns optional() {
      return rows.optional();
    }
  }

  /**
   * Reads an orders export.
   *
   * @param latestAllowed rows dated after this day are rejected as future dates; null = no check
   * @throws ExportException on a missing required column or too many rejected rows
   */
  public static Result read(
      InputStream raw, ExportFormat format, OrdersSchema schema, LocalDate latestAllowed)
      throws IOException {
    // CSV is split from bytes (no string per cell); the book keys ids by their UTF-8 bytes.
    RowSource source = RowSource.open(raw, format, FeatureExportReader.SAMPLE_ROWS);
    Rows rows = new Rows(source.columns(), schema, latestAllowed);
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      rows.accept(row.line(), row.problem(), row.cells());
    }
    return rows.result(schema);
  }

  /** Where good rows go: an {@link OrderBook}, or a distributed reader's records. */
  public interface Sink {
    /** One good row, at line {@code line} of the export. */
    void add(
        long line,
        CharSequence customerId,
        CharSequence orderId,
        int epochDay,
        double amount,
        float items,
        boolean refund,
        CharSequence channel);
  }

  /**
   * What every part of one orders export is read with: its columns (header or first records' keys),
   * checked for the required ones.
   */
  public record Plan(ExportFormat.Kind kind, List<String> columns, RfmFeatures.Columns optional)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The plan of an orders export from its head (decoded).
   *
   * @throws ExportException on a missing required column
   */
  public static Plan plan(InputStream head, ExportFormat format, OrdersSchema schema)
      throws IOException {
    RowSource source = RowSource.open(head, format, FeatureExportReader.SAMPLE_ROWS);
    Rows rows = new Rows(source.columns(), schema, null, null);
    return new Plan(format.kind(), List.copyOf(source.columns()), rows.optional());
  }

  /**
   * Counts of one part's rows.
   *
   * @param reasonLines the line of each kept reason
   */
  public record PartCounts(long read, long rejected, List<String> reasons, List<Long> reasonLines)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Reads one part of an orders export (its decoded bytes from line {@code firstLine}, without the
   * header) with the same per-row rules as {@link #read}, sending the good rows to {@code sink};
   * the rejected-share limit is the caller's, over all parts.
   */
  public static PartCounts readPart(
      InputStream plain,
      Plan plan,
      OrdersSchema schema,
      LocalDate latestAllowed,
      long firstLine,
      ReadLimits limits,
      Sink sink)
      throws IOException {
    RowSource source = RowSource.part(plain, plan.kind(), plan.columns(), firstLine, limits);
    Rows rows = new Rows(plan.columns(), schema, latestAllowed, sink);
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      rows.accept(row.line(), row.problem(), row.cells());
    }
    return new PartCounts(
        rows.rejections.read(),
        rows.rejections.rejected(),
        rows.rejections.reasons(),
        rows.rejections.reasonLines());
  }

  /** Checks one row after another and adds the good ones to the book. */
  private static final class Rows {
    private final int customer;
    private final int order;
    private final int date;
    private final int amount;
    private final int items;
    private final int status;
    private final int channel;
    private final int latest;
    private final LocalDate latestAllowed;
    private final RefundRule refunds;
    private final OrderBook book;
    private final Sink sink;
    private final Rejections rejections;
    private final DateParser dates = new DateParser();

    Rows(List<String> columns, OrdersSchema schema, LocalDate latestAllowed) {
      this(columns, schema, latestAllowed, null);
    }

    /** Rows for {@code sink}, or for a book of their own when it is null. */
    Rows(List<String> columns, OrdersSchema schema, LocalDate latestAllowed, Sink sink) {
      customer = required(columns, schema.customerIdColumn(), "customer id");
      order = required(columns, schema.orderIdColumn(), "order id");
      date = required(columns, schema.orderDateColumn(), "order date");
      amount = required(columns, schema.amountColumn(), "amount");
      items = columns.indexOf(schema.itemsColumn());
      status = columns.indexOf(schema.statusColumn());
      channel = columns.indexOf(schema.channelColumn());
      this.latestAllowed = latestAllowed;
      latest = latestAllowed == null ? Integer.MAX_VALUE : (int) latestAllowed.toEpochDay();
      refunds = new RefundRule(schema.refundStatuses());
      book = sink == null ? new OrderBook(schema.grain()) : null;
      this.sink = sink;
      rejections = new Rejections(columns);
    }

    RfmFeatures.Columns optional() {
      return new RfmFeatures.Columns(items >= 0, status >= 0, channel >= 0);
    }

    void accept(long line, String problem, CharSequence[] cells) {
      rejections.countRead();
      if (problem != null) {
        rejections.rejectRow(line, problem);
        return;
      }
      CharSequence customerId = trim(cells[customer]);
      if (customerId.length() == 0) {
        rejections.rejectMissing(line, customer);
        return;
      }
      CharSequence orderId = trim(cells[order]);
      if (orderId.length() == 0) {
        rejections.rejectMissing(line, order);
        return;
      }
      CharSequence dateText = trim(cells[date]);
      if (dateText.length() == 0) {
        rejections.rejectMissing(line, date);
        return;
      }
      int day = dates.epochDay(dateText);
      if (day == DateParser.INVALID) {
        rejections.reject(line, date, "not a date (yyyy-MM-dd)");
        return;
      }
      if (day > latest) {
        rejections.reject(line, date, "a future date, after " + latestAllowed);
        return;
      }
      double value = number(cells[amount]);
      if (Double.isNaN(value)) {
        rejections.reject(line, amount, "not a finite number");
        return;
      }
      float itemCount = Float.NaN;
      if (items >= 0 && !Rejections.blank(cells[items])) {
        double n = number(cells[items]);
        if (!ITEMS.test(n)) {
          rejections.reject(line, items, "not " + ITEMS.phrase());
          return;
        }
        itemCount = (float) n;
      }
      boolean refund = status >= 0 && refunds.test(cells[status]);
      CharSequence channelName =
          channel >= 0 && !Rejections.blank(cells[channel]) ? trim(cells[channel]) : null;
      if (sink != null) {
        sink.add(line, customerId, orderId, day, value, itemCount, refund, channelName);
      } else {
        book.add(customerId, orderId, day, value, itemCount, refund, channelName);
      }
    }

    Result result(OrdersSchema schema) {
      rejections.checkShare(schema.maxRejectedShare(), "nothing was derived");
      return new Result(
          book, optional(), rejections.read(), rejections.rejected(), rejections.reasons());
    }
  }

  private static CharSequence trim(CharSequence cell) {
    if (cell == null) {
      return "";
    }
    return cell instanceof Utf8Slice slice ? slice.trim() : cell.toString().trim();
  }

  private static int required(List<String> columns, String name, String what) {
    int c = columns.indexOf(name);
    if (c < 0) {
      throw new ExportException(
          "the orders export has no " + what + " column '" + name + "'; columns: " + columns);
    }
    return c;
  }

  /** The finite number in {@code cell}, or NaN. */
  private static double number(CharSequence cell) {
    if (Rejections.blank(cell)) {
      return Double.NaN;
    }
    try {
      double value = Numbers.parse(cell);
      return Double.isFinite(value) ? value : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * Status values that mark a refund, compared without case. Exports use a handful of statuses, so
   * each distinct spelling is decided once and remembered by its index.
   */
  private static final class RefundRule {
    private final java.util.Set<String> values = new java.util.HashSet<>();
    private static final int MAX_REMEMBERED = 1024;
    private final IdTable seen = new IdTable();
    private boolean[] decided = new boolean[8];

    RefundRule(java.util.Set<String> statuses) {
      values.addAll(statuses);
      values.addAll(List.of("true", "1", "yes"));
    }

    boolean test(CharSequence cell) {
      if (cell == null) {
        return false;
      }
      CharSequence value = trim(cell);
      int known = seen.size();
      if (known >= MAX_REMEMBERED) {
        // Not a categorical status: decide each row on its own.
        return values.contains(value.toString().toLowerCase(Locale.ROOT));
      }
      int i = seen.index(value);
      if (i == known) {
        if (i == decided.length) {
          decided = java.util.Arrays.copyOf(decided, i * 2);
        }
        decided[i] = values.contains(value.toString().toLowerCase(Locale.ROOT));
      }
      return decided[i];
    }
  }

  /**
   * {@code yyyy-MM-dd}, optionally followed by {@code T} or a space and a time, which is ignored:
   * the date is taken as written. Remembers the last date: exports repeat dates row after row.
   */
  static final class DateParser {
    static final int INVALID = Integer.MIN_VALUE;
    private final char[] last = new char[10];
    private int lastDay = INVALID;

    int epochDay(CharSequence text) {
      int n = text.length();
      if (n > 10) {
        char separator = text.charAt(10);
        if (separator != 'T' && separator != ' ') {
          return INVALID;
        }
        n = 10;
      }
      if (n != 10) {
        return INVALID;
      }
      if (lastDay != INVALID && same(text)) {
        return lastDay;
      }
      if (text.charAt(4) != '-' || text.charAt(7) != '-') {
        return INVALID;
      }
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int dayOfMonth = digits(text, 8, 10);
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
        last[i] = text.charAt(i);
      }
      lastDay = day;
      return day;
    }

    private boolean same(CharSequence text) {
      for (int i = 9; i >= 0; i--) {
        if (text.charAt(i) != last[i]) {
          return false;
        }
      }
      return true;
    }

    private static int digits(CharSequence t, int from, int to) {
      int v = 0;
      for (int i = from; i < to; i++) {
        char c = t.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        v = v * 10 + (c - '0');
      }
      return v;
    }
  }
}
