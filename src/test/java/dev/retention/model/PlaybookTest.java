package dev.retention.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybookTest {

  @Test
  void bandsFollowTheCutPoints() {
    Playbook playbook = Playbook.of(0.33, 0.66, null);
    assertEquals("high", playbook.band(0.329));
    assertEquals("medium", playbook.band(0.33));
    assertEquals("medium", playbook.band(0.659));
    assertEquals("low", playbook.band(0.66));
  }

  @Test
  void theMostSpecificRuleWinsAndOverridesComeFirst() {
    Playbook playbook =
        Playbook.of(
            0.33, 0.66, "at risk/high=Call within a week; */LOW = Thank-you note ;champions/*=VIP");
    assertEquals("Call within a week", playbook.action("at risk", "high"));
    assertEquals("Free-shipping reminder with new arrivals", playbook.action("at risk", "medium"));
    // kind + * beats * + band
    assertEquals("VIP", playbook.action("champions", "low"));
    assertEquals("Thank-you note", playbook.action("hibernating", "low"));
    assertEquals("Win-back offer", playbook.action("descriptive", "high"));
    assertEquals(List.of("high", "medium", "low"), List.copyOf(playbook.actions("loyal").keySet()));
  }

  @Test
  void malformedOverridesNameTheEntry() {
    assertEquals(
        "playbook entry 'at risk=Call' is not kind/band=action",
        assertThrows(IllegalArgumentException.class, () -> Playbook.of(0.3, 0.6, "at risk=Call"))
            .getMessage());
    assertEquals(
        "playbook entry 'loyal/urgent=Call': band must be one of [high, medium, low] or *",
        assertThrows(
                IllegalArgumentException.class, () -> Playbook.of(0.3, 0.6, "loyal/urgent=Call"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Playbook.of(0.7, 0.6, null));
  }
}
