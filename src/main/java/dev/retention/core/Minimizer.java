package dev.retention.core;

import java.util.Arrays;

/**
 * Unconstrained minimisation of a smooth function of a few variables, for maximum-likelihood fits
 * on log-parameters ({@link BgNbd}, {@link GammaGamma}).
 *
 * <p>The direction is Newton's, {@code -H^-1 g}, from the objective's own Hessian, with {@code H +
 * tau I} factored by Cholesky and {@code tau >= 0} raised until the factorisation succeeds (Nocedal
 * &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm 3.3), so far from the optimum,
 * where the likelihood need not be convex, the step is still a descent direction. (Every objective
 * here has an analytic Hessian of a few parameters; a quasi-Newton path for gradient-only
 * objectives was unused and is gone.) The step is capped at {@link Settings#maxStep()} in the
 * largest coordinate and accepted by Armijo backtracking ({@code f(x + t d) <= f(x) + 1e-4 t g'd},
 * {@code t} halved). Near the optimum the predicted decrease falls below the rounding noise of a
 * sum over many rows; there a step is also accepted when it shrinks the gradient (the rule of
 * {@link LogisticRegression}).
 *
 * <p>Convergence test: the largest absolute component of the gradient is at most {@link
 * Settings#gradientTolerance()}. The loop also stops after {@link Settings#maxIterations()}
 * iterations, or when no step of length {@code >= 1e-12} times the direction decreases {@code f}
 * (no further progress representable in floating point); then {@link Result#converged()} tells
 * whether the gradient test holds.
 */
public final class Minimizer {

  /** A smooth objective. */
  @FunctionalInterface
  public interface Objective {
    /**
     * The value at {@code point}; writes the gradient into {@code gradient} and, when {@code
     * hessian} is not null, the Hessian into {@code hessian} (row-major {@code n x n}, symmetric).
     * May return a non-finite value outside the domain; such a point is never accepted.
     */
    double evaluate(double[] point, double[] gradient, double[] hessian);
  }

  /**
   * How to minimise.
   *
   * @param gradientTolerance stop when {@code max |g_i| <= gradientTolerance}
   * @param maxIterations at most this many accepted steps
   * @param maxStep cap on {@code max |step_i|} of one step (in log-parameters, 3 is a factor of 20)
   */
  public record Settings(double gradientTolerance, int maxIterations, double maxStep) {
    public Settings {
      if (!(gradientTolerance > 0)) {
        throw new IllegalArgumentException(
            "gradientTolerance must be > 0, got " + gradientTolerance);
      }
      if (maxIterations < 1) {
        throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
      }
      if (!(maxStep > 0)) {
        throw new IllegalArgumentException("maxStep must be > 0, got " + maxStep);
      }
    }
  }

  /**
   * The outcome.
   *
   * @param point the last accepted point
   * @param value the objective there
   * @param gradient the gradient there
   * @param hessian the Hessian there (row-major)
   * @param iterations accepted steps
   * @param evaluations objective evaluations, including rejected trial points
   * @param gradientNorm {@code max |gradient_i|}
   * @param converged whether {@code gradientNorm <= gradientTolerance}
   */
  public record Result(
      double[] point,
      double value,
      double[] gradient,
      double[] hessian,
      int iterations,
      int evaluations,
      double gradientNorm,
      boolean converged) {}

  private static final double ARMIJO = 1e-4;
  private static final double MIN_STEP = 1e-12;

  private Minimizer() {}

