package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against SciPy 1.10.1 ({@code scipy.stats.norm}, {@code scipy.stats.t}, {@code scipy.special}).
 */
class DistributionsTest {

  @Test
  void normalQuantilesAndCdf() {
    assertEquals(1.959963984540054, Distributions.normalQuantile(0.975), 1e-14);
    assertEquals(0.8416212335729143, Distributions.normalQuantile(0.8), 1e-14);
    assertEquals(-6.361340902404056, Distributions.normalQuantile(1e-10), 1e-12);
    assertEquals(-1.959963984540054, Distributions.normalQuantile(0.025), 1e-14);
    assertEquals(0.0, Distributions.normalQuantile(0.5));
    assertEquals(0.9031995154143897, Distributions.normalCdf(1.3), 1e-15);
    // The lower tail keeps its relative accuracy.
    assertEquals(6.22096057427174e-16, Distributions.normalCdf(-8), 1e-28);
    assertEquals(0.00040695201744495886, Distributions.erfc(2.5), 1e-18);
  }

  @ParameterizedTest
  @CsvSource({
    "1, 12.706204736174704, 0.141463028121509",
    "2.5, 3.5746548420036832, 0.0722512223774219",
    "10, 2.2281388519862747, 0.031038622101109265",
    "30, 2.0422724563012383, 0.022121235631161782",
    "123.4, 1.9793749463174202, 0.018882694997825644"
  })
  void studentT(double nu, double quantile975, double cdfMinus21) {
    assertEquals(quantile975, Distributions.studentTQuantile(0.975, nu), 1e-14 * quantile975);
    assertEquals(-quantile975, Distributions.studentTQuantile(0.025, nu), 1e-14 * quantile975);
    assertEquals(cdfMinus21, Distributions.studentTCdf(-2.1, nu), 1e-14);
    assertEquals(1 - cdfMinus21, Distributions.studentTCdf(2.1, nu), 1e-14);
  }

  @Test
  void infiniteDegreesOfFreedomIsNormal() {
    assertEquals(
        Distributions.normalQuantile(0.9),
        Distributions.studentTQuantile(0.9, Double.POSITIVE_INFINITY));
  }

  @Test
  void incompleteFunctions() {
    assertEquals(
        0.01892712407194565, Distributions.incompleteBetaRegularized(0.3, 2.5, 0.5), 1e-15);
    assertEquals(0.9934776122935332, Distributions.lowerGammaRegularized(0.5, 3.7), 1e-15);
    assertEquals(1 - 0.9934776122935332, Distributions.upperGammaRegularized(0.5, 3.7), 1e-15);
  }

  @Test
  void refusesArgumentsOutsideTheDomain() {
    assertThrows(IllegalArgumentException.class, () -> Distributions.normalQuantile(1));
    assertThrows(IllegalArgumentException.class, () -> Distributions.studentTQuantile(0.5, 0));
    assertThrows(
        IllegalArgumentException.class, () -> Distributions.incompleteBetaRegularized(1.2, 1, 1));
  }
}
