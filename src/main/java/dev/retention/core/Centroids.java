package dev.retention.core;

/**
 * K cluster centres in a d-dimensional space, row-major ({@code centres[j * d + c]}), and the
 * nearest-centre rule used by both training and scoring.
 *
 * @param k number of centres
 * @param d dimension
 * @param centres row-major centre coordinates, length {@code k * d}
 */
public record Centroids(int k, int d, double[] centres) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public Centroids {
    if (k < 1 || d < 1 || centres.length != k * d) {
      throw new IllegalArgumentException(
          "centres must hold k*d = " + k + "*" + d + " values, got " + centres.length);
    }
  }

  /** Squared Euclidean distance between row {@code row} of {@code x} (width d) and centre j. */
  public double distanceSquared(double[] x, int row, int j) {
    return squaredDistance(x, row * d, centres, j * d, d);
  }

  /** Index of the centre nearest to {@code x[offset .. offset + d)}; ties go to the lower index. */
  public int nearest(double[] x, int offset) {
    return nearest(x, offset, null);
  }

  /**
   * {@link #nearest(double[], int)} that also writes the squared distance to that centre into
   * {@code squaredDistance[0]} (when not null).
   */
  public int nearest(double[] x, int offset, double[] squaredDistance) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double dist = squaredDistance(x, offset, centres, j * d, d);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = j;
      }
    }
    if (squaredDistance != null) {
      squaredDistance[0] = bestDistance;
    }
    return best;
  }

  /** One centre as a new array. */
  public double[] centre(int j) {
    double[] out = new double[d];
    System.arraycopy(centres, j * d, out, 0, d);
    return out;
  }

  public static double squaredDistance(double[] a, int aOffset, double[] b, int bOffset, int d) {
    double sum = 0;
    for (int c = 0; c < d; c++) {
      double diff = a[aOffset + c] - b[bOffset + c];
      sum += diff * diff;
    }
    return sum;
  }
}
