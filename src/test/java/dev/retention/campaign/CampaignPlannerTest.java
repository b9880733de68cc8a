package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.retention.model.ContactEconomics;
import dev.retention.testing.UpliftSimulation;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CampaignPlannerTest {

  private static final int MIN = 50;
  private static final UpliftSimulation.Customers CUSTOMERS =
      UpliftSimulation.customers(21, 6000, UpliftSimulation.Parameters.defaults());

  private static CampaignPlanner.Context context(String campaign) {
    return new CampaignPlanner.Context(
        campaign, "2026-03-01-0123456789abcdef", LocalDate.of(2026, 3, 1), List.of(), MIN);
  }

  /** Candidates ranked by the simulation's true uplift, with order values, in a given order. */
  private static Candidates byUplift(int[] order) {
    int n = order.length;
    String[] ids = new String[n];
    int[] segment = new int[n];
    int[] band = new int[n];
    double[] uplift = new double[n];
    double[] value = new double[n];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      ids[k] = CUSTOMERS.ids()[i];
      segment[k] = CUSTOMERS.segment()[i];
      band[k] = CUSTOMERS.band()[i];
      uplift[k] = CUSTOMERS.tau(i);
      value[k] = CUSTOMERS.meanOrderValue()[i];
    }
    return Candidates.byUplift(ids, segment, band, uplift, value);
  }

  private static int[] identity(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static Map<String, Group> groups(Candidates c, CampaignPlan plan) {
    Map<String, Group> out = new HashMap<>();
    for (int i = 0; i < c.size(); i++) {
      out.put(c.customerIds()[i], plan.group()[i]);
    }
    return out;
  }

  private static final CampaignOptions OPTIONS =
      CampaignOptions.defaults()
          .withEconomics(new ContactEconomics(0.5, 0.4))
          .withBudget(ContactBudget.contacts(1500));

  @Test
  void theSameCustomersInAnyOrderGetTheSamePlan() {
    int n = CUSTOMERS.size();
    Candidates ordered = byUplift(identity(n));
    int[] shuffled = identity(n);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    Candidates reordered = byUplift(shuffled);
    CampaignPlan a = CampaignPlanner.plan(ordered, OPTIONS, context("spring"));
    CampaignPlan b = CampaignPlanner.plan(reordered, OPTIONS, context("spring"));
    assertEquals(groups(ordered, a), groups(reordered, b));
    assertEquals(a.manifest(), b.manifest());
    // A redelivery is the same plan, customer for customer.
    CampaignPlan again = CampaignPlanner.plan(byUplift(identity(n)), OPTIONS, context("spring"));
    assertArrayEquals(a.group(), again.group());
    assertArrayEquals(a.priority(), again.priority());
  }

  @Test
  void withoutABudgetACustomerLeavingMovesNobodyElse() {
    CampaignOptions unlimited = OPTIONS.withBudget(ContactBudget.unlimited());
    int n = CUSTOMERS.size();
    Candidates all = byUplift(identity(n));
    int[] fewer = new int[n - 1];
    for (int i = 0, k = 0; i < n; i++) {
      if (i != 17) {
        fewer[k++] = i;
      }
    }
    Candidates less = byUplift(fewer);
    Map<String, Group> before = groups(all, CampaignPlanner.plan(all, unlimited, context("s")));
    Map<String, Group> after = groups(less, CampaignPlanner.plan(less, unlimited, context("s")));
    before.remove(CUSTOMERS.ids()[17]);
    assertEquals(before, after);
  }

  @Test
  void theBudgetBuysContactsDownTheRankingAndHoldoutsCostNothing() {
    Candidates c = byUplift(identity(CUSTOMERS.size()));
    CampaignPlan plan = CampaignPlanner.plan(c, OPTIONS, context("spring"));
    CampaignManifest.Totals t = plan.manifest().totals();
    assertEquals(1500, t.contact());
    assertTrue(t.skippedOverBudget() > 0);
    // Everyone ranked above the last contact is contacted or held out, unless not worth it.
    int[] order = plan.inPriorityOrder();
    int lastContact = 0;
    for (int p = 0; p < order.length; p++) {
      if (plan.group()[order[p]] == Group.CONTACT) {
        lastContact = p;
      }
    }
    long holdouts = 0;
    for (int p = 0; p <= lastContact; p++) {
      int i = order[p];
      assertTrue(plan.group()[i] != Group.SKIP || plan.expectedIncrementalProfit()[i] <= 0);
      holdouts += plan.group()[i] == Group.HOLDOUT ? 1 : 0;
      if (p > 0) {
        assertTrue(
            plan.expectedIncrementalProfit()[order[p - 1]] >= plan.expectedIncrementalProfit()[i]);
      }
    }
    assertEquals(t.holdout(), holdouts);
    // Binomial share of the selected: 10 % of about 1,667, sd 12; 4.5 sd.
    assertEquals(0.1 * (t.contact() + t.holdout()), t.holdout(), 4.5 * 12.3);
    assertEquals(1500L, plan.manifest().rule().maxContacts());
  }

  @Test
  void aMoneyBudgetIsContactsAtTheirCost() {
    CampaignOptions money =
        CampaignOptions.defaults()
            .withEconomics(new ContactEconomics(0.10, 1))
            .withBudget(ContactBudget.money(100.00));
    CampaignPlan plan =
        CampaignPlanner.plan(byUplift(identity(CUSTOMERS.size())), money, context("m"));
    assertEquals(1000, plan.manifest().totals().contact());
    assertThrows(
        IllegalArgumentException.class,
        () -> CampaignOptions.defaults().withBudget(ContactBudget.money(100)));
  }

  @Test
  void sleepingDogsAreNeverContactedOrHeldOut() {
    Candidates c = byUplift(identity(CUSTOMERS.size()));
    CampaignPlan plan =
        CampaignPlanner.plan(c, OPTIONS.withBudget(ContactBudget.unlimited()), context("d"));
    long dogs = 0;
    for (int i = 0; i < c.size(); i++) {
      boolean dog = c.uplift()[i] < 0;
      assertEquals(dog, plan.sleepingDog()[i]);
      if (dog) {
        dogs++;
        assertEquals(Group.SKIP, plan.group()[i]);
      }
      if (plan.group()[i] != Group.SKIP) {
        assertTrue(plan.expectedIncrementalProfit()[i] > 0);
        assertEquals(
            c.uplift()[i] * 0.4 * c.orderValue()[i] - 0.5,
            plan.expectedIncrementalProfit()[i],
            1e-12);
      }
    }
    assertTrue(dogs > 1000, "the simulation has sleeping dogs");
    CampaignManifest.Totals t = plan.manifest().totals();
    assertEquals(dogs, t.skippedSleepingDogs());
    assertEquals(t.skip(), t.skippedSleepingDogs() + t.skippedNotWorthContacting());
    assertEquals(CampaignManifest.BY_EXPECTED_PROFIT, plan.manifest().rule().ranking());
  }

  @Test
  void withoutAnUpliftModelItRanksByPriorityAmongTheEligible() {
    int n = CUSTOMERS.size();
    double[] valueAtRisk = new double[n];
    boolean[] eligible = new boolean[n];
    for (int i = 0; i < n; i++) {
      valueAtRisk[i] = CUSTOMERS.meanOrderValue()[i] * (1 - CUSTOMERS.buyIfLeftAlone(i));
      eligible[i] = CUSTOMERS.band()[i] == 0;
    }
    Candidates c =
        Candidates.byValueAtRisk(
            CUSTOMERS.ids(), CUSTOMERS.segment(), CUSTOMERS.band(), valueAtRisk, eligible);
    CampaignPlan plan =
        CampaignPlanner.plan(
            c, CampaignOptions.defaults().withBudget(ContactBudget.contacts(500)), context("v"));
    for (int i = 0; i < n; i++) {
      if (!eligible[i]) {
        assertEquals(Group.SKIP, plan.group()[i]);
      }
      assertTrue(Double.isNaN(plan.expectedIncrementalProfit()[i]));
    }
    CampaignManifest m = plan.manifest();
    assertEquals(500, m.totals().contact());
    assertEquals(CampaignManifest.BY_VALUE_AT_RISK, m.rule().ranking());
    assertNull(m.totals().expectedIncrementalProfit());
    assertTrue(m.strata().stream().allMatch(s -> s.expectedIncrementalProfit() == null));
  }

  @Test
  void theManifestCountsAreTheCustomersAndMoneyNeedsTheMinimumSize() {
    Candidates c = byUplift(identity(CUSTOMERS.size()));
    CampaignPlan plan = CampaignPlanner.plan(c, OPTIONS, context("spring"));
    CampaignManifest m = plan.manifest();
    long[][] counted = new long[m.strata().size()][3];
    double[] profit = new double[m.strata().size()];
    for (int i = 0; i < c.size(); i++) {
      counted[plan.stratum()[i]][plan.group()[i].ordinal()]++;
      if (plan.group()[i] == Group.CONTACT) {
        profit[plan.stratum()[i]] += plan.expectedIncrementalProfit()[i];
      }
    }
    long total = 0;
    for (CampaignManifest.Stratum s : m.strata()) {
      assertEquals(counted[s.index()][0], s.contact());
      assertEquals(counted[s.index()][1], s.holdout());
      assertEquals(counted[s.index()][2], s.skip());
      assertTrue(s.participants() >= MIN, "every stratum holds the minimum size");
      if (s.contact() >= MIN) {
        assertEquals(profit[s.index()], s.expectedIncrementalProfit(), 1e-6);
      } else {
        assertNull(s.expectedIncrementalProfit());
      }
      total += s.customers();
    }
    assertEquals(c.size(), total);
    assertEquals(c.size(), m.totals().customers());
    assertEquals(HoldoutRule.METHOD, m.rule().assignment());
  }

  /**
   * A large segment and {@code small} segments of 30 selected customers each, whose ids are picked
   * so that exactly 12 are held out (share 0.5): 18 contacts, below the minimum size 20.
   */
  private static CampaignManifest withSmallSegments(int small) {
    HoldoutRule.Assigner holdout = new HoldoutRule("w", 0.5).assigner();
    int n = 400 + 30 * small;
    String[] ids = new String[n];
    int[] segment = new int[n];
    double[] uplift = new double[n];
    double[] value = new double[n];
    java.util.Arrays.fill(uplift, 0.1);
    java.util.Arrays.fill(value, 50);
    for (int i = 0; i < 400; i++) {
      ids[i] = "big-" + i;
    }
    int k = 400;
    int candidate = 0;
    for (int s = 1; s <= small; s++) {
      int held = 0;
      int contacted = 0;
      while (held + contacted < 30) {
        String id = "small-" + candidate++;
        boolean h = holdout.holdsOut(id);
        if (h ? held < 12 : contacted < 18) {
          held += h ? 1 : 0;
          contacted += h ? 0 : 1;
          ids[k] = id;
          segment[k++] = s;
        }
      }
    }
    Candidates c = Candidates.byUplift(ids, segment, new int[n], uplift, value);
    return CampaignPlanner.plan(
            c,
            new CampaignOptions(0.5, ContactBudget.unlimited(), new ContactEconomics(1, 1)),
            new CampaignPlanner.Context("w", "v", LocalDate.of(2026, 1, 1), List.of(), 20))
        .manifest();
  }

  @Test
  void aTotalIsWithheldWhenItWouldRevealAWithheldStratum() {
    CampaignManifest one = withSmallSegments(1);
    assertEquals(2, one.strata().size());
    assertEquals(18, one.strata().get(1).contact());
    assertEquals(12, one.strata().get(1).holdout());
    assertNull(one.strata().get(1).expectedIncrementalProfit());
    assertNotNull(one.strata().get(0).expectedIncrementalProfit());
    // Total minus the big stratum would be the 18 customers' money: withheld.
    assertNull(one.totals().expectedIncrementalProfit());
    assertEquals(1, one.totals().withheldStrata());
    assertEquals(18, one.totals().withheldContacts());

    CampaignManifest two = withSmallSegments(2);
    // Two withheld strata hold 36 contacts together: the total reveals neither.
    assertEquals(2, two.totals().withheldStrata());
    assertNotNull(two.totals().expectedIncrementalProfit());
    assertEquals(
        two.totals().contact() * (0.1 * 50 - 1), two.totals().expectedIncrementalProfit(), 1e-9);
  }

  @Test
  void theManifestHoldsNoCustomerIdOrValue() throws Exception {
    Candidates c = byUplift(identity(CUSTOMERS.size()));
    CampaignPlan plan = CampaignPlanner.plan(c, OPTIONS, context("spring"));
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(
                new SimpleModule().addSerializer(LocalDate.class, ToStringSerializer.instance));
    String text = json.writeValueAsString(plan.manifest());
    for (String id : c.customerIds()) {
      assertFalse(text.contains(id), "a customer id in the manifest");
    }
    for (int i = 0; i < c.size(); i++) {
      String profit = Double.toString(plan.expectedIncrementalProfit()[i]);
      assertFalse(text.contains(profit), "a customer's value in the manifest");
    }
    assertTrue(text.contains("\"assignment\":\"sha256-threshold-v1\""), text);
  }

  @Test
  void refusesDuplicateIdsByRowNotById() {
    Candidates c =
        Candidates.byUplift(
            new String[] {"secret-1", "x", "secret-1"},
            new int[3],
            new int[3],
            new double[] {0.1, 0.1, 0.1},
            new double[] {10, 10, 10});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CampaignPlanner.plan(c, CampaignOptions.defaults(), context("d")));
    assertEquals("candidates 1 and 3 have the same customer id", e.getMessage());
  }
}
