package dev.retention.report;

import dev.retention.model.CustomerValueModel;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's customer-value section, for models trained from orders: the BG/NBD and Gamma-Gamma
 * parameters in words, whether the repurchase model uses them, the fit's notes, P(alive) over
 * repeat purchases and recency, the back-test, and each segment's share of predicted value.
 */
final class ValueSection {

  private ValueSection() {}

  static void write(HtmlWriter out, RetentionModel model) {
    RetentionModel.CustomerValue cv = model.customerValue();
    if (cv == null) {
      return;
    }
    RetentionModel.BgNbdParameters b = cv.bgNbd();
    out.raw("<section id=\"customer-value\"><h2>Customer value</h2><p>")
        .text(
            "Each customer's purchases are modelled as BG/NBD (Fader, Hardie and Lee 2005): while"
                + " active, a customer buys at their own rate; after each purchase they may drop"
                + " out for good. ")
        .text("Fitted on ")
        .text(Format.count((long) b.customers()))
        .text(" customers (")
        .text(Format.count((long) b.repeatCustomers()))
        .text(" with repeat purchases): purchase rate r = ")
        .text(Format.number(b.r()))
        .text(", α = ")
        .text(Format.number(b.alpha()))
        .text(" weeks; drop-out a = ")
        .text(Format.number(b.a()))
        .text(", b = ")
        .text(Format.number(b.b()))
        .text(". ");
    RetentionModel.GammaGammaParameters g = cv.gammaGamma();
    if (g != null) {
      out.text("Spend per order is Gamma-Gamma (Fader, Hardie and Lee 2005): p = ")
          .text(Format.number(g.p()))
          .text(", q = ")
          .text(Format.number(g.q()))
          .text(", v = ")
          .text(Format.number(g.v()))
          .text("; predicted value is over ")
          .text(cv.horizonMonths())
          .text(" months");
      if (cv.monthlyDiscountRate() > 0) {
        out.text(", discounted ").text(Format.percent(cv.monthlyDiscountRate())).text(" a month");
      }
      out.text(". ");
    }
    out.text(
            cv.usedInClassifier()
                ? "The repurchase model uses P(alive) and expected purchases as inputs: they made"
                    + " its held-out predictions better."
                : "The repurchase model does not use these quantities as inputs: they did not make"
                    + " its held-out predictions better.")
        .raw("</p>");
    if (cv.notes() != null && !cv.notes().isEmpty()) {
      out.raw("<ul class=\"meta\">");
      for (String note : cv.notes()) {
        out.raw("<li>").text(note).raw("</li>");
      }
      out.raw("</ul>");
    }
    out.raw("<div class=\"grid\">");
    aliveHeatmap(out, model);
    if (cv.backTest() != null && !cv.backTest().isEmpty()) {
      List<String> groups = cv.backTest().stream().map(t -> t.repeatPurchases()).toList();
      double[] predicted =
          cv.backTest().stream().mapToDouble(RetentionModel.BackTestBin::predicted).toArray();
      double[] actual =
          cv.backTest().stream().mapToDouble(RetentionModel.BackTestBin::actual).toArray();
      out.raw(
          Svg.bars(
              "back-test",
              "Back-test: purchase days in the "
                  + cv.windowDays()
                  + "-day window per customer, predicted and actual",
              "repeat purchases before the cutoff",
              "purchase days per customer",
              groups,
              List.of(
                  new Svg.Bars("predicted", predicted, Svg.COLORS[1]),
                  new Svg.Bars("actual", actual, Svg.COLORS[0])),
              false));
    }
    valueShare(out, ReportHtml.profiles(model));
    out.raw("</div></section>\n");
  }

  /** Each segment's share of the predicted value beside its share of customers. */
  private static void valueShare(HtmlWriter out, List<RetentionModel.Segment> profiles) {
    double total = 0;
    for (RetentionModel.Segment s : profiles) {
      total += s.meanPredictedClv() == null ? 0 : s.meanPredictedClv() * s.size();
    }
    if (!(total > 0)) {
      return;
    }
    double[] valueShare = new double[profiles.size()];
    double[] customerShare = new double[profiles.size()];
    for (int i = 0; i < profiles.size(); i++) {
      RetentionModel.Segment s = profiles.get(i);
      valueShare[i] = s.meanPredictedClv() == null ? 0 : s.meanPredictedClv() * s.size() / total;
      customerShare[i] = s.share();
    }
    out.raw(
        Svg.hbars(
            "value-share",
            "Share of predicted value and of customers by segment",
            profiles.stream().map(RetentionModel.Segment::name).toList(),
            List.of(
                new Svg.Bars("share of predicted value", valueShare, Svg.COLORS[2]),
                new Svg.Bars("share of customers", customerShare, Svg.COLORS[0])),
            true));
  }

  /**
   * P(alive) over repeat purchases × days since the last purchase, for a customer whose first
   * purchase was as long ago as the longest histories (the tenure feature's high): the BG/NBD
   * drop-out at a glance. Customers without a repeat purchase are left out: BG/NBD only lets a
   * customer drop out after a purchase, so they count as active.
   */
  private static void aliveHeatmap(HtmlWriter out, RetentionModel model) {
    RetentionModel.CustomerValue cv = model.customerValue();
    List<String> names = model.features().stream().map(RetentionModel.Feature::name).toList();
    RetentionModel.Feature tenure = feature(model, cv.roles().tenure());
    RetentionModel.Feature frequency = feature(model, cv.roles().frequency());
    if (tenure == null || frequency == null || !(tenure.high() > 0)) {
      return;
    }
    CustomerValueModel value;
    try {
      value = CustomerValueModel.of(cv, names);
    } catch (RuntimeException e) {
      return; // a model file whose roles do not match its features: no chart rather than no report
    }
    Svg.Ticks days = Svg.Ticks.of(0, tenure.high(), 6);
    double since = Math.min(days.max(), Math.max(tenure.high(), days.step()));
    List<Double> recencies = new ArrayList<>();
    for (double d : days.values()) {
      if (d <= since) {
        recencies.add(d);
      }
    }
    int maxRepeat = (int) Math.max(3, Math.min(40, Math.round(frequency.high()) - 1));
    List<Integer> repeats = new ArrayList<>();
    for (int x : new int[] {1, 2, 3, 5, 8, 12, 20, 30, 40}) {
      if (x <= maxRepeat) {
        repeats.add(x);
      }
    }
    double[][] grid = new double[repeats.size()][recencies.size()];
    for (int r = 0; r < repeats.size(); r++) {
      for (int c = 0; c < recencies.size(); c++) {
        grid[r][c] = value.probabilityAlive(repeats.get(r), recencies.get(c), since);
      }
    }
    out.raw(
        Svg.heatmap(
            "p-alive",
            "P(still active) of a customer first seen "
                + Format.number(since)
                + " days ago, by repeat purchases and days since the last",
            "repeat purchases",
            "days since the last purchase",
            repeats.stream().map(String::valueOf).toList(),
            recencies.stream().map(Format::number).toList(),
            grid));
  }

  private static RetentionModel.Feature feature(RetentionModel model, String name) {
    for (RetentionModel.Feature f : model.features()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }
}
