package dev.retention.report;

import dev.retention.campaign.LiftJson;
import dev.retention.campaign.LiftResult;
import dev.retention.core.Intervals.Interval;
import java.util.Locale;

/**
 * A campaign's measured lift (issue 21): what the contact changed against the holdout, overall and
 * per stratum, each difference with its interval and the smallest effect the sizes could detect.
 * Aggregates of the result only: a withheld comparison says how many customers it hides.
 */
final class LiftSection {

  private LiftSection() {}

  static void render(StringBuilder out, LiftResult result, LiftJson.Provenance from) {
    out.append("<section id=\"lift\"><h2>Campaign <code>")
        .append(Html.escape(result.campaignId()))
        .append("</code>: measured lift</h2>");
    out.append("<p class=\"meta\">Purchases from <time>")
        .append(from.after().plusDays(1))
        .append("</time> to <time>")
        .append(from.last())
        .append(
            "</time> (the outcomes export's last order day), contacted customers against the"
                + " held-out ones; intervals at ")
        .append(Format.percent(((Number) result.options().get("confidence")).doubleValue()))
        .append(".</p>");
    LiftResult.Comparison overall = result.overall();
    if (overall == null) {
      out.append("<p class=\"lead\">Withheld: an arm holds fewer than ")
          .append(result.minimumSize())
          .append(" customers, so no number of this campaign is published.</p>");
    } else {
      Interval revenue = overall.incrementalRevenue();
      out.append("<p class=\"lead\">Contacting ")
          .append(count(overall.contact().customers()))
          .append(" customers changed the repurchase rate by <b>")
          .append(points(overall.rateDifference()))
          .append("</b> and earned <b>")
          .append(Format.money(revenue.estimate()))
          .append("</b> incremental revenue (")
          .append(Format.money(revenue.lower()))
          .append(" to ")
          .append(Format.money(revenue.upper()))
          .append(")");
      out.append(
          revenue.lower() > 0
              ? ": the campaign paid in revenue."
              : revenue.upper() < 0
                  ? ": the campaign lost revenue."
                  : ": not distinguishable from no effect.");
      out.append(" The smallest rate difference these sizes detect is ")
          .append(
              String.format(Locale.ROOT, "%.1f", 100 * overall.minimumDetectableRateDifference()))
          .append(" points.</p>");
    }
    Table table =
        new Table(
            "<Stratum",
            "Contact",
            "Holdout",
            "Rate contact",
            "Rate holdout",
            "Difference",
            "Revenue / customer difference");
    if (overall != null) {
      row(table, "All", overall.contact().customers(), overall.holdout().customers(), overall);
    }
    for (LiftResult.StratumLift s : result.strata()) {
      row(table, s.label(), s.contactCustomers(), s.holdoutCustomers(), s.comparison());
    }
    out.append(table.html("lift-strata"));
    if (result.withheldStrata() > 0) {
      out.append("<p class=\"meta\">")
          .append(result.withheldStrata())
          .append(" strata withheld (")
          .append(count(result.withheldCustomers()))
          .append(" customers): an arm below ")
          .append(result.minimumSize())
          .append(" customers, or a total that would reveal one.</p>");
    }
    out.append("</section>\n");
  }

  private static void row(
      Table table, String label, long contact, long holdout, LiftResult.Comparison c) {
    if (c == null) {
      table.row(
          label,
          count(contact),
          count(holdout),
          "withheld",
          "withheld",
          "withheld",
          "withheld (" + count(contact + holdout) + " customers)");
      return;
    }
    table.row(
        label,
        count(contact),
        count(holdout),
        Format.percent(c.contact().repurchaseRate().estimate()),
        Format.percent(c.holdout().repurchaseRate().estimate()),
        points(c.rateDifference()),
        Format.money(c.revenueDifference().estimate())
            + " ("
            + Format.money(c.revenueDifference().lower())
            + " to "
            + Format.money(c.revenueDifference().upper())
            + ")");
  }

  /** A rate difference in percentage points with its interval. */
  private static String points(Interval d) {
    return String.format(
        Locale.ROOT,
        "%+.1f points (%+.1f to %+.1f)",
        100 * d.estimate(),
        100 * d.lower(),
        100 * d.upper());
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
