package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.model.RetentionModel;
import dev.retention.service.EmfMetrics;
import dev.retention.testing.EuropeanLocaleExports;
import dev.retention.testing.RealExports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The train service reads exports with the text format the settings declare ({@code
 * retention.export.delimiter}, {@code decimal-separator}): before, it decoded the object with the
 * default format, so a {@code ;} export was refused ("the export looks ';'-separated; set
 * retention.export.delimiter=;") with exactly that setting set, on the orders and the feature path.
 */
class TextFormatTrainingTest {

  private static LocalTraining local;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static TrainSummary train(String model, String key, byte[] bytes, TrainSettings s) {
    local.upload(key, bytes);
    TrainingService service =
        new TrainingService(local.store(model), s, Clock.systemUTC(), EmfMetrics.disabled());
    return local.train(service, key);
  }

  @Test
  void aSemicolonOrdersExportWithDecimalCommasTrains() {
    TrainSettings settings = RealExports.trainSettings(RealExports.SUPERSTORE_SETTINGS);
    TrainSummary summary =
        train(
            "superstore",
            "exports/orders/superstore.csv.gz",
            RealExports.gzip(EuropeanLocaleExports.superstore()),
            settings);
    assertEquals(TrainSummary.Status.TRAINED, summary.status(), summary.toString());
    assertEquals(EuropeanLocaleExports.superstore().lines().count() - 1, summary.rowsRead());
    assertEquals(0, summary.rowsRejected());
    RetentionModel model = local.model("superstore", summary.version());
    assertEquals(";", model.derivation().dialect().get("delimiter"));
    assertEquals(",", model.derivation().dialect().get("decimalSeparator"));
  }

  @Test
  void aSemicolonFeatureExportTrains() throws IOException {
    String csv;
    try (InputStream in = getClass().getResourceAsStream("/reference/customers.csv")) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(',', ';');
    }
    TrainSettings settings =
        RealExports.trainSettings(Map.of("retention.export.delimiter", ";"))
            .withOptions(LocalTraining.quickSettings().options());
    TrainSummary summary =
        train(
            "features",
            "exports/features/customers.csv",
            csv.getBytes(StandardCharsets.UTF_8),
            settings);
    assertEquals(TrainSummary.Status.TRAINED, summary.status(), summary.toString());
    assertEquals(6_000, summary.rowsRead());
  }
}
