package dev.retention.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.BandTable;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.model.WindowAgreement;
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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator report in a real browser (headless Chromium): the first screen says who to contact,
 * every chart draws marks with round ticks and uncut labels, the page logs no error and loads
 * nothing, fits a phone's width with no table wider than the screen and text of at least 11 px, and
 * prints. The batch report renders the same way. Screenshots and the PDF are kept in {@code
 * target/report/} as build artifacts.
 */
class ReportBrowserTest {

  static final Path OUT = Path.of("target", "report");
  static final List<String> CHARTS =
      List.of(
          "segment-sizes",
          "segment-repurchase",
          "p-alive",
          "back-test",
          "value-share",
          "elbow",
          "silhouette",
          "roc",
          "precision-recall",
          "calibration",
          "lift",
          "feature-effects");

  private static HeadlessChromium browser;
  private static RetentionModel model;
  private static Path page;
  private static Path batchPage;
  private static Path campaignPage;
  private static dev.retention.campaign.CampaignManifest campaign;
  private static Path upliftPage;
  private static UpliftBatch uplift;

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
    batchPage = OUT.resolve("batch-report.html");
    Files.writeString(
        batchPage,
        ReportHtml.renderBatch(
            model,
            new ReportHtml.BatchView(
                "s3://bucket/exports/score/today.csv",
                "scores/20261128-report/today.csv",
                Instant.parse("2026-11-29T08:30:05Z"),
                java.time.LocalDate.parse("2026-11-28"),
                model.provenance().rowsUsed(),
                0,
                new BandTable(
                    model.segments().stream().map(RetentionModel.Segment::bands).toList(),
                    model.segmentation().bands()),
                null,
                windowOf(model))),
        StandardCharsets.UTF_8);
    campaign = campaignOf(model);
    campaignPage = OUT.resolve("campaign-report.html");
    Files.writeString(
        campaignPage,
        ReportHtml.renderBatch(
            model,
            new ReportHtml.BatchView(
                "s3://bucket/exports/score/today.csv",
                "scores/20261128-report/today.csv",
                Instant.parse("2026-11-29T08:30:05Z"),
                java.time.LocalDate.parse("2026-11-28"),
                model.provenance().rowsUsed(),
                0,
                new BandTable(
                    model.segments().stream().map(RetentionModel.Segment::bands).toList(),
                    model.segmentation().bands()),
                campaign)),
        StandardCharsets.UTF_8);
    uplift = upliftBatch();
    upliftPage = OUT.resolve("campaign-uplift-report.html");
    Files.writeString(
        upliftPage,
        ReportHtml.renderBatch(
            uplift.model(),
            new ReportHtml.BatchView(
                "s3://bucket/exports/score/spring.csv",
                "scores/20261128-uplift/spring.csv",
                Instant.parse("2026-11-29T08:30:05Z"),
                java.time.LocalDate.parse("2026-11-28"),
                uplift.customers(),
                0,
                uplift.bands(),
                uplift.campaign())),
        StandardCharsets.UTF_8);
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

  /**
   * A campaign over the model's training customers as its bands count them (ids made up, ranked by
   * a seeded value), with a budget that leaves some selected customers over it: the manifest a
   * campaign batch of this model would carry.
   */
  static dev.retention.campaign.CampaignManifest campaignOf(RetentionModel model) {
    List<String> ids = new java.util.ArrayList<>();
    List<Integer> segments = new java.util.ArrayList<>();
    List<Integer> bands = new java.util.ArrayList<>();
    for (RetentionModel.Segment s : model.segments()) {
      for (int b = 0; b < s.bands().size(); b++) {
        for (long c = 0; c < s.bands().get(b).customers(); c++) {
          ids.add("c" + ids.size());
          segments.add(s.id());
          bands.add(b);
        }
      }
    }
    int n = ids.size();
    java.util.Random random = new java.util.Random(21);
    double[] priority = new double[n];
    boolean[] eligible = new boolean[n];
    for (int i = 0; i < n; i++) {
      priority[i] = random.nextDouble();
      eligible[i] = dev.retention.model.Priority.likelyToLapse(bands.get(i));
    }
    return dev.retention.campaign.CampaignPlanner.plan(
            dev.retention.campaign.Candidates.byValueAtRisk(
                ids.toArray(String[]::new),
                segments.stream().mapToInt(Integer::intValue).toArray(),
                bands.stream().mapToInt(Integer::intValue).toArray(),
                priority,
                eligible),
            dev.retention.campaign.CampaignOptions.defaults()
                .withBudget(dev.retention.campaign.ContactBudget.contacts(n / 3)),
            new dev.retention.campaign.CampaignPlanner.Context(
                "winter-2026",
                model.version(),
                LocalDate.of(2026, 11, 28),
                model.segments().stream().map(RetentionModel.Segment::name).toList(),
                model.segmentation().minSize()))
        .manifest();
  }

