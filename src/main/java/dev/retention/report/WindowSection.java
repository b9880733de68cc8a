package dev.retention.report;

import dev.retention.model.RetentionModel;
import dev.retention.model.WindowAgreement;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch report's reconciliation of the two answers to "will they buy in the window?": per
 * segment, the mean repurchase probability (the scores file's {@code probability}), the mean of
 * BG/NBD's P(at least one purchase) ({@code p_purchase_<window>d}) and the mean expected purchase
 * days ({@code expected_purchases_<window>d}), with a sentence for each segment where the two
 * probabilities differ by more than {@link WindowAgreement#DISAGREEMENT} and why they can.
 * Aggregates only ({@link WindowAgreement} withholds small segments).
 */
final class WindowSection {

  private WindowSection() {}

  static void write(HtmlWriter out, RetentionModel model, WindowAgreement window) {
    int days = window.windowDays();
    out.raw("<section id=\"window\"><h2>")
        .text("Buying in the next " + days + " days: two estimates")
        .raw("</h2><p>")
        .text(
            "Each row of the scores file carries two probabilities of buying in the next "
                + days
                + " days: probability (the repurchase model) and p_purchase_"
                + days
                + "d (BG/NBD's probability of at least one purchase), beside expected_purchases_"
                + days
                + "d (the purchase days BG/NBD expects). Their means per segment:")
        .raw("</p>");
    String[] names = new String[window.segments().size()];
    for (RetentionModel.Segment s : model.segments()) {
      if (s.id() >= 0 && s.id() < names.length) {
        names[s.id()] = s.name();
      }
    }
    List<Double> expected = new ArrayList<>();
    for (WindowAgreement.Row row : window.segments()) {
      expected.add(row.expectedPurchases());
    }
    expected.add(window.total().expectedPurchases());
    Format.Column purchases =
        Format.Column.of(expected.stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray());
    Table table =
        new Table(
            "<Segment",
            "Customers",
            "Repurchase probability",
            "BG/NBD P(at least one purchase)",
            "Expected purchase days",
            "<Reading");
    List<String> sentences = new ArrayList<>();
    boolean withheld = false;
    for (WindowAgreement.Row row : window.segments()) {
      if (row.customers() == 0) {
        continue;
      }
      String name =
          names[row.segment()] == null ? "segment " + row.segment() : names[row.segment()];
      withheld |= row.repurchaseProbability() == null;
      table.styledRow(row.disagrees() ? "high" : null, cells(name, row, purchases));
      if (row.disagrees()) {
        sentences.add(sentence(name, row));
      }
    }
    withheld |= window.total().repurchaseProbability() == null;
    table.styledRow("total", cells("All segments", window.total(), purchases));
    out.raw(table.html("window-table"));
    if (!sentences.isEmpty()) {
      out.raw("<p class=\"note\">")
          .text(
              sentences.size()
                  + (sentences.size() == 1 ? " segment" : " segments")
                  + " where the two probabilities differ by more than "
                  + Format.per100(WindowAgreement.DISAGREEMENT)
                  + " points: ")
          .text(String.join(" ", sentences))
          .text(
              " Rank and contact by the repurchase probability: it is fitted to this window's"
                  + " outcome and checked on held-out customers (the model's report shows its"
                  + " calibration). BG/NBD's number is what purchase frequency and recency alone"
                  + " predict, and what P(alive) and the predicted value rest on.")
          .raw("</p>");
    }
    out.raw("<p class=\"meta\">")
        .text(
            "Why they can differ: the repurchase model is a logistic regression fitted on whether"
                + " customers bought in the "
                + days
                + "-day window after the training cutoff, from every feature; BG/NBD is fitted on"
                + " purchase days, recency and customer age alone, and assumes each customer buys"
                + " at a steady rate until they drop out for good, so seasons, spend and recent"
                + " changes reach only the first. Expected purchases count purchases, not"
                + " customers: a few frequent buyers raise the mean while most buy nothing, so 1.5"
                + " expected purchase days can stand beside a 60 % chance of buying at all.");
    if (withheld) {
      out.text(
          " –: means of segments with fewer than "
              + window.minSize()
              + " customers in this batch are withheld (the minimum segment size), and so is the"
              + " total when it would reveal them.");
    }
    out.raw("</p></section>\n");
  }

  private static String[] cells(String name, WindowAgreement.Row row, Format.Column purchases) {
    boolean shown = row.repurchaseProbability() != null;
    return new String[] {
      name,
      Format.count(row.customers()),
      shown ? Format.percent(row.repurchaseProbability()) : "–",
      shown ? Format.percent(row.purchaseProbability()) : "–",
      purchases.format(row.expectedPurchases()),
      !shown
          ? "withheld (" + Format.count(row.customers()) + " customers)"
          : row.disagrees()
              ? "differ: see below"
              : "agree within " + Format.per100(WindowAgreement.DISAGREEMENT) + " points"
    };
  }

  private static String sentence(String name, WindowAgreement.Row row) {
    double model = row.repurchaseProbability();
    double bgNbd = row.purchaseProbability();
    return name
        + ": "
        + Format.percent(model)
        + " against BG/NBD's "
        + Format.percent(bgNbd)
        + (model > bgNbd
            ? ", the repurchase model's other inputs and the window it was fitted to point to more"
                + " buying than frequency and recency alone."
            : ", frequency and recency alone point to more buying than the repurchase model, which"
                + " learned from the window's outcome that customers like these buy less often"
                + " than their past rate.");
  }
}
