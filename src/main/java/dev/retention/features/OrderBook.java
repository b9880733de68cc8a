package dev.retention.features;

import java.util.Arrays;

/**
 * The orders of an export in primitive arrays, appended row by row in one pass.
 *
 * <p>Memory: a customer costs its id's bytes plus about 24 bytes ({@link IdTable} and the head of
 * its order list); an order costs 31 bytes (day, amount, items, refund flag, channel, a 64-bit
 * order-id hash and a link to the customer's previous order). The export's text is never kept, and
 * consecutive rows of one order (its lines, or a repeated row) take one entry. Each customer's
 * orders form a linked list, so no per-order map is needed; rows of one order that are not
 * consecutive are merged when the customer's orders are {@linkplain #collect collected}.
 *
 * <p>Rows that repeat an order id for the same customer: with {@link Grain#ORDER} (one row per
 * order) a repeat is a duplicate, ignored and counted; with {@link Grain#LINE} (one row per order
 * line) the lines' amounts, items and refund flags add up into one order, and a line dated
 * differently from the order's first row keeps the first date and is counted. Order ids are
 * compared by a 64-bit FNV-1a hash: a collision between two of one customer's orders has a
 * probability near n²/2⁶⁵.
 */
public final class OrderBook {

  /** What one export row is. */
  public enum Grain {
    ORDER,
    LINE
  }

  static final int NO_CHANNEL = -1;
  private static final byte REFUND = 1;

  private final Grain grain;
  private final IdTable customers = new IdTable();
  private final IdTable channels = new IdTable();
  private int[] newest = new int[1024];

  private int orders;
  private int[] day = new int[4096];
  private double[] amount = new double[4096];
  private float[] items = new float[4096];
  private byte[] flags = new byte[4096];
  private short[] channel = new short[4096];
  private long[] orderKey = new long[4096];
  private int[] previous = new int[4096];

  // Repeats found when they follow their order directly; the rest are found by collect().
  private long adjacentDuplicates;
  private long adjacentMerged;
  private long adjacentConflicts;
  private int minDay = Integer.MAX_VALUE;
  private int maxDay = Integer.MIN_VALUE;

  public OrderBook(Grain grain) {
    this.grain = grain;
  }

  /**
   * Adds one export row.
   *
   * @param epochDay order date as days since 1970-01-01
   * @param itemCount items, or NaN when not given
   * @param refund whether the row's status marks a refund or cancellation
   * @param channelName sales channel, or null
   */
  public void add(
      CharSequence customerId,
      CharSequence orderId,
      int epochDay,
      double orderAmount,
      float itemCount,
      boolean refund,
      CharSequence channelName) {
    int known = customers.size();
    int c = customers.index(customerId);
    if (c == known) {
      if (c == newest.length) {
        newest = Arrays.copyOf(newest, c * 2);
      }
      newest[c] = -1;
    }
    long key = hash(orderId);
    int last = newest[c];
    if (last >= 0 && orderKey[last] == key) {
      if (grain == Grain.ORDER) {
        adjacentDuplicates++;
        return;
      }
      amount[last] += orderAmount;
      items[last] = addItems(items[last], itemCount);
      flags[last] |= refund ? REFUND : 0;
      adjacentMerged++;
      if (day[last] != epochDay) {
        adjacentConflicts++;
      }
      return;
    }
    if (orders == day.length) {
      grow();
    }
    int o = orders++;
    day[o] = epochDay;
    amount[o] = orderAmount;
    items[o] = itemCount;
    flags[o] = refund ? REFUND : 0;
    channel[o] = (short) channel(channelName);
    orderKey[o] = key;
    previous[o] = last;
    newest[c] = o;
    minDay = Math.min(minDay, epochDay);
    maxDay = Math.max(maxDay, epochDay);
  }

  /** Items of two lines of one order; NaN (not given) only when neither line gives a count. */
  static float addItems(float a, float b) {
    return Float.isNaN(a) ? b : Float.isNaN(b) ? a : a + b;
  }

  private int channel(CharSequence name) {
    if (name == null || name.length() == 0) {
      return NO_CHANNEL;
    }
    return channels.index(name);
  }

  private void grow() {
    int size = day.length + (day.length >> 1);
    day = Arrays.copyOf(day, size);
    amount = Arrays.copyOf(amount, size);
    items = Arrays.copyOf(items, size);
    flags = Arrays.copyOf(flags, size);
    channel = Arrays.copyOf(channel, size);
    orderKey = Arrays.copyOf(orderKey, size);
    previous = Arrays.copyOf(previous, size);
  }

