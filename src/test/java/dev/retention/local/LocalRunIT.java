package dev.retention.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, checked in the build: runs {@link LocalRun} as its own process (as
 * {@code ./mvnw -Plocal} does) on the packaged function.zip, with a user's export, a CSV to score
 * and settings, and checks what the user would see and get.
 */
class LocalRunIT {

  private record Run(int exit, String output, Process process) {}

  private static Run run(List<String> properties, Map<String, String> environment)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(properties);
    command.add("-Ds3proxy.jar=" + System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    command.add("-Daws.accessKeyId=local");
    command.add("-Daws.secretAccessKey=local-secret");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LocalRun.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("RETENTION_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the local run did not finish");
    return new Run(process.exitValue(), output, process);
  }

  @Test
  void onAUsersExportItTakesTheirSettingsScoresTheirRowsAndCopiesTheirReport() throws Exception {
    Path work = Files.createTempDirectory("local-run-it");
    Path export = work.resolve("my export.csv");
    List<String> reference =
        Files.readAllLines(Path.of("src/test/resources/reference/customers.csv"));
    Files.write(export, reference.subList(0, 3001));
    Path toScore = work.resolve("to-score.csv");
    StringBuilder score = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      String line = reference.get(i == 0 ? 0 : 3000 + i);
      score.append(line, 0, line.lastIndexOf(',')).append('\n'); // drop the label column
    }
    score.append("C999999,12,abc,40,300,20,1,0.1\n"); // a bad row: frequency is not a number
    Files.writeString(toScore, score.toString());
    Path scored = work.resolve("scored.csv");
    Files.deleteIfExists(Path.of(".local/scores.csv"));

    // A setting as -D, another as an environment variable: both reach the functions.
    Run run =
        run(
            List.of(
                "-Dlocal.export=" + export,
                "-Dlocal.score=" + toScore,
                "-Dlocal.out=" + scored,
                "-Dretention.segments.min-size=60"),
            Map.of("RETENTION_PLAYBOOK_HIGH_RISK_BELOW", "0.4"));
    String output = run.output();
    assertEquals(0, run.exit(), output);
    assertTrue(output.contains("TRAINED: models/default/"), output);
    assertTrue(output.contains("rows used 3000, rejected 0; segments K="), output);
    assertTrue(
        output.contains("minimum segment size 60; churn risk high below 40.0%"),
        "the settings reached the train function: " + output);
    // The score function got requests built from the user's rows and model: no 400s.
    assertTrue(
        output.contains("POST /score with the first 4 rows of my export.csv -> 200 4 customers"),
        output);
    assertFalse(output.contains("-> 400"), output);
    assertFalse(output.contains("events/score-single.json"), output);
    assertTrue(output.contains("events/get-model.json -> 200"), output);
    assertTrue(output.contains("scored 11 customers"), output);
    assertTrue(
        output.contains(
            "skipped 1 rows with bad values, first: [line 13, column 'frequency': not a number]"),
        output);
    // No orders steps unless asked, and the report is the user's model's.
    assertFalse(output.contains("exports/orders/"), output);
    assertFalse(Files.exists(Path.of(".local/scores.csv")), "the batch step ran unasked");
    Matcher version =
        Pattern.compile("TRAINED: models/default/([0-9a-f-]+)\\.json").matcher(output);
    assertTrue(version.find(), output);
    String report = Files.readString(Path.of(".local/report.html"));
    assertTrue(report.contains(version.group(1)), "the report is the user's model's");
    assertTrue(report.contains("id=\"contact-table\""), "the report's first screen");
    assertTrue(output.contains("= the feature export model's report"), output);
    assertEquals(report, Files.readString(Path.of(".local/features-report.html")));
    assertTrue(output.contains("stopped the local S3 server"), output);

    List<String> rows = Files.readAllLines(scored);
    assertEquals("customer_id,segment,segment_name,probability,churn_risk_band", rows.get(0));
    assertEquals(12, rows.size());
    assertTrue(rows.get(1).startsWith("C103000,"), rows.get(1));
    for (String row : rows.subList(1, rows.size())) {
      String band = row.substring(row.lastIndexOf(',') + 1);
      assertTrue(List.of("high", "medium", "low").contains(band), row);
    }
    assertOnlyItsOwnProcessesAndNoneLeft(run);
  }

  @Test
  void askedForOrdersItTrainsOnThemAndScoresTodaysOrdersInBatch() throws Exception {
    Path work = Files.createTempDirectory("local-run-it");
    Path export = work.resolve("customers.csv");
    List<String> reference =
        Files.readAllLines(Path.of("src/test/resources/reference/customers.csv"));
    Files.write(export, reference.subList(0, 3001));
    Run run =
        run(
            List.of(
                "-Dlocal.export=" + export,
                "-Dlocal.orders=synthetic",
                "-Dretention.orders.label-window-days=60"),
            Map.of());
    String output = run.output();
    assertEquals(0, run.exit(), output);
    assertTrue(output.contains("generated synthetic orders"), output);
    assertTrue(output.contains("label: bought again within 60 days"), output);
    List<String> scores = Files.readAllLines(Path.of(".local/scores.csv"));
    assertEquals(
        "customer_id,segment,segment_name,probability,churn_risk_band,suggested_action,p_alive,"
            + "expected_purchases_60d,p_purchase_60d,expected_next_order_date,predicted_clv_365d,"
            + "value_at_risk,historic_clv,model_version,as_of",
        scores.get(0));
    assertTrue(scores.size() > 1000, "today's customers scored: " + scores.size());
    assertTrue(
        output.contains("SCORED: " + (scores.size() - 1) + " customers scored as of"), output);
    assertTrue(Files.size(Path.of(".local/orders-features.csv.gz")) > 1000);
    assertTrue(Files.readString(Path.of(".local/scores-report.html")).contains("contact-table"));
    // report.html is the user's model's; the orders model's report has its own name.
    assertTrue(output.contains("= the feature export model's report"), output);
    assertTrue(Files.readString(Path.of(".local/orders-report.html")).contains("contact-table"));
    assertOnlyItsOwnProcessesAndNoneLeft(run);
  }

  @Test
  void anUnknownSettingStopsItBeforeAnythingStartsAndListsTheKnownOnes() throws Exception {
    Run run = run(List.of("-Dretention.segmnets.min-size=60"), Map.of("RETENTION_NO_SUCH", "1"));
    assertEquals(2, run.exit(), run.output());
    assertTrue(
        run.output()
            .contains(
                "unknown settings -Dretention.segmnets.min-size, RETENTION_NO_SUCH (environment)"),
        run.output());
    assertTrue(run.output().contains("retention.segments.min-size"), "the known settings listed");
    assertFalse(run.output().contains("s3proxy"), "nothing was started");
  }

  /** Only the processes this run started: the s3proxy it reported, and nothing left running. */
  private static void assertOnlyItsOwnProcessesAndNoneLeft(Run run) {
    Matcher pid = Pattern.compile("s3proxy\\) started, pid (\\d+)").matcher(run.output());
    assertTrue(pid.find(), run.output());
    long s3proxy = Long.parseLong(pid.group(1));
    assertTrue(
        ProcessHandle.of(s3proxy).map(p -> !p.isAlive()).orElse(true),
        "the s3proxy the local run started (pid " + s3proxy + ") is still running");
    assertTrue(
        run.process().descendants().noneMatch(ProcessHandle::isAlive), "a child left running");
  }
}
