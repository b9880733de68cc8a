package dev.retention.core;

/**
 * L2-regularized binary logistic regression solved by Newton's method.
 *
 * <p>Objective (scikit-learn's {@code LogisticRegression(penalty="l2", C=C)}): {@code f(w, b) = C *
 * sum_i s_i * [softplus(eta_i) - y_i * eta_i] + 0.5 * ||w||^2}, {@code eta_i = b + w . x_i}, with
 * {@code s_i} the class weight of row i and the intercept {@code b} not penalized. {@code
 * softplus(t) = log(1 + e^t)} is evaluated as {@code max(t, 0) + log1p(e^-|t|)}, so no term
 * overflows.
 *
 * <p>Solver: Newton's method (e.g. Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed.,
 * ch. 3 and 6). Gradient {@code g = C X'S(p - y) + [w; 0]}, Hessian {@code H = C X'S diag(p(1-p)) X
 * + diag(1, ..., 1, 0)}, step {@code -H^-1 g} by Cholesky, accepted by Armijo backtracking. The L2
 * term makes {@code f} strictly convex in {@code w}, so the iteration converges, also on perfectly
 * separable data. Each iteration is one parallel pass over the rows, in fixed blocks, so results do
 * not depend on the thread count. Quadratic convergence reaches the tight tolerance (default 1e-9)
 * in a handful of passes, where fixed-step gradient descent would need thousands.
 */
public final class LogisticRegression {

  private LogisticRegression() {}

  /**
   * Fits the model on all rows of {@code design}, with no expansion.
   *
   * @param design feature columns (standardized); an intercept is added
   * @param labels 0 or 1 per row
   * @throws IllegalArgumentException on a label that is not 0/1, a length mismatch, or a single
   *     class
   */
  public static LogisticFit fit(FeatureMatrix design, int[] labels, LogisticOptions options) {
    return fit(new Design(design, null, FeatureExpansion.NONE), labels, options);
  }

  /**
   * Fits the model on the design's rows of its base matrix, each row expanded on the fly.
   *
   * @param labels 0 or 1 for every row of the base matrix (rows outside the subset are ignored)
   * @throws IllegalArgumentException on a label that is not 0/1, a length mismatch, or a single
   *     class
   */
  public static LogisticFit fit(Design design, int[] labels, LogisticOptions options) {
    return fit(design, labels, options, null);
  }

  /**
   * Fits the model starting from {@code start} (a fit over the same terms, e.g. on a subset of the
   * rows): the objective is strictly convex, so the optimum is the same and only the number of
   * Newton passes changes. {@code start} may be null.
   */
  public static LogisticFit fit(
      Design design, int[] labels, LogisticOptions options, LogisticFit start) {
    return fit(design, labels, null, options, start);
  }

  /**
   * Fits the model with a weight per row of the base matrix: the loss of row {@code i} counts
   * {@code rowWeights[i]} times (e.g. inverse-propensity weights that balance a treatment and a
   * control group). Only relative weights matter: they are rescaled to mean 1 over the design's
   * rows, so {@code C} keeps its per-row meaning and the tolerance its scale.
   *
   * @param rowWeights one finite weight {@code >= 0} per row of the base matrix, not all zero on
   *     the design's rows; null = every row 1
   * @throws IllegalArgumentException as {@link #fit(Design, int[], LogisticOptions)}, on a bad
   *     weight, or on row weights with {@link LogisticOptions.ClassWeight#BALANCED} (one weighting
   *     at a time)
   */
  public static LogisticFit fit(
      Design design, int[] labels, double[] rowWeights, LogisticOptions options) {
    return fit(design, labels, rowWeights, options, null);
  }

