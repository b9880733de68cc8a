package dev.retention.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The campaign manifest as JSON ({@code <scores key>.campaign.json}), written field by field (no
 * reflection, so the native image needs no registration): aggregates only, money as {@code null}
 * where the privacy rule withholds it.
 */
public final class CampaignJson {

  /** The manifest's format, for readers (bumped on an incompatible change). */
  public static final String SCHEMA = "campaign-manifest/1";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CampaignJson() {}

  /**
   * The manifest of a campaign batch.
   *
   * @param scores the key of the scores file that lists each customer's group
   */
  public static byte[] write(CampaignManifest manifest, String scores) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("campaignId", manifest.campaignId());
    root.put("modelVersion", manifest.modelVersion());
    root.put("asOf", manifest.asOf().toString());
    root.put("scores", scores);
    root.put("minimumSize", manifest.minimumSize());
    CampaignManifest.Rule rule = manifest.rule();
    ObjectNode r = root.putObject("rule");
    r.put("assignment", rule.assignment());
    r.put("holdoutShare", rule.holdoutShare());
    r.put("ranking", rule.ranking());
    ObjectNode budget = r.putObject("budget");
    budget.put("kind", rule.budget().kind().name());
    budget.put("amount", rule.budget().amount());
    r.put("costPerContact", rule.economics().costPerContact());
    r.put("grossMargin", rule.economics().grossMargin());
    if (rule.maxContacts() == null) {
      r.putNull("maxContacts");
    } else {
      r.put("maxContacts", rule.maxContacts());
    }
    CampaignManifest.Totals t = manifest.totals();
    ObjectNode totals = root.putObject("totals");
    totals.put("customers", t.customers());
    totals.put("contact", t.contact());
    totals.put("holdout", t.holdout());
    totals.put("skip", t.skip());
    totals.put("skippedSleepingDogs", t.skippedSleepingDogs());
    totals.put("skippedNotWorthContacting", t.skippedNotWorthContacting());
    totals.put("skippedOverBudget", t.skippedOverBudget());
    totals.put("expectedIncrementalRevenue", t.expectedIncrementalRevenue());
    totals.put("expectedIncrementalProfit", t.expectedIncrementalProfit());
    totals.put("withheldStrata", t.withheldStrata());
    totals.put("withheldContacts", t.withheldContacts());
    var strata = root.putArray("strata");
    for (CampaignManifest.Stratum s : manifest.strata()) {
      ObjectNode o = strata.addObject();
      o.put("index", s.index());
      o.put("label", s.label());
      var members = o.putArray("members");
      s.members().forEach(members::add);
      o.put("customers", s.customers());
      o.put("contact", s.contact());
      o.put("holdout", s.holdout());
      o.put("skip", s.skip());
      o.put("expectedIncrementalRevenue", s.expectedIncrementalRevenue());
      o.put("expectedIncrementalProfit", s.expectedIncrementalProfit());
    }
    try {
      return MAPPER
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(root)
          .getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always writes", e);
    }
  }
}