  /** An uplift model's campaign batch: the model, its scored customers' table and the plan. */
  record UpliftBatch(
      RetentionModel model,
      long customers,
      BandTable bands,
      dev.retention.campaign.CampaignManifest campaign) {}

  private static final dev.retention.model.ContactEconomics ECONOMICS =
      new dev.retention.model.ContactEconomics(0.50, 0.40);

  /**
   * The simulator's past campaign (8,000 customers, half contacted) trains the repurchase model and
   * its uplift part as the train function does (monetary is the order value); 3,000 fresh customers
   * are scored by it, summed by segment × band with their contact decisions, and a campaign of at
   * most 800 contacts is planned over them by expected incremental profit.
   */
  static UpliftBatch upliftBatch() {
    dev.retention.testing.UpliftExports.Export past =
        dev.retention.testing.UpliftExports.of(31, 8_000, 0.5);
    dev.retention.core.FeatureMatrix x = past.customers().features();
    int n = x.rows();
    int[] treatment = new int[n];
    for (int i = 0; i < n; i++) {
      treatment[i] = past.treated()[i] ? 1 : 0;
    }
    RetentionModel trained =
        new Trainer(
                TrainingOptions.defaults(),
                new SegmentOptions(50, "recency_days", "frequency", "monetary"),
                Playbook.of(0.33, 0.66, null))
            .train(
                Trainer.Input.of(x, past.bought(), "repurchased"),
                new Trainer.Identity(
                    "default", "20261128-uplift", Instant.parse("2026-11-28T12:00:00Z")));
    assertEquals(dev.retention.testing.UpliftSimulation.FEATURES, trained.featureNames());
    RetentionModel model =
        trained.withUplift(
            dev.retention.campaign.UpliftTraining.fit(
                    past.customers().ids(),
                    x,
                    treatment,
                    past.bought(),
                    dev.retention.campaign.UpliftTrainingOptions.defaults(),
                    50)
                .toRecord("treated", "monetary"));
    assertEquals(
        dev.retention.model.Priority.Basis.EXPECTED_INCREMENTAL_PROFIT,
        dev.retention.model.Priority.basis(model));

    dev.retention.testing.UpliftSimulation.Customers fresh =
        dev.retention.testing.UpliftSimulation.customers(
            77, 3_000, dev.retention.testing.UpliftSimulation.Parameters.defaults());
    int m = fresh.features().rows();
    dev.retention.model.Scorer scorer = dev.retention.model.Scorer.of(model);
    BandTable.Sums sums = new BandTable.Sums(model.segmentation().k());
    int[] segment = new int[m];
    int[] band = new int[m];
    double[] upliftOf = new double[m];
    double[] orderValue = new double[m];
    for (int i = 0; i < m; i++) {
      dev.retention.model.Scorer.Score score = scorer.score(fresh.features().row(i));
      segment[i] = score.segment();
      band[i] = Playbook.BANDS.indexOf(score.churnRiskBand());
      upliftOf[i] = score.uplift();
      orderValue[i] = score.orderValue();
      sums.add(segment[i], band[i], Double.NaN, Double.NaN, score.probability());
      sums.addDecision(segment[i], band[i], ECONOMICS.decide(upliftOf[i], orderValue[i]));
    }
    dev.retention.campaign.CampaignManifest manifest =
        dev.retention.campaign.CampaignPlanner.plan(
                dev.retention.campaign.Candidates.byUplift(
                    fresh.ids(), segment, band, upliftOf, orderValue),
                new dev.retention.campaign.CampaignOptions(
                    0.10, dev.retention.campaign.ContactBudget.contacts(800), ECONOMICS),
                new dev.retention.campaign.CampaignPlanner.Context(
                    "spring-2027",
                    model.version(),
                    LocalDate.of(2026, 11, 28),
                    model.segments().stream().map(RetentionModel.Segment::name).toList(),
                    model.segmentation().minSize()))
            .manifest();
    return new UpliftBatch(model, m, sums.table(model.segmentation().minSize()), manifest);
  }

