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

  @Test
  void noMoneyColumnAndAPriorityByActivityAndProbability() throws Exception {
    List<String> money = write(score(withMoney));
    assertTrue(money.get(0).contains("value_at_risk"), money.get(0));
    assertTrue(money.get(0).contains("historic_clv"), money.get(0));
    BatchScores scores = score(withoutMoney);
    List<String> none = write(scores);
    String header = none.get(0);
    assertTrue(header.contains("p_alive,expected_purchases_90d,expected_next_order_date"), header);
    for (String column : List.of("clv", "value_at_risk", "historic_clv")) {
      assertFalse(header.contains(column), header);
    }
    assertEquals(header.split(",").length, none.get(1).split(",", -1).length);
    // The priority: P(alive) × (1 − probability), largest first.
    List<Double> keys = new ArrayList<>();
    List<String> columns = List.of(header.split(","));
    int p = columns.indexOf("probability");
    int alive = columns.indexOf("p_alive");
    for (String line : none.subList(1, none.size())) {
      String[] cells = line.split(",");
      keys.add(Double.parseDouble(cells[alive]) * (1 - Double.parseDouble(cells[p])));
    }
    for (int i = 1; i < keys.size(); i++) {
      assertTrue(keys.get(i - 1) >= keys.get(i) - 1e-6, "row " + i + ": " + keys);
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
