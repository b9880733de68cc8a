package dev.retention.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.model.BandTable;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.RetentionModel;
import dev.retention.model.WindowAgreement;
import dev.retention.testing.ReferenceData;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's "numbers that agree": the batch report sets the mean repurchase probability beside
 * BG/NBD's mean P(at least one purchase) per segment, says why a segment where they differ by more
 * than 15 points differs, and withholds the means of segments below the minimum size (and the total
 * when it would reveal them).
 */
class WindowSectionTest {

  private static CustomerValueModel.Quantities value(double pPurchase, double expected) {
    return new CustomerValueModel.Quantities(0.9, expected, pPurchase, 30, 100.0, 50);
  }

  private static WindowAgreement window(int smallSegment) {
    WindowAgreement.Sums sums = new WindowAgreement.Sums(3);
    for (int i = 0; i < 100; i++) {
      // Segment 0: the customer, 0.76 from the model, 0.41 from BG/NBD.
      sums.add(0, 0.76, value(0.41, 2.5));
      sums.add(1, 0.50, value(0.45, 0.8));
    }
    for (int i = 0; i < smallSegment; i++) {
      sums.add(2, 0.20, value(0.30, 0.4));
    }
    return sums.table(90, 50);
  }

  private static RetentionModel model() {
    ReferenceData reference = ReferenceData.load();
    return new Trainer(TrainingOptions.defaults().withK(3))
        .train(
            Trainer.Input.of(reference.features, reference.labels, "repurchased"),
            new Trainer.Identity("default", "v1", Instant.parse("2026-11-28T00:00:00Z")));
  }

  @Test
  void segmentsBelowTheMinimumSizeAndATotalThatWouldRevealThemAreWithheld() {
    WindowAgreement small = window(10);
    assertEquals(0.76, small.segments().get(0).repurchaseProbability(), 1e-12);
    assertEquals(0.41, small.segments().get(0).purchaseProbability(), 1e-12);
    assertEquals(2.5, small.segments().get(0).expectedPurchases(), 1e-12);
    assertTrue(small.segments().get(0).disagrees());
    assertFalse(small.segments().get(1).disagrees());
    assertNull(small.segments().get(2).repurchaseProbability(), "10 customers: withheld");
    assertEquals(10, small.segments().get(2).customers(), "the count is still shown");
    assertNull(small.total().repurchaseProbability(), "the total would reveal the 10");
    assertEquals(210, small.total().customers());

    WindowAgreement none = window(0);
    assertEquals((0.76 + 0.50) / 2, none.total().repurchaseProbability(), 1e-12);
    WindowAgreement large = window(60);
    assertEquals(
        (100 * 0.76 + 100 * 0.50 + 60 * 0.20) / 260, large.total().repurchaseProbability(), 1e-12);
  }

  @Test
  void theBatchReportShowsBothProbabilitiesAndExplainsWhereTheyDisagree() {
    RetentionModel model = model();
    String name0 = model.segments().get(0).name();
    String name1 = model.segments().get(1).name();
    String name2 = model.segments().get(2).name();
    String html =
        ReportHtml.renderBatch(
            model,
            new ReportHtml.BatchView(
                "s3://b/exports/score/x.csv",
                "scores/v1/x.csv",
                Instant.EPOCH,
                LocalDate.of(2026, 11, 1),
                210,
                0,
                new BandTable(
                    model.segments().stream().map(RetentionModel.Segment::bands).toList(),
                    model.segmentation().bands()),
                null,
                window(10)));
    int section = html.indexOf("<section id=\"window\">");
    assertTrue(section > html.indexOf("<section id=\"contact\">"), "after who to contact");
    String text = html.substring(section, html.indexOf("</section>", section));
    assertTrue(text.contains("Buying in the next 90 days: two estimates"), text);
    assertTrue(
        text.contains(
            "<tr class=\"high\"><td class=\"text\" data-label=\"Segment\">"
                + Html.escape(name0)
                + "</td><td data-label=\"Customers\">100</td>"
                + "<td data-label=\"Repurchase probability\">76.0%</td>"
                + "<td data-label=\"BG/NBD P(at least one purchase)\">41.0%</td>"
                + "<td data-label=\"Expected purchase days\">2.50</td>"),
        text);
    assertTrue(
        text.contains(Html.escape(name0) + ": 76.0% against BG/NBD&#39;s 41.0%, the repurchase")
            || text.contains(Html.escape(name0) + ": 76.0% against BG/NBD's 41.0%, the repurchase"),
        "the disagreement explained: " + text);
    assertTrue(text.contains("1 segment where the two probabilities differ by more than 15"), text);
    assertFalse(text.contains(Html.escape(name1) + ": 50.0%"), "an agreeing segment explained");
    assertTrue(
        text.contains(
            "data-label=\"Segment\">"
                + Html.escape(name2)
                + "</td><td data-label=\"Customers\">10</td>"
                + "<td data-label=\"Repurchase probability\">–</td>"),
        text);
    assertTrue(text.contains("withheld (10 customers)"), text);
    assertTrue(text.contains("Expected purchases count purchases, not customers"), text);
    assertTrue(text.contains("fewer than 50 customers in this batch are withheld"), text);

    String without =
        ReportHtml.renderBatch(
            model,
            new ReportHtml.BatchView(
                "s3://b/exports/score/x.csv",
                "scores/v1/x.csv",
                Instant.EPOCH,
                LocalDate.of(2026, 11, 1),
                210,
                0,
                new BandTable(
                    model.segments().stream().map(RetentionModel.Segment::bands).toList(),
                    model.segmentation().bands())));
    assertFalse(without.contains("id=\"window\""), "no customer value, no section");
  }
}
