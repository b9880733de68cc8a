package dev.retention.report;

import dev.retention.model.CustomerValueModel;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The report's evidence of quality: the headline metrics as cards, each with one plain sentence
 * ({@link #summary}), and the repurchase model's held-out evaluation with its charts, feature
 * effects and terms ({@link #classifier}). From the model file only.
 */
final class QualitySection {

  private QualitySection() {}

  /**
   * Every headline metric as a card with one plain sentence: the repurchase rate, the top group's
   * rate, AUC, Brier score, log loss, precision and recall, the comparison with the live model and
   * the quality gate's decision, the segments, customer value and the rows rejected.
   */
  static void summary(HtmlWriter out, RetentionModel model) {
    RetentionModel.Evaluation e = model.evaluation();
    double base =
        e.validationRows() == 0 ? 0 : (double) e.validationPositives() / e.validationRows();
    String window =
        model.derivation() == null
            ? "the label's window"
            : "the " + model.derivation().labelWindowDays() + "-day window";
    out.raw("<section id=\"summary\"><h2>What the numbers say</h2><div class=\"cards\">");
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
    List<RetentionModel.Segment> profiles = ReportHtml.profiles(model);
    long smallest = profiles.stream().mapToLong(RetentionModel.Segment::size).min().orElse(0);
    card(
        out,
        "Segments",
        Integer.toString(profiles.size()),
        "Customers grouped by behaviour; the smallest group holds "
            + Format.count(smallest)
            + " (none is published below "
            + ReportHtml.minSize(model)
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
    out.raw("</div></section>\n");
  }

  /**
   * For an orders model without customer value, or without its spend model: what is missing and
   * why, on the first screen (issue 18: such a model said nothing).
   */
  private static void valueLeftOut(HtmlWriter out, RetentionModel model) {
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

  private static void card(HtmlWriter out, String label, String value, String sentence) {
    out.raw("<div class=\"card\"><span>")
        .text(label)
        .raw("</span><b>")
        .text(value)
        .raw("</b><p>")
        .text(sentence)
        .raw("</p></div>");
  }

  /**
   * The repurchase model on held-out customers: accuracy, precision and recall at the threshold,
   * the ROC, precision-recall, calibration and lift charts, then the feature effects and terms.
   */
  static void classifier(HtmlWriter out, RetentionModel model) {
    RetentionModel.Evaluation e = model.evaluation();
    out.raw("<section id=\"classifier\"><h2>Repurchase model</h2><p>Held-out evaluation on ")
        .text(Format.count(e.validationRows()))
        .text(" customers (")
        .text(Format.count(e.validationPositives()))
        .text(" bought again) the model did not see in training. At threshold ")
        .text(Format.number(e.threshold()))
        .text(": accuracy ")
        .text(Format.percent(e.accuracy()))
        .text(", precision ")
        .text(Format.percent(e.precision()))
        .text(", recall ")
        .text(Format.percent(e.recall()))
        .raw(".</p><div class=\"grid\">");
    out.raw(
        curve(
            "roc",
            "ROC curve: buyers found against non-buyers flagged",
            "false positive rate",
            "true positive rate",
            e.roc(),
            true));
    out.raw(
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
    out.raw(
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
    out.raw(
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
    out.raw("</div>");
    effects(out, model);
    out.raw("</section>\n");
  }

  /**
   * Feature effects folded back onto the inputs (one bar per feature, interactions split half to
   * each), and the expanded terms' coefficients in a table below.
   */
  private static void effects(HtmlWriter out, RetentionModel model) {
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
      out.raw("<div class=\"wide\">")
          .raw(
              Svg.ranked(
                  "feature-effects",
                  "What moves the repurchase probability: mean effect of each input on the"
                      + " log-odds",
                  labels,
                  values,
                  colors,
                  List.of("higher raises it", "higher lowers it", "mixed"),
                  List.of(Svg.COLORS[2], Svg.COLORS[3], "#999")))
          .raw("</div><p class=\"meta\">")
          .text(c.nonLinear().rule())
          .raw(
              ". Squares count wholly and interactions half toward each of their features, as"
                  + " the score API's contributions do. The colour is what moving that input alone"
                  + " does (the model's partial dependence from its 10th to its 90th percentile"
                  + " over the training customers); mixed when it rises and falls.</p>");
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
    out.raw("<details><summary>All ")
        .text(order.length)
        .text(" terms of the logistic regression")
        .raw("</summary>")
        .raw(terms.html("terms-table"))
        .raw("</details>");
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
}