  private static LogisticFit fit(
      Design design,
      int[] labels,
      double[] rowWeights,
      LogisticOptions options,
      LogisticFit start) {
    int n = design.size();
    double[] weights =
        rowWeights == null ? null : normalizedRowWeights(design, rowWeights, options);
    if (labels.length != design.base().rows()) {
      throw new IllegalArgumentException(
          "labels has " + labels.length + " entries for " + design.base().rows() + " rows");
    }
    long positives = 0;
    for (int r = 0; r < n; r++) {
      int i = design.row(r);
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("label at row " + i + " is " + labels[i] + ", not 0/1");
      }
      positives += labels[i];
    }
    long rowPositives = positives;
    try (Workers workers = Workers.open(options.threads())) {
      return fit(
          new Objective() {
            @Override
            public long rows() {
              return n;
            }

            @Override
            public long positives() {
              return rowPositives;
            }

            @Override
            public int terms() {
              return design.terms();
            }

            @Override
            public double[] sums(double[] theta, double[] classWeight) {
              return LogisticRegression.sums(design, labels, weights, classWeight, theta, workers);
            }
          },
          options,
          start);
    }
  }

  /** {@code rowWeights} checked and rescaled to mean 1 over the design's rows (a new array). */
  private static double[] normalizedRowWeights(
      Design design, double[] rowWeights, LogisticOptions options) {
    if (options.classWeight() != LogisticOptions.ClassWeight.NONE) {
      throw new IllegalArgumentException("row weights and class weights cannot be combined");
    }
    if (rowWeights.length != design.base().rows()) {
      throw new IllegalArgumentException(
          "row weights has "
              + rowWeights.length
              + " entries for "
              + design.base().rows()
              + " rows");
    }
    double sum = 0;
    for (int r = 0; r < design.size(); r++) {
      double w = rowWeights[design.row(r)];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException(
            "row weight at row " + design.row(r) + " is not a finite number >= 0");
      }
      sum += w;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("row weights are all zero");
    }
    double scale = design.size() / sum;
    double[] out = new double[rowWeights.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = rowWeights[i] * scale;
    }
    return out;
  }

  /**
   * The data side of a fit: how many rows, how many of them positive, and the unscaled sums of the
   * loss, gradient and Hessian over them at a point ({@link #sums(Design, int[], double[],
   * double[], Workers)} over one design, or the same summed over the parts of a distributed
   * dataset). The Newton iteration, the regularization and the stopping rule are {@link #fit(
   * Objective, LogisticOptions, LogisticFit)}'s, whoever holds the rows.
   */
  public interface Objective {
    long rows();

    long positives();

    int terms();

    /**
     * {@code [loss, gradient (p), Hessian (p * p, upper triangle)]} at {@code theta} (coefficients
     * then intercept), summed over the rows with the class weights, not yet scaled by {@code C}.
     */
    double[] sums(double[] theta, double[] classWeight);
  }

  /**
   * Newton's method on {@code objective} (see the class comment), from {@code start} when given.
   *
   * @throws IllegalArgumentException when the rows hold a single class
   */
  public static LogisticFit fit(Objective objective, LogisticOptions options, LogisticFit start) {
    long n = objective.rows();
    long positives = objective.positives();
    int d = objective.terms();
    if (positives == 0 || positives == n) {
      throw new IllegalArgumentException(
          "labels contain a single class (all "
              + (positives == 0 ? "0" : "1")
              + " over "
              + n
              + " rows): a repurchase model needs both customers who bought again and who did not");
    }
    double[] classWeight = classWeights(n, positives, options.classWeight());
    double weightSum = classWeight[1] * positives + classWeight[0] * (n - positives);
    double gradientScale = 1.0 / (options.c() * weightSum);

    int p = d + 1; // coefficients then intercept
    double[] theta = new double[p];
    if (start != null) {
      if (start.coefficients().length != d) {
        throw new IllegalArgumentException(
            "warm start has " + start.coefficients().length + " coefficients for " + d + " terms");
      }
      System.arraycopy(start.coefficients(), 0, theta, 0, d);
      theta[d] = start.intercept();
    }
    Evaluation current = evaluate(objective, classWeight, options.c(), theta);
    int iterations = 0;
    double gradientNorm = maxAbs(current.gradient) * gradientScale;
    while (gradientNorm > options.tol() && iterations < options.maxIter()) {
      iterations++;
      double[] step = solve(current.hessian, current.gradient, p);
      double slope = 0;
      for (int a = 0; a < p; a++) {
        slope += current.gradient[a] * step[a];
      }
      // Near the optimum the predicted decrease falls below the rounding noise of an objective
      // summed over many rows; there a full Newton step is accepted when it shrinks the gradient.
      boolean noiseFloor = -slope <= 1e-12 * Math.abs(current.objective);
      double t = 1.0;
      Evaluation trial;
      double[] candidate = new double[p];
      boolean accepted;
      while (true) {
        for (int a = 0; a < p; a++) {
          candidate[a] = theta[a] + t * step[a];
        }
        trial = evaluate(objective, classWeight, options.c(), candidate);
        accepted =
            trial.objective <= current.objective + 1e-4 * t * slope
                || (noiseFloor && maxAbs(trial.gradient) < maxAbs(current.gradient));
        if (accepted || t < 1e-10) {
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        break; // no further progress representable in floating point
      }
      theta = candidate;
      current = trial;
      gradientNorm = maxAbs(current.gradient) * gradientScale;
    }
    double[] coefficients = java.util.Arrays.copyOf(theta, d);
    return new LogisticFit(
        theta[d],
        coefficients,
        iterations,
        gradientNorm,
        gradientNorm <= options.tol(),
        current.objective);
  }

  /** Per-class row weights: {@code [w0, w1]}. */
  static double[] classWeights(long n, long positives, LogisticOptions.ClassWeight mode) {
    if (mode == LogisticOptions.ClassWeight.BALANCED) {
      return new double[] {n / (2.0 * (n - positives)), n / (2.0 * positives)};
    }
    return new double[] {1.0, 1.0};
  }

  /** Numerically stable logistic function. */
  public static double sigmoid(double t) {
    if (t >= 0) {
      return 1.0 / (1.0 + Math.exp(-t));
    }
    double e = Math.exp(t);
    return e / (1.0 + e);
  }

  /**
   * {@code log1p(e)} for {@code 0 <= e <= 1}: a three-term series below 1e-4 (error under 1e-17),
   * else {@code log(1 + e)} whose rounding error there is below 1e-12 relative. {@link Math#log1p}
   * is several times slower and this runs once per row per Newton pass.
   */
  static double log1pSmall(double e) {
    return e < 1e-4 ? e * (1 - e * (0.5 - e / 3)) : Math.log(1 + e);
  }

  /** {@code log(1 + e^t)} without overflow. */
  public static double softplus(double t) {
    return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
  }

  /**
   * The design a fit sees: rows {@code rows} (all when null) of a standardized base matrix, each
   * expanded by {@code expansion}. Nothing is materialised: rows are expanded into a small buffer
   * as they are visited, so memory stays that of the base matrix.
   */
  public record Design(
      FeatureMatrix base, FeatureMatrix extra, int[] subset, FeatureExpansion expansion) {

    public Design {
      if (extra != null && extra.rows() != base.rows()) {
        throw new IllegalArgumentException(
            "extra columns have " + extra.rows() + " rows for " + base.rows());
      }
    }

    /** A design over the base matrix alone. */
    public Design(FeatureMatrix base, int[] subset, FeatureExpansion expansion) {
      this(base, null, subset, expansion);
    }

    /** Columns before the expansion: the base matrix's, then the extra ones. */
    public int columns() {
      return base.cols() + (extra == null ? 0 : extra.cols());
    }

    /** Number of design rows. */
    public int size() {
      return subset == null ? base.rows() : subset.length;
    }

    /** Index into the base matrix of design row {@code r}. */
    public int row(int r) {
      return subset == null ? r : subset[r];
    }

    public int terms() {
      return expansion.terms(columns());
    }

    /** Writes the expanded terms of design row {@code r} into {@code out}. */
    public void fill(int r, double[] out) {
      int i = row(r);
      if (extra == null) {
        expansion.expandRow(base.data(), i * base.cols(), base.cols(), out, 0);
        return;
      }
      // The row's base and extra columns side by side, then expanded in place: the expansion
      // reads the first columns() values and writes its terms after them.
      int d = base.cols();
      int e = extra.cols();
      System.arraycopy(base.data(), i * d, out, 0, d);
      System.arraycopy(extra.data(), i * e, out, d, e);
      expansion.expandRow(out, 0, d + e, out, 0);
    }
  }

  /** Probabilities of every design row under {@code fit}. */
  public static double[] probabilities(Design design, LogisticFit fit) {
    double[] out = new double[design.size()];
    double[] row = new double[design.terms()];
    for (int r = 0; r < out.length; r++) {
      design.fill(r, row);
      out[r] = sigmoid(fit.linear(row, 0));
    }
    return out;
  }

  private record Evaluation(double objective, double[] gradient, double[] hessian) {}

  /** The objective's sums at {@code theta}, scaled by {@code C} and regularized. */
  private static Evaluation evaluate(
      Objective objective, double[] classWeight, double c, double[] theta) {
    return scale(objective.sums(theta, classWeight), c, theta);
  }

  /** Sums scaled by {@code C} plus the L2 term on the coefficients (not the intercept). */
  private static Evaluation scale(double[] sums, double c, double[] theta) {
    int p = theta.length;
    int d = p - 1;
    double[] gradient = new double[p];
    double[] hessian = new double[p * p];
    System.arraycopy(sums, 1, gradient, 0, p);
    System.arraycopy(sums, 1 + p, hessian, 0, p * p);
    double penalty = 0;
    for (int a = 0; a < p; a++) {
      gradient[a] *= c;
      for (int bb = a; bb < p; bb++) {
        hessian[a * p + bb] *= c;
        hessian[bb * p + a] = hessian[a * p + bb];
      }
    }
    for (int a = 0; a < d; a++) {
      penalty += theta[a] * theta[a];
      gradient[a] += theta[a];
      hessian[a * p + a] += 1.0;
    }
    return new Evaluation(c * sums[0] + 0.5 * penalty, gradient, hessian);
  }

  /**
   * The unscaled sums of {@link Objective#sums} over the rows of {@code design}: one parallel pass
   * in fixed blocks (the result does not depend on the thread count). Two such sums over disjoint
   * rows add up to the sums over their union.
   */
  public static double[] sums(
      Design design, int[] labels, double[] classWeight, double[] theta, Workers workers) {
    return sums(design, labels, null, classWeight, theta, workers);
  }

  /**
   * {@link #sums(Design, int[], double[], double[], Workers)} with each row's terms also multiplied
   * by {@code rowWeights[i]} (null = 1).
   */
  public static double[] sums(
      Design design,
      int[] labels,
      double[] rowWeights,
      double[] classWeight,
      double[] theta,
      Workers workers) {
    int n = design.size();
    int d = design.terms();
    int p = d + 1;
    int blocks = Workers.blockCount(n);
    int stride = 1 + p + p * p;
    double[] partial = new double[blocks * stride];
    workers.forEachBlock(
        n,
        (b, from, to) -> {
          // Block-local accumulators, published once (no false sharing between threads).
          double[] local = new double[stride];
          // Rows are taken SUB at a time into a column-major scratch block, so that the gradient
          // and each Hessian entry are dot products over contiguous rows: independent sums that
          // the core keeps in registers (four at a time), instead of 45 read-modify-writes of
          // the accumulators per row for p = 9 (Hessian X'WX by blocks of rows).
          double[] columns = new double[p * SUB];
          double[] residual = new double[SUB];
          double[] curvature = new double[SUB];
          double[] weighted = new double[SUB];
          double[] row = new double[p];
          row[d] = 1.0;
          double loss = 0;
          for (int start = from; start < to; start += SUB) {
            int m = Math.min(SUB, to - start);
            for (int i = 0; i < m; i++) {
              int r = start + i;
              design.fill(r, row);
              int label = labels[design.row(r)];
              double eta = theta[d];
              for (int a = 0; a < d; a++) {
                double v = row[a];
                eta += theta[a] * v;
                columns[a * SUB + i] = v;
              }
              columns[d * SUB + i] = 1.0;
              double weight =
                  rowWeights == null
                      ? classWeight[label]
                      : classWeight[label] * rowWeights[design.row(r)];
              // One exponential per row serves the loss and the probability.
              double e = Math.exp(-Math.abs(eta));
              loss += weight * (Math.max(eta, 0) + log1pSmall(e) - label * eta);
              double prob = eta >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
              residual[i] = weight * (prob - label);
              curvature[i] = weight * prob * (1 - prob);
            }
            for (int a = 0; a < p; a++) {
              int ca = a * SUB;
              local[1 + a] += dot(residual, 0, columns, ca, m);
              for (int i = 0; i < m; i++) {
                weighted[i] = curvature[i] * columns[ca + i];
              }
              int hessianRow = 1 + p + a * p;
              for (int bb = a; bb < p; bb++) {
                local[hessianRow + bb] += dot(weighted, 0, columns, bb * SUB, m);
              }
            }
          }
          local[0] = loss;
          System.arraycopy(local, 0, partial, b * stride, stride);
        });
    double[] out = new double[stride];
    for (int b = 0; b < blocks; b++) {
      int base = b * stride;
      for (int v = 0; v < stride; v++) {
        out[v] += partial[base + v];
      }
    }
    return out;
  }

  /** Rows per column-major scratch block in {@link #evaluate}: fits L1 for p = 9 (9 KiB). */
  private static final int SUB = 128;

  /**
   * {@code sum_i a[ai + i] * b[bi + i]} over {@code m} entries, in eight independent sums: enough
   * chains to keep both multiply-add units busy through the add latency.
   */
  private static double dot(double[] a, int ai, double[] b, int bi, int m) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int i = 0;
    for (; i + 7 < m; i += 8) {
      s0 += a[ai + i] * b[bi + i];
      s1 += a[ai + i + 1] * b[bi + i + 1];
      s2 += a[ai + i + 2] * b[bi + i + 2];
      s3 += a[ai + i + 3] * b[bi + i + 3];
      s4 += a[ai + i + 4] * b[bi + i + 4];
      s5 += a[ai + i + 5] * b[bi + i + 5];
      s6 += a[ai + i + 6] * b[bi + i + 6];
      s7 += a[ai + i + 7] * b[bi + i + 7];
    }
    for (; i < m; i++) {
      s0 += a[ai + i] * b[bi + i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** Solves {@code H step = -g} by Cholesky; adds a small ridge if H is numerically singular. */
  static double[] solve(double[] hessian, double[] gradient, int p) {
    double jitter = 0;
    for (int attempt = 0; attempt < 12; attempt++) {
      double[] l = cholesky(hessian, p, jitter);
      if (l != null) {
        double[] z = new double[p];
        for (int i = 0; i < p; i++) {
          double sum = -gradient[i];
          for (int j = 0; j < i; j++) {
            sum -= l[i * p + j] * z[j];
          }
          z[i] = sum / l[i * p + i];
        }
        double[] step = new double[p];
        for (int i = p - 1; i >= 0; i--) {
          double sum = z[i];
          for (int j = i + 1; j < p; j++) {
            sum -= l[j * p + i] * step[j];
          }
          step[i] = sum / l[i * p + i];
        }
        return step;
      }
      jitter = jitter == 0 ? 1e-10 : jitter * 100;
    }
    throw new IllegalStateException("the logistic-regression Hessian is not positive definite");
  }

  private static double[] cholesky(double[] a, int p, double jitter) {
    double[] l = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i * p + j] + (i == j ? jitter : 0);
        for (int m = 0; m < j; m++) {
          sum -= l[i * p + m] * l[j * p + m];
        }
        if (i == j) {
          if (!(sum > 0)) {
            return null;
          }
          l[i * p + i] = Math.sqrt(sum);
        } else {
          l[i * p + j] = sum / l[j * p + j];
        }
      }
    }
    return l;
  }

  private static double maxAbs(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  /** Scaled gradient norm of the objective at a given fit, for checks. */
  public static double gradientNorm(
      FeatureMatrix design, int[] labels, LogisticOptions options, LogisticFit fit) {
    return gradientNorm(new Design(design, null, FeatureExpansion.NONE), labels, options, fit);
  }

  /** Scaled gradient norm of the objective at a given fit, for checks. */
  public static double gradientNorm(
      Design design, int[] labels, LogisticOptions options, LogisticFit fit) {
    int d = design.terms();
    double[] theta = java.util.Arrays.copyOf(fit.coefficients(), d + 1);
    theta[d] = fit.intercept();
    long positives = 0;
    for (int r = 0; r < design.size(); r++) {
      positives += labels[design.row(r)];
    }
    double[] weights = classWeights(design.size(), positives, options.classWeight());
    double weightSum = weights[1] * positives + weights[0] * (design.size() - positives);
    try (Workers workers = Workers.open(options.threads())) {
      Evaluation e = scale(sums(design, labels, weights, theta, workers), options.c(), theta);
      return maxAbs(e.gradient) / (options.c() * weightSum);
    }
  }
}