  private static long hash(CharSequence orderId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < orderId.length(); i++) {
      h ^= orderId.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  public Grain grain() {
    return grain;
  }

  public int customers() {
    return customers.size();
  }

  /** Order entries held (distinct orders, plus repeats not yet merged by {@link #collect}). */
  public int orders() {
    return orders;
  }

  public String customerId(int c) {
    return customers.get(c);
  }

  /** Latest order day, or {@link Integer#MIN_VALUE} when empty. */
  public int maxDay() {
    return maxDay;
  }

  /** Earliest order day, or {@link Integer#MAX_VALUE} when empty. */
  public int minDay() {
    return minDay;
  }

  long adjacentDuplicates() {
    return adjacentDuplicates;
  }

  long adjacentMerged() {
    return adjacentMerged;
  }

  long adjacentConflicts() {
    return adjacentConflicts;
  }

  /**
   * One customer's distinct orders, oldest row first, with repeats merged by the grain's rule.
   * Reuses {@code into}'s arrays.
   */
  CustomerOrders collect(int c, CustomerOrders into) {
    into.clear();
    for (int o = newest[c]; o >= 0; o = previous[o]) {
      into.push(o);
    }
    into.prepareTable();
    for (int i = into.pushed - 1; i >= 0; i--) {
      int o = into.stack[i];
      int existing = into.find(orderKey[o]);
      if (existing < 0) {
        into.add(orderKey[o], day[o], amount[o], items[o], (flags[o] & REFUND) != 0, channel[o]);
      } else if (grain == Grain.ORDER) {
        into.duplicates++;
      } else {
        into.amount[existing] += amount[o];
        into.items[existing] = addItems(into.items[existing], items[o]);
        into.refund[existing] |= (flags[o] & REFUND) != 0;
        into.merged++;
        if (into.day[existing] != day[o]) {
          into.conflicts++;
        }
      }
    }
    return into;
  }

  /** Reusable per-customer scratch space for {@link #collect}. */
  static final class CustomerOrders {
    int count;
    int[] day = new int[64];
    double[] amount = new double[64];
    float[] items = new float[64];
    boolean[] refund = new boolean[64];
    int[] channel = new int[64];
    long duplicates;
    long merged;
    long conflicts;
    private long[] key = new long[64];
    private int[] stack = new int[64];
    private int pushed;
    private int[] slots = new int[128]; // order + 1, 0 = empty
    private int mask;

    private void clear() {
      count = 0;
      pushed = 0;
      duplicates = 0;
      merged = 0;
      conflicts = 0;
    }

    private void push(int o) {
      if (pushed == stack.length) {
        stack = Arrays.copyOf(stack, pushed * 2);
      }
      stack[pushed++] = o;
    }

    /** An empty hash table with room for every pushed entry at load 1/2 or less. */
    private void prepareTable() {
      int size = Integer.highestOneBit(Math.max(1, pushed)) * 4;
      if (size > slots.length) {
        slots = new int[size];
      } else {
        Arrays.fill(slots, 0, size, 0);
      }
      mask = size - 1;
    }

    private int find(long k) {
      for (int s = (int) (k ^ (k >>> 32)) & mask; ; s = (s + 1) & mask) {
        int entry = slots[s];
        if (entry == 0) {
          return -1;
        }
        if (key[entry - 1] == k) {
          return entry - 1;
        }
      }
    }

    /**
     * Puts the orders in one order that does not depend on the export's row order: by day, then
     * amount, items and the refund flag. The history sums amounts in this order, so the same orders
     * in any row order give bit-identical features (floating-point sums depend on their order).
     * Orders equal in all four are interchangeable for the history (channels are only counted).
     */
    void inCanonicalOrder() {
      if (count < 2) {
        return;
      }
      if (sortOrder.length < count) {
        sortOrder = new int[day.length];
        sortBuffer = new int[day.length];
      }
      int[] order = sortOrder;
      int[] buffer = sortBuffer;
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      int[] from = order;
      int[] to = buffer;
      for (int width = 1; width < count; width *= 2) {
        for (int lo = 0; lo < count; lo += 2 * width) {
          int mid = Math.min(lo + width, count);
          int hi = Math.min(lo + 2 * width, count);
          int i = lo;
          int j = mid;
          int k = lo;
          while (i < mid && j < hi) {
            to[k++] = compare(from[j], from[i]) < 0 ? from[j++] : from[i++];
          }
          while (i < mid) {
            to[k++] = from[i++];
          }
          while (j < hi) {
            to[k++] = from[j++];
          }
        }
        int[] swap = from;
        from = to;
        to = swap;
      }
      if (spare == null || spare.day.length < count) {
        spare = new CustomerOrders();
        spare.ensure(day.length);
      }
      for (int i = 0; i < count; i++) {
        int o = from[i];
        spare.day[i] = day[o];
        spare.amount[i] = amount[o];
        spare.items[i] = items[o];
        spare.refund[i] = refund[o];
        spare.channel[i] = channel[o];
        spare.key[i] = key[o];
      }
      System.arraycopy(spare.day, 0, day, 0, count);
      System.arraycopy(spare.amount, 0, amount, 0, count);
      System.arraycopy(spare.items, 0, items, 0, count);
      System.arraycopy(spare.refund, 0, refund, 0, count);
      System.arraycopy(spare.channel, 0, channel, 0, count);
      System.arraycopy(spare.key, 0, key, 0, count);
    }

    private int[] sortOrder = new int[0];
    private int[] sortBuffer = new int[0];
    private CustomerOrders spare;

    private void ensure(int size) {
      day = new int[size];
      amount = new double[size];
      items = new float[size];
      refund = new boolean[size];
      channel = new int[size];
      key = new long[size];
    }

    private int compare(int a, int b) {
      int c = Integer.compare(day[a], day[b]);
      if (c == 0) {
        c = Double.compare(amount[a], amount[b]);
      }
      if (c == 0) {
        c = Float.compare(items[a], items[b]);
      }
      if (c == 0) {
        c = Boolean.compare(refund[a], refund[b]);
      }
      return c;
    }

    private void add(long k, int d, double a, float n, boolean r, int ch) {
      if (count == day.length) {
        int size = count * 2;
        day = Arrays.copyOf(day, size);
        amount = Arrays.copyOf(amount, size);
        items = Arrays.copyOf(items, size);
        refund = Arrays.copyOf(refund, size);
        channel = Arrays.copyOf(channel, size);
        key = Arrays.copyOf(key, size);
      }
      key[count] = k;
      day[count] = d;
      amount[count] = a;
      items[count] = n;
      refund[count] = r;
      channel[count] = ch;
      int s = (int) (k ^ (k >>> 32)) & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = ++count;
    }
  }
}
