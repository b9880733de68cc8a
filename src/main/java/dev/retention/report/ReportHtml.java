package dev.retention.report;

import dev.retention.model.BandTable;
import dev.retention.model.Playbook;
import dev.retention.model.Priority;
import dev.retention.model.RetentionModel;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The operator report: one self-contained HTML file (inline CSS and SVG, no script, no external
 * font or image). {@link #render} is the training report published next to the model as {@code
 * report.html}; {@link #renderBatch} the report next to a batch-score output.
 *
 * <p>The first screen answers "who do I contact this week, with what, and what is at stake":
 * customers per segment and churn-risk band with the suggested action, as counts and shares, with
 * money where the data has it. Then every headline metric in one plain sentence; segments; the
 * customer-value layer; how K was chosen; the repurchase model (ROC, precision-recall, calibration,
 * lift, feature effects folded onto the inputs, the expanded terms in a table); the data; the
 * playbook. Everything comes from the model file (or the batch's aggregates), so the report shows
 * aggregates only: each amount sums at least the minimum segment size of customers, else it shows
 * as "–".
 *
 * <p>This class assembles the page; the sections are package-private classes written with {@link
 * HtmlWriter} (text escaped unless asked for raw): {@link ContactSection} (the first screen),
 * {@link QualitySection} (headline metrics, the repurchase model's evaluation), {@link
 * ValueSection}, {@link DataSection}, {@link CampaignSection}, {@link WindowSection} and {@link
 * LiftSection}.
 */
public final class ReportHtml {

  private static final String CSS =
      """
      :root{color-scheme:light}
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
      background:#fff;line-height:1.45}
      main{max-width:980px;margin:0 auto;padding:16px}
      h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;
      border-bottom:1px solid #ddd;padding-bottom:.2rem}
      .meta{color:#555;font-size:.9rem}
      .lead{font-size:1.05rem}
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,220px),1fr));gap:8px}
      .card{border:1px solid #ddd;border-radius:6px;padding:8px 10px}
      .card b{display:block;font-size:1.3rem}
      .card span{display:block;font-size:.8rem;color:#555;text-transform:uppercase;letter-spacing:.02em}
      .card p{margin:.3rem 0 0;font-size:.9rem}
      .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:12px}
      .wide{max-width:560px;margin:12px auto}
      figure.chart{margin:0;border:1px solid #eee;border-radius:6px;padding:4px}
      figure.chart svg{width:100%;height:auto;display:block}
      figcaption{font-size:.85rem;color:#555;text-align:center}
      table{border-collapse:collapse;font-size:.85rem;width:100%;margin:.5rem 0}
      th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:right;vertical-align:top}
      td.text,th.text{text-align:left}
      td:not(.text){white-space:nowrap}
      tr.high td{background:#fff4f2}tr.total td{font-weight:600;border-top:2px solid #ccc}
      .note{background:#f6f8fa;border-left:3px solid #999;padding:6px 10px;font-size:.9rem}
      details{margin:.5rem 0}summary{cursor:pointer}
      code{overflow-wrap:anywhere}
      @media (max-width:600px){
      table.stack thead{display:none}
      table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:auto}
      table.stack tr{border:1px solid #ddd;border-radius:6px;margin:0 0 8px;padding:4px 0}
      table.stack td{display:flex;justify-content:space-between;gap:12px;border:0;padding:2px 8px;
      text-align:right}
      table.stack td.text{overflow-wrap:anywhere}
      table.stack td::before{content:attr(data-label);font-weight:600;text-align:left;color:#444;
      white-space:normal;min-width:0}
      }
      @media print{main{max-width:none}figure.chart,table,.card{break-inside:avoid}
      h2{break-after:avoid}}
      """;

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * What a batch scored, for {@link #renderBatch}: aggregates only.
   *
   * @param export the scored export's key
   * @param output the scores' key
   * @param scoredAt when
   * @param customers customers scored
   * @param rejected rows rejected
   * @param bands customers by segment and band
   * @param campaign the campaign planned over the batch, or null ({@link CampaignSection})
   * @param window the repurchase probability beside BG/NBD's P(at least one purchase) per segment,
   *     or null without customer value ({@link WindowSection})
   */
  public record BatchView(
      String export,
      String output,
      Instant scoredAt,
      java.time.LocalDate asOf,
      long customers,
      long rejected,
      BandTable bands,
      dev.retention.campaign.CampaignManifest campaign,
      dev.retention.model.WindowAgreement window) {

    /** A batch without a campaign. */
    public BatchView(
        String export,
        String output,
        Instant scoredAt,
        java.time.LocalDate asOf,
        long customers,
        long rejected,
        BandTable bands) {
      this(export, output, scoredAt, asOf, customers, rejected, bands, null, null);
    }

    /** A batch with a campaign (or none), without the window's two probabilities. */
    public BatchView(
        String export,
        String output,
        Instant scoredAt,
        java.time.LocalDate asOf,
        long customers,
        long rejected,
        BandTable bands,
        dev.retention.campaign.CampaignManifest campaign) {
      this(export, output, scoredAt, asOf, customers, rejected, bands, campaign, null);
    }
  }

  private ReportHtml() {}

  /** Renders the training report of {@code model}. */
  public static String render(RetentionModel model) {
    StringBuilder out = open(model, "Customer retention report");
    header(out, model, null);
    ContactSection.write(
        new HtmlWriter(out),
        model,
        ContactSection.trainingBands(model),
        "the "
            + Format.count(model.provenance().rowsUsed())
            + " customers the model was trained on, scored by it");
    QualitySection.summary(new HtmlWriter(out), model);
    segments(out, model);
    ValueSection.write(new HtmlWriter(out), model);
    UpliftSection.write(new HtmlWriter(out), model);
    kSearch(out, model);
    QualitySection.classifier(new HtmlWriter(out), model);
    DataSection.data(new HtmlWriter(out), model);
    DataSection.playbook(new HtmlWriter(out), model);
    return close(out);
  }

  /** Renders the report of one batch-score output: who to contact among the scored customers. */
  public static String renderBatch(RetentionModel model, BatchView batch) {
    StringBuilder out = open(model, "Batch scores report");
    header(out, model, batch);
    if (batch.campaign() != null) {
      CampaignSection.render(out, batch.campaign(), model.uplift());
    }
    ContactSection.write(
        new HtmlWriter(out),
        model,
        batch.bands(),
        "the " + Format.count(batch.customers()) + " customers of this export");
    if (batch.window() != null) {
      WindowSection.write(new HtmlWriter(out), model, batch.window());
    }
    out.append("<section id=\"batch\"><h2>This batch</h2>")
        .append(
            new Table("<What", "<Value")
                .row("Export", batch.export())
                .row("Scores", batch.output())
                .row("Scored at", seconds(batch.scoredAt().toString()))
                .row("Features as of", batch.asOf().toString())
                .row("Customers scored", Format.count(batch.customers()))
                .row("Rows rejected", Format.count(batch.rejected()))
                .row("Model", model.modelName() + " " + model.version())
                .html("batch-facts"))
        .append(
            "<p class=\"meta\">The scores file lists every customer in priority order ("
                + Html.escape(Priority.basis(model).sentence())
                + "); this report shows aggregates only. The model's own report has its"
                + " evaluation.</p>")
        .append("</section>\n");
    DataSection.playbook(new HtmlWriter(out), model);
    return close(out);
  }

  /**
   * Renders a campaign's measured lift ({@code <scores prefix>campaigns/<id>/result.html}): the
   * result's aggregates only, under the live model's name.
   */
  public static String renderCampaignResult(
      RetentionModel model,
      dev.retention.campaign.LiftResult result,
      dev.retention.campaign.LiftJson.Provenance from) {
    StringBuilder out = open(model, "Campaign result");
    out.append("<header><h1>Campaign result</h1><p class=\"meta\">Outcomes <code>")
        .append(Html.escape(from.outcomes()))
        .append("</code> joined to the groups of <code>")
        .append(Html.escape(from.scores()))
        .append("</code>.</p></header>\n");
    LiftSection.render(out, result, from);
    return close(out);
  }

  private static StringBuilder open(RetentionModel model, String title) {
    StringBuilder out = new StringBuilder(96 * 1024);
    return out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(Html.escape(title))
        .append(" · ")
        .append(Html.escape(model.modelName()))
        .append(' ')
        .append(Html.escape(model.version()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body><main>\n");
  }

  private static String close(StringBuilder out) {
    return out.append("</main></body></html>\n").toString();
  }

  private static void header(StringBuilder out, RetentionModel model, BatchView batch) {
    RetentionModel.Provenance p = model.provenance();
    out.append("<header><h1>")
        .append(batch == null ? "Customer retention report" : "Batch scores report")
        .append("</h1><p class=\"meta\">");
    if (batch != null) {
      out.append("Scored <time>")
          .append(Html.escape(seconds(batch.scoredAt().toString())))
          .append("</time> with ");
    }
    out.append("model <b>")
        .append(Html.escape(model.modelName()))
        .append("</b> version <b>")
        .append(Html.escape(model.version()))
        .append("</b>, trained <time>")
        .append(Html.escape(seconds(model.createdAt())))
        .append("</time> on ")
        .append(Format.count(p.rowsUsed()))
        .append(" customers");
    if (batch != null) {
      // The scored customers' day, not the training cutoff: that is what these scores describe.
      out.append("; the scored customers' features are as of <time>")
          .append(batch.asOf().toString())
          .append("</time>");
    } else if (model.derivation() != null) {
      out.append(" (features as of ")
          .append(Html.escape(model.derivation().cutoff()))
          .append(", label: bought again within ")
          .append(model.derivation().labelWindowDays())
          .append(" days)");
    } else {
      out.append(" (label column <code>")
          .append(Html.escape(model.labelColumn()))
          .append("</code>)");
    }
    out.append(".</p></header>\n");
  }

  // ---------------------------------------------------------------- first screen

  /** The model's minimum segment size (1 for files that predate it). */
  static int minSize(RetentionModel model) {
    Integer minSize = model.segmentation().minSize();
    return minSize == null ? 1 : minSize;
  }

  // ---------------------------------------------------------------- segments

  /** One entry per reported profile (pooled small segments appear once, with their owner). */
  static List<RetentionModel.Segment> profiles(RetentionModel model) {
    List<RetentionModel.Segment> out = new ArrayList<>();
    Set<List<Integer>> seen = new LinkedHashSet<>();
    for (RetentionModel.Segment s : model.segments()) {
      if (seen.add(covers(s))) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparingLong(RetentionModel.Segment::size).reversed());
    return out;
  }

  /** The segments a profile covers; a 1.0 model file has no such list: its segments stand alone. */
  private static List<Integer> covers(RetentionModel.Segment s) {
    return s.profileCovers() == null ? List.of(s.id()) : s.profileCovers();
  }

  private static void segments(StringBuilder out, RetentionModel model) {
    List<RetentionModel.Segment> profiles = profiles(model);
    out.append("<section id=\"segments\"><h2>Segments</h2>");
    List<String> merges = model.segmentation().merges();
    if (merges != null && !merges.isEmpty()) {
      out.append(
              "<p class=\"note\">No segment is published with fewer customers than the minimum"
                  + " size: ")
          .append(Html.escape(String.join("; ", merges)))
          .append(".</p>");
    }
    List<String> names = profiles.stream().map(RetentionModel.Segment::name).toList();
    double[] share = profiles.stream().mapToDouble(RetentionModel.Segment::share).toArray();
    double[] rate = profiles.stream().mapToDouble(RetentionModel.Segment::repurchaseRate).toArray();
    double[] predicted =
        profiles.stream().mapToDouble(RetentionModel.Segment::meanProbability).toArray();
    out.append("<div class=\"grid\">")
        .append(
            Svg.hbars(
                "segment-sizes",
                "Share of customers by segment",
                names,
                List.of(new Svg.Bars("share of customers", share, Svg.COLORS[0])),
                true))
        .append(
            Svg.hbars(
                "segment-repurchase",
                "Repurchase rate by segment: observed and predicted",
                names,
                List.of(
                    new Svg.Bars("observed", rate, Svg.COLORS[2]),
                    new Svg.Bars("predicted (mean)", predicted, Svg.COLORS[1])),
                true))
        .append("</div>");
    boolean money = profiles.stream().anyMatch(s -> s.meanPredictedClv() != null);
    List<String> headers =
        new ArrayList<>(
            List.of("<Segment", "Customers", "Share", "Repurchase rate", "Mean predicted"));
    if (money) {
      headers.add("Mean predicted value");
      headers.add("Value at risk");
    }
    for (String band : Playbook.BANDS) {
      headers.add("<Action, " + band + " churn risk");
    }
    Table table = new Table(headers.toArray(String[]::new));
    Format.Column meanValue =
        Format.Column.money(
            profiles.stream().map(RetentionModel.Segment::meanPredictedClv).toList());
    Format.Column atRisk =
        Format.Column.money(profiles.stream().map(RetentionModel.Segment::valueAtRisk).toList());
    for (RetentionModel.Segment s : profiles) {
      List<String> row = new ArrayList<>();
      row.add(s.name());
      row.add(Format.count(s.size()));
      row.add(Format.percent(s.share()));
      row.add(Format.percent(s.repurchaseRate()));
      row.add(Format.percent(s.meanProbability()));
      if (money) {
        row.add(meanValue.format(s.meanPredictedClv()));
        row.add(atRisk.format(s.valueAtRisk()));
      }
      for (String band : Playbook.BANDS) {
        row.add(s.actions() == null ? "" : s.actions().get(band));
      }
      table.row(row.toArray(String[]::new));
    }
    out.append(table.html("segments-table"));
    // Profiles in original units: one row per feature, one column per reported profile.
    out.append("<h3>Profiles: mean of each feature</h3>");
    List<String> profileHeaders = new ArrayList<>();
    profileHeaders.add("<Feature");
    for (RetentionModel.Segment s : profiles) {
      profileHeaders.add(s.name());
    }
    profileHeaders.add("All customers");
    Table profileTable = new Table(profileHeaders.toArray(String[]::new));
    for (RetentionModel.Feature f : model.features()) {
      double[] means = new double[profiles.size() + 1];
      double sum = 0;
      long n = 0;
      for (int i = 0; i < profiles.size(); i++) {
        RetentionModel.Segment s = profiles.get(i);
        Double mean = s.featureMeans().get(f.name());
        means[i] = mean == null ? Double.NaN : mean;
        if (mean != null) {
          sum += mean * s.size();
          n += s.size();
        }
      }
      means[profiles.size()] = n == 0 ? Double.NaN : sum / n;
      // One format per feature: its row holds one quantity.
      Format.Column format = Format.Column.of(means);
      List<String> row = new ArrayList<>();
      row.add(f.name());
      for (double mean : means) {
        row.add(format.format(mean));
      }
      profileTable.row(row.toArray(String[]::new));
    }
    out.append(profileTable.html("profiles-table")).append("</section>\n");
  }

  // ---------------------------------------------------------------- K

  private static void kSearch(StringBuilder out, RetentionModel model) {
    RetentionModel.KSearch k = model.segmentation().kSearch();
    out.append("<section id=\"k\"><h2>How many segments</h2>");
    if (k == null) {
      out.append("<p>K = ")
          .append(model.segmentation().k())
          .append(" was configured; no search was run.</p></section>\n");
      return;
    }
    out.append("<p>").append(Html.escape(k.rule()));
    int published = model.segmentation().k();
    if (published != k.chosenK()) {
      // The search's K is what the curves show; the privacy rule may publish fewer segments.
      out.append(" The search chose K = ")
          .append(k.chosenK())
          .append("; ")
          .append(published)
          .append(published == 1 ? " segment is" : " segments are")
          .append(" published after merging the segments below the minimum size.");
    }
    out.append("</p><div class=\"grid\">");
    String chosen =
        published == k.chosenK()
            ? "chosen K = " + k.chosenK()
            : "chosen K = " + k.chosenK() + ", " + published + " published";
    double[] ks = new double[k.ks().length];
    double maxInertia = 0;
    double maxSilhouette = 0;
    double minSilhouette = 0;
    for (int i = 0; i < ks.length; i++) {
      ks[i] = k.ks()[i];
      maxInertia = Math.max(maxInertia, k.inertia()[i]);
      maxSilhouette = Math.max(maxSilhouette, k.silhouette()[i]);
      minSilhouette = Math.min(minSilhouette, k.silhouette()[i]);
    }
    double first = ks[0];
    double last = ks[ks.length - 1];
    out.append(
            Svg.lines(
                new Svg.LineChart(
                    "elbow",
                    "Elbow: within-segment spread (inertia) by K",
                    new Svg.Axis("K (segments)", first, last, false),
                    new Svg.Axis("inertia", 0, maxInertia, false),
                    List.of(new Svg.Series("inertia", ks, k.inertia(), Svg.COLORS[0], false, true)),
                    new Svg.Mark(k.chosenK(), chosen))))
        .append(
            Svg.lines(
                new Svg.LineChart(
                    "silhouette",
                    "Silhouette by K: how well customers sit in their segment",
                    new Svg.Axis("K (segments)", first, last, false),
                    new Svg.Axis(
                        "mean silhouette", minSilhouette, Math.max(0.1, maxSilhouette), false),
                    List.of(
                        new Svg.Series(
                            "silhouette", ks, k.silhouette(), Svg.COLORS[1], false, true)),
                    new Svg.Mark(k.chosenK(), chosen))))
        .append("</div></section>\n");
  }

  // ---------------------------------------------------------------- formats

  /** An ISO instant to the second with its zone ("2026-12-02 06:59:12 UTC"); else as given. */
  static String seconds(String instant) {
    if (instant == null) {
      return "";
    }
    try {
      return SECONDS.format(Instant.parse(instant));
    } catch (DateTimeParseException e) {
      return instant;
    }
  }
}
