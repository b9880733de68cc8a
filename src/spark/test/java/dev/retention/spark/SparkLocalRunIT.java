package dev.retention.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.testing.SyntheticOrders;
import java.io.File;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command that runs the Spark job locally on a file, as its own process: the built job
 * jar with Spark from {@code target/spark-lib} (what EMR provides), the JVM options of {@code
 * target/spark/jvm.options}, a {@code local[2]} master. The model it writes validates and scores.
 */
class SparkLocalRunIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path work;

  /** {@code java @target/spark/jvm.options -cp <job jar>:<spark-lib>/* SparkTrainJob args}. */
  private static String run(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@target/spark/jvm.options");
    command.add("-cp");
    command.add("target/retention-spark-job.jar" + File.pathSeparator + "target/spark-lib/*");
    command.add(SparkTrainJob.class.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the job did not finish");
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static JsonNode summary(String output) throws Exception {
    for (String line : output.lines().toList()) {
      if (line.startsWith("{\"status\"")) {
        return MAPPER.readTree(line);
      }
    }
    throw new AssertionError("no summary line in:\n" + output);
  }

  @Test
  void theJobJarTrainsAnOrdersFileLocally() throws Exception {
    Path orders = work.resolve("orders.csv.gz");
    try (Writer out =
        new java.io.OutputStreamWriter(
            new java.util.zip.GZIPOutputStream(Files.newOutputStream(orders)),
            StandardCharsets.UTF_8)) {
      SyntheticOrders.write(out, 60_000, 6_000, LocalDate.of(2026, 10, 31), 5L);
    }
    Path output = work.resolve("out");
    String printed =
        run(
            List.of(
                "--master",
                "local[2]",
                "--input",
                orders.toString(),
                "--orders",
                "--output",
                output.toString(),
                "--setting",
                "retention.segments.min-size=60"));
    JsonNode summary = summary(printed);
    assertEquals("TRAINED", summary.get("status").asText(), printed);
    byte[] json = Files.readAllBytes(Path.of(summary.get("modelFile").asText()));
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    assertEquals(java.util.Set.of(), schema.validate(MAPPER.readTree(json)));
    RetentionModel model = ModelJson.read(json);
    assertEquals(60, model.segmentation().minSize(), "the setting reached the job");
    assertTrue(model.evaluation().rocAuc() > 0.7, "AUC " + model.evaluation().rocAuc());
    assertTrue(model.derivation() != null && model.customerValue() != null);
    double[] row = new double[model.features().size()];
    for (int c = 0; c < row.length; c++) {
      row[c] = Math.max(1, Math.round(model.segmentation().centresOriginal()[0][c]));
    }
    row[model.featureNames().indexOf("tenure_days")] = 400;
    row[model.featureNames().indexOf("recency_days")] = 30;
    double p = Scorer.of(model).score(row).probability();
    assertTrue(p > 0 && p < 1, "a probability: " + p);
    assertTrue(
        Files.readString(output.resolve(summary.get("version").asText() + ".report.html"))
            .contains("contact-table"));
  }
}
