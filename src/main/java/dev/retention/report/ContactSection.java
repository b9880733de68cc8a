package dev.retention.report;

import dev.retention.model.BandTable;
import dev.retention.model.Playbook;
import dev.retention.model.Priority;
import dev.retention.model.RetentionModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report's first screen, "who to contact this week": customers per segment and churn-risk band
 * with the suggested action, as counts and shares, with money where the data has it, in the scores
 * file's order ({@link Priority}); the training population's table in the training report, the
 * scored customers' in the batch report. Amounts of groups below the minimum segment size are
 * withheld by {@link BandTable}'s rule.
 */
final class ContactSection {

  private ContactSection() {}

  /** The training population's table from the model file; null for files before schema 1.3. */
  static BandTable trainingBands(RetentionModel model) {
    if (model.segmentation().bands() == null) {
      return null;
    }
    List<List<RetentionModel.BandCell>> segments = new ArrayList<>();
    for (RetentionModel.Segment s : model.segments()) {
      segments.add(s.bands());
    }
    return new BandTable(segments, model.segmentation().bands());
  }

  /** One group of the table: a segment's customers in one band. */
  private record Line(RetentionModel.Segment segment, int band, RetentionModel.BandCell cell) {}

  /**
   * @param table customers by segment and band, or null (a model file before schema 1.3)
   * @param who whom the table counts, in a sentence ("the 3,000 customers of this export")
   */
  static void write(HtmlWriter out, RetentionModel model, BandTable table, String who) {
    Playbook playbook = Playbook.orDefault(model.playbook());
    int minSize = ReportHtml.minSize(model);
    out.raw("<section id=\"contact\"><h2>Who to contact this week</h2>");
    if (table == null) {
      out.raw(
              "<p>This model file predates the per-band counts (schema 1.3); retrain to see them."
                  + " The segments and playbook below still apply.</p>")
          .raw("</section>\n");
      return;
    }
    boolean hasSpend = false;
    boolean noMoney = model.derivation() != null && !model.derivation().hasMoney();
    boolean hasClv =
        !noMoney && model.customerValue() != null && model.customerValue().gammaGamma() != null;
    boolean withheld = false;
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
    lead(out, model, playbook, table, who, hasClv);
    out.raw(table(model, playbook, table, lines, hasSpend, hasClv).html("contact-table"));
    out.raw("<p class=\"meta\">")
        .text("Churn risk: high below ")
        .text(Format.percent(playbook.highRiskBelow()))
        .text(" predicted repurchase probability, medium below ")
        .text(Format.percent(playbook.mediumRiskBelow()))
        .text(", else low.");
    if (hasClv) {
      out.raw(
          " Value at risk: a customer's predicted value times the probability of not buying"
              + " again in the window.");
    }
    if (withheld) {
      out.text(" –: amounts of groups with fewer than ")
          .text(minSize)
          .raw(
              " customers are withheld (the minimum segment size), and so is a band's total when"
                  + " it would reveal them.");
    }
    if (!hasSpend && model.derivation() == null) {
      out.text(
          " This export has no total_spend column, so the report shows no spend; add one to see"
              + " it.");
    }
    if (noMoney) {
      out.text(
          " The orders export has no money (a purchase log without amounts), so the report shows"
              + " no spend, predicted value or value at risk.");
    }
    out.raw("</p></section>\n");
  }

  /** The sentence above the table: how many are at high and medium risk, and what is at stake. */
  private static void lead(
      HtmlWriter out,
      RetentionModel model,
      Playbook playbook,
      BandTable table,
      String who,
      boolean hasClv) {
    RetentionModel.BandCell high = table.totals().get(0);
    RetentionModel.BandCell medium = table.totals().get(1);
    out.raw("<p class=\"lead\">Of ")
        .text(who)
        .raw(", <b>")
        .text(Format.count(high.customers()))
        .text(" (")
        .text(Format.percent(high.share()))
        .raw(")</b> are at <b>high churn risk</b> (repurchase probability below ")
        .text(Format.percent(playbook.highRiskBelow()))
        .text(")");
    if (hasClv && high.valueAtRisk() != null) {
      out.raw(", with <b>")
          .text(Format.money(high.valueAtRisk()))
          .raw("</b> of predicted value at risk over the next ")
          .text(model.customerValue().horizonMonths())
          .text(" months");
    }
    out.text(", and ")
        .text(Format.count(medium.customers()))
        .text(" (")
        .text(Format.percent(medium.share()))
        .text(
            ") at medium risk. Start at the top: each row is a group to contact with its"
                + " suggested action, groups likely to lapse (high or medium risk) first")
        .text(hasClv ? ", the most value at risk first." : ", the largest first.")
        .raw("</p>");
  }

  private static Table table(
      RetentionModel model,
      Playbook playbook,
      BandTable table,
      List<Line> lines,
      boolean hasSpend,
      boolean hasClv) {
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
    return contact;
  }
}
