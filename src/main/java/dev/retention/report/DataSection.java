package dev.retention.report;

import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The report's data and playbook sections: what was read and used, the features with their
 * meanings, ranges and scaling, the orders derivation and its counts, rejected rows and warnings;
 * then the risk bands and the playbook's rules. Aggregates and texts the code wrote only: a range
 * is the mean of at least the minimum segment size of customers, a rejection names a row and a
 * column, never a value.
 */
final class DataSection {

  /** Human labels of the derivation's counts (others are split from camel case). */
  private static final Map<String, String> COUNT_LABELS =
      Map.ofEntries(
          Map.entry("customersInExport", "Customers in the export"),
          Map.entry("customersUsed", "Customers used"),
          Map.entry("customersRefundsOnly", "Customers with refunds only (left out)"),
          Map.entry("customersZeroAmountOnly", "Customers with zero-amount orders only (left out)"),
          Map.entry(
              "customersFirstBuyingAfterCutoff", "Customers whose first order is after the cutoff"),
          Map.entry("orders", "Orders"),
          Map.entry("ordersRefunded", "Orders refunded"),
          Map.entry("ordersZeroAmount", "Orders with a zero amount"),
          Map.entry("ordersAfterCutoff", "Orders after the cutoff (label window)"),
          Map.entry("ordersAfterLabelWindow", "Orders after the label window (ignored)"),
          Map.entry("duplicateOrderRowsIgnored", "Duplicate order rows ignored"),
          Map.entry("orderLinesMerged", "Order lines merged into their order"),
          Map.entry("orderLinesWithAnotherDate", "Order lines dated differently from their order"),
          Map.entry(
              "orderLinesWithoutOrderCells",
              "Further order lines (their order's amount and status on another row)"));

  private DataSection() {}

  /** What each feature means: the derivation's definitions and the value features'. */
  static Map<String, String> meanings(RetentionModel model) {
    Map<String, String> meanings = new HashMap<>();
    if (model.derivation() != null) {
      for (RetentionModel.FeatureDefinition f : model.derivation().features()) {
        meanings.put(f.name(), f.meaning());
      }
    }
    if (model.customerValue() != null && model.customerValue().features() != null) {
      for (RetentionModel.ValueFeature f : model.customerValue().features()) {
        meanings.put(f.name(), f.meaning());
      }
    }
    return meanings;
  }

  static void data(HtmlWriter out, RetentionModel model) {
    RetentionModel.Provenance p = model.provenance();
    out.raw("<section id=\"data\"><h2>Data</h2><p>")
        .text(Format.count(p.rowsRead()))
        .text(model.derivation() != null ? " order rows read, " : " rows read, ")
        .text(Format.count(p.rowsRejected()))
        .text(" rejected, ")
        .text(Format.count(p.rowsUsed()))
        .text(" customers used. Source: ")
        .raw("<code>")
        .text(p.source() == null ? "(in memory)" : p.source())
        .raw("</code>.</p>");
    Map<String, String> meanings = meanings(model);
    Table features =
        new Table(
            "<Feature",
            "<Meaning",
            "Low (mean of the lowest)",
            "High (mean of the highest)",
            "<log1p",
            "Scaling mean",
            "Scaling std");
    for (RetentionModel.Feature f : model.features()) {
      // One format per feature for its range, one for its scaling (log units when log1p).
      Format.Column range = Format.Column.of(f.low(), f.high());
      Format.Column scaling = Format.Column.of(f.mean(), f.std());
      features.row(
          f.name(),
          meanings.getOrDefault(f.name(), ""),
          range.format(f.low()),
          range.format(f.high()),
          f.log1p() ? "yes" : "no",
          scaling.format(f.mean()),
          scaling.format(f.std()));
    }
    out.raw(features.html("features-table"))
        .raw("<p class=\"meta\">")
        .text(
            "Low and high are means of the few most extreme customers (as many as the minimum"
                + " segment size), never one customer's value. Scaling mean and std are those of"
                + " the standardization, after log1p where marked.")
        .raw("</p>");
    if (model.derivation() != null) {
      out.raw("<h3>Derived from orders</h3>").list(model.derivation().rules());
      Table counts = new Table("<What", "Count");
      for (Map.Entry<String, Long> count : model.derivation().counts().entrySet()) {
        counts.row(countLabel(count.getKey()), Format.count(count.getValue()));
      }
      out.raw(counts.html("derivation-counts"));
    }
    out.raw("<h3>Rejected rows</h3>");
    if (p.rejections().isEmpty()) {
      out.raw("<p>None.</p>");
    } else {
      out.raw("<p>")
          .text("First ")
          .text(p.rejections().size())
          .text(" of ")
          .text(Format.count(p.rowsRejected()))
          .text(":")
          .raw("</p>")
          .list(p.rejections());
    }
    if (!p.warnings().isEmpty()) {
      out.raw("<h3>Warnings</h3>").list(p.warnings());
    }
    out.raw("</section>\n");
  }

  /** A count's human label: the known ones by name, others split from camel case. */
  static String countLabel(String key) {
    String label = COUNT_LABELS.get(key);
    if (label != null) {
      return label;
    }
    String words = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return words.isEmpty() ? key : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  static void playbook(HtmlWriter out, RetentionModel model) {
    Playbook playbook = Playbook.orDefault(model.playbook());
    out.raw("<section id=\"playbook\"><h2>Playbook</h2><p>")
        .text("Churn risk is high below a ")
        .text(Format.percent(playbook.highRiskBelow()))
        .text(" repurchase probability, medium below ")
        .text(Format.percent(playbook.mediumRiskBelow()))
        .text(", else low. The first matching rule gives a segment's action.")
        .raw("</p>");
    Table rules = new Table("<Segment kind", "<Churn risk", "<Suggested action");
    for (Playbook.Rule rule : playbook.rules()) {
      rules.row(
          rule.kind().equals("*") ? "any" : rule.kind(),
          rule.band().equals("*") ? "any" : rule.band(),
          rule.action());
    }
    out.raw(rules.html("playbook-table")).raw("</section>\n");
  }
}
