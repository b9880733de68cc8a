package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.model.RetentionModel;
import dev.retention.testing.ReferenceData;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: nothing becomes {@code latest} that is worse than no model, and a broken extract cannot
 * pass the quality gate by being compared on its own broken data.
 */
class ModelFloorsAndLiveHoldoutTest {

  private static LocalTraining local;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static final String[] LINES =
      new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8).split("\n");

  /** The reference export with each data row rewritten by {@code row} (cells, 0 = the id). */
  private static byte[] reference(UnaryOperator<String[]> row, String header) {
    StringBuilder out = new StringBuilder(header == null ? LINES[0] : header).append('\n');
    for (int i = 1; i < LINES.length; i++) {
      if (!LINES[i].isBlank()) {
        out.append(String.join(",", row.apply(LINES[i].split(",", -1)))).append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static TrainSummary train(String name, String file, byte[] export) {
    return train(name, file, export, s -> s);
  }

  private static TrainSummary train(
      String name, String file, byte[] export, UnaryOperator<TrainSettings> settings) {
    String key = "exports/features/" + name + "-" + file + ".csv";
    local.upload(key, export);
    return local.train(local.service(name, settings), key);
  }

  private static final String HELD = "HELD_BY_QUALITY_GATE";

  @Test
  void anExportWhoseFeaturesAreAllZeroIsNeverLive() {
    TrainSummary summary =
        train(
            "zeros",
            "first",
            reference(
                cells -> {
                  for (int c = 1; c <= 7; c++) {
                    cells[c] = "0";
                  }
                  return cells;
                },
                null));
    assertEquals(TrainSummary.Status.TRAINED, summary.status());
    assertEquals(HELD, summary.latest(), summary.qualityGate());
    assertTrue(summary.qualityGate().contains("every feature is constant"), summary.qualityGate());
    assertEquals(Optional.empty(), local.live("zeros"), "no model is better than this one");
    // Published whole (model and report), only not live.
    assertTrue(local.keys("models/zeros/").contains("models/zeros/" + summary.version() + ".json"));
  }

  @Test
  void labelsThatNoFeatureExplainsAreBelowTheAucFloor() {
    SplittableRandom random = new SplittableRandom(9);
    TrainSummary summary =
        train(
            "noise",
            "first",
            reference(
                cells -> {
                  cells[8] = random.nextInt(2) == 0 ? "0" : "1";
                  return cells;
                },
                null));
    assertEquals(HELD, summary.latest(), summary.qualityGate());
    assertTrue(summary.qualityGate().contains("held-out AUC"), summary.qualityGate());
    assertTrue(summary.qualityGate().contains("no model"), summary.qualityGate());
    assertEquals(Optional.empty(), local.live("noise"));
  }

  @Test
  void oneSegmentIsNotASegmentationAndTheForceSettingDoesNotOverrideAFloor() {
    TrainSummary summary =
        train(
            "one",
            "first",
            ReferenceData.csvBytes(),
            s -> withOptions(s, s.options().withK(1), new QualityGate(0.02, true, 0.02, false)));
    assertEquals(HELD, summary.latest(), summary.qualityGate());
    assertTrue(summary.qualityGate().contains("K = 1"), summary.qualityGate());
    assertEquals(Optional.empty(), local.live("one"));
  }

  @Test
  void aGoodExportPassesTheFloorsAndGoesLive() {
    TrainSummary summary = train("good", "first", ReferenceData.csvBytes());
    assertEquals("MOVED", summary.latest(), summary.qualityGate());
    assertEquals(Optional.of(summary.version()), local.live("good"));
    // Its held-out customers are kept next to it for the next training's comparison.
    assertTrue(
        local.keys("models/good/").contains("models/good/" + summary.version() + "/holdout.csv.gz"),
        local.keys("models/good/").toString());
  }

  @Test
  void aBrokenExtractThatLooksFineOnItsOwnDataIsHeldOnTheLiveModelsCustomers() {
    TrainSummary live = train("broken", "live", ReferenceData.csvBytes());
    assertEquals("MOVED", live.latest());
    // The next extract lost its recency: every customer 0 days. The live model, fed those zeros,
    // ranks them badly, so on the new data the new model looks better than the live one.
    TrainSummary next =
        train(
            "broken",
            "next",
            reference(
                cells -> {
                  cells[1] = "0";
                  return cells;
                },
                null));
    RetentionModel model = local.model("broken", next.version());
    RetentionModel.Incumbent incumbent = model.evaluation().incumbent();
    assertNotNull(incumbent);
    assertTrue(incumbent.rocAuc() < model.evaluation().rocAuc(), incumbent.toString());
    // On the live model's own held-out customers the new one is far worse: held.
    assertNotNull(incumbent.liveHoldout(), incumbent.toString());
    RetentionModel.HoldoutComparison h = incumbent.liveHoldout();
    assertTrue(h.customers() >= 1000, h.toString());
    assertTrue(h.liveRocAuc() - h.rocAuc() > 0.02, h.toString());
    assertEquals(HELD, next.latest(), next.qualityGate());
    assertTrue(next.qualityGate().contains("live model's own held-out"), next.qualityGate());
    assertEquals(Optional.of(live.version()), local.live("broken"));
  }

  @Test
  void aModelThatDropsAFeatureTheLiveOneReadsIsHeldUnlessThatIsAllowed() {
    TrainSummary live = train("dropped", "live", ReferenceData.csvBytes());
    assertEquals("MOVED", live.latest());
    // The next export has no sessions_30d column (index 6).
    UnaryOperator<String[]> without =
        cells -> {
          String[] out = new String[cells.length - 1];
          System.arraycopy(cells, 0, out, 0, 6);
          System.arraycopy(cells, 7, out, 6, cells.length - 7);
          return out;
        };
    String header = LINES[0].replace(",sessions_30d", "");
    TrainSummary next = train("dropped", "next", reference(without, header));
    assertEquals(HELD, next.latest(), next.qualityGate());
    assertTrue(next.qualityGate().contains("sessions_30d"), next.qualityGate());
    RetentionModel model = local.model("dropped", next.version());
    assertEquals(
        java.util.List.of("sessions_30d"), model.evaluation().incumbent().droppedFeatures());
    String report =
        new String(
            local.bytes("models/dropped/" + next.version() + "/report.html"),
            StandardCharsets.UTF_8);
    assertTrue(report.contains("sessions_30d"), "the report names the dropped feature");

    TrainSummary allowed =
        train(
            "dropped",
            "allowed",
            reference(without, header),
            s -> withOptions(s, s.options(), new QualityGate(0.02, false, 0.02, true)));
    assertEquals("MOVED", allowed.latest(), allowed.qualityGate());
    assertTrue(allowed.qualityGate().contains("sessions_30d"), allowed.qualityGate());
    assertFalse(allowed.qualityGate().startsWith("held"), allowed.qualityGate());
  }

  static TrainSettings withOptions(
      TrainSettings s, dev.retention.training.TrainingOptions options, QualityGate gate) {
    return s.withOptions(options).withQualityGate(gate);
  }
}
