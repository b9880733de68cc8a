package dev.retention.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.config.KnownSettings;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.service.train.TrainSettings;
import dev.retention.testing.RealExports;
import dev.retention.testing.SyntheticOrders;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18's local-run frictions: stale outputs, and synthetic orders in the user's names. */
class LocalRunOutputsTest {

  @Test
  void aRunStartsWithoutTheOutputsOfAnEarlierRun(@TempDir Path work) throws Exception {
    for (String name : LocalRun.OUTPUTS) {
      Files.writeString(work.resolve(name), "from an earlier run");
    }
    Files.writeString(work.resolve("function-train.log"), "old log");
    Files.createDirectories(work.resolve("events"));
    Files.writeString(work.resolve("events/response-train-0.json"), "{}");
    Files.writeString(work.resolve("my-export.csv"), "the user's own file");
    LocalRun.clearOutputs(work);
    for (String name : LocalRun.OUTPUTS) {
      assertFalse(Files.exists(work.resolve(name)), name);
    }
    assertFalse(Files.exists(work.resolve("function-train.log")));
    assertFalse(Files.exists(work.resolve("events")));
    assertTrue(Files.exists(work.resolve("my-export.csv")), "a file of the user's is kept");
    assertTrue(LocalRun.OUTPUTS.containsAll(java.util.List.of("report.html", "scores.csv")));
  }

  private static Map<String, String> env(Map<String, String> settings) {
    Map<String, String> out = new HashMap<>();
    settings.forEach((k, v) -> out.put(KnownSettings.envName(k), v));
    return out;
  }

  @Test
  void syntheticOrdersAreWrittenInTheColumnNamesTheUserMapped() throws Exception {
    Map<String, String> mapped =
        Map.of(
            "retention.orders.customer-id-column", "Kunde",
            "retention.orders.order-id-column", "Bestellung",
            "retention.orders.order-date-column", "Datum",
            "retention.orders.amount-column", "Betrag, brutto");
    String header = LocalRun.syntheticHeader(env(mapped));
    assertEquals("Kunde,Bestellung,Datum,\"Betrag, brutto\",items,status,channel", header);
    StringWriter out = new StringWriter();
    SyntheticOrders.write(out, 3_000, 300, LocalDate.of(2026, 11, 1), 1L, header);
    TrainSettings settings = RealExports.trainSettings(mapped);
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("today.csv").orElseThrow(),
            settings.ordersSchema(),
            null);
    assertEquals(0, read.rowsRejected());
    assertTrue(read.book().customers() > 250);
  }

  @Test
  void aDialectSyntheticOrdersCannotBeWrittenInUsesTheUsersOwnExport() {
    assertNull(
        LocalRun.syntheticHeader(env(Map.of("retention.orders.date-formats", "M/d/yyyy H:mm"))));
    assertNull(LocalRun.syntheticHeader(env(RealExports.ONLINE_RETAIL_SETTINGS)));
    assertNull(LocalRun.syntheticHeader(env(Map.of("retention.export.delimiter", ";"))));
    assertEquals(SyntheticOrders.HEADER, LocalRun.syntheticHeader(Map.of()));
  }
}
