package dev.retention.features;

import java.util.Arrays;

/**
 * The order rows of an export in primitive arrays, appended row by row in one pass.
 *
 * <p>Memory: a customer costs its id's bytes plus about 24 bytes ({@link IdTable} and the head of
 * its entry list); an entry costs 35 bytes (day, amount, items, flags, channel, a 64-bit order-id
 * hash, its row count and a link to the customer's previous entry). The export's text is never
 * kept, and consecutive rows of one order of the same kind and day (its lines, an exact repeat)
 * take one entry. Each customer's entries form a linked list, so no per-order map is needed: the
 * rows of one order are gathered when the customer's orders are {@linkplain #collect collected},
 * whatever their order in the export.
 *
 * <p>Rows are <em>purchase rows</em> or <em>refund rows</em> (the reader decides: a refund status,
 * a negative amount or quantity, a cancellation prefix). Per (customer, order id), collecting keeps
 * them apart and nets them, so the result does not depend on the rows' order:
 *
 * <ul>
 *   <li>purchase rows: with {@link Grain#ORDER} (one row per order) one of them is the order (the
 *       earliest, then the smallest amount, items and channel), the others are duplicates, ignored
 *       and counted; with {@link Grain#LINE} they add up, the order's date is its earliest line's,
 *       and lines dated otherwise are counted;
 *   <li>refund rows add up (partial refunds), each refunding its amount, or the whole order when it
 *       gives no amount; only refunds dated on or before a horizon count against the order
 *       (features see refunds up to the cutoff, the label up to the window's end: no leak);
 *   <li>an order refunded in full by then is a refund; one refunded in part is a purchase of what
 *       is left; refund rows without a purchase row are a refund order of their own.
 * </ul>
 *
 * <p>Order ids are compared by a 64-bit FNV-1a hash: a collision between two of one customer's
 * orders has a probability near n²/2⁶⁵.
 */
public final class OrderBook {

  /** What one export row is. */
  public enum Grain {
    ORDER,
    LINE
  }

  /** A refund row's amount when it refunds the whole order (a refund status without an amount). */
  public static final double WHOLE_ORDER = Double.POSITIVE_INFINITY;

  static final int NO_CHANNEL = -1;
  private static final byte REFUND = 1;

  private final Grain grain;
  private final IdTable customers = new IdTable();
  private final IdTable channels = new IdTable();
  private int[] newest = new int[1024];

  private int entries;
  private int[] day = new int[4096];
  private double[] amount = new double[4096];
  private float[] items = new float[4096];
  private byte[] flags = new byte[4096];
  private short[] channel = new short[4096];
  private long[] orderKey = new long[4096];
  private int[] rows = new int[4096];
  private int[] previous = new int[4096];

  private int minDay = Integer.MAX_VALUE;
  private int maxDay = Integer.MIN_VALUE;

  public OrderBook(Grain grain) {
    this.grain = grain;
  }

