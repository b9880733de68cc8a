package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.model.CustomerValueModel;
import dev.retention.testing.BtydOrders;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, through the train service on s3proxy: an orders export whose customer value cannot be
 * fitted trains, and the summary, the log and the report say what was left out and why.
 */
class CustomerValueVisibilityTest {

  private static final LocalDate CUTOFF = LocalDate.of(2026, 6, 30);
  private static LocalTraining local;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  /** The {@code warnings} field of each train.published record while a call runs. */
  private static final class Published extends Handler {
    final List<String> warnings = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      if (record instanceof ExtLogRecord ext && "train.published".equals(ext.getMdc("event"))) {
        warnings.add(String.valueOf(ext.getMdc("warnings")));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static TrainSummary train(String name, String csv, Published log) {
    String key = "exports/orders/" + name + ".csv";
    local.upload(key, csv.getBytes(StandardCharsets.UTF_8));
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(log);
    try {
      return local.train(local.service(name, s -> withCutoff(s)), key);
    } finally {
      root.removeHandler(log);
    }
  }

  private static TrainSettings withCutoff(TrainSettings s) {
    return s.withRfm(new dev.retention.features.RfmOptions(90, CUTOFF));
  }

  @Test
  void customerValueLeftOutIsSaidInTheSummaryTheLogAndTheReport() {
    Published log = new Published();
    TrainSummary summary =
        train(
            "no-dropout",
            BtydOrders.csv(
                new BtydOrders.Settings(3, 4000, 0.4, 20, 0.01, 1000, 270, CUTOFF, 90, null)),
            log);
    assertEquals(TrainSummary.Status.TRAINED, summary.status());
    String reason =
        summary.warnings().stream()
            .filter(w -> w.startsWith(CustomerValueModel.LEFT_OUT))
            .findFirst()
            .orElseThrow(() -> new AssertionError(summary.warnings().toString()));
    assertEquals(1, log.warnings.size());
    assertTrue(log.warnings.get(0).contains(CustomerValueModel.LEFT_OUT), log.warnings.get(0));
    String report =
        new String(
            local.bytes("models/no-dropout/" + summary.version() + "/report.html"),
            StandardCharsets.UTF_8);
    assertTrue(report.contains("left out"), "the report's first screen says so");
    assertTrue(reason.contains("did not converge"), reason);
    assertTrue(report.contains("with none of the penalizers"), "and why");
  }

  @Test
  void aPurchaseLogWithoutAmountsTrainsWithoutClvAndSaysSo() {
    Published log = new Published();
    TrainSummary summary =
        train(
            "no-money",
            BtydOrders.csv(
                new BtydOrders.Settings(5, 4000, 0.6, 15, 0.8, 2.5, 540, CUTOFF, 90, 1.0)),
            log);
    assertEquals(TrainSummary.Status.TRAINED, summary.status());
    assertTrue(
        summary.warnings().stream().anyMatch(w -> w.contains("same amount per order")),
        summary.warnings().toString());
    String report =
        new String(
            local.bytes("models/no-money/" + summary.version() + "/report.html"),
            StandardCharsets.UTF_8);
    assertTrue(report.contains("no CLV"), "the first screen says there is no CLV");
  }
}
