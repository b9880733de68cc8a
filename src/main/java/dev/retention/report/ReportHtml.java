package dev.retention.report;

import dev.retention.model.BandTable;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.Playbook;
import dev.retention.model.Priority;
import dev.retention.model.RetentionModel;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    contact(
        out,
        model,
        trainingBands(model),
        model.provenance().rowsUsed(),
        "the "
            + Format.count(model.provenance().rowsUsed())
            + " customers the model was trained on, scored by it");
    cards(out, model);
    segments(out, model);
    ValueSection.write(new HtmlWriter(out), model);
    UpliftSection.write(new HtmlWriter(out), model);
    kSearch(out, model);
    classifier(out, model);
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
    contact(
        out,
        model,
        batch.bands(),
        batch.customers(),
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

  /** The training population's table from the model file; null for files before schema 1.3. */
  private static BandTable trainingBands(RetentionModel model) {
    if (model.segmentation().bands() == null) {
      return null;
    }
    List<List<RetentionModel.BandCell>> segments = new ArrayList<>();
    for (RetentionModel.Segment s : model.segments()) {
      segments.add(s.bands());
    }
    return new BandTable(segments, model.segmentation().bands());
  }

  private static void contact(
      StringBuilder out, RetentionModel model, BandTable table, long population, String who) {
    Playbook playbook = Playbook.orDefault(model.playbook());
    int minSize = minSize(model);
    out.append("<section id=\"contact\"><h2>Who to contact this week</h2>");
    if (table == null) {
      out.append(
              "<p>This model file predates the per-band counts (schema 1.3); retrain to see them."
                  + " The segments and playbook below still apply.</p>")
          .append("</section>\n");
      return;
    }
    boolean hasSpend = false;
    boolean noMoney = model.derivation() != null && !model.derivation().hasMoney();
    boolean hasClv =
        !noMoney && model.customerValue() != null && model.customerValue().gammaGamma() != null;
    boolean withheld = false;
    record Line(RetentionModel.Segment segment, int band, RetentionModel.BandCell cell) {}
    List<Line> lines = new ArrayList<>();
    for (RetentionModel.Segment segment : model.segments()) {
      List<RetentionModel.BandCell> cells = table.segments().get(segment.id());
      for (int band = 0; band < cells.size(); band++) {
        RetentionModel.BandCell cell = cells.get(band);
        hasSpend |= !noMoney && cell.spend() != null;
        if (cell.customers() > 0) {
          withheld |= cell.customers() < minSize;
          lines.add(new Line(segment, band, cell));
        }
      }
    }
    for (RetentionModel.BandCell total : table.totals()) {
      hasSpend |= !noMoney && total.spend() != null;
    }
    // The scores file's order (Priority), by group: likely to lapse first, then value at risk.
    lines.sort(
        Comparator.comparing(
                (Line l) ->
                    new Priority(
                        Priority.likelyToLapse(l.band()),
                        l.cell().valueAtRisk() == null ? 0.0 : l.cell().valueAtRisk()),
                Priority.ORDER)
            .thenComparingInt(Line::band)
            .thenComparing(l -> -l.cell().customers()));
    RetentionModel.BandCell high = table.totals().get(0);
    RetentionModel.BandCell medium = table.totals().get(1);
    out.append("<p class=\"lead\">Of ")
        .append(Html.escape(who))
        .append(", <b>")
        .append(Format.count(high.customers()))
        .append(" (")
        .append(Format.percent(high.share()))
        .append(")</b> are at <b>high churn risk</b> (repurchase probability below ")
        .append(Format.percent(playbook.highRiskBelow()))
        .append(")");
    if (hasClv && high.valueAtRisk() != null) {
      out.append(", with <b>")
          .append(Format.money(high.valueAtRisk()))
          .append("</b> of predicted value at risk over the next ")
          .append(model.customerValue().horizonMonths())
          .append(" months");
    }
    out.append(", and ")
        .append(Format.count(medium.customers()))
        .append(" (")
        .append(Format.percent(medium.share()))
        .append(
            ") at medium risk. Start at the top: each row is a group to contact with its"
                + " suggested action, groups likely to lapse (high or medium risk) first")
        .append(hasClv ? ", the most value at risk first." : ", the largest first.")
        .append("</p>");
    List<String> headers =
        new ArrayList<>(List.of("<Segment", "<Churn risk", "Customers", "Share"));
    if (hasSpend) {
      headers.add("Spend so far");
    }
    if (hasClv) {
      headers.add("Predicted value, " + model.customerValue().horizonMonths() + " months");
      headers.add("Value at risk");
    }
    headers.add("<Suggested action");
    Table contact = new Table(headers.toArray(String[]::new));
    Format.Column spend = Format.Column.money(lines.stream().map(l -> l.cell().spend()).toList());
    Format.Column value =
        Format.Column.money(lines.stream().map(l -> l.cell().predictedClv()).toList());
    Format.Column risk =
        Format.Column.money(lines.stream().map(l -> l.cell().valueAtRisk()).toList());
    for (Line line : lines) {
      String band = Playbook.BANDS.get(line.band());
      List<String> row = new ArrayList<>();
      row.add(line.segment().name());
      row.add(band);
      row.add(Format.count(line.cell().customers()));
      row.add(Format.percent(line.cell().share()));
      if (hasSpend) {
        row.add(spend.format(line.cell().spend()));
      }
      if (hasClv) {
        row.add(value.format(line.cell().predictedClv()));
        row.add(risk.format(line.cell().valueAtRisk()));
      }
      row.add(
          line.segment().actions() == null
              ? playbook.action(line.segment().kind(), band)
              : line.segment().actions().get(band));
      contact.styledRow(line.band() == 0 ? "high" : null, row.toArray(String[]::new));
    }
    for (RetentionModel.BandCell total : table.totals()) {
      List<String> row = new ArrayList<>();
      row.add("All segments");
      row.add(total.band());
      row.add(Format.count(total.customers()));
      row.add(Format.percent(total.share()));
      if (hasSpend) {
        row.add(spend.format(total.spend()));
      }
      if (hasClv) {
        row.add(value.format(total.predictedClv()));
        row.add(risk.format(total.valueAtRisk()));
      }
      row.add("");
      contact.styledRow("total", row.toArray(String[]::new));
    }
    out.append(contact.html("contact-table"));
    out.append("<p class=\"meta\">Churn risk: high below ")
        .append(Format.percent(playbook.highRiskBelow()))
        .append(" predicted repurchase probability, medium below ")
        .append(Format.percent(playbook.mediumRiskBelow()))
        .append(", else low.");
    if (hasClv) {
      out.append(
          " Value at risk: a customer's predicted value times the probability of not buying"
              + " again in the window.");
    }
    if (withheld) {
      out.append(" –: amounts of groups with fewer than ")
          .append(minSize)
          .append(
              " customers are withheld (the minimum segment size), and so is a band's total when"
                  + " it would reveal them.");
    }
    if (!hasSpend && model.derivation() == null) {
      out.append(
          " This export has no total_spend column, so the report shows no spend; add one to see"
              + " it.");
    }
    if (noMoney) {
      out.append(
          " The orders export has no money (a purchase log without amounts), so the report shows"
              + " no spend, predicted value or value at risk.");
    }
    out.append("</p></section>\n");
  }

  private static int minSize(RetentionModel model) {
    Integer minSize = model.segmentation().minSize();
    return minSize == null ? 1 : minSize;
  }

  // ---------------------------------------------------------------- metric cards

  private static void cards(StringBuilder out, RetentionModel model) {
    RetentionModel.Evaluation e = model.evaluation();
    double base =
        e.validationRows() == 0 ? 0 : (double) e.validationPositives() / e.validationRows();
    String window =
        model.derivation() == null
            ? "the label's window"
            : "the " + model.derivation().labelWindowDays() + "-day window";
    out.append("<section id=\"summary\"><h2>What the numbers say</h2><div class=\"cards\">");
    card(
        out,
        "Repurchase rate",
        Format.percent(base),
        Format.per100(base)
            + " of every 100 customers held out of training bought again within "
            + window
            + ".");
    if (!e.lift().isEmpty()) {
      RetentionModel.LiftBin top = e.lift().get(0);
      double topShare = (double) top.count() / Math.max(1, e.validationRows());
      card(
          out,
          "Top " + Format.percent(topShare),
          Format.per100(top.rate()) + " in 100",
          "Of 100 customers the model ranks most likely to buy again (the top "
              + Format.percent(topShare)
              + "), "
              + Format.per100(top.rate())
              + " did: "
              + Format.number(top.lift())
              + " times the average.");
    }
    card(
        out,
        "ROC AUC",
        Format.number(e.rocAuc()),
        "Given one customer who bought again and one who did not, the model ranks the buyer"
            + " higher "
            + Format.per100(e.rocAuc())
            + " times in 100 (50 is a coin toss).");
    card(
        out,
        "Brier score",
        Format.number(e.brier()),
        "Predictions are off by about "
            + Format.number(Math.sqrt(e.brier()))
            + " on average, squared (a probability against what happened, 0 or 1); guessing the"
            + " repurchase rate for everyone would score "
            + Format.number(base * (1 - base))
            + ".");
    double baseLogLoss =
        base <= 0 || base >= 1 ? 0 : -(base * Math.log(base) + (1 - base) * Math.log(1 - base));
    card(
        out,
        "Log loss",
        Format.number(e.logLoss()),
        baseLogLoss > 0
            ? "Against "
                + Format.number(baseLogLoss)
                + " for guessing the repurchase rate for everyone: "
                + Format.percent(1 - e.logLoss() / baseLogLoss)
                + " less surprise when a customer does or does not buy."
            : "How surprised the model is by what happened (lower is better).");
    card(
        out,
        "At threshold " + Format.number(e.threshold()),
        Format.percent(e.precision()) + " precise",
        "Of customers predicted to buy again, "
            + Format.per100(e.precision())
            + " in 100 did; of those who did, the model found "
            + Format.per100(e.recall())
            + " in 100.");
    RetentionModel.Incumbent live = e.incumbent();
    if (live != null) {
      card(
          out,
          "Against the live model",
          live.rocAuc() == null ? "not compared" : Format.number(live.rocAuc()) + " AUC",
          live.rocAuc() == null
              ? "The model live when this one was trained ("
                  + live.version()
                  + ") could not be compared: "
                  + live.note()
              : "The model live when this one was trained ("
                  + live.version()
                  + ") ranks these same held-out customers with an AUC of "
                  + Format.number(live.rocAuc())
                  + ", against "
                  + Format.number(e.rocAuc())
                  + " for this one; a new model much worse than the live one does not go live"
                  + " (the quality gate).");
    }
    if (live != null && live.liveHoldout() != null && live.liveHoldout().rocAuc() != null) {
      RetentionModel.HoldoutComparison own = live.liveHoldout();
      card(
          out,
          "On the live model's customers",
          Format.number(own.rocAuc()) + " AUC",
          "On "
              + Format.count(own.customers())
              + " customers the live model held out of its own training, this model ranks with an"
              + " AUC of "
              + Format.number(own.rocAuc())
              + " and the live one with "
              + Format.number(own.liveRocAuc())
              + ": a broken export cannot look good by being compared on itself.");
    }
    RetentionModel.GateDecision gate = e.qualityGate();
    if (gate != null) {
      card(
          out,
          "Quality gate",
          gate.held() ? (gate.forced() ? "forced live" : "held") : "passed",
          gate.reason());
    }
    List<RetentionModel.Segment> profiles = profiles(model);
    long smallest = profiles.stream().mapToLong(RetentionModel.Segment::size).min().orElse(0);
    card(
        out,
        "Segments",
        Integer.toString(profiles.size()),
        "Customers grouped by behaviour; the smallest group holds "
            + Format.count(smallest)
            + " (none is published below "
            + minSize(model)
            + ").");
    valueLeftOut(out, model);
    if (model.customerValue() != null && model.customerValue().gammaGamma() != null) {
      double total = 0;
      double risk = 0;
      for (RetentionModel.Segment s : profiles) {
        if (s.meanPredictedClv() != null) {
          total += s.meanPredictedClv() * s.size();
        }
        if (s.valueAtRisk() != null) {
          risk += s.valueAtRisk();
        }
      }
      card(
          out,
          "Predicted value, " + model.customerValue().horizonMonths() + " months",
          Format.money(total),
          "What these customers are expected to spend; "
              + Format.money(risk)
              + " of it ("
              + Format.percent(risk / Math.max(1e-12, total))
              + ") is at risk if they do not buy again in the window.");
    }
    RetentionModel.Provenance p = model.provenance();
    card(
        out,
        "Rows rejected",
        Format.count(p.rowsRejected()),
        p.rowsRejected() == 0
            ? "Every row of the export was read."
            : Format.percent((double) p.rowsRejected() / Math.max(1, p.rowsRead()))
                + " of "
                + Format.count(p.rowsRead())
                + " rows could not be used; the reasons are under Data.");
    out.append("</div></section>\n");
  }

  /**
   * For an orders model without customer value, or without its spend model: what is missing and
   * why, on the first screen (issue 18: such a model said nothing).
   */
  private static void valueLeftOut(StringBuilder out, RetentionModel model) {
    if (model.derivation() == null) {
      return;
    }
    if (model.customerValue() == null) {
      String reason =
          model.provenance().warnings().stream()
              .filter(w -> w.startsWith(CustomerValueModel.LEFT_OUT))
              .map(w -> w.substring(CustomerValueModel.LEFT_OUT.length()))
              .findFirst()
              .orElse("customer value is off (retention.train.customer-value.mode)");
      card(
          out,
          "Customer value",
          "left out",
          "No P(alive), expected purchases, CLV or value at risk in this model: " + reason + ".");
    } else if (model.customerValue().gammaGamma() == null) {
      card(
          out,
          "Customer value",
          "no CLV",
          "P(alive) and expected purchases are in this model; CLV and value at risk are not,"
              + " because the spend model could not be used (see the notes under customer value).");
    }
  }

  private static void card(StringBuilder out, String label, String value, String sentence) {
    out.append("<div class=\"card\"><span>")
        .append(Html.escape(label))
        .append("</span><b>")
        .append(Html.escape(value))
        .append("</b><p>")
        .append(Html.escape(sentence))
        .append("</p></div>");
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

  // ---------------------------------------------------------------- classifier

  private static void classifier(StringBuilder out, RetentionModel model) {
    RetentionModel.Evaluation e = model.evaluation();
    out.append("<section id=\"classifier\"><h2>Repurchase model</h2><p>Held-out evaluation on ")
        .append(Format.count(e.validationRows()))
        .append(" customers (")
        .append(Format.count(e.validationPositives()))
        .append(" bought again) the model did not see in training. At threshold ")
        .append(Format.number(e.threshold()))
        .append(": accuracy ")
        .append(Format.percent(e.accuracy()))
        .append(", precision ")
        .append(Format.percent(e.precision()))
        .append(", recall ")
        .append(Format.percent(e.recall()))
        .append(".</p><div class=\"grid\">");
    out.append(
        curve(
            "roc",
            "ROC curve: buyers found against non-buyers flagged",
            "false positive rate",
            "true positive rate",
            e.roc(),
            true));
    out.append(
        curve(
            "precision-recall",
            "Precision-recall curve",
            "recall",
            "precision",
            e.precisionRecall(),
            false));
    List<RetentionModel.CalibrationBin> bins =
        e.calibration().stream().filter(b -> b.count() > 0).toList();
    double[] predicted =
        bins.stream().mapToDouble(RetentionModel.CalibrationBin::meanPredicted).toArray();
    double[] observed =
        bins.stream().mapToDouble(RetentionModel.CalibrationBin::observedRate).toArray();
    out.append(
        Svg.lines(
            new Svg.LineChart(
                "calibration",
                "Calibration: observed rate by predicted probability",
                Svg.Axis.share("mean predicted probability"),
                Svg.Axis.share("observed repurchase rate"),
                List.of(
                    new Svg.Series(
                        "perfect", new double[] {0, 1}, new double[] {0, 1}, "#999", true, false),
                    new Svg.Series("model", predicted, observed, Svg.COLORS[0], false, true)),
                null)));
    List<String> groups = new ArrayList<>();
    double[] rate = new double[e.lift().size()];
    double[] average = new double[rate.length];
    double base = (double) e.validationPositives() / Math.max(1, e.validationRows());
    for (int i = 0; i < rate.length; i++) {
      RetentionModel.LiftBin bin = e.lift().get(i);
      groups.add(Integer.toString(bin.decile()));
      rate[i] = bin.rate();
      average[i] = base;
    }
    out.append(
        Svg.bars(
            "lift",
            "Repurchase rate by group of predicted probability (1 = most likely)",
            "group, most likely first",
            "repurchase rate",
            groups,
            List.of(
                new Svg.Bars("rate in the group", rate, Svg.COLORS[4]),
                new Svg.Bars("average", average, "#bbb")),
            true));
    out.append("</div>");
    effects(out, model);
    out.append("</section>\n");
  }

  /**
   * Feature effects folded back onto the inputs (one bar per feature, interactions split half to
   * each), and the expanded terms' coefficients in a table below.
   */
  private static void effects(StringBuilder out, RetentionModel model) {
    RetentionModel.Classifier c = model.classifier();
    Map<String, String> meanings = DataSection.meanings(model);
    if (c.effects() != null && !c.effects().isEmpty()) {
      List<RetentionModel.FeatureEffect> effects = new ArrayList<>(c.effects());
      effects.sort(
          Comparator.comparingDouble(RetentionModel.FeatureEffect::meanAbsContribution).reversed());
      List<String> labels = new ArrayList<>();
      List<String> colors = new ArrayList<>();
      double[] values = new double[effects.size()];
      for (int i = 0; i < effects.size(); i++) {
        RetentionModel.FeatureEffect f = effects.get(i);
        String meaning = meanings.get(f.feature());
        labels.add(f.feature() + (meaning == null ? "" : ": " + meaning));
        values[i] = f.meanAbsContribution();
        colors.add(f.direction() > 0 ? Svg.COLORS[2] : f.direction() < 0 ? Svg.COLORS[3] : "#999");
      }
      out.append("<div class=\"wide\">")
          .append(
              Svg.ranked(
                  "feature-effects",
                  "What moves the repurchase probability: mean effect of each input on the"
                      + " log-odds",
                  labels,
                  values,
                  colors,
                  List.of("higher raises it", "higher lowers it", "mixed"),
                  List.of(Svg.COLORS[2], Svg.COLORS[3], "#999")))
          .append("</div><p class=\"meta\">")
          .append(Html.escape(c.nonLinear().rule()))
          .append(". Squares count wholly and interactions half toward each of their features, as")
          .append(" the score API's contributions do. The colour is what moving that input alone")
          .append(" does (the model's partial dependence from its 10th to its 90th percentile over")
          .append(" the training customers); mixed when it rises and falls.</p>");
    }
    Integer[] order = new Integer[c.coefficients().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> Double.compare(Math.abs(c.coefficients()[b]), Math.abs(c.coefficients()[a])));
    Table terms = new Table("<Term", "Coefficient (standardized)");
    terms.row("intercept", Format.number(c.intercept()));
    for (int i : order) {
      terms.row(c.terms().get(i), Format.number(c.coefficients()[i]));
    }
    out.append("<details><summary>All ")
        .append(order.length)
        .append(" terms of the logistic regression</summary>")
        .append(terms.html("terms-table"))
        .append("</details>");
  }

  private static String curve(
      String id,
      String title,
      String x,
      String y,
      List<RetentionModel.CurvePoint> points,
      boolean diag) {
    double[] xs = points.stream().mapToDouble(RetentionModel.CurvePoint::x).toArray();
    double[] ys = points.stream().mapToDouble(RetentionModel.CurvePoint::y).toArray();
    List<Svg.Series> series = new ArrayList<>();
    if (diag) {
      series.add(
          new Svg.Series("chance", new double[] {0, 1}, new double[] {0, 1}, "#999", true, false));
    }
    series.add(new Svg.Series("model", xs, ys, Svg.COLORS[0], false, false));
    return Svg.lines(
        new Svg.LineChart(id, title, Svg.Axis.share(x), Svg.Axis.share(y), series, null));
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
