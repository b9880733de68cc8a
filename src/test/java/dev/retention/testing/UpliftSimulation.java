package dev.retention.testing;

import dev.retention.core.FeatureMatrix;
import dev.retention.model.Playbook;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded customers whose reaction to a contact is known: each is one of four kinds (Radcliffe &amp;
 * Surry's quadrants), with probabilities that depend on the customer's features.
 *
 * <ul>
 *   <li><b>persuadable</b>: buys in the window if and only if contacted (effect +1);
 *   <li><b>sure thing</b>: buys either way (effect 0);
 *   <li><b>lost cause</b>: never buys (effect 0);
 *   <li><b>sleeping dog</b>: buys only if left alone; a contact puts them off (effect −1).
 * </ul>
 *
 * <p>Kind probabilities are a softmax of linear scores of standardized latent traits (recency,
 * frequency, e-mail engagement, discount affinity, tenure), which also generate the observed
 * features, so features carry the signal but not perfectly. Hence, per customer: {@code P(buy |
 * contact) = pi_sure + pi_persuadable}, {@code P(buy | left alone) = pi_sure + pi_sleeping}, and
 * the individual expected effect {@code tau = pi_persuadable - pi_sleeping} (the oracle's ranking).
 * Order values are Gamma(2) with the customer's own mean, independent of the contact, so the
 * expected revenue effect is {@code tau * mean order value}. With the default parameters the rate
 * of buying when left alone is about 0.31, the average effect about +0.075 (about 3.8 in revenue
 * per customer), and a third of the customers are put off by a contact on balance ({@code tau <
 * 0}).
 */
public final class UpliftSimulation {

  private UpliftSimulation() {}

  /** The observed feature columns. */
  public static final List<String> FEATURES =
      List.of(
          "recency_days",
          "frequency",
          "monetary",
          "tenure_days",
          "email_opens_90d",
          "discount_share");

  /**
   * Scores of the kinds (the lost cause's is {@code recencyOnLost * recency}).
   *
   * @param sure intercept of the sure thing
   * @param persuadable intercept of the persuadable
   * @param sleeping intercept of the sleeping dog
   */
  public record Parameters(double sure, double persuadable, double sleeping) {
    public static Parameters defaults() {
      return new Parameters(-1.3, -2.0, -3.0);
    }
  }

  /** A simulated population: observed features and the hidden truth. */
  public record Customers(
      String[] ids,
      FeatureMatrix features,
      double[] sure,
      double[] persuadable,
      double[] sleeping,
      double[] meanOrderValue,
      int[] segment,
      int[] band) {

    public int size() {
      return ids.length;
    }

    public double buyIfContacted(int i) {
      return sure[i] + persuadable[i];
    }

    public double buyIfLeftAlone(int i) {
      return sure[i] + sleeping[i];
    }

    /** The true expected effect of a contact on buying. */
    public double tau(int i) {
      return persuadable[i] - sleeping[i];
    }

    public double[] tau() {
      double[] out = new double[size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = tau(i);
      }
      return out;
    }
  }

  /** Realised outcomes in the window. */
  public record Outcomes(int[] bought, double[] revenue) {}

  /** {@code n} customers from {@code seed}, ids {@code prefix + index}. */
  public static Customers customers(long seed, int n, Parameters p) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] ids = new String[n];
    double[] x = new double[n * FEATURES.size()];
    double[] sure = new double[n];
    double[] persuadable = new double[n];
    double[] sleeping = new double[n];
    double[] value = new double[n];
    int[] segment = new int[n];
    int[] band = new int[n];
    Playbook bands = Playbook.orDefault(null);
    int d = FEATURES.size();
    for (int i = 0; i < n; i++) {
      double recency = random.nextGaussian();
      double frequency = random.nextGaussian();
      double engagement = random.nextGaussian();
      double discount = random.nextGaussian();
      double tenure = 0.5 * frequency + Math.sqrt(0.75) * random.nextGaussian();
      double spend = random.nextGaussian();
      // Observed features: monotone, noisy views of the traits, in shop units.
      x[i * d] = Math.round(30 * Math.exp(0.8 * recency + 0.2 * random.nextGaussian()));
      x[i * d + 1] = Math.max(1, Math.round(3 * Math.exp(0.6 * frequency)));
      x[i * d + 2] = Math.round(100 * 45 * Math.exp(0.5 * spend)) / 100.0;
      x[i * d + 3] = Math.round(400 * Math.exp(0.5 * tenure));
      x[i * d + 4] = Math.max(0, Math.round(4 + 3 * engagement + random.nextGaussian()));
      x[i * d + 5] = clamp01(0.3 + 0.15 * discount + 0.05 * random.nextGaussian());
      double sSure = p.sure() + 1.1 * frequency - 0.9 * recency;
      double sPersuadable = p.persuadable() + 0.9 * engagement + 0.7 * discount - 0.3 * frequency;
      double sSleeping = p.sleeping() - 1.0 * engagement + 0.5 * tenure;
      double sLost = 0.8 * recency;
      double max = Math.max(Math.max(sSure, sPersuadable), Math.max(sSleeping, sLost));
      double eSure = Math.exp(sSure - max);
      double ePersuadable = Math.exp(sPersuadable - max);
      double eSleeping = Math.exp(sSleeping - max);
      double total = eSure + ePersuadable + eSleeping + Math.exp(sLost - max);
      sure[i] = eSure / total;
      persuadable[i] = ePersuadable / total;
      sleeping[i] = eSleeping / total;
      value[i] = x[i * d + 2];
      ids[i] = "S" + seed + "-" + i;
      segment[i] = (frequency > 0 ? 1 : 0) + (spend > 0 ? 2 : 0);
      band[i] = bands.bandIndex(sure[i] + sleeping[i]);
    }
    return new Customers(
        ids, new FeatureMatrix(FEATURES, x), sure, persuadable, sleeping, value, segment, band);
  }

  private static double clamp01(double v) {
    return Math.max(0, Math.min(1, v));
  }

  /**
   * Draws each customer's kind, hence whether they buy given whether they were contacted, and the
   * order value of a purchase.
   */
  public static Outcomes outcomes(Customers c, boolean[] contacted, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = c.size();
    int[] bought = new int[n];
    double[] revenue = new double[n];
    for (int i = 0; i < n; i++) {
      // One uniform decides the kind: sure thing, persuadable, sleeping dog, else lost cause.
      double u = random.nextDouble();
      double sure = c.sure()[i];
      double persuadable = sure + c.persuadable()[i];
      double sleeping = persuadable + c.sleeping()[i];
      boolean buys =
          u < sure || (contacted[i] ? u < persuadable : u >= persuadable && u < sleeping);
      double order = c.meanOrderValue()[i] / 2 * (exponential(random) + exponential(random));
      bought[i] = buys ? 1 : 0;
      revenue[i] = buys ? Math.round(100 * order) / 100.0 : 0;
    }
    return new Outcomes(bought, revenue);
  }

  private static double exponential(SplittableRandom random) {
    return -Math.log(1 - random.nextDouble());
  }

  /** A randomized experiment: each customer treated with probability {@code share}. */
  public static boolean[] randomTreatment(int n, double share, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextDouble() < share;
    }
    return out;
  }
}
