package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

/** Identities of 2F1 on random parameters, across the series / continuation boundary. */
class HypergeometricProperties {

  /**
   * Euler's transformation {@code 2F1(a, b; c; z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z)}; with {@code
   * c > a, b} both sides are series of positive terms, so any difference is the method's error.
   */
  @Property(tries = 300)
  void eulerTransformation(
      @ForAll @DoubleRange(min = 0.05, max = 6) @Scale(6) double a,
      @ForAll @DoubleRange(min = 0.05, max = 6) @Scale(6) double b,
      @ForAll @DoubleRange(min = 0.05, max = 6) @Scale(6) double gap,
      @ForAll @DoubleRange(min = 0, max = 0.99999) @Scale(6) double z) {
    double c = Math.max(a, b) + gap;
    double left = Hypergeometric.hyp2f1(a, b, c, z);
    double right = Math.pow(1 - z, c - a - b) * Hypergeometric.hyp2f1(c - a, c - b, c, z);
    double error = Math.abs(left - right) / left;
    assertTrue(error < 1e-12, "relative difference " + error + " (" + left + ", " + right + ")");
  }

  /**
   * Gauss' contiguous relation {@code c(c-1)(z-1) F(c-1) + c[c-1-(2c-a-b-1)z] F(c) + (c-a)(c-b) z
   * F(c+1) = 0}, measured against the largest of the three terms.
   */
  @Property(tries = 300)
  void contiguousRelation(
      @ForAll @DoubleRange(min = 0.05, max = 8) @Scale(6) double a,
      @ForAll @DoubleRange(min = 0.05, max = 8) @Scale(6) double b,
      @ForAll @DoubleRange(min = 1.05, max = 10) @Scale(6) double c,
      @ForAll @DoubleRange(min = 0.01, max = 0.9999) @Scale(6) double z) {
    double t1 = c * (c - 1) * (z - 1) * Hypergeometric.hyp2f1(a, b, c - 1, z);
    double t2 = c * (c - 1 - (2 * c - a - b - 1) * z) * Hypergeometric.hyp2f1(a, b, c, z);
    double t3 = (c - a) * (c - b) * z * Hypergeometric.hyp2f1(a, b, c + 1, z);
    double scale = Math.max(Math.abs(t1), Math.max(Math.abs(t2), Math.abs(t3)));
    double residual = Math.abs(t1 + t2 + t3) / scale;
    assertTrue(residual < 1e-12, "relative residual " + residual);
  }

  /** The value is continuous where the method switches from the series to the continuation. */
  @Property(tries = 200)
  void continuousAtTheSwitch(
      @ForAll @DoubleRange(min = -3, max = 6) @Scale(6) double a,
      @ForAll @DoubleRange(min = -3, max = 6) @Scale(6) double b,
      @ForAll @DoubleRange(min = -0.9, max = 10) @Scale(6) double c) {
    double below = Hypergeometric.reducedRemainder(a, b, c, Hypergeometric.SERIES_LIMIT);
    double above =
        Hypergeometric.reducedRemainder(a, b, c, Math.nextUp(Hypergeometric.SERIES_LIMIT));
    double scale = Math.max(Math.abs(below), 1e-3);
    assertTrue(Math.abs(above - below) / scale < 1e-12, below + " vs " + above);
  }
}
