package dev.retention.testing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A randomized campaign's feature export from {@link UpliftSimulation}: {@code customer_id}, the
 * simulator's features, {@code treated} (1 contacted, 0 held out) and {@code repurchased} (bought
 * in the window after), as a shop would export a past campaign with its holdout.
 */
public final class UpliftExports {

  private UpliftExports() {}

  /** The export and the simulated truth behind it. */
  public record Export(
      String csv, UpliftSimulation.Customers customers, boolean[] treated, int[] bought) {
    public byte[] bytes() {
      return csv.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** {@code n} customers, each contacted with probability {@code share}. */
  public static Export of(long seed, int n, double share) {
    UpliftSimulation.Customers c =
        UpliftSimulation.customers(seed, n, UpliftSimulation.Parameters.defaults());
    boolean[] treated = UpliftSimulation.randomTreatment(n, share, seed + 1);
    UpliftSimulation.Outcomes outcomes = UpliftSimulation.outcomes(c, treated, seed + 2);
    StringBuilder out = new StringBuilder("customer_id");
    for (String f : UpliftSimulation.FEATURES) {
      out.append(',').append(f);
    }
    out.append(",treated,repurchased\n");
    int d = UpliftSimulation.FEATURES.size();
    for (int i = 0; i < n; i++) {
      out.append(c.ids()[i]);
      for (int f = 0; f < d; f++) {
        out.append(',').append(String.format(Locale.ROOT, "%s", c.features().get(i, f)));
      }
      out.append(',').append(treated[i] ? 1 : 0).append(',').append(outcomes.bought()[i]);
      out.append('\n');
    }
    return new Export(out.toString(), c, treated, outcomes.bought());
  }
}
