package dev.retention.service.batch;

import dev.retention.campaign.CampaignOptions;
import dev.retention.campaign.CampaignPlan;
import dev.retention.campaign.CampaignPlanner;
import dev.retention.campaign.Candidates;
import dev.retention.data.CsvTokenizer;
import dev.retention.model.BandTable;
import dev.retention.model.ContactEconomics;
import dev.retention.model.CustomerValueModel;
import dev.retention.model.Playbook;
import dev.retention.model.Priority;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.model.WindowAgreement;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The scores of one export, held until the export was read whole (a failed read writes nothing),
 * then written as CSV in {@link Priority} order: the customers likely to lapse first, each tier by
 * value at risk (predicted CLV times the probability of not buying again in the window) when the
 * model has the customer-value layer with spend; for a model of an export without money (its
 * derivation says so) by P(alive) times the probability of not buying again; else by the lowest
 * repurchase probability; ties by customer id. {@link BatchSettings.Order#INPUT} keeps the export's
 * order instead. A model without money writes no money column (no spend, CLV or value at risk).
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
      CustomerValueModel.Quantities value,
      Double uplift,
      Double orderValue) {

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
  // The contact decision's cost and margin; the uplift columns when the model has an uplift part.
  private final ContactEconomics economics;
  private final boolean uplift;
  private final boolean upliftMoney;
  private final List<Row> rows = new ArrayList<>();
  private CampaignPlan plan;

  BatchScores(RetentionModel model, ContactEconomics economics) {
    this.model = model;
    this.money = model.derivation() == null || model.derivation().hasMoney();
    this.clv = money && model.customerValue() != null && model.customerValue().gammaGamma() != null;
    this.economics = economics;
    this.uplift = model.uplift() != null;
    this.upliftMoney = uplift && model.uplift().orderValueFeature() != null;
  }

  BatchScores(RetentionModel model) {
    this(model, ContactEconomics.defaults());
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
            score.value(),
            score.uplift(),
            score.orderValue()));
  }

  List<Row> rows() {
    return rows;
  }

  /**
   * The header: the scores, the customer-value columns when the model has them, a campaign's
   * columns when there is one, provenance.
   */
  String header() {
    return "customer_id,"
        + String.join(",", rowColumns())
        + (plan == null ? "" : ",group,expected_incremental_value")
        + ",model_version,as_of";
  }

  /**
   * Plans the campaign over the scored customers ({@link CampaignPlanner}): ranked in this file's
   * {@link #priorityOrder} (no uplift model yet), eligible when likely to lapse. From here on the
   * file carries each customer's group and expected incremental value (empty without an uplift
   * model: nothing estimates what a contact changes).
   */
  CampaignPlan plan(String campaignId, CampaignOptions options, LocalDate asOf) {
    int n = rows.size();
    String[] ids = new String[n];
    int[] segment = new int[n];
    int[] band = new int[n];
    double[] rank = new double[n];
    boolean[] eligible = new boolean[n];
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(priorityOrder());
    for (int p = 0; p < n; p++) {
      // Higher first in the planner: the file's order, exactly (ties are already broken by id).
      rank[sorted.get(p).position()] = n - p;
    }
    for (Row row : rows) {
      int i = row.position();
      ids[i] = row.id();
      segment[i] = row.segment();
      band[i] = row.band();
      eligible[i] = Priority.likelyToLapse(row.band());
    }
    List<String> names = new ArrayList<>();
    for (RetentionModel.Segment s : model.segments()) {
      names.add(s.name());
    }
    Integer minSize = model.segmentation().minSize();
    Candidates candidates;
    if (upliftMoney) {
      // The planner ranks by the same expected incremental profit as this file's order.
      double[] upliftOf = new double[n];
      double[] orderValue = new double[n];
      for (Row row : rows) {
        upliftOf[row.position()] = row.uplift();
        orderValue[row.position()] = row.orderValue();
      }
      candidates = Candidates.byUplift(ids, segment, band, upliftOf, orderValue);
    } else {
      candidates = Candidates.byValueAtRisk(ids, segment, band, rank, eligible);
    }
    plan =
        CampaignPlanner.plan(
            candidates,
            options,
            new CampaignPlanner.Context(
                campaignId,
                model.version(),
                asOf,
                names,
                minSize == null ? DEFAULT_MIN_SIZE : minSize));
    return plan;
  }

  /**
   * A row's columns between the customer id and the provenance: the scores, then the customer value
   * when the model has it. What the lookup index keeps per customer.
   */
  List<String> rowColumns() {
    List<String> columns =
        new ArrayList<>(
            List.of(
                "segment", "segment_name", "probability", "churn_risk_band", "suggested_action"));
    RetentionModel.CustomerValue cv = model.customerValue();
    if (cv != null) {
      columns.add("p_alive");
      columns.add("expected_purchases_" + cv.windowDays() + "d");
      columns.add("p_purchase_" + cv.windowDays() + "d");
      columns.add("expected_next_order_date");
      if (clv) {
        columns.add("predicted_clv_" + cv.horizonDays() + "d");
        columns.add("value_at_risk");
      }
      if (money) {
        columns.add("historic_clv");
      }
    }
    if (uplift) {
      columns.add("uplift");
      columns.add("sleeping_dog");
      if (upliftMoney) {
        columns.add("expected_incremental_revenue");
        columns.add("expected_incremental_profit");
        columns.add("contact");
      }
    }
    return columns;
  }

  /**
   * A row's cells in {@link #rowColumns} order, as text, before CSV quoting: the one formatting of
   * the scores file and the lookup index.
   */
  List<String> cells(Row row, LocalDate asOf) {
    List<String> cells = new ArrayList<>(12);
    cells.add(Integer.toString(row.segment()));
    cells.add(row.segmentName());
    cells.add(number(row.probability()));
    cells.add(Playbook.BANDS.get(row.band()));
    cells.add(row.action() == null ? "" : row.action());
    CustomerValueModel.Quantities q = row.value();
    if (q != null) {
      cells.add(number(q.pAlive()));
      cells.add(number(q.expectedPurchases()));
      cells.add(number(q.pPurchase()));
      cells.add(asOf.plusDays((long) Math.ceil(Math.min(q.daysToNextOrder(), 36_500))).toString());
      if (clv) {
        cells.add(money(q.predictedClv()));
        cells.add(money(row.valueAtRisk()));
      }
      if (money) {
        cells.add(money(q.historicClv()));
      }
    }
    if (uplift) {
      cells.add(number(row.uplift()));
      cells.add(Boolean.toString(row.uplift() < 0));
      if (upliftMoney) {
        ContactEconomics.Decision d = economics.decide(row.uplift(), row.orderValue());
        cells.add(money(d.expectedIncrementalRevenue()));
        cells.add(money(d.expectedIncrementalProfit()));
        cells.add(Boolean.toString(d.worthContacting()));
      }
    }
    return cells;
  }

  /** Columns of {@link #rowColumns} that hold text (quoted against spreadsheet formulas). */
  private static final java.util.Set<Integer> TEXT_CELLS = java.util.Set.of(1, 4);

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

  /**
   * The repurchase probability beside BG/NBD's P(at least one purchase in the window) per segment,
   * for the batch report; null without the customer-value layer.
   */
  WindowAgreement window() {
    RetentionModel.CustomerValue cv = model.customerValue();
    if (cv == null) {
      return null;
    }
    WindowAgreement.Sums sums = new WindowAgreement.Sums(model.segmentation().k());
    for (Row row : rows) {
      sums.add(row.segment(), row.probability(), row.value());
    }
    Integer minSize = model.segmentation().minSize();
    return sums.table(cv.windowDays(), minSize == null ? DEFAULT_MIN_SIZE : minSize);
  }

  /** The minimum segment size for model files before schema 1.3, which did not record theirs. */
  private static final int DEFAULT_MIN_SIZE = 50;

  /**
   * The one ordering ({@link Priority}): likely to lapse first, each tier by the model's basis,
   * ties by customer id (the same customers in any order give the same file).
   */
  Comparator<Row> priorityOrder() {
    Priority.Basis basis = Priority.basis(model);
    Priority[] keys = new Priority[rows.size()];
    for (Row r : rows) {
      keys[r.position()] =
          basis.byUplift()
              ? Priority.ofProfit(economics.decide(r.uplift(), r.orderValue()))
              : Priority.of(basis, r.band(), r.probability(), r.value());
    }
    return Comparator.comparing((Row r) -> keys[r.position()], Priority.ORDER)
        .thenComparing(Row::id);
  }

  /** Writes the header and every row in {@code order}. */
  void write(Writer out, BatchSettings.Order order, LocalDate asOf) throws IOException {
    List<Row> sorted = new ArrayList<>(rows);
    if (order == BatchSettings.Order.PRIORITY) {
      sorted.sort(priorityOrder());
    }
    out.write(header());
    out.write('\n');
    String version = CsvTokenizer.textCell(model.version());
    String day = asOf.toString();
    for (Row row : sorted) {
      out.write(CsvTokenizer.textCell(row.id()));
      List<String> cells = cells(row, asOf);
      for (int c = 0; c < cells.size(); c++) {
        out.write(',');
        out.write(TEXT_CELLS.contains(c) ? CsvTokenizer.textCell(cells.get(c)) : cells.get(c));
      }
      if (plan != null) {
        int i = row.position();
        out.write(',');
        out.write(plan.group()[i].label());
        out.write(',');
        double value = plan.expectedIncrementalRevenue()[i];
        out.write(Double.isNaN(value) ? "" : money(value));
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
