package dev.retention.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Degree-2 polynomial terms of standardized features, giving the linear model curvature (e.g. "very
 * recent and very old customers behave alike") and interactions (e.g. frequency matters more for
 * recent customers).
 *
 * <p>Terms, in order: the {@code d} base features; then, if {@code squares}, {@code z_j^2} for each
 * j; then, if {@code interactions}, {@code z_j * z_k} for each {@code j < k}. Applied to
 * standardized values so terms have comparable scale for the L2 penalty.
 *
 * <p>Explanations fold each term back onto the original features: a base or square term belongs
 * wholly to its feature, an interaction term half to each of its two features, so per-feature
 * contributions still add up to the linear predictor minus the intercept.
 *
 * @param squares add {@code z_j^2}
 * @param interactions add {@code z_j * z_k}, {@code j < k}
 */
public record FeatureExpansion(boolean squares, boolean interactions)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static final FeatureExpansion NONE = new FeatureExpansion(false, false);
  public static final FeatureExpansion QUADRATIC = new FeatureExpansion(true, true);

  public boolean isNone() {
    return !squares && !interactions;
  }

  /** Number of terms for {@code d} base features. */
  public int terms(int d) {
    return d + (squares ? d : 0) + (interactions ? d * (d - 1) / 2 : 0);
  }

  /**
   * Term names, e.g. {@code recency_days}, {@code recency_days^2}, {@code recency_days*frequency}.
   */
  public List<String> termNames(List<String> features) {
    int d = features.size();
    List<String> names = new ArrayList<>(terms(d));
    names.addAll(features);
    if (squares) {
      for (String f : features) {
        names.add(f + "^2");
      }
    }
    if (interactions) {
      for (int j = 0; j < d; j++) {
        for (int k = j + 1; k < d; k++) {
          names.add(features.get(j) + "*" + features.get(k));
        }
      }
    }
    return names;
  }

  /** Writes the terms of one standardized row {@code z} into {@code out}. */
  public void expandRow(double[] z, int zOffset, int d, double[] out, int outOffset) {
    System.arraycopy(z, zOffset, out, outOffset, d);
    int t = outOffset + d;
    if (squares) {
      for (int j = 0; j < d; j++) {
        double v = z[zOffset + j];
        out[t++] = v * v;
      }
    }
    if (interactions) {
      for (int j = 0; j < d; j++) {
        for (int k = j + 1; k < d; k++) {
          out[t++] = z[zOffset + j] * z[zOffset + k];
        }
      }
    }
  }

  /** Expands every row of a standardized matrix. */
  public FeatureMatrix expand(FeatureMatrix standardized) {
    if (isNone()) {
      return standardized;
    }
    int d = standardized.cols();
    int p = terms(d);
    double[] out = new double[standardized.rows() * p];
    for (int i = 0; i < standardized.rows(); i++) {
      expandRow(standardized.data(), i * d, d, out, i * p);
    }
    return new FeatureMatrix(termNames(standardized.columns()), out);
  }

  /**
   * Per-feature contributions {@code coefficient * term}, folded onto the {@code d} base features.
   *
   * @param z one standardized row (length d)
   * @param coefficients one per term
   * @param out length d, overwritten
   */
  public void contributions(double[] z, double[] coefficients, double[] out) {
    int d = z.length;
    for (int j = 0; j < d; j++) {
      out[j] = coefficients[j] * z[j];
    }
    int t = d;
    if (squares) {
      for (int j = 0; j < d; j++) {
        out[j] += coefficients[t++] * z[j] * z[j];
      }
    }
    if (interactions) {
      for (int j = 0; j < d; j++) {
        for (int k = j + 1; k < d; k++) {
          double half = 0.5 * coefficients[t++] * z[j] * z[k];
          out[j] += half;
          out[k] += half;
        }
      }
    }
  }
}
