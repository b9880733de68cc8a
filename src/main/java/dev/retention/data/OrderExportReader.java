package dev.retention.data;

import dev.retention.features.IdTable;
import dev.retention.features.OrderBook;
import dev.retention.features.RfmFeatures;
import dev.retention.features.Utf8Slice;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Streams an orders export (CSV or JSON Lines, optionally gzip) into an {@link OrderBook}: one
 * pass, one row at a time; memory grows with customers and their distinct orders, never with the
 * export's text or its line count. The export is read in its own dialect ({@link OrdersSchema}:
 * columns, amount or quantity × unit price, refund marks, order key, dates and zone, guest rows,
 * ids; {@link TextFormat}: delimiter and decimal separator).
 *
 * <p>A row without a customer id is a guest row: skipped and counted (not a bad row) unless the
 * dialect rejects them. A row is rejected and counted, by line and column and never with its value,
 * when the order id is missing, the date matches no accepted format, the date is after {@code
 * latestAllowed} (a future date), the amount (or quantity or unit price) is not a finite number, or
 * the items are not a non-negative number. As for feature exports, more than {@code
 * maxRejectedShare} of the rows that are not guest rows rejected fail the read.
 *
 * <p>Each row is a purchase row or a refund row (a refund status, a negative amount or quantity,
 * the cancellation prefix); the book nets them per order ({@link OrderBook}). A refund row carries
 * the refunded amount (positive), or {@link OrderBook#WHOLE_ORDER} when it gives none (a status
 * alone, or an export without money).
 */
public final class OrderExportReader {

