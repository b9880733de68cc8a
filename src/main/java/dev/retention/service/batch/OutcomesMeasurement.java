package dev.retention.service.batch;

import dev.retention.campaign.CampaignJson;
import dev.retention.campaign.CampaignOutcomes;
import dev.retention.campaign.Group;
import dev.retention.campaign.LiftJson;
import dev.retention.campaign.LiftOptions;
import dev.retention.campaign.LiftResult;
import dev.retention.campaign.MeasuredLift;
import dev.retention.data.CsvTokenizer;
import dev.retention.data.ExportException;
import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersDialect;
import dev.retention.features.RfmFeatures;
import dev.retention.model.Playbook;
import dev.retention.service.ExportObjects;
import dev.retention.storage.Bucket;
import dev.retention.storage.ObjectInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a campaign from its outcomes export (issue 21): the orders after the campaign, uploaded
 * under {@code <scoring prefix>outcomes/<campaign id>/<name>}, are read in the live model's orders
 * dialect, each customer's purchases and net revenue from the day after the campaign's as-of day to
 * the export's last order day are joined to the group and stratum the campaign's scores file gave
 * them (found through {@code <scores prefix>campaigns/<campaign id>.json}, which the campaign batch
 * writes), and {@link MeasuredLift} compares contact with holdout. A campaign customer absent from
 * the outcomes bought nothing. Aggregates only are written: {@code campaigns/<id>/result.json} and
 * its report {@code result.html}.
 */
final class OutcomesMeasurement {

  /** Folder under the scoring prefix whose exports are outcomes, not exports to score. */
  static final String FOLDER = "outcomes/";

  private final Bucket bucket;
  private final String outputPrefix;

  OutcomesMeasurement(Bucket bucket, String outputPrefix) {
    this.bucket = bucket;
    this.outputPrefix = outputPrefix;
  }

  /**
   * {@code scores/campaigns/<id>.json}: which manifest and scores file the batch that planned the
   * campaign wrote (created once, never moved: decision 0022's addendum).
   */
  static String pointerKey(String outputPrefix, String campaignId) {
    return outputPrefix + "campaigns/" + campaignId + ".json";
  }

  /** {@code scores/campaigns/<id>/result.json}. */
  static String resultKey(String outputPrefix, String campaignId) {
    return outputPrefix + "campaigns/" + campaignId + "/result.json";
  }

  /**
   * The campaign id of an outcomes export's key, or null when the key is not under the outcomes
   * folder.
   *
   * @throws ExportException when it is, but not as {@code outcomes/<campaign id>/<name>}
   */
  static String campaignId(String key, String scoringPrefix) {
    String folder = scoringPrefix + FOLDER;
    if (!key.startsWith(folder)) {
      return null;
    }
    String rest = key.substring(folder.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new ExportException(
          "an outcomes export goes under "
              + folder
              + "<campaign id>/<name>; this key has no"
              + " campaign id folder");
    }
    return rest.substring(0, slash);
  }

  /**
   * What was measured.
   *
   * @param campaignCustomers rows of the campaign's scores file
   */
  record Measured(
      LiftResult result,
      LiftJson.Provenance provenance,
      String modelVersion,
      LocalDate asOf,
      long rowsRead,
      long rowsRejected,
      long campaignCustomers) {}

