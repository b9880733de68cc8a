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
    double[] weights =
        rowWeights == null ? null : normalizedRowWeights(design, rowWeights, options);
    LogisticFit from = start != null ? start : sampleStart(design, labels, weights, options);
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
              return sums(theta, classWeight, true);
            }

            @Override
            public double[] sums(double[] theta, double[] classWeight, boolean hessian) {
              return LogisticRegression.sums(
                  design, labels, weights, classWeight, theta, hessian, workers);
            }
          },
          options,
          from);
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

  /** From this many design rows, a fit starts from the fit on every k-th row (see below). */
  static final int SAMPLE_START_ROWS = 32 * Workers.BLOCK_ROWS;

  /** Rows of that sample: at least a sixteenth of the design, at least this many. */
  static final int SAMPLE_ROWS = 4 * Workers.BLOCK_ROWS;

  /**
   * A start for a large fit without one: the fit on every k-th design row (about a sixteenth, at
   * least {@link #SAMPLE_ROWS}), with {@code C} scaled by {@code n / sample} so that the data term
   * weighs what it weighs on all rows, to a loose tolerance. Newton's passes over all rows then
   * start near the optimum: 3 instead of 5 on the 1M-row benchmark, for the cost of one. The
   * optimum is the same (the objective is strictly convex); null when the design is small or the
   * sample holds a single class. Row weights, if any, weigh the sample's rows too.
   */
  private static LogisticFit sampleStart(
      Design design, int[] labels, double[] rowWeights, LogisticOptions options) {
    int n = design.size();
    if (n < SAMPLE_START_ROWS) {
      return null;
    }
    int stride = Math.max(2, Math.min(16, n / SAMPLE_ROWS));
    int[] rows = new int[(n + stride - 1) / stride];
    long positives = 0;
    for (int s = 0; s < rows.length; s++) {
      rows[s] = design.row(s * stride);
      positives += labels[rows[s]];
    }
    if (positives == 0 || positives == rows.length) {
      return null;
    }
    Design sample = new Design(design.base(), design.extra(), rows, design.expansion());
    LogisticOptions loose =
        options.withC(options.c() * n / rows.length).withTol(Math.max(options.tol(), 1e-6));
    return fit(sample, labels, rowWeights, loose, null);
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

    /**
     * {@link #sums(double[], double[])}, where the Hessian may be left out (zeros) when {@code
     * hessian} is false: the loss and gradient must be the same bits either way. By default the
     * Hessian is always computed.
     */
    default double[] sums(double[] theta, double[] classWeight, boolean hessian) {
      return sums(theta, classWeight);
    }
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
    Evaluation current = evaluate(objective, classWeight, options.c(), theta, true);
    int iterations = 0;
    double gradientNorm = maxAbs(current.gradient) * gradientScale;
    double previousNorm = Double.NaN;
    while (gradientNorm > options.tol() && iterations < options.maxIter()) {
      iterations++;
      if (current.hessian == null) {
        // The last trial was predicted to end the fit and did not: its Hessian after all.
        current = evaluate(objective, classWeight, options.c(), theta, true);
      }
      double[] step = solve(current.hessian, current.gradient, p);
      double slope = 0;
      for (int a = 0; a < p; a++) {
        slope += current.gradient[a] * step[a];
      }
      // Near the optimum the predicted decrease falls below the rounding noise of an objective
      // summed over many rows; there a full Newton step is accepted when it shrinks the gradient.
      boolean noiseFloor = -slope <= 1e-12 * Math.abs(current.objective);
      // Newton converges quadratically: g' ~ r g^2 with r = g / g_prev^2 from the last step. A
      // step predicted to end the fit with a wide margin is evaluated without the Hessian, which
      // only the next step would use (a third of a pass's arithmetic at p = 9).
      boolean last =
          gradientNorm * gradientNorm * (gradientNorm / (previousNorm * previousNorm))
              < 1e-2 * options.tol();
      double t = 1.0;
      Evaluation trial;
      double[] candidate = new double[p];
      boolean accepted;
      while (true) {
        for (int a = 0; a < p; a++) {
          candidate[a] = theta[a] + t * step[a];
        }
        trial = evaluate(objective, classWeight, options.c(), candidate, !last || t < 1);
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
      previousNorm = gradientNorm;
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

  /**
   * The objective's sums at {@code theta}, scaled by {@code C} and regularized; without the Hessian
   * (null) when not asked for.
   */
  private static Evaluation evaluate(
      Objective objective, double[] classWeight, double c, double[] theta, boolean hessian) {
    Evaluation e = scale(objective.sums(theta, classWeight, hessian), c, theta);
    return hessian ? e : new Evaluation(e.objective, e.gradient, null);
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
    return sums(design, labels, rowWeights, classWeight, theta, true, workers);
  }

  /**
   * {@link #sums(Design, int[], double[], double[], double[], Workers)}, the Hessian left at zero
   * unless {@code hessian}; the loss and gradient are the same bits either way.
   */
  public static double[] sums(
      Design design,
      int[] labels,
      double[] rowWeights,
      double[] classWeight,
      double[] theta,
      boolean hessian,
      Workers workers) {
    int n = design.size();
    int p = design.terms() + 1;
    int blocks = Workers.blockCount(n);
    int stride = 1 + p + p * p;
    double[] partial = new double[blocks * stride];
    workers.forEachBlock(
        n,
        (b, from, to) -> {
          // Block-local accumulators, published once (no false sharing between threads).
          double[] local = new double[stride];
          new Pass(design, labels, rowWeights, classWeight, theta, hessian, local).rows(from, to);
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

  /** Rows per sub-block of {@link Pass}: the columns fit L1 for p = 9 (9 KiB). */
  private static final int SUB = 128;

  /** 2^600: a positive number times 2^600 twice is at least 2^126 (so > 1). */
  private static final double HUGE = 0x1p600;

  /**
   * One block's share of a pass. Rows are taken {@link #SUB} at a time into one array per column,
   * so that the linear predictor, the probabilities and the weights are element-wise loops over
   * rows that C2 vectorises (the exponential and logarithm stay one call per row), and the gradient
   * and each Hessian entry are dot products over contiguous rows: independent sums that the core
   * keeps in registers, instead of 45 read-modify-writes of the accumulators per row for p = 9
   * (Hessian X'WX by blocks of rows). Each row's numbers are computed as before, in the same order.
   */
  private static final class Pass {
    private final Design design;
    private final int[] labels;
    private final double[] rowWeights;
    private final double[] classWeight;
    private final double[] theta;
    private final boolean hessian;
    private final double[] local;
    private final int d;
    private final int p;
    private final double[][] columns;
    private final double[] eta;
    private final double[] exp;
    private final double[] label;
    private final double[] rowWeight;
    private final double[] residual;
    private final double[] curvature;
    private final double[] weighted;
    private final double[] row;

    Pass(
        Design design,
        int[] labels,
        double[] rowWeights,
        double[] classWeight,
        double[] theta,
        boolean hessian,
        double[] local) {
      this.design = design;
      this.labels = labels;
      this.rowWeights = rowWeights;
      this.classWeight = classWeight;
      this.theta = theta;
      this.hessian = hessian;
      this.local = local;
      this.d = design.terms();
      this.p = d + 1;
      this.columns = new double[p][SUB];
      java.util.Arrays.fill(columns[d], 1.0);
      this.eta = new double[SUB];
      this.exp = new double[SUB];
      this.label = new double[SUB];
      this.rowWeight = new double[SUB];
      java.util.Arrays.fill(rowWeight, 1.0);
      this.residual = new double[SUB];
      this.curvature = new double[SUB];
      this.weighted = new double[SUB];
      this.row = new double[p];
    }

    void rows(int from, int to) {
      double loss = 0;
      for (int start = from; start < to; start += SUB) {
        int m = Math.min(SUB, to - start);
        load(start, m);
        java.util.Arrays.fill(eta, 0, m, theta[d]);
        for (int a = 0; a < d; a++) {
          addScaled(eta, columns[a], theta[a], m);
        }
        // One exponential per row serves the loss and the probability.
        double w0 = classWeight[0];
        double w1 = classWeight[1];
        for (int i = 0; i < m; i++) {
          double t = eta[i];
          double e = Math.exp(-Math.abs(t));
          exp[i] = e;
          double y = label[i];
          double weight = (w0 * (1 - y) + w1 * y) * rowWeight[i];
          loss += weight * (Math.max(t, 0) + log1pSmall(e) - y * t);
        }
        probabilities(eta, exp, label, rowWeight, w0, w1, residual, curvature, m);
        for (int a = 0; a < p; a++) {
          double[] column = columns[a];
          local[1 + a] += dot(residual, column, m);
          if (hessian) {
            multiply(weighted, curvature, column, m);
            int hessianRow = 1 + p + a * p;
            for (int bb = a; bb < p; bb++) {
              local[hessianRow + bb] += dot(weighted, columns[bb], m);
            }
          }
        }
      }
      local[0] += loss;
    }

    /** The row weights of design rows {@code start .. start + m} (1 without row weights). */
    private void loadRowWeights(int start, int m) {
      if (rowWeights == null) {
        return;
      }
      for (int i = 0; i < m; i++) {
        rowWeight[i] = rowWeights[design.row(start + i)];
      }
    }

    /** Rows {@code start .. start + m} of the design into the columns, their labels as 0/1. */
    private void load(int start, int m) {
      if (design.extra() == null && design.subset() == null && d == design.base().cols()) {
        // The design is the base matrix itself: column by column, as RowTile does.
        double[] x = design.base().data();
        for (int c = 0; c < d; c++) {
          double[] column = columns[c];
          int offset = start * d + c;
          for (int i = 0; i < m; i++) {
            column[i] = x[offset + i * d];
          }
        }
        for (int i = 0; i < m; i++) {
          label[i] = labels[start + i];
        }
        loadRowWeights(start, m);
        return;
      }
      loadRowWeights(start, m);
      for (int i = 0; i < m; i++) {
        int r = start + i;
        design.fill(r, row);
        label[i] = labels[design.row(r)];
        for (int a = 0; a < d; a++) {
          columns[a][i] = row[a];
        }
      }
    }
  }

  /** {@code out[i] += scale * column[i]}: the linear predictor, term by term as a row's dot. */
  private static void addScaled(double[] out, double[] column, double scale, int m) {
    for (int i = 0; i < m; i++) {
      out[i] += scale * column[i];
    }
  }

  /** {@code out[i] = a[i] * b[i]}. */
  private static void multiply(double[] out, double[] a, double[] b, int m) {
    for (int i = 0; i < m; i++) {
      out[i] = a[i] * b[i];
    }
  }

  /**
   * Per row: {@code p = 1 / (1 + e)} when {@code eta >= 0}, else {@code e / (1 + e)} (with {@code e
   * = exp(-|eta|)}), the weighted residual {@code w (p - y)} and curvature {@code w p (1 - p)}.
   * Branch-free so that it vectorises: the numerator is {@code s + (1 - s) e} with {@code s = [eta
   * >= 0]}, exactly 1 or e; the weight is {@code w0 (1 - y) + w1 y}, exactly w0 or w1, times the
   * row's weight (exactly 1 without row weights).
   */
  private static void probabilities(
      double[] eta,
      double[] exp,
      double[] label,
      double[] rowWeight,
      double w0,
      double w1,
      double[] residual,
      double[] curvature,
      int m) {
    for (int i = 0; i < m; i++) {
      double e = exp[i];
      double y = label[i];
      double positive = Math.min(1.0, Math.max(0.0, eta[i] * HUGE * HUGE + 1.0));
      double prob = (positive + (1 - positive) * e) / (1.0 + e);
      double weight = (w0 * (1 - y) + w1 * y) * rowWeight[i];
      residual[i] = weight * (prob - y);
      curvature[i] = weight * prob * (1 - prob);
    }
  }

  /**
   * {@code sum_i a[i] * b[i]} over {@code m} entries, in eight independent sums: enough chains to
   * keep both multiply-add units busy through the add latency.
   */
  private static double dot(double[] a, double[] b, int m) {
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
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
      s4 += a[i + 4] * b[i + 4];
      s5 += a[i + 5] * b[i + 5];
      s6 += a[i + 6] * b[i + 6];
      s7 += a[i + 7] * b[i + 7];
    }
    for (; i < m; i++) {
      s0 += a[i] * b[i];
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
