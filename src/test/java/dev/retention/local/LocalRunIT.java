package dev.retention.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, checked in the build: runs {@link LocalRun} as its own process (as
 * {@code ./mvnw -Plocal} does) on the packaged function.zip, with a user's export and a CSV to
 * score, and checks what the user would see and get.
 */
class LocalRunIT {

  @Test
  void localRunTrainsScoresAndLeavesNothingRunning() throws Exception {
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

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Dlocal.export=" + export,
                "-Dlocal.score=" + toScore,
                "-Dlocal.out=" + scored,
                "-Ds3proxy.jar=" + System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"),
                "-Daws.accessKeyId=local",
                "-Daws.secretAccessKey=local-secret",
                "-cp",
                System.getProperty("java.class.path"),
                LocalRun.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the local run did not finish");
    assertEquals(0, process.exitValue(), output);

    assertTrue(output.contains("TRAINED: models/default/"), output);
    assertTrue(output.contains("rows used 3000, rejected 0; segments K="), output);
    assertTrue(output.contains("events/score-single.json -> 200"), output);
    assertTrue(
        output.contains(
            "events/score-bad-request.json -> 400 customers[1].features.monetary: feature 'monetary'"
                + " must be a number, got string"),
        output);
    assertTrue(output.contains("scored 11 customers"), output);
    assertTrue(
        output.contains(
            "skipped 1 rows with bad values, first: [line 13, column 'frequency': not a number]"),
        output);
    assertTrue(output.contains("stopped the local S3 server"), output);
    // Orders: a model with its report, then today's orders scored in batch.
    assertTrue(output.contains("TRAINED: models/default/"), output);
    assertTrue(output.contains("features as of "), output);
    String report = Files.readString(Path.of(".local/report.html"));
    assertTrue(report.contains("data-chart=\"roc\""), "the report has its charts");
    List<String> scores = Files.readAllLines(Path.of(".local/scores.csv"));
    assertEquals(
        "customer_id,segment,segment_name,probability,churn_risk_band,suggested_action,p_alive,"
            + "expected_purchases_90d,expected_next_order_date,predicted_clv_365d,value_at_risk,"
            + "historic_clv,model_version,as_of",
        scores.get(0));
    assertTrue(scores.size() > 1000, "today's customers scored: " + scores.size());
    assertTrue(
        output.contains("SCORED: " + (scores.size() - 1) + " customers scored as of"), output);

    List<String> rows = Files.readAllLines(scored);
    assertEquals("customer_id,segment,segment_name,probability,churn_risk_band", rows.get(0));
    assertEquals(12, rows.size());
    assertTrue(rows.get(1).startsWith("C103000,"), rows.get(1));
    for (String row : rows.subList(1, rows.size())) {
      String band = row.substring(row.lastIndexOf(',') + 1);
      assertTrue(List.of("high", "medium", "low").contains(band), row);
    }
    // Only the processes this run started: the s3proxy it reported, and the local run itself.
    Matcher pid = Pattern.compile("s3proxy\\) started, pid (\\d+)").matcher(output);
    assertTrue(pid.find(), output);
    long s3proxy = Long.parseLong(pid.group(1));
    assertTrue(
        ProcessHandle.of(s3proxy).map(p -> !p.isAlive()).orElse(true),
        "the s3proxy the local run started (pid " + s3proxy + ") is still running");
    assertTrue(process.descendants().noneMatch(ProcessHandle::isAlive), "a child left running");
  }
}
