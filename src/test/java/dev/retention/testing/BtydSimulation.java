package dev.retention.testing;

import java.util.SplittableRandom;

/**
 * Seeded draws from the generative processes of the customer-value models, with the hidden truth
 * kept for Monte Carlo checks.
 *
 * <ul>
 *   <li>BG/NBD (Fader, Hardie &amp; Lee 2005, section 3): {@code lambda ~ Gamma(r, rate alpha)},
 *       {@code p ~ Beta(a, b)}; from the first purchase at time 0, purchases come as a Poisson
 *       process with rate {@code lambda} and after each repeat purchase the customer drops out with
 *       probability {@code p} (as lifetimes' {@code beta_geometric_nbd_model}). The history is
 *       observed up to the age {@code T}, drawn per customer uniformly from {@code [minAge,
 *       maxAge]}; the same process then runs on over {@code (T, T + horizon]}.
 *   <li>Gamma-Gamma (Fader &amp; Hardie, note 025): {@code nu ~ Gamma(q, rate v)} per customer and
 *       {@code x} transaction values {@code ~ Gamma(p, rate nu)}; {@code m} is their mean.
 * </ul>
 */
public final class BtydSimulation {

  private BtydSimulation() {}

  /** Simulated BG/NBD customers: the observed history and what the model hides. */
  public static final class Customers {
    public final int[] x;
    public final double[] tx;
    public final double[] age;
    public final boolean[] alive;
    public final double[] lambda;

    /** Purchases in {@code (T, T + horizon]}. */
    public final int[] future;

    /** Time from {@code T} to the next purchase; only meaningful where {@link #alive}. */
    public final double[] nextPurchase;

    Customers(int n) {
      x = new int[n];
      tx = new double[n];
      age = new double[n];
      alive = new boolean[n];
      lambda = new double[n];
      future = new int[n];
      nextPurchase = new double[n];
    }

    public int size() {
      return x.length;
    }
  }

  /** Draws {@code n} BG/NBD customers. */
  public static Customers bgNbd(
      long seed,
      int n,
      double r,
      double alpha,
      double a,
      double b,
      double minAge,
      double maxAge,
      double horizon) {
    SplittableRandom rng = new SplittableRandom(seed);
    Customers c = new Customers(n);
    for (int i = 0; i < n; i++) {
      double lambda = gamma(rng, r) / alpha;
      double g1 = gamma(rng, a);
      double p = g1 / (g1 + gamma(rng, b));
      double age = minAge + (maxAge - minAge) * rng.nextDouble();
      int x = 0;
      double last = 0;
      boolean alive = true;
      double t = exponential(rng, lambda);
      while (t <= age) {
        x++;
        last = t;
        if (rng.nextDouble() < p) {
          alive = false;
          break;
        }
        t += exponential(rng, lambda);
      }
      c.x[i] = x;
      c.tx[i] = last;
      c.age[i] = age;
      c.alive[i] = alive;
      c.lambda[i] = lambda;
      if (alive) {
        // memoryless: the next purchase after T is an exponential time away
        double next = exponential(rng, lambda);
        c.nextPurchase[i] = next;
        int future = 0;
        while (next <= horizon) {
          future++;
          if (rng.nextDouble() < p) {
            break;
          }
          next += exponential(rng, lambda);
        }
        c.future[i] = future;
      } else {
        c.nextPurchase[i] = Double.POSITIVE_INFINITY;
      }
    }
    return c;
  }

  /** Simulated spend of repeat customers. */
  public static final class Spend {
    public final int[] x;
    public final double[] m;

    /** The customer's true mean transaction value {@code p / nu}. */
    public final double[] trueMean;

    Spend(int n) {
      x = new int[n];
      m = new double[n];
      trueMean = new double[n];
    }
  }

  /**
   * Draws {@code n} repeat customers, {@code x} geometric on {@code {1, 2, ...}} with mean {@code
   * meanX}, with Gamma-Gamma spend.
   */
  public static Spend gammaGamma(long seed, int n, double p, double q, double v, double meanX) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] x = new int[n];
    double stop = 1.0 / meanX;
    for (int i = 0; i < n; i++) {
      x[i] = 1;
      while (rng.nextDouble() >= stop) {
        x[i]++;
      }
    }
    return gammaGamma(rng, x, p, q, v);
  }

  /** Gamma-Gamma spend for given repeat purchases {@code x}; {@code m = 0} where {@code x = 0}. */
  public static Spend gammaGamma(long seed, int[] x, double p, double q, double v) {
    return gammaGamma(new SplittableRandom(seed), x, p, q, v);
  }

  private static Spend gammaGamma(SplittableRandom rng, int[] x, double p, double q, double v) {
    Spend s = new Spend(x.length);
    for (int i = 0; i < x.length; i++) {
      double nu = gamma(rng, q) / v;
      double sum = 0;
      for (int j = 0; j < x[i]; j++) {
        sum += gamma(rng, p) / nu;
      }
      s.x[i] = x[i];
      s.m[i] = x[i] == 0 ? 0 : sum / x[i];
      s.trueMean[i] = p / nu;
    }
    return s;
  }

  /** {@code Gamma(shape, 1)} by Marsaglia &amp; Tsang (2000), boosted for {@code shape < 1}. */
  public static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      double u = 1 - rng.nextDouble();
      return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = Synthetic.gaussian(rng);
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1 - rng.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static double exponential(SplittableRandom rng, double rate) {
    return -Math.log(1 - rng.nextDouble()) / rate;
  }
}
