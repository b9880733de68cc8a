package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HoldoutRuleTest {

  /**
   * Computed outside Java with Python's hashlib: {@code int.from_bytes(sha256((campaign + "\n" +
   * customer).encode()).digest()[:8], "big") >> 11) / 2**53}, so a shop can reproduce the groups.
   */
  @Test
  void theRuleIsSha256OfCampaignAndCustomer() {
    assertEquals(0.9677069496284972, new HoldoutRule("spring-2026", 0.1).unit("C-1"));
    assertEquals(0.5018729142798559, new HoldoutRule("spring-2026", 0.1).unit("C-2"));
    assertEquals(0.20827124281117493, new HoldoutRule("x", 0.1).unit("ü-7"));
    HoldoutRule.Assigner assigner = new HoldoutRule("spring-2026", 0.1).assigner();
    assertEquals(0.9677069496284972, assigner.unit("C-1"));
    assertEquals(0.5018729142798559, assigner.unit("C-2"));
    assertEquals(0.9677069496284972, assigner.unit("C-1"), "the assigner keeps no state");
  }

  @Test
  void sharesAreBinomialNestedAndIndependentAcrossCampaigns() {
    int n = 200_000;
    HoldoutRule.Assigner ten = new HoldoutRule("autumn", 0.10).assigner();
    HoldoutRule.Assigner five = new HoldoutRule("autumn", 0.05).assigner();
    HoldoutRule.Assigner other = new HoldoutRule("winter", 0.10).assigner();
    int held = 0;
    int both = 0;
    for (int i = 0; i < n; i++) {
      String id = "customer-" + i;
      boolean h = ten.holdsOut(id);
      held += h ? 1 : 0;
      if (five.holdsOut(id)) {
        assertTrue(h, "a 5 % holdout lies inside the 10 % one");
      }
      both += h && other.holdsOut(id) ? 1 : 0;
    }
    // Binomial(n, 0.1): sd 134; 4.5 sd is a false alarm of 7e-6.
    assertEquals(0.1 * n, held, 4.5 * Math.sqrt(n * 0.1 * 0.9));
    assertEquals(0.01 * n, both, 4.5 * Math.sqrt(n * 0.01 * 0.99));
  }

  @Test
  void refusesBadCampaignIdsAndShares() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new HoldoutRule("a\nb", 0.1));
    assertFalse(e.getMessage().contains("a\nb"), "the id is not echoed");
    assertThrows(IllegalArgumentException.class, () -> new HoldoutRule("", 0.1));
    assertThrows(IllegalArgumentException.class, () -> new HoldoutRule("-x", 0.1));
    assertThrows(IllegalArgumentException.class, () -> new HoldoutRule("x".repeat(65), 0.1));
    assertThrows(IllegalArgumentException.class, () -> new HoldoutRule("ok", 0.6));
    assertThrows(IllegalArgumentException.class, () -> new HoldoutRule("ok", Double.NaN));
    assertFalse(new HoldoutRule("ok", 0).holdsOut("anyone"));
  }
}
