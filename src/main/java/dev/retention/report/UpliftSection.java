package dev.retention.report;

import dev.retention.core.Intervals;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The training report's uplift section (issue 21): which learner was chosen and why (every
 * candidate's held-out Qini coefficient, AUUC and normalised Qini), the held-out uplift by group of
 * predicted uplift, and the calibration of predicted against observed uplift. Every number is an
 * aggregate the model already publishes under the minimum-size rule (groups of at least that many
 * treated and control customers).
 */
final class UpliftSection {

  private UpliftSection() {}

  static void write(HtmlWriter out, RetentionModel model) {
    RetentionModel.Uplift u = model.uplift();
    if (u == null) {
      return;
    }
    RetentionModel.UpliftHeldOut h = u.heldOut();
    out.raw("<section id=\"uplift\"><h2>Uplift model: whom a contact changes</h2><p>")
        .text(
            "Trained on the past campaign in column '"
                + u.treatmentColumn()
                + "': "
                + Format.count(u.customers())
                + " customers, "
                + Format.count(u.treated())
                + " contacted and "
                + Format.count(u.control())
                + " held out. Uplift is the change in the probability of buying in the window that"
                + " a contact causes. The learner with the highest Qini coefficient on "
                + Format.count(h.customers())
                + " held-out customers is "
                + learner(u.learner())
                + ", refit on all customers. On them, "
                + Format.percent(h.treatedRate())
                + " of the contacted and "
                + Format.percent(h.controlRate())
                + " of the held-out customers bought: an average effect of "
                + signedPoints(h.averageEffect())
                + ".")
        .raw("</p>");
    List<String> header =
        List.of("learner", "Qini coefficient", "AUUC", "normalised Qini", "chosen");
    List<List<String>> rows = new ArrayList<>();
    for (RetentionModel.UpliftCandidate c : u.candidates()) {
      rows.add(
          List.of(
              learner(c.learner()),
              Format.number(c.qini()),
              Format.number(c.auuc()),
              Format.number(c.normalizedQini()),
              c.chosen() ? "yes" : ""));
    }
    out.raw(table(header, rows));
    out.raw("<p>")
        .text(
            "Qini coefficient: the area between the Qini curve of the ranking and random order (0"
                + " for random order, higher is better); AUUC: the area under the uplift curve;"
                + " normalised Qini: the Qini coefficient over that of the best possible ordering of"
                + " the same outcomes.")
        .raw("</p>");
    List<String> labels = new ArrayList<>();
    double[] observed = new double[u.deciles().size()];
    List<List<String>> calibration = new ArrayList<>();
    for (int g = 0; g < u.deciles().size(); g++) {
      RetentionModel.UpliftDecile d = u.deciles().get(g);
      labels.add(
          "group "
              + d.group()
              + " (predicted "
              + signedPoints(d.meanPredicted())
              + ", "
              + Format.count(d.treated() + d.control())
              + " customers)");
      observed[g] = d.observedUplift();
      calibration.add(
          List.of(
              Integer.toString(d.group()),
              signedPoints(d.meanPredicted()),
              signedPoints(d.observedUplift()),
              Format.count(d.treated()),
              Format.count(d.control())));
    }
    if (!labels.isEmpty()) {
      out.raw(
          Svg.diverging(
              "uplift-deciles",
              "Observed uplift of held-out customers by group of predicted uplift (largest first)",
              labels,
              observed));
    }
    out.raw(
        table(
            List.of("group", "predicted uplift", "observed uplift", "contacted", "held out"),
            calibration));
    RetentionModel.UpliftCalibration c = u.calibration();
    out.raw("<p>")
        .text(
            c.slope() == null
                ? "Too few groups to draw a calibration line."
                : "Calibration over the groups: observed = "
                    + Format.number(c.intercept())
                    + " + "
                    + Format.number(c.slope())
                    + " × predicted (1 and 0 when calibrated); mean predicted uplift "
                    + signedPoints(c.meanPredicted())
                    + ", observed "
                    + signedPoints(c.observedEffect())
                    + ".")
        .raw("</p></section>");
  }

  /**
   * The interval of a plan's expected incremental revenue, as factors of it: the held-out
   * customers' observed average effect (Newcombe's 95 % interval for the difference of the two
   * arms' purchase rates) over the model's mean predicted uplift on the same customers. It covers a
   * calibration error common to all customers and the held-out customers' sampling noise; not a
   * campaign that differs from the past one. Null when it cannot be drawn (a mean predicted uplift
   * not above 0).
   */
  static double[] revenueFactors(RetentionModel.Uplift u) {
    RetentionModel.UpliftHeldOut h = u.heldOut();
    Double predicted = u.calibration().meanPredicted();
    if (predicted == null || !(predicted > 0) || h.treated() == 0 || h.control() == 0) {
      return null;
    }
    Intervals.Interval effect =
        Intervals.newcombe(
            Math.round(h.treatedRate() * h.treated()),
            h.treated(),
            Math.round(h.controlRate() * h.control()),
            h.control(),
            0.95);
    return new double[] {effect.lower() / predicted, effect.upper() / predicted};
  }

  private static String learner(String name) {
    return switch (name) {
      case "TWO_MODEL" -> "two-model (a logistic regression per arm)";
      case "CLASS_TRANSFORMATION" -> "class transformation";
      case "X_LEARNER" -> "X-learner";
      default -> name;
    };
  }

  /** An uplift in percentage points, signed. */
  private static String signedPoints(double v) {
    return String.format(java.util.Locale.ROOT, "%+.2f points", 100 * v);
  }

  private static String table(List<String> header, List<List<String>> rows) {
    StringBuilder t = new StringBuilder("<table><thead><tr>");
    for (String h : header) {
      t.append("<th>").append(Html.escape(h)).append("</th>");
    }
    t.append("</tr></thead><tbody>");
    for (List<String> row : rows) {
      t.append("<tr>");
      for (String cell : row) {
        t.append("<td>").append(Html.escape(cell)).append("</td>");
      }
      t.append("</tr>");
    }
    return t.append("</tbody></table>").toString();
  }
}
