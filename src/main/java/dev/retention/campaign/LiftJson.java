package dev.retention.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.core.Intervals.Interval;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;

/**
 * A campaign's measured lift as JSON ({@code <scores prefix>campaigns/<campaign id>/result.json}),
 * written field by field through Jackson's tree (no reflection, so the native image needs no
 * registration): aggregates only, a withheld comparison as {@code null}.
 */
public final class LiftJson {

  /** The result's format, for readers (bumped on an incompatible change). */
  public static final String SCHEMA = "campaign-result/1";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LiftJson() {}

  /**
   * Where the result came from.
   *
   * @param manifest key of the campaign manifest the groups were counted against
   * @param scores key of the scores file that lists each customer's group
   * @param outcomes {@code s3://bucket/key} of the outcomes export
   * @param after the campaign's as-of day: the window starts the day after
   * @param last the outcomes export's last order day: the window's last day
   * @param outcomeCustomersNotInCampaign customers of the outcomes export the scores file does not
   *     list (ignored)
   */
  public record Provenance(
      String manifest,
      String scores,
      String outcomes,
      LocalDate after,
      LocalDate last,
      long outcomeCustomersNotInCampaign) {}

  public static byte[] write(LiftResult result, Provenance from) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("campaignId", result.campaignId());
    root.put("manifest", from.manifest());
    root.put("scores", from.scores());
    root.put("outcomes", from.outcomes());
    ObjectNode window = root.putObject("window");
    window.put("from", from.after().plusDays(1).toString());
    window.put("to", from.last().toString());
    window.put("days", from.last().toEpochDay() - from.after().toEpochDay());
    root.put("minimumSize", result.minimumSize());
    root.put("skipped", result.skipped());
    root.put("outcomeCustomersNotInCampaign", from.outcomeCustomersNotInCampaign());
    root.put("withheldStrata", result.withheldStrata());
    root.put("withheldCustomers", result.withheldCustomers());
    comparison(root, "overall", result.overall());
    var strata = root.putArray("strata");
    for (LiftResult.StratumLift s : result.strata()) {
      ObjectNode o = strata.addObject();
      o.put("index", s.index());
      o.put("label", s.label());
      o.put("contactCustomers", s.contactCustomers());
      o.put("holdoutCustomers", s.holdoutCustomers());
      comparison(o, "comparison", s.comparison());
    }
    ObjectNode options = root.putObject("options");
    for (Map.Entry<String, Object> e : new java.util.TreeMap<>(result.options()).entrySet()) {
      Object v = e.getValue();
      if (v instanceof Integer || v instanceof Long) {
        options.put(e.getKey(), ((Number) v).longValue());
      } else if (v instanceof Number n) {
        options.put(e.getKey(), n.doubleValue());
      } else {
        options.put(e.getKey(), String.valueOf(v));
      }
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

  private static void comparison(ObjectNode parent, String name, LiftResult.Comparison c) {
    if (c == null) {
      parent.putNull(name);
      return;
    }
    ObjectNode o = parent.putObject(name);
    arm(o, "contact", c.contact());
    arm(o, "holdout", c.holdout());
    interval(o, "rateDifference", c.rateDifference());
    interval(o, "revenueDifference", c.revenueDifference());
    o.put("welchDegreesOfFreedom", c.welchDegreesOfFreedom());
    interval(o, "revenueDifferenceBootstrap", c.revenueDifferenceBootstrap());
    interval(o, "incrementalBuyers", c.incrementalBuyers());
    interval(o, "incrementalRevenue", c.incrementalRevenue());
    o.put("minimumDetectableRateDifference", c.minimumDetectableRateDifference());
    o.put("minimumDetectableRevenueDifference", c.minimumDetectableRevenueDifference());
  }

  private static void arm(ObjectNode parent, String name, LiftResult.Arm arm) {
    ObjectNode o = parent.putObject(name);
    o.put("customers", arm.customers());
    o.put("buyers", arm.buyers());
    interval(o, "repurchaseRate", arm.repurchaseRate());
    o.put("revenuePerCustomer", arm.revenuePerCustomer());
  }

  private static void interval(ObjectNode parent, String name, Interval interval) {
    if (interval == null) {
      parent.putNull(name);
      return;
    }
    ObjectNode o = parent.putObject(name);
    o.put("estimate", interval.estimate());
    o.put("lower", interval.lower());
    o.put("upper", interval.upper());
  }
}
