package dev.retention.service.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.report.ReportHtml;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: a model of an export without money (its derivation says so) writes no money column in
 * its batch scores and report, and orders its priority list by P(alive) and probability.
 */
class BatchScoresMoneyTest {

  private static RetentionModel withMoney;
  private static RetentionModel withoutMoney;
  private static RfmFeatures.Derived derived;

  @BeforeAll
  static void train() throws Exception {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 30_000, 3_000, LocalDate.of(2026, 10, 31), 8L);
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(orders.toString().getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("o.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    derived = RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
    withMoney =
        new Trainer(TrainingOptions.defaults().withK(3))
            .train(
                OrdersDerivation.input(
                    derived,
                    read.book().grain(),
                    read.rowsRead(),
                    0,
                    List.of(),
                    "synthetic",
                    java.util.Map.of()),
                new Trainer.Identity("default", "money", Instant.EPOCH));
    assertNotNull(withMoney.customerValue());
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode tree = (ObjectNode) mapper.readTree(ModelJson.write(withMoney));
    ((ObjectNode) tree.get("derivation")).put("money", false);
    withoutMoney = ModelJson.read(mapper.writeValueAsBytes(tree));
  }

  private static BatchScores score(RetentionModel model) {
    BatchScores scores = new BatchScores(model);
    Scorer scorer = Scorer.of(model);
    int d = derived.features().cols();
    for (int i = 0; i < 400; i++) {
      double[] row = new double[d];
      System.arraycopy(derived.features().data(), i * d, row, 0, d);
      Scorer.Score s = scorer.score(row);
      scores.add("c" + i, s, Playbook.BANDS.indexOf(s.churnRiskBand()));
    }
    return scores;
  }

  private static List<String> write(BatchScores scores) throws Exception {
    StringWriter out = new StringWriter();
    scores.write(out, BatchSettings.Order.PRIORITY, LocalDate.of(2026, 11, 1));
    return out.toString().lines().toList();
  }

  /**
   * Issue 21's defect: the scores file put low-risk customers with a large predicted value first.
   * The one ordering: customers likely to lapse (churn risk high or medium) first, each tier by
   * value at risk, largest first.
   */
  @Test
  void theScoresFileListsTheCustomersLikelyToLapseFirstByValueAtRisk() throws Exception {
    BatchScores scores = score(withMoney);
    List<String> lines = write(scores);
    List<String> columns = List.of(lines.get(0).split(","));
    int band = columns.indexOf("churn_risk_band");
    int risk = columns.indexOf("value_at_risk");
    long lapsing = scores.rows().stream().filter(r -> r.band() < 2).count();
    assertTrue(lapsing > 20 && lapsing < 380, "both tiers present: " + lapsing);
    String previousBand = null;
    double previousRisk = Double.POSITIVE_INFINITY;
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",");
      boolean likely = !cells[band].equals("low");
      assertEquals(i <= lapsing, likely, "row " + i + " is in the wrong tier: " + lines.get(i));
      String tier = likely ? "lapsing" : "low";
      double value = Double.parseDouble(cells[risk]);
      if (tier.equals(previousBand)) {
        assertTrue(value <= previousRisk, "row " + i + ": value at risk rises");
      }
      previousBand = tier;
      previousRisk = value;
    }
  }

  /**
   * The same customers in any order give the same campaign file, byte for byte: ranking ties break
   * by customer id, and the plan ranks in the file's order.
   */
  @Test
  void theSameCustomersInAnyOrderGiveTheSameCampaignFile() throws Exception {
    BatchScores forward = score(withMoney);
    BatchScores backward = new BatchScores(withMoney);
    List<BatchScores.Row> rows = new ArrayList<>(forward.rows());
    java.util.Collections.reverse(rows);
    for (BatchScores.Row r : rows) {
      backward.add(
          r.id(),
          new Scorer.Score(
              r.segment(),
              r.segmentName(),
              0,
              r.probability(),
              Playbook.BANDS.get(r.band()),
              r.action(),
              List.of(),
              r.value()),
          r.band());
    }
    dev.retention.campaign.CampaignOptions options =
        dev.retention.campaign.CampaignOptions.defaults()
            .withBudget(dev.retention.campaign.ContactBudget.contacts(60));
    LocalDate asOf = LocalDate.of(2026, 11, 1);
    var a = forward.plan("spring-27", options, asOf).manifest();
    var b = backward.plan("spring-27", options, asOf).manifest();
    assertEquals(a, b);
    assertEquals(60, a.totals().contact());
    assertEquals(write(forward), write(backward));
    assertTrue(
        write(forward).get(0).endsWith(",group,expected_incremental_value,model_version,as_of"));
  }

  @Test
  void noMoneyColumnAndAPriorityByActivityAndProbability() throws Exception {
    List<String> money = write(score(withMoney));
    assertTrue(money.get(0).contains("value_at_risk"), money.get(0));
    assertTrue(money.get(0).contains("historic_clv"), money.get(0));
    BatchScores scores = score(withoutMoney);
    List<String> none = write(scores);
    String header = none.get(0);
    assertTrue(
        header.contains("p_alive,expected_purchases_90d,p_purchase_90d,expected_next_order_date"),
        header);
    for (String column : List.of("clv", "value_at_risk", "historic_clv")) {
      assertFalse(header.contains(column), header);
    }
    assertEquals(header.split(",").length, none.get(1).split(",", -1).length);
    // The priority: customers likely to lapse first, each tier by P(alive) × (1 − probability).
    List<Double> keys = new ArrayList<>();
    List<Boolean> lapsing = new ArrayList<>();
    List<String> columns = List.of(header.split(","));
    int p = columns.indexOf("probability");
    int alive = columns.indexOf("p_alive");
    int band = columns.indexOf("churn_risk_band");
    for (String line : none.subList(1, none.size())) {
      String[] cells = line.split(",");
      keys.add(Double.parseDouble(cells[alive]) * (1 - Double.parseDouble(cells[p])));
      lapsing.add(!cells[band].equals("low"));
    }
    for (int i = 1; i < keys.size(); i++) {
      assertTrue(lapsing.get(i - 1) || !lapsing.get(i), "row " + i + ": tiers");
      if (lapsing.get(i - 1) == lapsing.get(i)) {
        assertTrue(keys.get(i - 1) >= keys.get(i) - 1e-6, "row " + i + ": " + keys);
      }
    }
    // The batch report shows no money either, and says why.
    String report =
        ReportHtml.renderBatch(
            withoutMoney,
            new ReportHtml.BatchView(
                "s3://b/exports/score/x.csv",
                "scores/v/x.csv",
                Instant.EPOCH,
                LocalDate.of(2026, 11, 1),
                400,
                0,
                scores.bands()));
    String moneyReport =
        ReportHtml.renderBatch(
            withMoney,
            new ReportHtml.BatchView(
                "s3://b/exports/score/x.csv",
                "scores/v/x.csv",
                Instant.EPOCH,
                LocalDate.of(2026, 11, 1),
                400,
                0,
                score(withMoney).bands()));
    assertTrue(moneyReport.contains("Value at risk"), "the same model with money shows it");
    assertTrue(report.contains("has no money"), "the report says why");
    assertFalse(report.contains("Value at risk"), "no value-at-risk column");
    assertFalse(report.contains("Spend so far"), "no spend column");
  }
}
