package dev.retention.service.batch;

import dev.retention.data.CsvTokenizer;
import dev.retention.model.BandTable;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The scores of one export, held until the export was read whole (a failed read writes nothing),
 * then written as CSV in priority order: the customers with the most value at risk first (predicted
 * CLV times the probability of not buying again in the window) when the model has the
 * customer-value layer with spend; for a model of an export without money (its derivation says so)
 * the customers most likely still active but unlikely to buy again first (P(alive) times the
 * probability of not buying again); else the lowest repurchase probability first; ties keep the
 * input order. {@link BatchSettings.Order#INPUT} keeps the export's order instead. A model without
 * money writes no money column (no spend, CLV or value at risk).
 */
final class BatchScores {

  /** One scored customer, compactly: what the CSV and the batch report need. */
  record Row(
      int position,
      String id,
      int segment,
      String segmentName,
      double probability,
      int band,
      String action,
      CustomerValueModel.Quantities value) {

    /**
     * P(alive) times the probability of not buying again in the window: still a customer, but not
     * about to buy (the priority without money); 0 without the customer-value layer.
     */
    double activeAtRisk() {
      return value == null ? 0 : value.pAlive() * (1 - probability);
    }

    /** Predicted CLV times the probability of not buying again in the window; 0 without CLV. */
    double valueAtRisk() {
      return value == null || value.predictedClv() == null
          ? 0
          : CustomerValueModel.valueAtRisk(value.predictedClv(), probability);
    }
  }

  private final RetentionModel model;
  private final boolean money;
  private final boolean clv;
  private final List<Row> rows = new ArrayList<>();

  BatchScores(RetentionModel model) {
    this.model = model;
    this.money = model.derivation() == null || model.derivation().hasMoney();
    this.clv = money && model.customerValue() != null && model.customerValue().gammaGamma() != null;
  }

  void add(String id, Scorer.Score score, int band) {
    rows.add(
        new Row(
            rows.size(),
            id,
            score.segment(),
            score.segmentName(),
            score.probability(),
            band,
            score.suggestedAction(),
            score.value()));
  }

  List<Row> rows() {
    return rows;
  }

  /** The header: the scores, the customer-value columns when the model has them, provenance. */
  String header() {
    StringBuilder h =
        new StringBuilder(
            "customer_id,segment,segment_name,probability,churn_risk_band,suggested_action");
    RetentionModel.CustomerValue cv = model.customerValue();
    if (cv != null) {
      h.append(",p_alive,expected_purchases_")
          .append(cv.windowDays())
          .append("d,expected_next_order_date");
      if (clv) {
        h.append(",predicted_clv_").append(cv.horizonDays()).append("d,value_at_risk");
      }
      if (money) {
        h.append(",historic_clv");
      }
    }
    return h.append(",model_version,as_of").toString();
  }

  /**
   * The scored customers by segment and churn-risk band, for the batch report, with money withheld
   * by {@link BandTable}'s rule.
   */
  BandTable bands() {
    BandTable.Sums sums = new BandTable.Sums(model.segmentation().k());
    for (Row row : rows) {
      CustomerValueModel.Quantities q = row.value();
      sums.add(
          row.segment(),
          row.band(),
          q == null || !money ? Double.NaN : q.historicClv(),
          q == null || !clv || q.predictedClv() == null ? Double.NaN : q.predictedClv(),
          row.probability());
    }
    Integer minSize = model.segmentation().minSize();
    return sums.table(minSize == null ? DEFAULT_MIN_SIZE : minSize);
  }

  /** The minimum segment size for model files before schema 1.3, which did not record theirs. */
  private static final int DEFAULT_MIN_SIZE = 50;

  /** Writes the header and every row in {@code order}. */
  void write(Writer out, BatchSettings.Order order, LocalDate asOf) throws IOException {
    List<Row> sorted = new ArrayList<>(rows);
    if (order == BatchSettings.Order.PRIORITY) {
      Comparator<Row> priority;
      if (clv) {
        priority = Comparator.comparingDouble(Row::valueAtRisk).reversed();
      } else if (!money && model.customerValue() != null) {
        priority = Comparator.comparingDouble(Row::activeAtRisk).reversed();
      } else {
        priority = Comparator.comparingDouble(Row::probability);
      }
      sorted.sort(priority.thenComparingInt(Row::position));
    }
    out.write(header());
    out.write('\n');
    String version = CsvTokenizer.textCell(model.version());
    String day = asOf.toString();
    for (Row row : sorted) {
      out.write(CsvTokenizer.textCell(row.id()));
      out.write(',');
      out.write(Integer.toString(row.segment()));
      out.write(',');
      out.write(CsvTokenizer.textCell(row.segmentName()));
      out.write(',');
      out.write(number(row.probability()));
      out.write(',');
      out.write(Playbook.BANDS.get(row.band()));
      out.write(',');
      out.write(CsvTokenizer.textCell(row.action() == null ? "" : row.action()));
      CustomerValueModel.Quantities q = row.value();
      if (q != null) {
        out.write(',');
        out.write(number(q.pAlive()));
        out.write(',');
        out.write(number(q.expectedPurchases()));
        out.write(',');
        out.write(
            asOf.plusDays((long) Math.ceil(Math.min(q.daysToNextOrder(), 36_500))).toString());
        if (clv) {
          out.write(',');
          out.write(money(q.predictedClv()));
          out.write(',');
          out.write(money(row.valueAtRisk()));
        }
        if (money) {
          out.write(',');
          out.write(money(q.historicClv()));
        }
      }
      out.write(',');
      out.write(version);
      out.write(',');
      out.write(day);
      out.write('\n');
    }
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  private static String money(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
