package dev.retention.testing;

import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded orders export drawn from the BG/NBD process (see {@link BtydSimulation}) in days: each
 * customer's first purchase falls uniformly in the {@code maxAgeDays} before the cutoff, purchases
 * follow at their own Poisson rate {@code lambda ~ Gamma(r, alpha)} (per day), and after each
 * repeat purchase they drop out with {@code p ~ Beta(a, b)}; the process runs on for {@code
 * windowDays} after the cutoff, so the export holds the label window. Amounts are {@code Gamma(2,
 * scale 20)} per customer mean, or the same for everyone ({@code constantAmount}, as a purchase log
 * without money exports them).
 */
public final class BtydOrders {

  public static final String HEADER = "customer_id,order_id,order_date,amount";

  private BtydOrders() {}

  /** The settings of one draw. */
  public record Settings(
      long seed,
      int customers,
      double r,
      double alphaDays,
      double a,
      double b,
      int maxAgeDays,
      LocalDate cutoff,
      int windowDays,
      Double constantAmount) {}

  /** The export as CSV text, rows in the order they were drawn (customer by customer). */
  public static String csv(Settings s) {
    SplittableRandom rng = new SplittableRandom(s.seed());
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    long order = 0;
    int cutoff = (int) s.cutoff().toEpochDay();
    int end = cutoff + s.windowDays();
    for (int c = 0; c < s.customers(); c++) {
      double lambda = BtydSimulation.gamma(rng, s.r()) / s.alphaDays();
      double g = BtydSimulation.gamma(rng, s.a());
      double p = g / (g + BtydSimulation.gamma(rng, s.b()));
      double meanSpend = 20 * BtydSimulation.gamma(rng, 2);
      double t = cutoff - 1 - rng.nextInt(s.maxAgeDays());
      boolean first = true;
      while (t <= end) {
        double amount =
            s.constantAmount() != null
                ? s.constantAmount()
                : Math.max(0.01, meanSpend * BtydSimulation.gamma(rng, 4) / 4);
        out.append("k")
            .append(c)
            .append(",o")
            .append(order++)
            .append(',')
            .append(LocalDate.ofEpochDay((long) Math.floor(t)))
            .append(',')
            .append(String.format(Locale.ROOT, "%.2f", amount))
            .append('\n');
        if (!first && rng.nextDouble() < p) {
          break;
        }
        first = false;
        t += -Math.log(1 - rng.nextDouble()) / Math.max(lambda, 1e-9);
      }
    }
    // One order on the window's last day, so the default cutoff is the given one.
    out.append("k-last,o").append(order).append(',').append(LocalDate.ofEpochDay(end));
    out.append(",1.00\n");
    return out.toString();
  }
}