  /**
   * The orders and what was rejected.
   *
   * @param book the accepted orders
   * @param columns which optional columns the export has
   * @param guestRows rows without a customer id, skipped (not counted in rowsRejected)
   * @param customerIdsMerged ids that the id normalisation made one with another spelling
   * @param furtherLines rows read as an order's further lines (order cells on one row), adding
   *     nothing
   */
  public record Result(
      OrderBook book,
      RfmFeatures.Columns columns,
      long rowsRead,
      long rowsRejected,
      List<String> rejections,
      long guestRows,
      long customerIdsMerged,
      long furtherLines) {}

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
      // A request's numbers are JSON's: '.' is their decimal separator whatever the export's.
      rows = new Rows(RowSource.fixed(columns), schema, TextFormat.defaults(), latestAllowed, null);
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
      return OrderExportReader.optional(rows.schema, rows.present());
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
    RowSource source =
        RowSource.open(
            raw,
            format,
            FeatureExportReader.SAMPLE_ROWS,
            required(schema),
            "the orders columns " + required(schema),
            optionalColumns(schema));
    Rows rows = new Rows(source, schema, format.text(), latestAllowed, null);
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      rows.accept(row.line(), row.problem(), row.cells());
    }
    rows.checkColumns();
    return rows.result(schema);
  }

  /** Where good rows go: an {@link OrderBook}, or a distributed reader's records. */
  public interface Sink {
    /**
     * One good row, at line {@code line} of the export.
     *
     * @param spelling the customer id as exported when the id normalisation changed it, else null
     */
    void add(
        long line,
        CharSequence customerId,
        CharSequence spelling,
        CharSequence orderId,
        int epochDay,
        double amount,
        float items,
        boolean refund,
        CharSequence channel);
  }

  /**
   * What every part of one orders export is read with: its columns (header, or the required columns
   * and the first records' keys), checked for the required ones.
   */
  public record Plan(ExportFormat format, List<String> columns) implements java.io.Serializable {
    private static final long serialVersionUID = 2L;
  }

  /**
   * The plan of an orders export from its head (decoded).
   *
   * @throws ExportException on a missing required column (CSV)
   */
  public static Plan plan(InputStream head, ExportFormat format, OrdersSchema schema)
      throws IOException {
    RowSource source =
        RowSource.open(
            head,
            format,
            FeatureExportReader.SAMPLE_ROWS,
            required(schema),
            "the orders columns " + required(schema),
            optionalColumns(schema));
    new Rows(source, schema, format.text(), null, (line, a, b, c, d, e, f, g, h) -> {});
    return new Plan(format.withoutGzip(), List.copyOf(source.columns()));
  }

  /**
   * Counts of one part's rows.
   *
   * @param reasonLines the line of each kept reason
   * @param present the columns of the plan (and later keys) that hold a value in this part
   * @param furtherLines rows read as an order's further lines (order cells on one row)
   */
  public record PartCounts(
      long read,
      long rejected,
      List<String> reasons,
      List<Long> reasonLines,
      long guestRows,
      List<String> present,
      long furtherLines)
      implements java.io.Serializable {
    private static final long serialVersionUID = 3L;
  }

  /**
   * Reads one part of an orders export (its decoded bytes from line {@code firstLine}, without the
   * header) with the same per-row rules as {@link #read}, sending the good rows to {@code sink};
   * the rejected-share limit and the check of the columns are the caller's, over all parts ({@link
   * #checkColumns}, {@link #optional}).
   */
  public static PartCounts readPart(
      InputStream plain,
      Plan plan,
      OrdersSchema schema,
      LocalDate latestAllowed,
      long firstLine,
      Sink sink)
      throws IOException {
    RowSource source = RowSource.part(plain, plan.format(), plan.columns(), firstLine);
    Rows rows = new Rows(source, schema, plan.format().text(), latestAllowed, sink);
    for (RowSource.Row row = source.next(); row != null; row = source.next()) {
      rows.accept(row.line(), row.problem(), row.cells());
    }
    List<String> present = new ArrayList<>();
    for (int c = 0; c < source.columns().size(); c++) {
      if (source.present(c)) {
        present.add(source.columns().get(c));
      }
    }
    return new PartCounts(
        rows.rejections.read(),
        rows.rejections.rejected(),
        rows.rejections.reasons(),
        rows.rejections.reasonLines(),
        rows.guests,
        present,
        rows.furtherLines);
  }

  /**
   * What a refused orders export's message says was not done, with the setting that reads it when
   * its reasons look like an export with an order's amount on one of its rows only (Shopify): at
   * order grain, rows whose amount is missing.
   *
   * @param reasons the first rejection reasons (by line and column, never a value)
   */
  public static String refusedOutcome(OrdersSchema schema, List<String> reasons) {
    String missingAmount = "column '" + schema.columns().amount() + "': missing value";
    boolean oneRowLikely =
        schema.orderCells() == OrdersSchema.OrderCells.EVERY_ROW
            && schema.orderKey() == OrdersSchema.OrderKey.ORDER_ID
            && schema.grain() == OrderBook.Grain.ORDER
            && schema.money()
            && !schema.columns().lineItems()
            && reasons.stream().anyMatch(r -> r.endsWith(missingAmount));
    return oneRowLikely
        ? "nothing was derived (when an order's amount and status are on one of its rows only,"
            + " its other rows being further line items that leave them empty, set"
            + " retention.orders.order-cells=ONE_ROW)"
        : "nothing was derived";
  }

  /**
   * Fails when a column the dialect requires holds no value in the whole export (JSON Lines keys
   * are checked over every object, as {@code present} lists them for all parts).
   */
  public static void checkColumns(OrdersSchema schema, List<String> present) {
    for (String column : required(schema)) {
      if (!present.contains(column)) {
        throw missingColumn(schema, column, present);
      }
    }
  }

  /**
   * The optional columns of an export whose columns with a value are {@code present}. Refunds are
   * marked (and {@code refund_share} derived) by a status column, a cancellation prefix, or line
   * items, whose negative quantities are cancellations.
   */
  public static RfmFeatures.Columns optional(OrdersSchema schema, List<String> present) {
    OrdersSchema.Columns c = schema.columns();
    boolean refunds =
        present.contains(c.status())
            || schema.refunds().cancelPrefix() != null
            || (schema.money() && c.lineItems());
    return new RfmFeatures.Columns(
        present.contains(c.items()), refunds, present.contains(c.channel()), schema.money());
  }

  /** The optional columns the dialect reads when the export has them. */
  static List<String> optionalColumns(OrdersSchema schema) {
    OrdersSchema.Columns c = schema.columns();
    List<String> out = new ArrayList<>();
    for (String name : new String[] {c.items(), c.status(), c.channel()}) {
      if (name != null) {
        out.add(name);
      }
    }
    return out;
  }

  /** The columns the dialect requires, in the export's usual order. */
  static List<String> required(OrdersSchema schema) {
    OrdersSchema.Columns c = schema.columns();
    List<String> out = new ArrayList<>();
    out.add(c.customerId());
    if (schema.orderKey() == OrdersSchema.OrderKey.ORDER_ID) {
      out.add(c.orderId());
    }
    out.add(c.orderDate());
    if (schema.money()) {
      if (c.lineItems()) {
        out.add(c.quantity());
        out.add(c.unitPrice());
      } else {
        out.add(c.amount());
      }
    }
    return out;
  }

  private static ExportException missingColumn(
      OrdersSchema schema, String column, List<String> found) {
    OrdersSchema.Columns c = schema.columns();
    String what =
        column.equals(c.customerId())
            ? "customer id"
            : column.equals(c.orderId())
                ? "order id"
                : column.equals(c.orderDate())
                    ? "order date"
                    : column.equals(c.quantity())
                        ? "quantity"
                        : column.equals(c.unitPrice()) ? "unit price" : "amount";
    return new ExportException(
        "the orders export has no " + what + " column '" + column + "'; columns: " + found);
  }

  /** Checks one row after another and adds the good ones to the book. */
  private static final class Rows {
    private final RowSource source;
    private final OrdersSchema schema;
    private final int customer;
    private final int order;
    private final int date;
    private final int amount;
    private final int quantity;
    private final int price;
    private final int items;
    private final int status;
    private final int channel;
    private final int latest;
    private final char decimal;
    private final LocalDate latestAllowed;
    private final RefundRule refunds;
    private final String cancelPrefix;
    private final boolean trim;
    private final IdSpellings spellings;
    private final OrderBook book;
    private final Sink sink;
    private final Rejections rejections;
    private final DateParser dates;
    private final String dateProblem;
    private final boolean orderCellsOnOneRow;
    private long guests;
    private long furtherLines;

    /** Rows for {@code sink}, or for a book of their own when it is null. */
    Rows(
        RowSource source,
        OrdersSchema schema,
        TextFormat text,
        LocalDate latestAllowed,
        Sink sink) {
      this.source = source;
      this.schema = schema;
      List<String> columns = source.columns();
      OrdersSchema.Columns c = schema.columns();
      // CSV: the header decides now; JSON Lines: every key counts, checked after the last row.
      if (source.hasHeader()) {
        for (String name : required(schema)) {
          if (!columns.contains(name)) {
            throw missingColumn(schema, name, columns);
          }
        }
      }
      customer = columns.indexOf(c.customerId());
      order =
          schema.orderKey() == OrdersSchema.OrderKey.ORDER_ID ? columns.indexOf(c.orderId()) : -1;
      date = columns.indexOf(c.orderDate());
      boolean lineItems = schema.money() && c.lineItems();
      amount = schema.money() && !lineItems ? columns.indexOf(c.amount()) : -1;
      quantity = lineItems ? columns.indexOf(c.quantity()) : -1;
      price = lineItems ? columns.indexOf(c.unitPrice()) : -1;
      items = optionalIndex(columns, c.items());
      status = optionalIndex(columns, c.status());
      channel = optionalIndex(columns, c.channel());
      this.decimal = text.decimalSeparator();
      this.latestAllowed = latestAllowed;
      latest = latestAllowed == null ? Integer.MAX_VALUE : (int) latestAllowed.toEpochDay();
      refunds = new RefundRule(schema.refunds().statuses());
      cancelPrefix = schema.refunds().cancelPrefix();
      trim = schema.ids().normalisation() == IdRules.Normalisation.TRIM;
      spellings = trim && sink == null ? new IdSpellings() : null;
      book = sink == null ? new OrderBook(schema.grain()) : null;
      this.sink = sink;
      rejections = new Rejections(columns);
      dates = new DateParser(schema.dates().formats(), schema.dates().zone());
      dateProblem = "not a date (" + schema.dates().describe() + ")";
      orderCellsOnOneRow = schema.orderCells() == OrdersSchema.OrderCells.ONE_ROW;
    }

    private static int optionalIndex(List<String> columns, String name) {
      return name == null ? -1 : columns.indexOf(name);
    }

    void accept(long line, String problem, CharSequence[] cells) {
      rejections.countRead();
      if (problem != null) {
        rejections.rejectRow(line, problem);
        return;
      }
      CharSequence customerId = cell(cells, customer);
      if (IdRules.missing(customerId)) {
        if (schema.ids().guests() == IdRules.GuestRows.SKIP) {
          guests++;
          rejections.skip();
        } else {
          rejections.rejectMissing(line, customer);
        }
        return;
      }
      CharSequence spelling = null;
      if (trim) {
        int length = customerId.length();
        if (blankAt(customerId, 0) || blankAt(customerId, length - 1)) {
          spelling = customerId.toString();
          customerId = trimBlanks(customerId);
        }
        if (spellings != null) {
          spellings.seen(spelling == null ? customerId : spelling, customerId);
        }
      }
      CharSequence dateText = cell(cells, date);
      if (Rejections.blank(dateText)) {
        rejections.rejectMissing(line, date);
        return;
      }
      int day = dates.epochDay(dateText);
      if (day == DateParser.INVALID) {
        rejections.reject(line, date, dateProblem);
        return;
      }
      if (day > latest) {
        rejections.reject(line, date, "a future date, after " + latestAllowed);
        return;
      }
      CharSequence orderId;
      if (order >= 0) {
        orderId = cell(cells, order);
        if (Rejections.blank(orderId)) {
          rejections.rejectMissing(line, order);
          return;
        }
      } else {
        orderId = Integer.toString(day); // a customer's day is the order
      }
      double value = 1; // an export without money: a placeholder never published
      boolean negativeQuantity = false;
      if (amount >= 0) {
        if (orderCellsOnOneRow
            && schema.grain() == OrderBook.Grain.ORDER
            && Rejections.blank(cell(cells, amount))
            && (status < 0 || Rejections.blank(cell(cells, status)))) {
          furtherLines++; // an order's further line: its amount and status are on another row
          return;
        }
        value = number(line, amount, cells);
      } else if (quantity >= 0) {
        double q = number(line, quantity, cells);
        if (Double.isNaN(q)) {
          return;
        }
        double p = number(line, price, cells);
        if (Double.isNaN(p)) {
          return;
        }
        negativeQuantity = q < 0;
        value = q * p;
        if (!Double.isFinite(value)) {
          rejections.reject(line, price, "quantity × unit price is not a finite number");
          return;
        }
      }
      if (Double.isNaN(value)) {
        return;
      }
      if (!Rejections.withinRange(value)) {
        rejections.reject(line, amount >= 0 ? amount : price, Rejections.BEYOND_LARGEST);
        return;
      }
      boolean statusRefund = status >= 0 && refunds.test(cell(cells, status));
      boolean lineRefund =
          value < 0
              || negativeQuantity
              || (cancelPrefix != null && startsWith(orderId, cancelPrefix));
      // An order-level status on one row speaks for the whole order: the row's own line was bought,
      // and the order is refunded as a whole (netted with its other rows whatever their order).
      boolean wholeOrderRefund = orderCellsOnOneRow && statusRefund && !lineRefund && value > 0;
      boolean refund = lineRefund || (statusRefund && !wholeOrderRefund);
      float itemCount = Float.NaN;
      CharSequence itemCell = cell(cells, items);
      if (items >= 0 && !Rejections.blank(itemCell)) {
        double n = parse(itemCell);
        if (Double.isNaN(n) || !Float.isFinite((float) n) || (n < 0 && !refund)) {
          rejections.reject(line, items, "not a non-negative number");
          return;
        }
        itemCount = (float) Math.abs(n); // a refund row's items are returned ones
      }
      double rowAmount =
          !schema.money() || (refund && value == 0)
              ? (refund ? OrderBook.WHOLE_ORDER : 1)
              : Math.abs(value);
      CharSequence channelCell = cell(cells, channel);
      CharSequence channelName =
          channel >= 0 && !Rejections.blank(channelCell) ? trimBlanks(channelCell) : null;
      add(line, customerId, spelling, orderId, day, rowAmount, itemCount, refund, channelName);
      if (wholeOrderRefund) {
        add(
            line,
            customerId,
            spelling,
            orderId,
            day,
            OrderBook.WHOLE_ORDER,
            Float.NaN,
            true,
            channelName);
      }
    }

    private void add(
        long line,
        CharSequence customerId,
        CharSequence spelling,
        CharSequence orderId,
        int day,
        double rowAmount,
        float itemCount,
        boolean refund,
        CharSequence channelName) {
      if (sink != null) {
        sink.add(
            line, customerId, spelling, orderId, day, rowAmount, itemCount, refund, channelName);
      } else {
        book.add(customerId, orderId, day, rowAmount, itemCount, refund, channelName);
      }
    }

    /** The finite number in column {@code c}, or NaN after rejecting the row. */
    private double number(long line, int c, CharSequence[] cells) {
      CharSequence text = cell(cells, c);
      if (Rejections.blank(text)) {
        rejections.rejectMissing(line, c);
        return Double.NaN;
      }
      return rejections.number(line, c, text, decimal);
    }

    private double parse(CharSequence text) {
      try {
        return Numbers.parse(text, decimal);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }

    /** Fails when a required column held no value anywhere (JSON Lines keys). */
    void checkColumns() {
      OrderExportReader.checkColumns(schema, present());
    }

    private List<String> present() {
      List<String> out = new ArrayList<>();
      for (int c = 0; c < source.columns().size(); c++) {
        if (source.present(c)) {
          out.add(source.columns().get(c));
        }
      }
      return out;
    }

    Result result(OrdersSchema schema) {
      rejections.checkShare(
          schema.maxRejectedShare(), refusedOutcome(schema, rejections.reasons()));
      return new Result(
          book,
          optional(schema, present()),
          rejections.read(),
          rejections.rejected(),
          rejections.reasons(),
          guests,
          spellings == null ? 0 : spellings.merged(),
          furtherLines);
    }
  }

  private static CharSequence cell(CharSequence[] cells, int c) {
    return c >= 0 && c < cells.length ? cells[c] : null;
  }

  private static boolean startsWith(CharSequence text, String prefix) {
    if (text.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (text.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean blankAt(CharSequence cell, int i) {
    char c = cell.charAt(i);
    return c == ' ' || c == '\t';
  }

  /**
   * Without surrounding spaces and tabs (the TRIM normalisation of ids; channel and status names):
   * a row's byte cell is trimmed in place, a string copied.
   */
  static CharSequence trimBlanks(CharSequence cell) {
    if (cell instanceof Utf8Slice slice) {
      return slice.trimBlanks();
    }
    String s = cell.toString();
    int from = 0;
    int to = s.length();
    while (from < to && blankAt(s, from)) {
      from++;
    }
    while (to > from && blankAt(s, to - 1)) {
      to--;
    }
    return s.substring(from, to);
  }

  /**
   * Counts the ids the TRIM normalisation merged: every distinct spelling as exported, against the
   * distinct ids they became (3 spellings of one id are 2 merged).
   */
  static final class IdSpellings {
    private final IdTable spelled = new IdTable();
    private final IdTable ids = new IdTable();

    void seen(CharSequence spelling, CharSequence id) {
      spelled.index(spelling);
      ids.index(id);
    }

    long merged() {
      return spelled.size() - ids.size();
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
      CharSequence value = trimBlanks(cell);
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
}
