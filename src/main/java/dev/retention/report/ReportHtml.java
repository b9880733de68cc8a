package dev.retention.report;

import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The operator report of a model: one self-contained HTML file (inline CSS and SVG, no script, no
 * external font or image) published next to the model as {@code report.html}.
 *
 * <p>Sections: summary and headline metrics; segments (sizes, repurchase rates, profiles in
 * original units, suggested actions); how K was chosen (elbow and silhouette curves); ROC and
 * precision-recall curves; calibration; lift by decile; coefficients; the data (features, how they
 * were derived, rejected rows); the playbook. Everything comes from the model file, so the report
 * shows aggregates only: segment profiles already obey the minimum-size rule.
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
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}
      .card{border:1px solid #ddd;border-radius:6px;padding:8px}
      .card b{display:block;font-size:1.3rem}
      .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:12px}
      .wide{max-width:760px;margin:12px auto}
      figure.chart{margin:0;border:1px solid #eee;border-radius:6px;padding:4px}
      figure.chart svg{width:100%;height:auto;display:block}
      figcaption{font-size:.85rem;color:#555;text-align:center}
      .table{overflow-x:auto}
      table{border-collapse:collapse;font-size:.85rem;width:100%}
      th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:right;vertical-align:top}
      th:first-child,td:first-child{text-align:left}
      td.text,th.text{text-align:left}
      .note{background:#f6f8fa;border-left:3px solid #999;padding:6px 10px;font-size:.9rem}
      @media print{main{max-width:none}figure.chart,table,.card{break-inside:avoid}
      h2{break-after:avoid}}
      """;

  private ReportHtml() {}

  /** Renders the report of {@code model}. */
  public static String render(RetentionModel model) {
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Retention report · ")
        .append(Html.escape(model.modelName()))
        .append(' ')
        .append(Html.escape(model.version()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body><main>\n");
    summary(out, model);
    segments(out, model);
    kSearch(out, model);
    classifier(out, model);
    data(out, model);
    playbook(out, model);
    out.append("</main></body></html>\n");
    return out.toString();
  }

  private static void summary(StringBuilder out, RetentionModel model) {
    RetentionModel.Evaluation e = model.evaluation();
    RetentionModel.Provenance p = model.provenance();
    out.append("<header><h1>Customer retention report</h1><p class=\"meta\">Model <b>")
        .append(Html.escape(model.modelName()))
        .append("</b> version <b>")
        .append(Html.escape(model.version()))
        .append("</b>, trained ")
        .append(Html.escape(model.createdAt()))
        .append(" on ")
        .append(String.format(Locale.ROOT, "%,d", p.rowsUsed()))
        .append(" customers. Label: <code>")
        .append(Html.escape(model.labelColumn()))
        .append("</code>");
    if (model.derivation() != null) {
      out.append(", features as of ")
          .append(Html.escape(model.derivation().cutoff()))
          .append(", label window ")
          .append(model.derivation().labelWindowDays())
          .append(" days");
    }
    out.append(".</p></header>\n<section id=\"summary\"><div class=\"cards\">");
    card(out, "Segments", Integer.toString(model.segmentation().k()));
    card(out, "ROC AUC (held out)", Svg.number(e.rocAuc()));
    card(out, "PR AUC", Svg.number(e.prAuc()));
    card(out, "Repurchase rate", Svg.percent(positiveRate(model)));
    card(out, "Log loss", Svg.number(e.logLoss()));
    card(out, "Brier score", Svg.number(e.brier()));
    card(out, "Rows rejected", String.format(Locale.ROOT, "%,d", p.rowsRejected()));
    out.append("</div></section>\n");
  }

  private static double positiveRate(RetentionModel model) {
    double sum = 0;
    for (RetentionModel.Segment s : model.segments()) {
      if (covers(s).get(0) == s.id()) {
        sum += s.repurchaseRate() * s.size();
      }
    }
    return sum / Math.max(1, model.provenance().rowsUsed());
  }

  private static void card(StringBuilder out, String label, String value) {
    out.append("<div class=\"card\"><b>")
        .append(Html.escape(value))
        .append("</b>")
        .append(Html.escape(label))
        .append("</div>");
  }

  /** One entry per reported profile (pooled small segments appear once, with their owner). */
  private static List<RetentionModel.Segment> profiles(RetentionModel model) {
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

  private static void segments(StringBuilder out, RetentionModel model) {
    List<RetentionModel.Segment> profiles = profiles(model);
    out.append("<section id=\"segments\"><h2>Segments</h2>");
    boolean pooled = profiles.stream().anyMatch(s -> covers(s).size() > 1);
    if (pooled) {
      out.append(
          "<p class=\"note\">Segments below the minimum size are reported only together with"
              + " their nearest larger segment; such rows list every segment they cover.</p>");
    }
    List<String> merges = model.segmentation().merges();
    if (merges != null && !merges.isEmpty()) {
      out.append(
          "<p class=\"note\">No segment is published with fewer customers than the minimum"
              + " size: ");
      out.append(Html.escape(String.join("; ", merges))).append(".</p>");
    }
    List<String> names = profiles.stream().map(RetentionModel.Segment::name).toList();
    double[] share = profiles.stream().mapToDouble(RetentionModel.Segment::share).toArray();
    double[] rate = profiles.stream().mapToDouble(RetentionModel.Segment::repurchaseRate).toArray();
    double[] predicted =
        profiles.stream().mapToDouble(RetentionModel.Segment::meanProbability).toArray();
    double max = 0;
    for (int i = 0; i < share.length; i++) {
      max = Math.max(max, Math.max(share[i], Math.max(rate[i], predicted[i])));
    }
    out.append("<div class=\"grid\">")
        .append(
            Svg.bars(
                "segment-sizes",
                "Segment sizes (share of customers)",
                "share",
                names,
                List.of(new Svg.Bars("share of customers", share, Svg.COLORS[0])),
                Math.min(1, max * 1.1),
                true))
        .append(
            Svg.bars(
                "segment-repurchase",
                "Repurchase rate by segment: observed and predicted",
                "rate",
                names,
                List.of(
                    new Svg.Bars("observed", rate, Svg.COLORS[2]),
                    new Svg.Bars("predicted (mean)", predicted, Svg.COLORS[1])),
                Math.min(1, max * 1.1),
                true))
        .append("</div>");
    out.append("<div class=\"table\"><table><thead><tr><th class=\"text\">Segment</th>")
        .append("<th>Covers</th><th>Customers</th><th>Share</th><th>Repurchase rate</th>")
        .append("<th>Mean predicted</th>");
    for (String band : Playbook.BANDS) {
      out.append("<th class=\"text\">Action, ").append(band).append(" churn risk</th>");
    }
    out.append("</tr></thead><tbody>");
    for (RetentionModel.Segment s : profiles) {
      out.append("<tr><td>")
          .append(Html.escape(s.name()))
          .append("</td><td>")
          .append(Html.escape(ids(covers(s))))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%,d", s.size()))
          .append("</td><td>")
          .append(Svg.percent(s.share()))
          .append("</td><td>")
          .append(Svg.percent(s.repurchaseRate()))
          .append("</td><td>")
          .append(Svg.percent(s.meanProbability()));
      for (String band : Playbook.BANDS) {
        String action = s.actions() == null ? null : s.actions().get(band);
        out.append("</td><td class=\"text\">").append(Html.escape(action));
      }
      out.append("</td></tr>");
    }
    out.append("</tbody></table></div>");
    // Profiles in original units: one row per feature, one column per reported profile.
    out.append("<h3>Profiles: mean of each feature</h3>")
        .append("<div class=\"table\"><table><thead><tr><th class=\"text\">Feature</th>");
    for (RetentionModel.Segment s : profiles) {
      out.append("<th>").append(Html.escape(s.name())).append("</th>");
    }
    out.append("<th>All customers</th></tr></thead><tbody>");
    for (RetentionModel.Feature f : model.features()) {
      out.append("<tr><td>").append(Html.escape(f.name()));
      for (RetentionModel.Segment s : profiles) {
        Double mean = s.featureMeans().get(f.name());
        out.append("</td><td>").append(mean == null ? "" : Svg.number(mean));
      }
      double sum = 0;
      long n = 0;
      for (RetentionModel.Segment s : profiles) {
        Double mean = s.featureMeans().get(f.name());
        if (mean != null) {
          sum += mean * s.size();
          n += s.size();
        }
      }
      out.append("</td><td>").append(n == 0 ? "" : Svg.number(sum / n)).append("</td></tr>");
    }
    out.append("</tbody></table></div></section>\n");
  }

  /** The segments a profile covers; a 1.0 model file has no such list: its segments stand alone. */
  private static List<Integer> covers(RetentionModel.Segment s) {
    return s.profileCovers() == null ? List.of(s.id()) : s.profileCovers();
  }

  private static String ids(List<Integer> ids) {
    StringBuilder out = new StringBuilder();
    for (int id : ids) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append('#').append(id);
    }
    return out.toString();
  }

  private static void kSearch(StringBuilder out, RetentionModel model) {
    RetentionModel.KSearch k = model.segmentation().kSearch();
    out.append("<section id=\"k\"><h2>How many segments</h2>");
    if (k == null) {
      out.append("<p>K = ")
          .append(model.segmentation().k())
          .append(" was configured; no search was run.</p></section>\n");
      return;
    }
    out.append("<p>").append(Html.escape(k.rule())).append("</p><div class=\"grid\">");
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
                "elbow",
                "Elbow: inertia by K",
                "K (segments)",
                "inertia",
                List.of(new Svg.Series("inertia", ks, k.inertia(), Svg.COLORS[0], false, true)),
                first,
                last,
                0,
                maxInertia * 1.05,
                (double) k.chosenK(),
                "chosen K = " + k.chosenK()))
        .append(
            Svg.lines(
                "silhouette",
                "Silhouette by K",
                "K (segments)",
                "mean silhouette",
                List.of(
                    new Svg.Series("silhouette", ks, k.silhouette(), Svg.COLORS[1], false, true)),
                first,
                last,
                minSilhouette,
                Math.max(0.1, maxSilhouette * 1.1),
                (double) k.chosenK(),
                "chosen K = " + k.chosenK()))
        .append("</div></section>\n");
  }

  private static void classifier(StringBuilder out, RetentionModel model) {
    RetentionModel.Evaluation e = model.evaluation();
    out.append("<section id=\"classifier\"><h2>Repurchase model</h2><p>Held-out evaluation on ")
        .append(String.format(Locale.ROOT, "%,d", e.validationRows()))
        .append(" customers (")
        .append(String.format(Locale.ROOT, "%,d", e.validationPositives()))
        .append(" bought again). At threshold ")
        .append(Svg.number(e.threshold()))
        .append(": accuracy ")
        .append(Svg.percent(e.accuracy()))
        .append(", precision ")
        .append(Svg.percent(e.precision()))
        .append(", recall ")
        .append(Svg.percent(e.recall()))
        .append(".</p><div class=\"grid\">");
    out.append(
        curve("roc", "ROC curve", "false positive rate", "true positive rate", e.roc(), true));
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
            "calibration",
            "Calibration: observed rate by predicted probability",
            "mean predicted probability",
            "observed repurchase rate",
            List.of(
                new Svg.Series(
                    "perfect", new double[] {0, 1}, new double[] {0, 1}, "#999", true, false),
                new Svg.Series("model", predicted, observed, Svg.COLORS[0], false, true)),
            0,
            1,
            0,
            1,
            null,
            null));
    List<String> deciles = new ArrayList<>();
    double[] lift = new double[e.lift().size()];
    double maxLift = 0;
    for (int i = 0; i < lift.length; i++) {
      RetentionModel.LiftBin bin = e.lift().get(i);
      deciles.add(Integer.toString(bin.decile()));
      lift[i] = bin.lift();
      maxLift = Math.max(maxLift, lift[i]);
    }
    out.append(
        Svg.bars(
            "lift",
            "Lift by decile (1 = highest predicted probability)",
            "lift",
            deciles,
            List.of(new Svg.Bars("lift", lift, Svg.COLORS[4])),
            maxLift * 1.1,
            false));
    out.append("</div>");
    RetentionModel.Classifier c = model.classifier();
    Integer[] order = new Integer[c.coefficients().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (a, b) -> Double.compare(Math.abs(c.coefficients()[b]), Math.abs(c.coefficients()[a])));
    int shown = Math.min(order.length, 20);
    List<String> labels = new ArrayList<>();
    double[] values = new double[shown];
    for (int i = 0; i < shown; i++) {
      labels.add(c.terms().get(order[i]));
      values[i] = c.coefficients()[order[i]];
    }
    out.append("<div class=\"wide\">");
    out.append(
        Svg.diverging(
            "coefficients",
            "Coefficients on standardized features"
                + (shown < order.length ? " (largest " + shown + " of " + order.length + ")" : "")
                + ": right raises the repurchase probability",
            labels,
            values));
    out.append("</div><p class=\"meta\">")
        .append(Html.escape(c.nonLinear().rule()))
        .append(".</p></section>\n");
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
    return Svg.lines(id, title, x, y, series, 0, 1, 0, 1, null, null);
  }

  private static void data(StringBuilder out, RetentionModel model) {
    RetentionModel.Provenance p = model.provenance();
    out.append("<section id=\"data\"><h2>Data</h2><p>")
        .append(String.format(Locale.ROOT, "%,d", p.rowsRead()))
        .append(model.derivation() != null ? " order rows read, " : " rows read, ")
        .append(String.format(Locale.ROOT, "%,d", p.rowsRejected()))
        .append(" rejected, ")
        .append(String.format(Locale.ROOT, "%,d", p.rowsUsed()))
        .append(" customers used. Source: <code>")
        .append(Html.escape(p.source() == null ? "(in memory)" : p.source()))
        .append("</code>.</p>");
    Map<String, String> meanings = new java.util.HashMap<>();
    if (model.derivation() != null) {
      for (RetentionModel.FeatureDefinition f : model.derivation().features()) {
        meanings.put(f.name(), f.meaning());
      }
    }
    out.append("<div class=\"table\"><table><thead><tr><th class=\"text\">Feature</th>")
        .append("<th class=\"text\">Meaning</th><th>Low (mean of the lowest)</th>")
        .append("<th>High (mean of the highest)</th><th>log1p</th>")
        .append("<th>Scaling mean</th><th>Scaling std</th></tr></thead><tbody>");
    for (RetentionModel.Feature f : model.features()) {
      out.append("<tr><td>")
          .append(Html.escape(f.name()))
          .append("</td><td class=\"text\">")
          .append(Html.escape(meanings.getOrDefault(f.name(), "")))
          .append("</td><td>")
          .append(Svg.number(f.low()))
          .append("</td><td>")
          .append(Svg.number(f.high()))
          .append("</td><td>")
          .append(f.log1p() ? "yes" : "")
          .append("</td><td>")
          .append(Svg.number(f.mean()))
          .append("</td><td>")
          .append(Svg.number(f.std()))
          .append("</td></tr>");
    }
    out.append(
        "</tbody></table></div><p class=\"meta\">Scaling mean and std are those of the"
            + " standardization, after log1p where marked.</p>");
    if (model.derivation() != null) {
      out.append("<h3>Derived from orders</h3><ul>");
      for (String rule : model.derivation().rules()) {
        out.append("<li>").append(Html.escape(rule)).append("</li>");
      }
      out.append("</ul><div class=\"table\"><table><tbody>");
      for (Map.Entry<String, Long> count : model.derivation().counts().entrySet()) {
        out.append("<tr><td>")
            .append(Html.escape(count.getKey()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%,d", count.getValue()))
            .append("</td></tr>");
      }
      out.append("</tbody></table></div>");
    }
    out.append("<h3>Rejected rows</h3>");
    if (p.rejections().isEmpty()) {
      out.append("<p>None.</p>");
    } else {
      out.append("<p>First ")
          .append(p.rejections().size())
          .append(" of ")
          .append(String.format(Locale.ROOT, "%,d", p.rowsRejected()))
          .append(":</p><ul>");
      for (String reason : p.rejections()) {
        out.append("<li>").append(Html.escape(reason)).append("</li>");
      }
      out.append("</ul>");
    }
    if (!p.warnings().isEmpty()) {
      out.append("<h3>Warnings</h3><ul>");
      for (String warning : p.warnings()) {
        out.append("<li>").append(Html.escape(warning)).append("</li>");
      }
      out.append("</ul>");
    }
    out.append("</section>\n");
  }

  private static void playbook(StringBuilder out, RetentionModel model) {
    Playbook playbook = model.playbook();
    if (playbook == null) {
      return;
    }
    out.append("<section id=\"playbook\"><h2>Playbook</h2><p>Churn risk is high below a ")
        .append(Svg.percent(playbook.highRiskBelow()))
        .append(" repurchase probability, medium below ")
        .append(Svg.percent(playbook.mediumRiskBelow()))
        .append(", else low.</p><div class=\"table\"><table><thead><tr>")
        .append("<th class=\"text\">Segment kind</th><th class=\"text\">Risk</th>")
        .append("<th class=\"text\">Suggested action</th></tr></thead><tbody>");
    for (Playbook.Rule rule : playbook.rules()) {
      out.append("<tr><td>")
          .append(Html.escape(rule.kind()))
          .append("</td><td class=\"text\">")
          .append(Html.escape(rule.band()))
          .append("</td><td class=\"text\">")
          .append(Html.escape(rule.action()))
          .append("</td></tr>");
    }
    out.append("</tbody></table></div></section>\n");
  }
}