  /**
   * Adds one export row.
   *
   * @param epochDay order date as days since 1970-01-01
   * @param orderAmount a purchase row's amount (at least 0), or a refund row's refunded amount (at
   *     least 0; {@link #WHOLE_ORDER} for the whole order)
   * @param itemCount items (at least 0), or NaN when not given
   * @param refund whether the row is a refund row
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
    byte flag = refund ? REFUND : 0;
    int ch = channel(channelName);
    int last = newest[c];
    if (last >= 0
        && orderKey[last] == key
        && flags[last] == flag
        && day[last] == epochDay
        && Double.compare(amount[last], orderAmount) == 0
        && Float.compare(items[last], itemCount) == 0
        && channel[last] == ch) {
      // The same row again (a repeated row, or identical lines): counted, not stored twice.
      rows[last]++;
      return;
    }
    if (entries == day.length) {
      grow();
    }
    int o = entries++;
    day[o] = epochDay;
    amount[o] = orderAmount;
    items[o] = itemCount;
    flags[o] = flag;
    channel[o] = (short) ch;
    orderKey[o] = key;
    rows[o] = 1;
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
    rows = Arrays.copyOf(rows, size);
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

  /** Entries held (rows of one order, kind and day that followed each other share one). */
  public int orders() {
    return entries;
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

  /** Compares two entries' channels by name (an order's channel must not depend on row order). */
  private int compareChannels(int a, int b) {
    if (channel[a] == channel[b]) {
      return 0;
    }
    if (channel[a] == NO_CHANNEL || channel[b] == NO_CHANNEL) {
      return channel[a] == NO_CHANNEL ? 1 : -1;
    }
    return channels.get(channel[a]).compareTo(channels.get(channel[b]));
  }

  /**
   * Whether entry {@code a} is the order's row rather than {@code b} (grain ORDER): the earliest,
   * then the smallest amount, items and channel name.
   */
  private boolean before(int a, int b) {
    if (day[a] != day[b]) {
      return day[a] < day[b];
    }
    int byAmount = Double.compare(amount[a], amount[b]);
    if (byAmount != 0) {
      return byAmount < 0;
    }
    int byItems = Float.compare(items[a], items[b]);
    if (byItems != 0) {
      return byItems < 0;
    }
    return compareChannels(a, b) < 0;
  }

  /**
   * One customer's distinct orders with their rows netted by the rules above, as of {@code cutoff}
   * for the features and {@code horizon} for the label (epoch days), in a canonical order (by day,
   * then order id): {@code into.order[0..count)} lists them. Reuses {@code into}'s arrays.
   */
  CustomerOrders collect(int c, CustomerOrders into, int cutoff, int horizon) {
    into.clear();
    for (int o = newest[c]; o >= 0; o = previous[o]) {
      into.push(o);
    }
    into.prepareTable();
    // Group the entries by order: a chain of entries per distinct order id.
    for (int i = into.pushed - 1; i >= 0; i--) {
      int o = into.stack[i];
      int g = into.find(orderKey[o]);
      if (g < 0) {
        g = into.open(orderKey[o]);
      }
      into.link(g, i);
    }
    for (int g = 0; g < into.count; g++) {
      settle(into, g, cutoff, horizon);
    }
    into.sortOrders();
    return into;
  }

  /** Nets one order's purchase and refund rows; sums in a canonical order of its entries. */
  private void settle(CustomerOrders into, int g, int cutoff, int horizon) {
    int n = 0;
    for (int i = into.first[g]; i >= 0; i = into.next[i]) {
      into.entries = grow(into.entries, n);
      into.entries[n++] = into.stack[i];
    }
    sortEntries(into, n);
    int chosen = -1;
    int earliestRefund = Integer.MAX_VALUE;
    int purchaseRows = 0;
    int refundRows = 0;
    double purchase = 0;
    float bought = Float.NaN;
    double refundedByCutoff = 0;
    double refundedByHorizon = 0;
    float returnedByCutoff = Float.NaN;
    for (int k = 0; k < n; k++) {
      int o = into.entries[k];
      for (int r = 0; r < rows[o]; r++) {
        if ((flags[o] & REFUND) != 0) {
          refundRows++;
          earliestRefund = Math.min(earliestRefund, day[o]);
          if (day[o] <= cutoff) {
            refundedByCutoff += amount[o];
            returnedByCutoff = addItems(returnedByCutoff, items[o]);
          }
          if (day[o] <= horizon) {
            refundedByHorizon += amount[o];
          }
          continue;
        }
        purchaseRows++;
        if (grain == Grain.LINE) {
          purchase += amount[o];
          bought = addItems(bought, items[o]);
        }
      }
      if ((flags[o] & REFUND) == 0) {
        boolean earlier =
            chosen < 0
                || (grain == Grain.ORDER
                    ? before(o, chosen)
                    : day[o] < day[chosen]
                        || (day[o] == day[chosen] && compareChannels(o, chosen) < 0));
        if (earlier) {
          chosen = o;
        }
      }
    }
    if (chosen >= 0 && grain == Grain.ORDER) {
      purchase = amount[chosen];
      bought = items[chosen];
      into.duplicates += purchaseRows - 1;
    } else if (chosen >= 0) {
      into.merged += purchaseRows - 1;
      for (int k = 0; k < n; k++) {
        int o = into.entries[k];
        if ((flags[o] & REFUND) == 0 && day[o] != day[chosen]) {
          into.conflicts += rows[o];
        }
      }
    }
    if (chosen >= 0) {
      into.refundRowsNetted += refundRows;
      into.day[g] = day[chosen];
      into.channel[g] = channel[chosen];
      into.hasPurchase[g] = true;
    } else {
      into.day[g] = earliestRefund;
      into.channel[g] = NO_CHANNEL;
      into.hasPurchase[g] = false;
    }
    into.amount[g] = purchase;
    into.refundedByCutoff[g] = refundedByCutoff;
    into.refundedByHorizon[g] = refundedByHorizon;
    into.items[g] =
        Float.isNaN(returnedByCutoff) || Float.isNaN(bought)
            ? bought
            : Math.max(0f, bought - returnedByCutoff);
  }

  private static int[] grow(int[] array, int size) {
    return size < array.length ? array : Arrays.copyOf(array, Math.max(8, size * 2));
  }

  /**
   * Sorts an order's entries canonically: purchase rows first, then by amount, items, day and
   * channel (entries equal in all of these are interchangeable: their sums are the same).
   */
  private void sortEntries(CustomerOrders into, int n) {
    if (n > 1) {
      into.sorter.sort(into.entries, n, entryOrder);
    }
  }

  private final IndexSort.Order entryOrder = this::compareEntries;

  private int compareEntries(int a, int b) {
    if (flags[a] != flags[b]) {
      return Integer.compare(flags[a], flags[b]);
    }
    int byAmount = Double.compare(amount[a], amount[b]);
    if (byAmount != 0) {
      return byAmount;
    }
    int byItems = Float.compare(items[a], items[b]);
    if (byItems != 0) {
      return byItems;
    }
    if (day[a] != day[b]) {
      return Integer.compare(day[a], day[b]);
    }
    return compareChannels(a, b);
  }

  /**
   * Reusable per-customer scratch space for {@link #collect}: per distinct order, its day (its
   * purchase's, or its earliest refund's when it has no purchase row), purchase amount, refunds up
   * to the cutoff and to the horizon, items (bought less returned by the cutoff), channel.
   */
  static final class CustomerOrders {
    int count;

    /** The orders in canonical order (by day, then order id hash): indices into the arrays. */
    int[] order = new int[64];

    private int[] entries = new int[16];
    private final IndexSort sorter = new IndexSort();
    private final IndexSort.Order orderOrder = this::compareOrders;
    int[] day = new int[64];
    double[] amount = new double[64];
    double[] refundedByCutoff = new double[64];
    double[] refundedByHorizon = new double[64];
    boolean[] hasPurchase = new boolean[64];
    float[] items = new float[64];
    int[] channel = new int[64];
    long duplicates;
    long merged;
    long conflicts;
    long refundRowsNetted;
    private long[] key = new long[64];
    private int[] first = new int[64];
    private int[] last = new int[64];
    private int[] stack = new int[64];
    private int[] next = new int[64];
    private int pushed;
    private int[] slots = new int[128]; // order + 1, 0 = empty
    private int mask;

    private void clear() {
      count = 0;
      pushed = 0;
      duplicates = 0;
      merged = 0;
      conflicts = 0;
      refundRowsNetted = 0;
    }

    private void push(int o) {
      if (pushed == stack.length) {
        stack = Arrays.copyOf(stack, pushed * 2);
        next = Arrays.copyOf(next, pushed * 2);
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

    /** A new order for {@code k}, without entries yet. */
    private int open(long k) {
      if (count == day.length) {
        int size = count * 2;
        day = Arrays.copyOf(day, size);
        amount = Arrays.copyOf(amount, size);
        refundedByCutoff = Arrays.copyOf(refundedByCutoff, size);
        refundedByHorizon = Arrays.copyOf(refundedByHorizon, size);
        hasPurchase = Arrays.copyOf(hasPurchase, size);
        items = Arrays.copyOf(items, size);
        channel = Arrays.copyOf(channel, size);
        key = Arrays.copyOf(key, size);
        first = Arrays.copyOf(first, size);
        last = Arrays.copyOf(last, size);
      }
      key[count] = k;
      first[count] = -1;
      last[count] = -1;
      int s = (int) (k ^ (k >>> 32)) & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = ++count;
      return count - 1;
    }

    /** Fills {@link #order} with the orders by day, then by order id hash. */
    private void sortOrders() {
      if (order.length < count) {
        order = new int[Math.max(count, order.length * 2)];
      }
      for (int g = 0; g < count; g++) {
        order[g] = g;
      }
      if (count > 1) {
        sorter.sort(order, count, orderOrder);
      }
    }

    private int compareOrders(int a, int b) {
      return day[a] != day[b] ? Integer.compare(day[a], day[b]) : Long.compare(key[a], key[b]);
    }

    /** Appends pushed entry {@code i} to order {@code g}'s chain. */
    private void link(int g, int i) {
      next[i] = -1;
      if (first[g] < 0) {
        first[g] = i;
      } else {
        next[last[g]] = i;
      }
      last[g] = i;
    }
  }
}