  /**
   * Minimises {@code objective} from {@code start}.
   *
   * @throws IllegalArgumentException if the objective is not finite at {@code start}
   */
  public static Result minimize(Objective objective, double[] start, Settings settings) {
    int n = start.length;
    double[] x = start.clone();
    double[] gradient = new double[n];
    double[] hessian = new double[n * n];
    double value = objective.evaluate(x, gradient, hessian);
    int evaluations = 1;
    if (!Double.isFinite(value) || !allFinite(gradient)) {
      throw new IllegalArgumentException("the objective is not finite at the starting point");
    }
    double[] direction = new double[n];
    double[] trial = new double[n];
    double[] trialGradient = new double[n];
    double[] trialHessian = new double[n * n];
    int iterations = 0;
    double gradientNorm = maxAbs(gradient);
    while (gradientNorm > settings.gradientTolerance() && iterations < settings.maxIterations()) {
      newtonDirection(hessian, gradient, n, direction);
      double slope = dot(gradient, direction);
      if (!(slope < 0)) { // not a descent direction (rounding in a near-singular system)
        for (int i = 0; i < n; i++) {
          direction[i] = -gradient[i];
        }
        slope = -dot(gradient, gradient);
      }
      double longest = maxAbs(direction);
      if (longest > settings.maxStep()) {
        double shrink = settings.maxStep() / longest;
        for (int i = 0; i < n; i++) {
          direction[i] *= shrink;
        }
        slope *= shrink;
      }
      boolean noiseFloor = -slope <= 1e-14 * Math.max(1.0, Math.abs(value));
      double t = 1.0;
      double trialValue;
      boolean accepted;
      while (true) {
        for (int i = 0; i < n; i++) {
          trial[i] = x[i] + t * direction[i];
        }
        trialValue = objective.evaluate(trial, trialGradient, trialHessian);
        evaluations++;
        boolean finite = Double.isFinite(trialValue) && allFinite(trialGradient);
        accepted =
            finite
                && (trialValue <= value + ARMIJO * t * slope
                    || (noiseFloor && maxAbs(trialGradient) < gradientNorm));
        if (accepted || t < MIN_STEP) {
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        break;
      }
      iterations++;
      double[] swap = x;
      x = trial;
      trial = swap;
      swap = gradient;
      gradient = trialGradient;
      trialGradient = swap;
      swap = hessian;
      hessian = trialHessian;
      trialHessian = swap;
      value = trialValue;
      gradientNorm = maxAbs(gradient);
    }
    return new Result(
        x,
        value,
        gradient,
        hessian,
        iterations,
        evaluations,
        gradientNorm,
        gradientNorm <= settings.gradientTolerance());
  }

  /** Solves {@code (H + tau I) d = -g} with the smallest {@code tau} of the sequence that works. */
  private static void newtonDirection(double[] hessian, double[] gradient, int n, double[] out) {
    double maxDiagonal = 0;
    double minDiagonal = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      maxDiagonal = Math.max(maxDiagonal, Math.abs(hessian[i * n + i]));
      minDiagonal = Math.min(minDiagonal, hessian[i * n + i]);
    }
    double beta = 1e-3 * Math.max(maxDiagonal, 1e-300);
    double tau = minDiagonal > 0 ? 0 : beta - minDiagonal;
    double[] factor = new double[n * n];
    for (int attempt = 0; attempt < 200; attempt++) {
      if (cholesky(hessian, tau, n, factor)) {
        solveCholesky(factor, gradient, n, out);
        for (int i = 0; i < n; i++) {
          out[i] = -out[i];
        }
        return;
      }
      tau = Math.max(2 * tau, beta);
    }
    for (int i = 0; i < n; i++) {
      out[i] = -gradient[i];
    }
  }

  /** Lower-triangular {@code L} with {@code L L' = A + tau I}; false if not positive definite. */
  static boolean cholesky(double[] a, double tau, int n, double[] l) {
    Arrays.fill(l, 0);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i * n + j] + (i == j ? tau : 0);
        for (int k = 0; k < j; k++) {
          sum -= l[i * n + k] * l[j * n + k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            return false;
          }
          l[i * n + i] = Math.sqrt(sum);
        } else {
          l[i * n + j] = sum / l[j * n + j];
        }
      }
    }
    return true;
  }

  /** Solves {@code L L' x = b}. */
  static void solveCholesky(double[] l, double[] b, int n, double[] x) {
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i * n + k] * x[k];
      }
      x[i] = sum / l[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double sum = x[i];
      for (int k = i + 1; k < n; k++) {
        sum -= l[k * n + i] * x[k];
      }
      x[i] = sum / l[i * n + i];
    }
  }

  /**
   * The inverse of a symmetric positive-definite matrix (row-major), or null if it is not positive
   * definite. For covariance matrices from a Hessian.
   */
  public static double[] inverseOfPositiveDefinite(double[] matrix, int n) {
    double[] l = new double[n * n];
    if (!cholesky(matrix, 0, n, l)) {
      return null;
    }
    double[] inverse = new double[n * n];
    double[] unit = new double[n];
    double[] column = new double[n];
    for (int j = 0; j < n; j++) {
      Arrays.fill(unit, 0);
      unit[j] = 1;
      solveCholesky(l, unit, n, column);
      for (int i = 0; i < n; i++) {
        inverse[i * n + j] = column[i];
      }
    }
    return inverse;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double value : v) {
      m = Math.max(m, Math.abs(value));
    }
    return m;
  }

  private static boolean allFinite(double[] v) {
    for (double value : v) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }
}
