package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

/** Identities of {@link GammaFunctions} on random arguments, across the shift at 10. */
class GammaFunctionsProperties {

  /** Legendre's duplication formula, across the shift to the asymptotic series. */
  @Property(tries = 500)
  void duplication(@ForAll @DoubleRange(min = 0.01, max = 200) @Scale(6) double x) {
    double left = GammaFunctions.logGamma(x) + GammaFunctions.logGamma(x + 0.5);
    double right =
        (1 - 2 * x) * Math.log(2) + 0.5 * Math.log(Math.PI) + GammaFunctions.logGamma(2 * x);
    assertEquals(right, left, 1e-13 * Math.max(1, Math.abs(right)));
    // its derivatives: psi(x) + psi(x + 1/2) = 2 psi(2x) - 2 ln 2, psi'(x) + psi'(x+1/2) = 4
    // psi'(2x)
    double digammas = GammaFunctions.digamma(x) + GammaFunctions.digamma(x + 0.5);
    double digammaRight = 2 * GammaFunctions.digamma(2 * x) - 2 * Math.log(2);
    assertEquals(digammaRight, digammas, 1e-13 * Math.max(1, Math.abs(digammaRight)));
    double trigammas = GammaFunctions.trigamma(x) + GammaFunctions.trigamma(x + 0.5);
    assertEquals(4 * GammaFunctions.trigamma(2 * x), trigammas, 1e-13 * trigammas);
  }

  @Property(tries = 500)
  void recurrences(@ForAll @DoubleRange(min = 0.001, max = 500) @Scale(6) double x) {
    assertEquals(
        Math.log(x),
        GammaFunctions.logGamma(x + 1) - GammaFunctions.logGamma(x),
        1e-13 * Math.max(1, Math.abs(GammaFunctions.logGamma(x))));
    assertEquals(
        1 / x,
        GammaFunctions.digamma(x + 1) - GammaFunctions.digamma(x),
        1e-13 * Math.max(1 / x, Math.abs(GammaFunctions.digamma(x))));
    assertEquals(
        1 / (x * x),
        GammaFunctions.trigamma(x) - GammaFunctions.trigamma(x + 1),
        1e-13 * GammaFunctions.trigamma(x));
  }
}
