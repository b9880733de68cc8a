package dev.retention.report;

import dev.retention.campaign.CampaignManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first screen of a campaign batch's report (issue 21): contact these N customers, the expected
 * incremental revenue where an uplift model estimates it, skip the M likely to buy anyway, do not
 * contact the K whom a contact is expected to hurt, keep the holdout out of every contact; then the
 * groups per stratum. Aggregates of the manifest only: money where the manifest publishes it, and
 * where it withholds a cell the cell says how many contacted customers it hides.
 */
final class CampaignSection {

  private CampaignSection() {}

  /**
   * The expected incremental revenue's 95 % interval from the uplift model's held-out calibration,
   * or a note saying why there is none.
   */
  private static String revenueInterval(
      Double revenue, dev.retention.model.RetentionModel.Uplift uplift) {
    double[] factors = uplift == null ? null : UpliftSection.revenueFactors(uplift);
    if (revenue == null || factors == null) {
      return " (no interval: the uplift model's held-out calibration does not give one)";
    }
    return " (95 % interval "
        + Format.money(revenue * factors[0])
        + " to "
        + Format.money(revenue * factors[1])
        + ", from the uplift model's held-out customers: their observed effect over its predicted"
        + " uplift)";
  }

  static void render(StringBuilder out, CampaignManifest manifest) {
    render(out, manifest, null);
  }

  /**
   * @param uplift the scoring model's uplift part, whose held-out calibration gives the expected
   *     incremental revenue its interval ({@link UpliftSection#revenueFactors}); null without one
   */
  static void render(
      StringBuilder out,
      CampaignManifest manifest,
      dev.retention.model.RetentionModel.Uplift uplift) {
    CampaignManifest.Totals t = manifest.totals();
    CampaignManifest.Rule rule = manifest.rule();
    boolean byUplift = CampaignManifest.BY_EXPECTED_PROFIT.equals(rule.ranking());
    out.append("<section id=\"campaign\"><h2>Campaign <code>")
        .append(Html.escape(manifest.campaignId()))
        .append("</code>: who to contact</h2>");
    out.append("<p class=\"lead\">Contact these <b>")
        .append(count(t.contact()))
        .append("</b> customers (the <code>contact</code> rows of the scores file)");
    if (byUplift) {
      out.append(", expected incremental revenue <b>")
          .append(
              t.expectedIncrementalRevenue() == null
                  ? withheld(t.withheldContacts())
                  : Format.money(t.expectedIncrementalRevenue()))
          .append("</b>")
          .append(revenueInterval(t.expectedIncrementalRevenue(), uplift));
    }
    out.append(". Skip the <b>")
        .append(count(t.skippedNotWorthContacting()))
        .append("</b> ")
        .append(
            byUplift
                ? "whom a contact is not expected to pay for"
                : "likely to buy anyway (low churn risk)")
        .append(
            byUplift
                ? ", and do not contact the <b>"
                    + count(t.skippedSleepingDogs())
                    + "</b>"
                    + " whom a contact is expected to hurt (negative uplift)"
                : "")
        .append(". Keep the <b>")
        .append(count(t.holdout()))
        .append("</b> held-out customers (<code>holdout</code>, ")
        .append(Format.percent(rule.holdoutShare()))
        .append(
            " of the selected, in expectation) out of every contact of this campaign: they measure what it"
                + " changed.");
    if (t.skippedOverBudget() > 0) {
      out.append(" ")
          .append(count(t.skippedOverBudget()))
          .append(" more would qualify beyond the budget of ")
          .append(count(rule.maxContacts() == null ? 0 : rule.maxContacts()))
          .append(" contacts.");
    }
    out.append("</p>");
    if (!byUplift) {
      out.append(
          "<p class=\"note\">No uplift model yet: this campaign ranks by propensity (value at risk"
              + " among the customers likely to lapse), not by what a contact changes, so nobody is"
              + " known to be put off by a contact and no incremental revenue is estimated. Keep"
              + " the holdout: after the campaign window, the outcomes of contacted and held-out"
              + " customers measure the lift, and a randomized campaign like this one is what an"
              + " uplift model is trained from.</p>");
    }
    List<String> headers =
        new ArrayList<>(List.of("<Stratum", "Customers", "Contact", "Holdout", "Skip"));
    if (byUplift) {
      headers.add("Expected incremental revenue");
    }
    Table table = new Table(headers.toArray(String[]::new));
    for (CampaignManifest.Stratum s : manifest.strata()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  s.label(),
                  count(s.customers()),
                  count(s.contact()),
                  count(s.holdout()),
                  count(s.skip())));
      if (byUplift) {
        row.add(
            s.expectedIncrementalRevenue() == null
                ? withheld(s.contact())
                : Format.money(s.expectedIncrementalRevenue()));
      }
      table.row(row.toArray(String[]::new));
    }
    List<String> total =
        new ArrayList<>(
            List.of(
                "All customers",
                count(t.customers()),
                count(t.contact()),
                count(t.holdout()),
                count(t.skip())));
    if (byUplift) {
      total.add(
          t.expectedIncrementalRevenue() == null
              ? withheld(t.withheldContacts())
              : Format.money(t.expectedIncrementalRevenue()));
    }
    table.styledRow("total", total.toArray(String[]::new));
    out.append(table.html("campaign-table"));
    out.append(
            "<p class=\"meta\">Strata are segment × churn-risk band, merged until each holds at"
                + " least ")
        .append(count(manifest.minimumSize()))
        .append(
            " selected customers; money is shown where it sums at least that many contacted"
                + " customers. The holdout is a keyed hash of the campaign id and the customer id"
                + " (")
        .append(Html.escape(rule.assignment()))
        .append("): a re-run assigns the same customers.</p></section>\n");
  }

  /** A withheld amount says what it hides, never a bare dash. */
  private static String withheld(long contacted) {
    return "withheld (" + count(contacted) + " contacted customers)";
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
