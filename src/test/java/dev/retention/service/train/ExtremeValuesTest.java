package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.model.RetentionModel;
import dev.retention.testing.ReferenceData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values at the edge of what a double holds (issue 18: a value of 1e308 failed the whole training
 * as "storage-or-internal" and left an orphan report while the error said "nothing published").
 */
class ExtremeValuesTest {

  private static LocalTraining local;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  /** The reference export with one cell of {@code column} in data row {@code row} replaced. */
  static byte[] withCell(int row, int column, String value) {
    String[] lines = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8).split("\n", -1);
    String[] cells = lines[row + 1].split(",", -1);
    cells[column] = value;
    lines[row + 1] = String.join(",", cells);
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aValueOf1e308RejectsItsRowAndTheRestTrainsWithFiniteNumbers() {
    local.upload("exports/features/huge.csv", withCell(17, 3, "1e308"));
    TrainingService service = local.service("huge", s -> s);
    TrainSummary summary = local.train(service, "exports/features/huge.csv");
    assertEquals(TrainSummary.Status.TRAINED, summary.status());
    RetentionModel model = local.model("huge", summary.version());
    for (RetentionModel.Feature f : model.features()) {
      assertTrue(Double.isFinite(f.mean()) && Double.isFinite(f.std()), f.toString());
      assertTrue(Double.isFinite(f.low()) && Double.isFinite(f.high()), f.toString());
    }
    assertTrue(Double.isFinite(model.evaluation().rocAuc()));
    // The row is rejected like a NaN (line and column, never the value); the rest trains.
    assertEquals(5999, summary.rowsUsed());
    assertEquals(1, summary.rowsRejected());
    assertEquals(
        List.of(
            "line 19, column 'monetary': beyond the largest magnitude a value may have (1e100)"),
        model.provenance().rejections());
  }

  @Test
  void aColumnOfValuesNearTheLargestDoubleIsRefusedNamingTheColumnAndNothingIsPublished() {
    String[] lines = new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8).split("\n", -1);
    StringBuilder out = new StringBuilder(lines[0]).append('\n');
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] cells = lines[i].split(",", -1);
      // monetary scaled to the top of the double range: every sum over it overflows.
      cells[3] = Double.toString(Double.parseDouble(cells[3]) * 1e305);
      out.append(String.join(",", cells)).append('\n');
    }
    local.upload("exports/features/scaled.csv", out.toString().getBytes(StandardCharsets.UTF_8));
    TrainingService service = local.service("scaled", s -> s);
    TrainingFailedException failure =
        assertThrows(
            TrainingFailedException.class,
            () -> local.train(service, "exports/features/scaled.csv"));
    assertTrue(failure.getMessage().contains("column 'monetary'"), failure.getMessage());
    assertTrue(failure.getMessage().contains("largest magnitude"), failure.getMessage());
    assertEquals(List.of(), local.keys("models/scaled/"));
  }
}
