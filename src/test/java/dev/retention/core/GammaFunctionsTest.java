package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link GammaFunctions} against exact values and identities. */
class GammaFunctionsTest {

  private static final double EULER_GAMMA = 0.57721566490153286061;

  @Test
  void exactValues() {
    assertEquals(0.5 * Math.log(Math.PI), GammaFunctions.logGamma(0.5), 4e-15);
    // below 10 the shift costs an absolute ~1e-16 * ln G(x + 10), up to ~4e-15
    assertEquals(0.0, GammaFunctions.logGamma(1), 4e-15);
    assertEquals(0.0, GammaFunctions.logGamma(2), 4e-15);
    double factorial = 1;
    for (int n = 2; n <= 30; n++) {
      factorial *= n - 1;
      double expected = Math.log(factorial);
      assertEquals(expected, GammaFunctions.logGamma(n), 4e-15 * Math.max(1, expected), "n=" + n);
    }
    assertEquals(-EULER_GAMMA, GammaFunctions.digamma(1), 1e-15);
    assertEquals(-EULER_GAMMA - 2 * Math.log(2), GammaFunctions.digamma(0.5), 1e-15);
    assertEquals(Math.PI * Math.PI / 6, GammaFunctions.trigamma(1), 1e-15);
    assertEquals(Math.PI * Math.PI / 2, GammaFunctions.trigamma(0.5), 1e-14);
    // small arguments: ln G(x) ~ -ln x - gamma x, psi(x) ~ -1/x - gamma, psi'(x) ~ 1/x^2
    assertEquals(-Math.log(1e-8) - EULER_GAMMA * 1e-8, GammaFunctions.logGamma(1e-8), 1e-14);
    assertEquals(-1e8 - EULER_GAMMA, GammaFunctions.digamma(1e-8), 1e-6);
    assertEquals(1e16 + Math.PI * Math.PI / 6, GammaFunctions.trigamma(1e-8), 1e2);
  }

  @Test
  void rejectsNonPositiveArguments() {
    assertThrows(IllegalArgumentException.class, () -> GammaFunctions.logGamma(0));
    assertThrows(IllegalArgumentException.class, () -> GammaFunctions.digamma(-1));
    assertThrows(IllegalArgumentException.class, () -> GammaFunctions.trigamma(Double.NaN));
  }
}
