package dev.retention.spark;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One customer's accepted order rows, from one part or merged from several, in primitive columns:
 * what the orders shuffle moves. Rows are combined per customer inside each part before the shuffle
 * (exports list a customer's orders close together), and written field by field, so the shuffle
 * costs a few bytes per row instead of a serialized object per row.
 */
public final class CustomerRows implements Externalizable {

  private static final long serialVersionUID = 1L;

  private String customerId;
  private int size;
  private long[] lines;
  private String[] orderIds;
  private int[] days;
  private double[] amounts;
  private float[] items;
  private boolean[] refunds;
  private String[] channels;
  // The id's spellings as exported when the id normalisation changed them (TRIM), and whether
  // the normalised spelling itself was seen: what the ids merged are counted from.
  private boolean exact;
  private java.util.Set<String> variants = new java.util.TreeSet<>();

  /** For deserialization only. */
  public CustomerRows() {}

  CustomerRows(String customerId) {
    this(customerId, 4);
  }

  private CustomerRows(String customerId, int capacity) {
    this.customerId = customerId;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    lines = new long[capacity];
    orderIds = new String[capacity];
    days = new int[capacity];
    amounts = new double[capacity];
    items = new float[capacity];
    refunds = new boolean[capacity];
    channels = new String[capacity];
  }

  private void ensure(int capacity) {
    if (capacity > lines.length) {
      int n = Math.max(capacity, lines.length * 2);
      lines = Arrays.copyOf(lines, n);
      orderIds = Arrays.copyOf(orderIds, n);
      days = Arrays.copyOf(days, n);
      amounts = Arrays.copyOf(amounts, n);
      items = Arrays.copyOf(items, n);
      refunds = Arrays.copyOf(refunds, n);
      channels = Arrays.copyOf(channels, n);
    }
  }

  void add(
      long line,
      String orderId,
      int day,
      double amount,
      float itemCount,
      boolean refund,
      String channel,
      String spelling) {
    if (spelling == null) {
      exact = true;
    } else {
      variants.add(spelling);
    }
    ensure(size + 1);
    lines[size] = line;
    orderIds[size] = orderId;
    days[size] = day;
    amounts[size] = amount;
    items[size] = itemCount;
    refunds[size] = refund;
    channels[size] = channel;
    size++;
  }

  /** A copy to combine into (cached parts are never changed). */
  CustomerRows copy() {
    return new CustomerRows(customerId, Math.max(1, size)).append(this);
  }

  /** Appends {@code other}'s rows; returns this. */
  CustomerRows append(CustomerRows other) {
    exact |= other.exact;
    variants.addAll(other.variants);
    ensure(size + other.size);
    System.arraycopy(other.lines, 0, lines, size, other.size);
    System.arraycopy(other.orderIds, 0, orderIds, size, other.size);
    System.arraycopy(other.days, 0, days, size, other.size);
    System.arraycopy(other.amounts, 0, amounts, size, other.size);
    System.arraycopy(other.items, 0, items, size, other.size);
    System.arraycopy(other.refunds, 0, refunds, size, other.size);
    System.arraycopy(other.channels, 0, channels, size, other.size);
    size += other.size;
    return this;
  }

  String customerId() {
    return customerId;
  }

  /** How many spellings of this id the export held (1 unless the id normalisation merged). */
  int spellings() {
    return (exact ? 1 : 0) + variants.size();
  }

  /** Row indices in the order of their lines in the export (parts arrive in any order). */
  int[] inLineOrder() {
    boolean sorted = true;
    for (int i = 1; i < size && sorted; i++) {
      sorted = lines[i - 1] < lines[i];
    }
    if (sorted) { // the common case: the customer's rows came from one part, or parts in order
      int[] order = new int[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      return order;
    }
    Integer[] boxed = new Integer[size];
    for (int i = 0; i < size; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Long.compare(lines[a], lines[b]));
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  long line(int i) {
    return lines[i];
  }

  String orderId(int i) {
    return orderIds[i];
  }

  int day(int i) {
    return days[i];
  }

  double amount(int i) {
    return amounts[i];
  }

  float items(int i) {
    return items[i];
  }

  boolean refund(int i) {
    return refunds[i];
  }

  String channel(int i) {
    return channels[i];
  }

  /** The first and last day of these rows. */
  int[] span() {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      min = Math.min(min, days[i]);
      max = Math.max(max, days[i]);
    }
    return new int[] {min, max};
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    writeText(out, customerId);
    out.writeBoolean(exact);
    out.writeInt(variants.size());
    for (String variant : variants) {
      writeText(out, variant);
    }
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      out.writeLong(lines[i]);
      writeText(out, orderIds[i]);
      out.writeInt(days[i]);
      out.writeDouble(amounts[i]);
      out.writeFloat(items[i]);
      out.writeBoolean(refunds[i]);
      out.writeBoolean(channels[i] != null);
      if (channels[i] != null) {
        writeText(out, channels[i]);
      }
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    customerId = readText(in);
    exact = in.readBoolean();
    variants = new java.util.TreeSet<>();
    for (int v = in.readInt(); v > 0; v--) {
      variants.add(readText(in));
    }
    size = in.readInt();
    allocate(Math.max(1, size));
    for (int i = 0; i < size; i++) {
      lines[i] = in.readLong();
      orderIds[i] = readText(in);
      days[i] = in.readInt();
      amounts[i] = in.readDouble();
      items[i] = in.readFloat();
      refunds[i] = in.readBoolean();
      channels[i] = in.readBoolean() ? readText(in) : null;
    }
  }

  // writeUTF stops at 64 KiB; an id may be as long as a line (retention.export.max-line-bytes).
  private static void writeText(ObjectOutput out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readText(ObjectInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
