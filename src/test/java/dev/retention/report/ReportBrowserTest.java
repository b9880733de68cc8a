package dev.retention.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.testing.HeadlessChromium;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.SegmentOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator report in a real browser (headless Chromium): every chart draws marks, the page logs
 * no error and loads nothing, fits a phone's width, and prints. Screenshots and the PDF are kept in
 * {@code target/report/} as build artifacts.
 */
class ReportBrowserTest {

  static final Path OUT = Path.of("target", "report");
  static final List<String> CHARTS =
      List.of(
          "segment-sizes",
          "segment-repurchase",
          "elbow",
          "silhouette",
          "roc",
          "precision-recall",
          "calibration",
          "lift",
          "coefficients");

  private static HeadlessChromium browser;
  private static RetentionModel model;
  private static Path page;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder why = new StringBuilder();
    Optional<Path> binary = HeadlessChromium.findOrInstall(why);
    Assumptions.assumeTrue(
        binary.isPresent(),
        "SKIPPED: the report browser test needs Chromium, which could not be installed: " + why);
    model = trainedModel();
    Files.createDirectories(OUT);
    page = OUT.resolve("report.html");
    Files.writeString(page, ReportHtml.render(model), StandardCharsets.UTF_8);
    browser = HeadlessChromium.launch(binary.get());
    for (String domain : List.of("Runtime", "Log", "Page", "Network")) {
      browser.call(domain + ".enable", Map.of());
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
  }

  /** A model from seeded orders, with a minimum segment size that merges some segments. */
  static RetentionModel trainedModel() throws IOException {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 30_000, 3_000, LocalDate.of(2026, 10, 31), 3L);
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(orders.toString().getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("orders.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived derived =
        RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
    SegmentOptions segments = new SegmentOptions(150, "recency_days", "frequency", "monetary");
    return Trainer.train(
        new Trainer.Input(
            derived.features(),
            derived.labels(),
            "bought_again_within_90_days",
            read.rowsRead(),
            read.rowsRejected(),
            read.rejections(),
            "synthetic orders <seed 3>",
            Map.of(),
            OrdersDerivation.describe(derived, read.book().grain()),
            derived.windowPurchases()),
        TrainingOptions.defaults(),
        segments,
        Playbook.of(0.33, 0.66, null),
        new Trainer.Identity("default", "20261128-report", Instant.parse("2026-11-28T12:00:00Z")));
  }

  /** Loads the report in a viewport of that size and measures it. */
  private static JsonNode openAt(int width, int height, int scale, boolean mobile)
      throws Exception {
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", scale, "mobile", mobile));
    browser.navigate(page.toUri());
    return measure();
  }

  private static JsonNode measure() throws IOException {
    return browser.evaluateJson(
        """
        JSON.stringify({
          charts: [...document.querySelectorAll('figure.chart')].map(f => {
            const box = f.querySelector('svg').getBoundingClientRect();
            const drawn = [...f.querySelectorAll('.mark')].filter(m => {
              const b = m.getBBox();
              return b.width > 0 || b.height > 0;
            });
            return {id: f.dataset.chart, width: box.width, height: box.height, marks: drawn.length};
          }),
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          scripts: document.scripts.length,
          resources: performance.getEntriesByType('resource').length,
          title: document.title
        })""");
  }

  private static void screenshot(String name) throws IOException {
    JsonNode shot =
        browser.call(
            "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    byte[] png = Base64.getDecoder().decode(shot.get("data").asText());
    assertTrue(png.length > 10_000, "a screenshot with content");
    Files.write(OUT.resolve(name), png);
  }

  @Test
  void everyChartDrawsOnADesktopScreenWithoutErrorsOrOutsideRequests() throws Exception {
    JsonNode result = openAt(1280, 900, 1, false);
    assertEquals(
        CHARTS,
        java.util.stream.StreamSupport.stream(result.get("charts").spliterator(), false)
            .map(c -> c.get("id").asText())
            .sorted(java.util.Comparator.comparingInt(CHARTS::indexOf))
            .toList());
    for (JsonNode chart : result.get("charts")) {
      assertTrue(chart.get("marks").asInt() > 0, "chart without drawn marks: " + chart);
      assertTrue(chart.get("width").asDouble() > 200, "chart too small: " + chart);
      assertTrue(chart.get("height").asDouble() > 100, "chart too small: " + chart);
    }
    assertEquals(0, result.get("scripts").asInt());
    assertEquals(0, result.get("resources").asInt(), "the report loads nothing");
    // The browser's request log spans the class's tests: every request must be the file itself.
    assertEquals(
        java.util.Set.of(page.toUri().toString()), java.util.Set.copyOf(browser.requests()));
    assertEquals(List.of(), browser.errors());
    screenshot("report-desktop.png");
  }

  @Test
  void itFitsAPhoneAndPrints() throws Exception {
    JsonNode result = openAt(390, 844, 2, true);
    assertTrue(
        result.get("overflow").asInt() <= 0,
        "the page scrolls sideways on a phone by " + result.get("overflow"));
    for (JsonNode chart : result.get("charts")) {
      assertTrue(chart.get("marks").asInt() > 0, "chart without drawn marks: " + chart);
      assertTrue(chart.get("width").asDouble() <= 390, "chart wider than the phone: " + chart);
    }
    screenshot("report-phone.png");
    JsonNode pdf = browser.call("Page.printToPDF", Map.of("printBackground", true));
    byte[] bytes = Base64.getDecoder().decode(pdf.get("data").asText());
    assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
    Files.write(OUT.resolve("report.pdf"), bytes);
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void smallSegmentsAreMergedBeforePublishingAndTheReportSaysSo() throws IOException {
    String html = Files.readString(page);
    for (RetentionModel.Segment s : model.segments()) {
      assertTrue(s.size() >= 150, "every published segment holds at least the minimum size");
    }
    assertTrue(!model.segmentation().merges().isEmpty(), "this seed merges a small segment");
    assertTrue(html.contains(model.segmentation().merges().get(0)), "the report lists merges");
  }
}
