package dev.retention.service.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.data.ExportSchema;
import dev.retention.testing.ReferenceData;
import dev.retention.testing.SyntheticOrders;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: a model is a function of the set of customers. The same export in several row orders,
 * each trained through the train service on s3proxy, gives byte-identical model bodies (apart from
 * run metadata: version, time, source, order, timings, name).
 */
class RowOrderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static LocalTraining local;

  @BeforeAll
  static void start() {
    local = LocalTraining.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  /** The file with its data lines (after the header) in a seeded random order. */
  static byte[] shuffled(String text, long seed) {
    String lineEnd = text.contains("\r\n") ? "\r\n" : "\n";
    List<String> lines = new ArrayList<>(List.of(text.split(lineEnd)));
    String header = lines.remove(0);
    Collections.shuffle(lines, new Random(seed));
    return (header + lineEnd + String.join(lineEnd, lines) + lineEnd)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The model body without what describes the run rather than the customers. */
  static String body(byte[] json) throws Exception {
    ObjectNode model = (ObjectNode) MAPPER.readTree(json);
    for (String field : List.of("modelName", "version", "createdAt", "order")) {
      model.remove(field);
    }
    ObjectNode provenance = (ObjectNode) model.get("provenance");
    provenance.remove("source");
    provenance.remove("timingsMs");
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(model);
  }

  /** Trains each order of {@code text} under its own name and checks the bodies are equal. */
  private static void sameModelInEveryOrder(
      String name, String prefix, String suffix, String text, UnaryOperator<TrainSettings> s)
      throws Exception {
    List<String> bodies = new ArrayList<>();
    for (long seed = 0; seed < 4; seed++) {
      byte[] bytes =
          seed == 0 ? text.getBytes(StandardCharsets.UTF_8) : shuffled(text, seed * 7919);
      String key = prefix + name + "-" + seed + suffix;
      local.upload(key, bytes);
      TrainSummary summary = local.train(local.service(name + "-" + seed, s), key);
      bodies.add(body(local.bytes(summary.modelKey())));
    }
    for (int i = 1; i < bodies.size(); i++) {
      assertEquals(bodies.get(0), bodies.get(i), name + ": order " + i + " gives another model");
    }
  }

  @Test
  void aFeatureExportInAnyRowOrderGivesTheSameModel() throws Exception {
    sameModelInEveryOrder(
        "features",
        "exports/features/",
        ".csv",
        new String(ReferenceData.csvBytes(), StandardCharsets.UTF_8),
        s ->
            ModelFloorsAndLiveHoldoutTest.withOptions(
                s, TrainingOptions.defaults(), s.qualityGate()));
  }

  @Test
  void anOrdersExportInAnyRowOrderGivesTheSameModel() throws Exception {
    StringWriter orders = new StringWriter();
    SyntheticOrders.write(orders, 30_000, 3_000, LocalDate.of(2026, 11, 1), 5L);
    sameModelInEveryOrder("orders", "exports/orders/", ".csv", orders.toString(), s -> s);
  }

  @Test
  void aRealFeatureExportInAnyRowOrderGivesTheSameModel() throws Exception {
    // Kevin Hillstrom's e-mail test (src/test/resources/real/hillstrom/SOURCE.md): one row per
    // customer, no id column; the label is a website visit, spend and conversion are left out.
    String text;
    try (InputStream in =
        RowOrderTest.class.getResourceAsStream(
            "/real/hillstrom/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv.gz")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new GZIPInputStream(in).transferTo(out);
      text = out.toString(StandardCharsets.UTF_8);
    }
    ExportSchema hillstrom =
        new ExportSchema("customer_id", "visit", List.of(), List.of("conversion", "spend"), 0.01);
    sameModelInEveryOrder(
        "hillstrom", "exports/features/", ".csv", text, s -> s.withSchema(hillstrom));
  }

  @Test
  void aCampaignExportInAnyRowOrderGivesTheSameUpliftModel() throws Exception {
    // Issue 21: the uplift part too is a function of the customers (UpliftExports: a simulated
    // randomized campaign with its treatment column).
    String text = dev.retention.testing.UpliftExports.of(5, 6_000, 0.5).csv();
    ExportSchema campaign =
        ExportSchema.defaults().withTreatment(ExportSchema.Treatment.of("treated"));
    sameModelInEveryOrder(
        "campaign",
        "exports/features/",
        ".csv",
        text,
        s ->
            ModelFloorsAndLiveHoldoutTest.withOptions(
                    s, TrainingOptions.defaults(), s.qualityGate())
                .withSchema(campaign));
    byte[] model =
        local.bytes(
            local
                .train(
                    local.service("campaign-check", s -> s.withSchema(campaign)),
                    "exports/features/campaign-0.csv")
                .modelKey());
    org.junit.jupiter.api.Assertions.assertTrue(
        MAPPER.readTree(model).get("uplift").isObject(), "the model has its uplift part");
  }
}
