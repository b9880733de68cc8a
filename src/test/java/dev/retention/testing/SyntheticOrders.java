package dev.retention.testing;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded orders export with a learnable repurchase signal: each customer buys at their own rate
 * (gamma-like mix, so a few customers buy often) from a first day until a churn day, with
 * log-normal amounts, 3 % refunds and three channels. Customers are written in blocks of 5,000
 * whose orders are sorted by date, as exports usually are.
 */
public final class SyntheticOrders {

  public static final String HEADER = "customer_id,order_id,order_date,amount,items,status,channel";
  private static final String[] CHANNELS = {"web", "app", "store"};

  private SyntheticOrders() {}

  /**
   * Writes at most {@code rows} order rows over {@code customers} customers ending on {@code last}.
   *
   * @return rows written
   */
  public static long write(Writer out, long rows, int customers, LocalDate last, long seed)
      throws IOException {
    return write(out, rows, customers, last, seed, HEADER);
  }

  /**
   * {@link #write(Writer, long, int, LocalDate, long)} under another header: the same seven columns
   * named as a shop's dialect names them.
   */
  public static long write(
      Writer out, long rows, int customers, LocalDate last, long seed, String header)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int span = 730;
    int lastDay = (int) last.toEpochDay();
    // Churn and late first days cut about half the orders a rate would give: scale it up.
    double meanOrders = 2.1 * rows / customers;
    out.write(header);
    out.write('\n');
    long written = 0;
    long orderId = 0;
    StringBuilder text = new StringBuilder(1 << 20);
    for (int block = 0; block < customers; block += 5000) {
      List<long[]> orders = new ArrayList<>();
      for (int c = block; c < Math.min(customers, block + 5000); c++) {
        double rate = -Math.log(1 - random.nextDouble()) * meanOrders / span; // orders per day
        int first = lastDay - span + random.nextInt(span);
        int churn = random.nextInt(3) == 0 ? first + random.nextInt(span) : Integer.MAX_VALUE;
        double day = first;
        while (true) {
          if (day > lastDay || day > churn) {
            break;
          }
          orders.add(new long[] {(long) day, c, orderId++});
          day += -Math.log(1 - random.nextDouble()) / Math.max(rate, 1e-4);
        }
      }
      orders.sort((a, b) -> Long.compare(a[0], b[0]));
      for (long[] o : orders) {
        if (written == rows) {
          break;
        }
        double amount = Math.exp(3.5 + 0.8 * Synthetic.gaussian(random));
        text.append('c')
            .append(o[1])
            .append(",o")
            .append(o[2])
            .append(',')
            .append(LocalDate.ofEpochDay(o[0]))
            .append(',')
            .append(String.format(Locale.ROOT, "%.2f", amount))
            .append(',')
            .append(1 + random.nextInt(5))
            .append(',')
            .append(random.nextInt(100) < 3 ? "refunded" : "paid")
            .append(',')
            .append(CHANNELS[random.nextInt(3)])
            .append('\n');
        written++;
      }
      out.append(text);
      text.setLength(0);
    }
    return written;
  }
}