  /** The seeded orders the report fixtures train on, read and derived once per call. */
  private record SeededOrders(OrderExportReader.Result read, RfmFeatures.Derived derived) {

    static SeededOrders generate() throws IOException {
      StringWriter orders = new StringWriter();
      SyntheticOrders.write(orders, 30_000, 3_000, LocalDate.of(2026, 10, 31), 3L);
      OrderExportReader.Result read =
          OrderExportReader.read(
              new ByteArrayInputStream(orders.toString().getBytes(StandardCharsets.UTF_8)),
              ExportFormat.of("orders.csv").orElseThrow(),
              OrdersSchema.defaults(),
              null);
      return new SeededOrders(
          read, RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults()));
    }
  }

  /**
   * The training customers scored by {@code model}: its two probabilities of buying, per segment.
   */
  static WindowAgreement windowOf(RetentionModel model) throws IOException {
    RfmFeatures.Derived derived = SeededOrders.generate().derived();
    Scorer scorer = Scorer.of(model);
    WindowAgreement.Sums sums = new WindowAgreement.Sums(model.segmentation().k());
    for (int i = 0; i < derived.features().rows(); i++) {
      Scorer.Score score = scorer.score(derived.features().row(i));
      sums.add(score.segment(), score.probability(), score.value());
    }
    return sums.table(model.customerValue().windowDays(), model.segmentation().minSize());
  }

  /** A model from seeded orders, with a minimum segment size that merges some segments. */
  static RetentionModel trainedModel() throws IOException {
    SeededOrders seeded = SeededOrders.generate();
    OrderExportReader.Result read = seeded.read();
    RfmFeatures.Derived derived = seeded.derived();
    SegmentOptions segments = new SegmentOptions(150, "recency_days", "frequency", "monetary");
    return new Trainer(TrainingOptions.defaults(), segments, Playbook.of(0.33, 0.66, null))
        .train(
            OrdersDerivation.input(
                derived,
                read.book().grain(),
                read.rowsRead(),
                read.rowsRejected(),
                read.rejections(),
                "synthetic orders <seed 3>",
                Map.of()),
            new Trainer.Identity(
                "default", "20261128-report", Instant.parse("2026-11-28T12:00:00Z")));
  }

  /** Loads {@code file} in a viewport of that size and measures it. */
  private static JsonNode openAt(Path file, int width, int height, int scale, boolean mobile)
      throws Exception {
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", scale, "mobile", mobile));
    browser.navigate(file.toUri());
    return measure();
  }

  /**
   * Everything the assertions need, measured by the browser: charts (marks drawn, size, text cut by
   * the drawing's edge, smallest rendered font, tick values), tables wider than their box or the
   * screen, the first screen's table, overflow, scripts and requests.
   */
  private static JsonNode measure() throws IOException {
    return browser.evaluateJson(
        """
        JSON.stringify({
          charts: [...document.querySelectorAll('figure.chart')].map(f => {
            const svg = f.querySelector('svg');
            const box = svg.getBoundingClientRect();
            const view = svg.viewBox.baseVal;
            const drawn = [...f.querySelectorAll('.mark')].filter(m => {
              const b = m.getBBox();
              return b.width > 0 || b.height > 0;
            });
            const texts = [...svg.querySelectorAll('text')];
            const cut = texts.filter(t => {
              const b = t.getBoundingClientRect();
              return b.width > 0 && (b.left < box.left - 0.5 || b.right > box.right + 0.5
                  || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5);
            }).map(t => t.textContent);
            // Text boxes must not intersect. Two labels turned by the same angle are parallel:
            // they collide only when their baselines are closer than a line of text.
            const shown = texts.filter(t => t.getBoundingClientRect().width > 0);
            const turned = t => /rotate\\(-45/.test(t.getAttribute('transform') || '');
            const overlaps = [];
            for (let i = 0; i < shown.length; i++) {
              for (let j = i + 1; j < shown.length; j++) {
                const s = shown[i], t = shown[j];
                if (turned(s) && turned(t)) {
                  const dx = t.x.baseVal[0].value - s.x.baseVal[0].value;
                  const dy = t.y.baseVal[0].value - s.y.baseVal[0].value;
                  const apart = Math.abs(dx + dy) * Math.SQRT1_2;
                  if (apart < parseFloat(s.getAttribute('font-size'))) {
                    overlaps.push(s.textContent + ' / ' + t.textContent);
                  }
                  continue;
                }
                const a = s.getBoundingClientRect(), b = t.getBoundingClientRect();
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 1 && h > 2) {
                  overlaps.push(s.textContent + ' / ' + t.textContent);
                }
              }
            }
            const scale = box.width / view.width;
            const px = texts.map(t => parseFloat(t.getAttribute('font-size')) * scale);
            return {id: f.dataset.chart, width: box.width, height: box.height,
                    marks: drawn.length, cut: cut, overlaps: overlaps,
                    smallestText: Math.min(...px),
                    ticks: ['x', 'y'].map(axis => [...svg.querySelectorAll('.tick[data-axis=' + axis + ']')]
                        .map(t => Number(t.dataset.value))),
                    labels: texts.map(t => t.textContent)};
          }),
          tables: [...document.querySelectorAll('table')].map(t => ({
            id: t.id,
            width: t.getBoundingClientRect().width,
            right: t.getBoundingClientRect().right,
            scroll: t.scrollWidth - t.clientWidth,
            box: t.parentElement.clientWidth
          })),
          contact: (() => {
            const s = document.querySelector('#contact');
            const rows = [...s.querySelectorAll('tbody tr')];
            return {top: s.getBoundingClientRect().top, rows: rows.length,
                    firstBand: rows.length ? rows[0].children[1].textContent : null,
                    lead: s.querySelector('p.lead') ? s.querySelector('p.lead').textContent : ''};
          })(),
          campaign: (() => {
            const s = document.querySelector('#campaign');
            if (!s) return null;
            return {top: s.getBoundingClientRect().top,
                    first: document.querySelector('main section').id,
                    rows: s.querySelectorAll('#campaign-table tbody tr').length,
                    lead: s.querySelector('p.lead').textContent,
                    note: s.querySelector('p.note') ? s.querySelector('p.note').textContent : ''};
          })(),
          // A number must never break across lines ("44." / "7") in a table cell or a card.
          brokenNumbers: (() => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const broken = [];
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const text = n.textContent.trim();
              if (!/^[-+\u2212]?[0-9][0-9.,]*(%|k|M)?$/.test(text)) continue;
              const range = document.createRange();
              range.selectNodeContents(n);
              const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                  .map(r => Math.round(r.top)));
              if (tops.size > 1) broken.push(text);
            }
            return broken;
          })(),
          ellipses: document.body.innerText.includes('\u2026'),
          viewport: window.innerWidth,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          // What sticks out when the page scrolls sideways: the innermost such elements.
          wide: [...document.body.querySelectorAll('*')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                  && ![...e.children].some(k => k.getBoundingClientRect().right > window.innerWidth + 0.5))
              .slice(0, 5)
              .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right)
                  + ' ' + e.textContent.slice(0, 60)),
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

  private static List<String> ids(JsonNode result) {
    return StreamSupport.stream(result.get("charts").spliterator(), false)
        .map(c -> c.get("id").asText())
        .toList();
  }

  /** A tick is round when the ticks step by 1, 2 or 5 times a power of ten from a multiple. */
  static void assertRoundTicks(JsonNode chart) {
    for (JsonNode axis : chart.get("ticks")) {
      assertRoundTicks(chart.get("id").asText(), axis);
    }
  }

  private static void assertRoundTicks(String chart, JsonNode ticks) {
    if (ticks.size() < 2) {
      return;
    }
    double step = ticks.get(1).asDouble() - ticks.get(0).asDouble();
    double magnitude = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
    double mantissa = step / magnitude;
    assertTrue(
        Math.abs(mantissa - 1) < 1e-6
            || Math.abs(mantissa - 2) < 1e-6
            || Math.abs(mantissa - 5) < 1e-6,
        "ticks not in 1-2-5 steps: " + chart + " " + ticks);
    for (int i = 0; i < ticks.size(); i++) {
      double v = ticks.get(i).asDouble();
      double multiple = v / step;
      assertEquals(
          Math.rint(multiple), multiple, 1e-6, "tick not a multiple: " + chart + " " + ticks);
      if (i > 0) {
        assertEquals(step, v - ticks.get(i - 1).asDouble(), step * 1e-6, "uneven ticks " + ticks);
      }
    }
  }

  private static void assertChartsRead(JsonNode result, double minTextPx) {
    for (JsonNode chart : result.get("charts")) {
      assertTrue(chart.get("marks").asInt() > 0, "chart without drawn marks: " + chart.get("id"));
      assertTrue(chart.get("height").asDouble() > 100, "chart too small: " + chart.get("id"));
      assertEquals(
          0,
          chart.get("cut").size(),
          "text cut at the edge of " + chart.get("id") + ": " + chart.get("cut"));
      assertTrue(
          chart.get("smallestText").asDouble() >= minTextPx,
          "text below "
              + minTextPx
              + " px in "
              + chart.get("id")
              + ": "
              + chart.get("smallestText"));
      assertEquals(
          0,
          chart.get("overlaps").size(),
          "labels overlap in " + chart.get("id") + ": " + chart.get("overlaps"));
      assertRoundTicks(chart);
    }
    assertFalse(result.get("ellipses").asBoolean(), "an ellipsis cuts a label");
  }

  @Test
  void theFirstScreenSaysWhoToContactAndEveryChartDrawsOnADesktop() throws Exception {
    JsonNode result = openAt(page, 1280, 900, 1, false);
    assertEquals(CHARTS, ids(result));
    assertChartsRead(result, 11);
    for (JsonNode chart : result.get("charts")) {
      assertTrue(chart.get("width").asDouble() > 200, "chart too small: " + chart);
    }
    // The contact table is on the first screen, high churn risk first, one row per non-empty cell.
    JsonNode contact = result.get("contact");
    assertTrue(
        contact.get("top").asDouble() < 900, "the contact section is not on the first screen");
    long cells =
        model.segments().stream()
            .flatMap(s -> s.bands().stream())
            .filter(c -> c.customers() > 0)
            .count();
    assertEquals(cells + Playbook.BANDS.size(), contact.get("rows").asLong(), "cells and totals");
    // The one ordering: groups likely to lapse (high or medium churn risk) first.
    assertFalse("low".equals(contact.get("firstBand").asText()), contact.toString());
    long high = model.segments().stream().mapToLong(s -> s.bands().get(0).customers()).sum();
    assertTrue(
        contact.get("lead").asText().contains(String.format(java.util.Locale.ROOT, "%,d", high)),
        "the lead sentence counts the high-risk customers: " + contact.get("lead"));
    assertTrue(contact.get("lead").asText().contains("value at risk"), "money on the first screen");
    // Every segment's full name is in the charts that list segments.
    for (String id : List.of("segment-sizes", "segment-repurchase")) {
      JsonNode chart =
          StreamSupport.stream(result.get("charts").spliterator(), false)
              .filter(c -> c.get("id").asText().equals(id))
              .findFirst()
              .orElseThrow();
      String text =
          StreamSupport.stream(chart.get("labels").spliterator(), false)
              .map(JsonNode::asText)
              .reduce("", (a, b) -> a + " " + b);
      for (RetentionModel.Segment s : model.segments()) {
        for (String word : s.name().split(" ")) {
          assertTrue(text.contains(word), id + " lacks '" + word + "' of " + s.name());
        }
      }
    }
    assertEquals(0, result.get("scripts").asInt());
    assertEquals(0, result.get("resources").asInt(), "the report loads nothing");
    assertEquals(List.of(), browser.errors());
    screenshot("report-desktop.png");
  }

  @Test
  void itFitsAPhoneWithStackedTablesAndPrints() throws Exception {
    JsonNode result = openAt(page, 390, 844, 2, true);
    assertTrue(
        result.get("overflow").asInt() <= 0,
        "the page scrolls sideways on a phone by " + result.get("overflow"));
    assertChartsRead(result, 11);
    for (JsonNode chart : result.get("charts")) {
      assertTrue(chart.get("width").asDouble() <= 390, "chart wider than the phone: " + chart);
    }
    assertTables(result, 390);
    assertEquals(List.of(), toList(result.get("brokenNumbers")), "numbers broken across lines");
    screenshot("report-phone.png");
    // The smallest phones in use are 320 px wide: numbers stay whole there too.
    JsonNode narrow = openAt(page, 320, 640, 2, true);
    assertEquals(List.of(), toList(narrow.get("brokenNumbers")), "numbers broken at 320 px");
    assertTrue(narrow.get("overflow").asInt() <= 0, "the page scrolls sideways at 320 px");
    openAt(page, 390, 844, 2, true);
    JsonNode pdf = browser.call("Page.printToPDF", Map.of("printBackground", true));
    byte[] bytes = Base64.getDecoder().decode(pdf.get("data").asText());
    assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
    Files.write(OUT.resolve("report.pdf"), bytes);
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void theBatchReportFitsAPhoneAndADesktop() throws Exception {
    assertTrue(
        Files.readString(batchPage).contains("id=\"window-table\""),
        "the two probabilities of buying are on the page, so their table is measured too");
    JsonNode phone = openAt(batchPage, 390, 844, 2, true);
    assertTrue(phone.get("overflow").asInt() <= 0, "the batch report scrolls sideways");
    assertTables(phone, 390);
    assertEquals(List.of(), toList(phone.get("brokenNumbers")), "numbers broken across lines");
    assertTrue(phone.get("contact").get("rows").asInt() > 0);
    screenshot("batch-report-phone.png");
    JsonNode desktop = openAt(batchPage, 1280, 900, 1, false);
    assertTables(desktop, 1280);
    screenshot("batch-report-desktop.png");
    assertEquals(List.of(), browser.errors());
  }

  /**
   * Issue 21: a campaign batch's first screen says whom to contact, how many to skip and to hold
   * out, on a phone and a desktop, and without an uplift model that it ranks by propensity.
   */
  @Test
  void theCampaignBatchReportSaysWhomToContactOnItsFirstScreen() throws Exception {
    dev.retention.campaign.CampaignManifest.Totals t = campaign.totals();
    assertTrue(t.contact() > 0 && t.holdout() > 0 && t.skippedOverBudget() > 0, t.toString());
    for (int[] screen : new int[][] {{390, 844, 2, 1}, {1280, 900, 1, 0}}) {
      JsonNode result = openAt(campaignPage, screen[0], screen[1], screen[2], screen[3] == 1);
      JsonNode c = result.get("campaign");
      assertEquals("campaign", c.get("first").asText(), "the campaign is the first screen");
      assertTrue(c.get("top").asDouble() < screen[1] / 2.0, "high on the first screen: " + c);
      String lead = c.get("lead").asText();
      for (long n : new long[] {t.contact(), t.skippedNotWorthContacting(), t.holdout()}) {
        assertTrue(lead.contains(String.format(java.util.Locale.ROOT, "%,d", n)), n + ": " + lead);
      }
      assertTrue(lead.startsWith("Contact these"), lead);
      assertTrue(lead.contains("likely to buy anyway"), lead);
      assertTrue(c.get("note").asText().contains("ranks by propensity"), c.toString());
      assertTrue(c.get("note").asText().contains("Keep the holdout"), c.toString());
      assertEquals(campaign.strata().size() + 1, c.get("rows").asInt(), "strata and the total");
      assertTrue(result.get("overflow").asInt() <= 0, "the campaign report scrolls sideways");
      assertTables(result, screen[0]);
      assertEquals(List.of(), toList(result.get("brokenNumbers")), "numbers broken across lines");
      screenshot("campaign-report-" + (screen[3] == 1 ? "phone" : "desktop") + ".png");
    }
    assertEquals(List.of(), browser.errors());
  }

  /**
   * Issue 21 with an uplift model: the campaign's first screen says contact N with the expected
   * incremental revenue and its 95 % interval, skip the M not worth a contact, do not contact the K
   * sleeping dogs, on a phone and a desktop; the contact table below follows the same ordering.
   */
  @Test
  void theUpliftCampaignReportSaysWhomToContactAndWhomNotOnItsFirstScreen() throws Exception {
    dev.retention.campaign.CampaignManifest.Totals t = uplift.campaign().totals();
    assertTrue(
        t.contact() > 0 && t.skippedSleepingDogs() > 0 && t.expectedIncrementalRevenue() != null,
        t.toString());
    assertTrue(uplift.bands().uplift() != null, "the table carries the contact decisions");
    String revenue = Format.money(t.expectedIncrementalRevenue());
    for (int[] screen : new int[][] {{390, 844, 2, 1}, {1280, 900, 1, 0}}) {
      JsonNode result = openAt(upliftPage, screen[0], screen[1], screen[2], screen[3] == 1);
      JsonNode c = result.get("campaign");
      assertEquals("campaign", c.get("first").asText(), "the campaign is the first screen");
      assertTrue(c.get("top").asDouble() < screen[1] / 2.0, "high on the first screen: " + c);
      String lead = c.get("lead").asText();
      assertTrue(
          lead.startsWith(
              "Contact these " + String.format(java.util.Locale.ROOT, "%,d", t.contact())),
          lead);
      assertTrue(
          lead.contains("expected incremental revenue " + revenue + " (95 % interval "), lead);
      java.util.regex.Matcher interval =
          java.util.regex.Pattern.compile("95 % interval ([0-9.,]+) to ([0-9.,]+)").matcher(lead);
      assertTrue(interval.find(), lead);
      double low = Double.parseDouble(interval.group(1).replace(",", ""));
      double high = Double.parseDouble(interval.group(2).replace(",", ""));
      double mid = t.expectedIncrementalRevenue();
      assertTrue(low < high && low <= mid * 1.01 && mid * 0.99 <= high, lead);
      assertTrue(
          lead.contains(
              "do not contact the "
                  + String.format(java.util.Locale.ROOT, "%,d", t.skippedSleepingDogs())
                  + " whom a contact is expected to hurt"),
          lead);
      assertTrue(
          lead.contains(
              "Skip the "
                  + String.format(java.util.Locale.ROOT, "%,d", t.skippedNotWorthContacting())),
          lead);
      assertEquals("", c.get("note").asText(), "an uplift model does not rank by propensity");
      assertEquals(
          uplift.campaign().strata().size() + 1, c.get("rows").asInt(), "strata and the total");
      assertTrue(
          result.get("contact").get("lead").asText().contains("worth contacting first"),
          result.get("contact").toString());
      assertTrue(
          result.get("overflow").asInt() <= 0,
          "the uplift report scrolls sideways at " + screen[0] + " px: " + result.get("wide"));
      assertTables(result, screen[0]);
      assertEquals(List.of(), toList(result.get("brokenNumbers")), "numbers broken across lines");
      screenshot("campaign-uplift-report-" + (screen[3] == 1 ? "phone" : "desktop") + ".png");
    }
    assertEquals(List.of(), browser.errors());
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  private static void assertTables(JsonNode result, int viewport) {
    assertTrue(result.get("tables").size() > 0);
    for (JsonNode table : result.get("tables")) {
      assertTrue(
          table.get("right").asDouble() <= viewport + 0.5,
          "table " + table.get("id") + " ends beyond the screen: " + table);
      assertTrue(
          table.get("width").asDouble() <= table.get("box").asDouble() + 0.5,
          "table " + table.get("id") + " is wider than its box: " + table);
    }
  }

  @Test
  void everyRequestWasTheReportItself() {
    // The browser's request log spans the class's tests: every request must be a report file.
    java.util.Set<String> reports =
        java.util.Set.of(
            page.toUri().toString(),
            batchPage.toUri().toString(),
            campaignPage.toUri().toString(),
            upliftPage.toUri().toString());
    for (String request : browser.requests()) {
      assertTrue(reports.contains(request), "the report requested " + request);
    }
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
