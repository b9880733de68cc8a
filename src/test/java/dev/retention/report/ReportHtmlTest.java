package dev.retention.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.FeatureMatrix;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.testing.ReferenceData;
import dev.retention.training.SegmentOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the report must never contain, whatever the export's column names are. */
class ReportHtmlTest {

  @Test
  void columnNamesFromTheExportAreEscaped() {
    ReferenceData reference = ReferenceData.load();
    List<String> names = new ArrayList<>(reference.features.columns());
    names.set(0, "<img src=x onerror=alert(1)>");
    names.set(1, "a&b \"quoted\"");
    RetentionModel model =
        new Trainer(TrainingOptions.defaults().withK(3))
            .train(
                Trainer.Input.of(
                    new FeatureMatrix(names, reference.features.data()),
                    reference.labels,
                    "<script>label</script>"),
                new Trainer.Identity("default", "v<1>", Instant.parse("2026-11-28T00:00:00Z")));
    String html = ReportHtml.render(model);
    assertFalse(html.contains("<img"), "a column name became markup");
    assertFalse(html.contains("<script"), "a label name became markup");
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assertTrue(html.contains("a&amp;b &quot;quoted&quot;"));
    assertTrue(html.contains("v&lt;1&gt;"));
  }

  @Test
  void theKChartSaysHowManySegmentsArePublishedWhenSmallOnesWereMerged() {
    ReferenceData reference = ReferenceData.load();
    // A minimum size that some of the searched K's segments cannot reach: they are merged.
    RetentionModel model =
        new Trainer(
                TrainingOptions.defaults(),
                new SegmentOptions(590, "recency_days", "frequency", "monetary"),
                Playbook.of(
                    Playbook.DEFAULT_HIGH_RISK_BELOW, Playbook.DEFAULT_MEDIUM_RISK_BELOW, null))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", "v1", Instant.parse("2026-11-28T00:00:00Z")));
    int chosen = model.segmentation().kSearch().chosenK();
    int published = model.segmentation().k();
    assertTrue(published < chosen, "the fixture must merge a segment: " + published);
    assertEquals(published, model.segments().size());
    String html = ReportHtml.render(model);
    assertTrue(
        html.contains("chosen K = " + chosen + ", " + published + " published"),
        "the chart's marker says how many segments are published");
    assertTrue(
        html.contains(
            "The search chose K = "
                + chosen
                + "; "
                + published
                + " segments are published after merging"),
        "the text explains why fewer segments are published");
  }
}