  /**
   * Reads the campaign and the outcomes; writes nothing.
   *
   * @throws ExportException when the campaign is unknown, its files disagree, or the outcomes have
   *     no order after the campaign
   */
  Measured measure(
      String campaignId,
      ObjectInfo outcomes,
      ExportFormat format,
      String source,
      OrdersDialect dialect,
      LiftOptions options)
      throws IOException {
    String pointerKey = pointerKey(outputPrefix, campaignId);
    CampaignJson.Pointer pointer =
        CampaignJson.readPointer(
            bucket
                .read(pointerKey)
                .orElseThrow(
                    () ->
                        new ExportException(
                            "no campaign "
                                + campaignId
                                + ": "
                                + pointerKey
                                + " does not exist (a batch scored with retention.campaign.id="
                                + campaignId
                                + " writes it); nothing written"))
                .bytes(),
            pointerKey);
    String manifestKey = pointer.manifest();
    String scoresKey = pointer.scores();
    CampaignJson.Stored manifest =
        CampaignJson.readManifest(
            bucket
                .read(manifestKey)
                .orElseThrow(
                    () ->
                        new ExportException(
                            "campaign "
                                + campaignId
                                + ": its manifest "
                                + manifestKey
                                + " (named by "
                                + pointerKey
                                + ") does not exist"))
                .bytes(),
            manifestKey);
    LocalDate asOf = manifest.asOf();
    List<String> labels = manifest.labels();
    Map<String, Integer> stratumOfMember = manifest.stratumOfMember();
    Assignment assignment = assignment(scoresKey, stratumOfMember, campaignId);

    LocalDate written = ExportObjects.latestOrderDay(outcomes);
    OrderExportReader.Result read;
    try (InputStream in = bucket.open(outcomes)) {
      read = OrderExportReader.read(in, format.withText(dialect.text()), dialect.schema(), written);
    }
    int after = (int) asOf.toEpochDay();
    int last = read.book().maxDay();
    if (read.book().customers() == 0 || last <= after) {
      throw new ExportException(
          "the outcomes export has no order after the campaign's as-of day "
              + asOf
              + ": the window starts the day after it");
    }
    RfmFeatures.WindowOutcomes window = RfmFeatures.windowOutcomes(read.book(), after, last);
    int n = assignment.size();
    boolean[] bought = new boolean[n];
    double[] revenue = new double[n];
    long notInCampaign = 0;
    for (int c = 0; c < window.customerIds().size(); c++) {
      Integer at = assignment.position.get(CsvTokenizer.textCell(window.customerIds().get(c)));
      if (at == null) {
        notInCampaign++;
        continue;
      }
      bought[at] = window.bought()[c];
      revenue[at] = window.revenue()[c];
    }
    CampaignOutcomes joined = new CampaignOutcomes(labels.size());
    for (int i = 0; i < n; i++) {
      joined.add(assignment.group[i], assignment.stratum[i], bought[i], revenue[i]);
    }
    int minimumSize = manifest.minimumSize();
    LiftResult result = MeasuredLift.measure(joined, campaignId, labels, minimumSize, options);
    return new Measured(
        result,
        new LiftJson.Provenance(
            manifestKey, scoresKey, source, asOf, LocalDate.ofEpochDay(last), notInCampaign),
        manifest.modelVersion(),
        asOf,
        read.rowsRead(),
        read.rowsRejected(),
        n);
  }

  /** Each customer's group and stratum, by the id cell as the scores file wrote it. */
  private static final class Assignment {
    final Map<String, Integer> position = new HashMap<>();
    Group[] group = new Group[1024];
    int[] stratum = new int[1024];

    int size() {
      return position.size();
    }

    void add(String idCell, Group g, int s, long line, String scoresKey) {
      int at = position.size();
      if (position.putIfAbsent(idCell, at) != null) {
        throw new ExportException(scoresKey + " line " + line + ": a customer listed twice");
      }
      if (at == group.length) {
        group = Arrays.copyOf(group, 2 * at);
        stratum = Arrays.copyOf(stratum, 2 * at);
      }
      group[at] = g;
      stratum[at] = s;
    }
  }

  private Assignment assignment(
      String scoresKey, Map<String, Integer> stratumOfMember, String campaignId)
      throws IOException {
    ObjectInfo info =
        bucket
            .head(scoresKey)
            .orElseThrow(
                () ->
                    new ExportException(
                        "campaign "
                            + campaignId
                            + ": its scores file "
                            + scoresKey
                            + " does not exist"));
    Assignment out = new Assignment();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(bucket.open(info), StandardCharsets.UTF_8))) {
      String headerLine = in.readLine();
      List<String> header = headerLine == null ? List.of() : cells(headerLine);
      int segment = header.indexOf("segment");
      int band = header.indexOf("churn_risk_band");
      int group = header.indexOf("group");
      if (segment < 0 || band < 0 || group < 0) {
        throw new ExportException(
            scoresKey
                + " has no segment, churn_risk_band and group columns: not a campaign's"
                + " scores file");
      }
      long line = 1;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        List<String> cells = cells(text);
        if (cells.size() != header.size()) {
          throw new ExportException(scoresKey + " line " + line + ": not a scores row");
        }
        String member = cells.get(segment) + "/" + cells.get(band);
        Integer s = stratumOfMember.get(member);
        if (s == null || !Playbook.BANDS.contains(cells.get(band))) {
          throw new ExportException(
              scoresKey
                  + " line "
                  + line
                  + ": its segment and band are in no stratum of the"
                  + " manifest");
        }
        Group g;
        try {
          g = Group.ofLabel(cells.get(group));
        } catch (IllegalArgumentException e) {
          throw new ExportException(scoresKey + " line " + line + ": " + e.getMessage(), e);
        }
        out.add(cells.get(0), g, s, line, scoresKey);
      }
    }
    return out;
  }

  /** A line's cells as written (quotes kept): the id is compared in its written form. */
  static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    out.add(line.substring(start));
    return out;
  }
}
