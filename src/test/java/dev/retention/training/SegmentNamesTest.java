package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.features.RfmOptions;
import dev.retention.model.RetentionModel;
import dev.retention.testing.OrdersModels;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.SyntheticOrders;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segment names tell segments apart in an operator's words: on the bundled sample and on synthetic
 * orders (the local run's seeds and others), no two published names are equal, none carries a
 * column name or a numeric suffix, and segments of one RFM class are told apart by behaviour.
 */
class SegmentNamesTest {

  private static final Trainer.Identity IDENTITY =
      new Trainer.Identity("default", "names", Instant.EPOCH);

  @Test
  void theBundledSampleGetsDistinctNamesInWords() {
    ReferenceData reference = ReferenceData.load();
    RetentionModel model =
        new Trainer(TrainingOptions.defaults())
            .train(Trainer.Input.of(reference.features, reference.labels, "repurchased"), IDENTITY);
    assertNamesReadAndDiffer(model);
  }

  @ParameterizedTest
  @ValueSource(longs = {20261128L, 3L, 21L, 11L})
  void syntheticOrdersGetDistinctNamesInWords(long seed) throws IOException {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 60_000, 6_000, LocalDate.of(2026, 10, 31), seed);
    RetentionModel model =
        OrdersModels.train(
            orders.toString(), TrainingOptions.defaults(), RfmOptions.defaults(), "names");
    assertNamesReadAndDiffer(model);
  }

  private static void assertNamesReadAndDiffer(RetentionModel model) {
    Set<String> names = new HashSet<>();
    List<String> columns = model.features().stream().map(RetentionModel.Feature::name).toList();
    for (RetentionModel.Segment s : model.segments()) {
      assertTrue(names.add(s.name()), "two segments are called '" + s.name() + "'");
      assertFalse(s.name().contains("#"), "a numeric suffix tells segments apart: " + s.name());
      // A bare feature name: a part of the name that is a column ("frequency"), or any column
      // with an underscore ("recency_days"); plain words that happen to be columns ("many
      // items") are words.
      List<String> parts = List.of(s.name().toLowerCase(Locale.ROOT).split("\\s*[,:]\\s*"));
      for (String column : columns) {
        assertFalse(parts.contains(column), "segment name '" + s.name() + "' is a column name");
        assertFalse(
            column.contains("_") && s.name().contains(column),
            "segment name '" + s.name() + "' carries the column name " + column);
      }
      assertFalse(s.name().matches(".*\\d.*"), "a number in a name: " + s.name());
    }
  }

  @Test
  void segmentsOfOneRfmClassAreToldApartByWhereTheyDifferMost() {
    List<String> features = List.of("recency_days", "frequency", "monetary", "tenure_days");
    String[] names = {"needs attention", "needs attention", "champions"};
    String[] kinds = names.clone();
    double[][] centres = {
      {-0.1, 0.1, 0.0, 1.4}, // long-standing
      {0.1, 0.0, 0.1, -1.2}, // new
      {-1.0, 2.0, 0.5, 0.3}
    };
    SegmentNames.distinguish(names, kinds, centres, features);
    assertEquals("needs attention: long-standing", names[0]);
    assertEquals("needs attention: new", names[1]);
    assertEquals("champions", names[2]);
  }

  @Test
  void threeSegmentsOfOneNameTakeASecondDifferenceWhenTheFirstLeavesTwoEqual() {
    List<String> features = List.of("recency_days", "frequency", "monetary");
    String[] names = {"at risk", "at risk", "at risk"};
    String[] kinds = names.clone();
    double[][] centres = {
      {2.0, 0.5, 0.0}, // lapsed, frequent
      {-1.0, 1.0, 0.0}, // recent
      {-1.0, -1.0, 0.0} // recent, occasional
    };
    SegmentNames.distinguish(names, kinds, centres, features);
    assertEquals(3, Set.of(names).size(), String.join(" | ", names));
    assertTrue(names[0].startsWith("at risk: lapsed"), names[0]);
    assertNotEquals(names[1], names[2]);
    assertTrue(
        names[1].contains("frequent") && names[2].contains("occasional"), names[1] + names[2]);
  }

  @Test
  void unknownColumnsAreNamedInWordsNotAsColumnNames() {
    assertEquals("high basket size", SegmentNames.words("basket_size", true));
    assertEquals("recent", SegmentNames.words("recency_days", false));
    assertEquals("lapsed", SegmentNames.words("recency_days", true));
  }
}
