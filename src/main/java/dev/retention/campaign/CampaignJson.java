package dev.retention.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** The pointer's format. */
  public static final String POINTER_SCHEMA = "campaign-pointer/1";

  /**
   * The pointer the batch that plans a campaign creates before its scores and manifest ({@code
   * <scores prefix>campaigns/<campaign id>.json}): which manifest and scores file an outcomes
   * export of the campaign is measured against (the campaign's one batch; never rewritten).
   */
  public static byte[] pointer(
      String campaignId,
      String manifestKey,
      String scoresKey,
      String modelVersion,
      LocalDate asOf) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", POINTER_SCHEMA);
    root.put("campaignId", campaignId);
    root.put("manifest", manifestKey);
    root.put("scores", scoresKey);
    root.put("modelVersion", modelVersion);
    root.put("asOf", asOf.toString());
    return pretty(root);
  }

  /** What a pointer names. */
  public record Pointer(String manifest, String scores) {}

  /**
   * Reads a pointer.
   *
   * @param key its key, for messages
   * @throws IllegalArgumentException naming the key when it is not a pointer
   */
  public static Pointer readPointer(byte[] bytes, String key) {
    JsonNode root = tree(bytes, key);
    return new Pointer(text(root, "manifest", key), text(root, "scores", key));
  }

  /**
   * What measuring needs of a stored manifest.
   *
   * @param labels the strata's names by index
   * @param stratumOfMember each {@code segment/band} key's stratum
   */
  public record Stored(
      String modelVersion,
      LocalDate asOf,
      int minimumSize,
      List<String> labels,
      Map<String, Integer> stratumOfMember) {}

  /**
   * Reads the parts of a manifest ({@link #write}) that measuring needs.
   *
   * @param key its key, for messages
   * @throws IllegalArgumentException naming the key when it is not a manifest with strata
   */
  public static Stored readManifest(byte[] bytes, String key) {
    JsonNode root = tree(bytes, key);
    List<String> labels = new ArrayList<>();
    Map<String, Integer> stratumOf = new HashMap<>();
    for (JsonNode s : root.path("strata")) {
      int index = s.path("index").asInt(-1);
      if (index != labels.size()) {
        throw new IllegalArgumentException(key + ": strata are not listed by index");
      }
      labels.add(text(s, "label", key));
      for (JsonNode m : s.path("members")) {
        stratumOf.put(m.asText(), index);
      }
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(key + " has no strata");
    }
    LocalDate asOf;
    try {
      asOf = LocalDate.parse(text(root, "asOf", key));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(key + ": asOf is not a day", e);
    }
    return new Stored(
        text(root, "modelVersion", key),
        asOf,
        root.path("minimumSize").asInt(),
        List.copyOf(labels),
        Map.copyOf(stratumOf));
  }

  private static JsonNode tree(byte[] bytes, String key) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + " is not JSON", e);
    }
  }

  private static String text(JsonNode node, String field, String key) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(key + " has no " + field);
    }
    return v.asText();
  }

  private static byte[] pretty(ObjectNode root) {
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
