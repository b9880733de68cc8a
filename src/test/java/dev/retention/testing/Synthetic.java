package dev.retention.testing;

import dev.retention.core.FeatureMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic tables for tests and benchmarks: overlapping Gaussian blobs plus a logistic
 * label.
 */
public final class Synthetic {

  public final FeatureMatrix features;
  public final int[] labels;

  private Synthetic(FeatureMatrix features, int[] labels) {
    this.features = features;
    this.labels = labels;
  }

  /**
   * {@code rows x d} table: each row drawn from one of {@code blobs} unit-variance Gaussian blobs
   * whose centres are spread with scale {@code spread}; label ~ Bernoulli(sigmoid(w . x)) with
   * fixed seeded weights.
   */
  public static Synthetic blobs(int rows, int d, int blobs, double spread, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] centres = new double[blobs * d];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = spread * gaussian(rng);
    }
    double[] weights = new double[d];
    for (int c = 0; c < d; c++) {
      weights[c] = gaussian(rng) / Math.sqrt(d);
    }
    double[] data = new double[rows * d];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      int blob = rng.nextInt(blobs);
      double eta = 0.3;
      for (int c = 0; c < d; c++) {
        double v = centres[blob * d + c] + gaussian(rng);
        data[i * d + c] = v;
        eta += weights[c] * v;
      }
      labels[i] = rng.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    return new Synthetic(new FeatureMatrix(names(d), data), labels);
  }

  public static List<String> names(int d) {
    List<String> names = new ArrayList<>(d);
    for (int c = 0; c < d; c++) {
      names.add("f" + c);
    }
    return names;
  }

  /** Box-Muller standard normal from a seeded generator. */
  public static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
