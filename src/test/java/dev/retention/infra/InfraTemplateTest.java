package dev.retention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.retention.config.KnownSettings;
import dev.retention.data.ExportFormat;
import dev.retention.functions.BatchScoreFunction;
import dev.retention.functions.ScoreFunction;
import dev.retention.functions.TrainFunction;
import dev.retention.service.score.ScoreApi;
import io.quarkus.funqy.Funq;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** infra/template.yaml: valid against the official SAM schema, and consistent with the code. */
class InfraTemplateTest {

  private static final Set<String> PSEUDO_PARAMETERS =
      Set.of(
          "AWS::AccountId",
          "AWS::NotificationARNs",
          "AWS::NoValue",
          "AWS::Partition",
          "AWS::Region",
          "AWS::StackId",
          "AWS::StackName",
          "AWS::URLSuffix");
  private static final String BUCKET_ARN =
      "arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}-${AWS::Region}";

  private static JsonNode template;
  private static Properties config;

  @BeforeAll
  static void load() throws IOException {
    template = CloudFormationYaml.read(Path.of("infra/template.yaml"));
    config = new Properties();
    try (InputStream in = InfraTemplateTest.class.getResourceAsStream("/application.properties")) {
      config.load(in);
    }
  }

  @Test
  void validatesAgainstTheOfficialSamSchema() throws IOException {
    JsonSchema schema;
    try (InputStream in = InfraTemplateTest.class.getResourceAsStream("/schemas/sam.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
    Set<ValidationMessage> errors = schema.validate(template);
    // anyOf over every resource kind reports each branch's mismatch; show the informative ones.
    List<String> shown =
        errors.stream()
            .map(ValidationMessage::getMessage)
            .filter(m -> !m.contains("enumeration") && !m.contains("not defined in the schema"))
            .distinct()
            .limit(20)
            .toList();
    assertTrue(errors.isEmpty(), errors.size() + " schema errors, e.g. " + shown);
    // The schema does catch mistakes: a function with an unknown property fails.
    JsonNode broken = template.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            broken.get("Resources").get("ScoreFunction").get("Properties"))
        .put("MemorySizeTypo", 512);
    assertFalse(
        schema.validate(broken).isEmpty(), "the schema should reject an unknown function property");
  }

  @Test
  void everyReferenceNamesADefinedResourceParameterOrCondition() {
    Set<String> resources = names(template.get("Resources"));
    Set<String> parameters = names(template.get("Parameters"));
    Set<String> conditions = names(template.get("Conditions"));
    Set<String> functionsWithAlias = new HashSet<>();
    template
        .get("Resources")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                functionsWithAlias.add(e.getKey());
              }
            });
    List<String> problems = new ArrayList<>();
    walk(
        template,
        (key, value) -> {
          switch (key) {
            case "Ref" -> {
              String target = value.asText();
              boolean aliasOfFunction =
                  target.endsWith(".Alias")
                      && functionsWithAlias.contains(target.substring(0, target.length() - 6));
              if (!resources.contains(target)
                  && !parameters.contains(target)
                  && !PSEUDO_PARAMETERS.contains(target)
                  && !aliasOfFunction) {
                problems.add("!Ref " + target);
              }
            }
            case "Fn::GetAtt" -> {
              if (!resources.contains(value.get(0).asText())) {
                problems.add("!GetAtt " + value);
              }
            }
            case "Fn::Sub" -> {
              String text = value.isArray() ? value.get(0).asText() : value.asText();
              Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(text);
              while (m.find()) {
                String name = m.group(1).split("\\.")[0];
                if (!resources.contains(name)
                    && !parameters.contains(name)
                    && !PSEUDO_PARAMETERS.contains(m.group(1))) {
                  problems.add("!Sub ${" + m.group(1) + "}");
                }
              }
            }
            case "Fn::If" -> {
              if (!conditions.contains(value.get(0).asText())) {
                problems.add("!If " + value.get(0));
              }
            }
            default -> {}
          }
        });
    template
        .get("Resources")
        .forEach(
            r -> {
              if (r.has("Condition") && !conditions.contains(r.get("Condition").asText())) {
                problems.add("Condition " + r.get("Condition"));
              }
            });
    assertTrue(problems.isEmpty(), "undefined names: " + problems);
  }

  @Test
  void eachFunctionExportsAFunctionThatExistsInTheCode() {
    Set<String> inCode = new TreeSet<>();
    for (Class<?> type :
        List.of(TrainFunction.class, ScoreFunction.class, BatchScoreFunction.class)) {
      for (Method method : type.getMethods()) {
        Funq funq = method.getAnnotation(Funq.class);
        if (funq != null) {
          inCode.add(funq.value().isEmpty() ? method.getName() : funq.value());
        }
      }
    }
    Set<String> exported = new TreeSet<>();
    functions()
        .forEach(
            (name, f) ->
                exported.add(
                    f.get("Properties")
                        .get("Environment")
                        .get("Variables")
                        .get("QUARKUS_FUNQY_EXPORT")
                        .asText()));
    assertEquals(Set.of("train", "score", "batch-score"), inCode);
    assertEquals(inCode, exported);
  }

  @Test
  void s3NotificationsMatchTheConfiguredPrefixesAndSuffixesAndDoNotOverlap() {
    Map<String, Set<String>> expected =
        Map.of(
            "TrainFunction",
            Set.of(
                config.getProperty("retention.export.prefix"),
                config.getProperty("retention.orders.prefix")),
            "BatchScoreFunction",
            Set.of(config.getProperty("retention.batch.prefix")));
    // Filters of every function on the bucket: S3 rejects overlaps across functions too.
    List<String[]> filters = new ArrayList<>();
    expected.forEach(
        (function, prefixes) -> {
          JsonNode events = template.get("Resources").get(function).get("Properties").get("Events");
          Map<String, Set<String>> suffixesByPrefix = new java.util.TreeMap<>();
          events.forEach(
              event -> {
                assertEquals("S3", event.get("Type").asText());
                assertEquals(
                    "DataBucket", event.get("Properties").get("Bucket").get("Ref").asText());
                String prefix = null;
                String suffix = null;
                for (JsonNode rule :
                    event.get("Properties").get("Filter").get("S3Key").get("Rules")) {
                  if (rule.get("Name").asText().equals("prefix")) {
                    prefix = rule.get("Value").asText();
                  } else {
                    suffix = rule.get("Value").asText();
                  }
                }
                suffixesByPrefix.computeIfAbsent(prefix, k -> new TreeSet<>()).add(suffix);
                filters.add(new String[] {prefix, suffix});
              });
          assertEquals(prefixes, suffixesByPrefix.keySet(), function);
          suffixesByPrefix.forEach(
              (prefix, suffixes) ->
                  assertEquals(new TreeSet<>(ExportFormat.SUFFIXES), suffixes, function + prefix));
        });
    assertEquals(18, filters.size());
    for (int i = 0; i < filters.size(); i++) {
      for (int j = i + 1; j < filters.size(); j++) {
        assertFalse(
            overlap(filters.get(i), filters.get(j)),
            "S3 rejects overlapping filters: "
                + List.of(filters.get(i))
                + " and "
                + List.of(filters.get(j)));
      }
    }
    // The overlap rule itself: same prefix and one suffix ending the other overlap.
    assertTrue(
        overlap(new String[] {"exports/", ".gz"}, new String[] {"exports/features/", ".csv.gz"}));
    assertFalse(
        overlap(
            new String[] {"exports/features/", ".csv"}, new String[] {"exports/orders/", ".csv"}));
  }

  /** S3's rule: two filters overlap when their prefixes overlap and their suffixes overlap. */
  static boolean overlap(String[] a, String[] b) {
    boolean prefixes = a[0].startsWith(b[0]) || b[0].startsWith(a[0]);
    boolean suffixes = a[1].endsWith(b[1]) || b[1].endsWith(a[1]);
    return prefixes && suffixes;
  }

  @Test
  void httpRoutesAreExactlyTheScoreFunctionsRoutes() {
    Set<String> routes = new TreeSet<>();
    template
        .get("Resources")
        .forEach(
            r -> {
              if (r.get("Type").asText().equals("AWS::ApiGatewayV2::Route")) {
                routes.add(r.get("Properties").get("RouteKey").asText());
                assertTrue(
                    r.get("Properties").get("AuthorizationType").has("Fn::If"),
                    "auth is chosen by parameter");
              }
            });
    Set<String> inCode = new TreeSet<>();
    ScoreApi.routes().forEach((path, method) -> inCode.add(method + " " + path));
    assertEquals(inCode, routes);
  }

  @Test
  void iamPoliciesAreLeastPrivilege() {
    Map<String, Set<String>> grants = new java.util.TreeMap<>();
    Map<String, Set<String>> otherGrants = new java.util.TreeMap<>();
    functions()
        .forEach(
            (name, f) -> {
              for (JsonNode policy : f.get("Properties").get("Policies")) {
                assertTrue(
                    policy.has("Statement"),
                    name + ": only inline statements, no managed policies");
                for (JsonNode statement : policy.get("Statement")) {
                  assertEquals("Allow", statement.get("Effect").asText());
                  boolean s3 = true;
                  for (JsonNode action : statement.get("Action")) {
                    assertFalse(
                        action.asText().contains("*"), name + ": wildcard action " + action);
                    s3 &= action.asText().startsWith("s3:");
                  }
                  if (!s3) {
                    // Not S3: collected whole (action and resource), compared exactly below.
                    for (JsonNode action : statement.get("Action")) {
                      otherGrants
                          .computeIfAbsent(name, k -> new TreeSet<>())
                          .add(action.asText() + " " + statement.get("Resource"));
                    }
                    continue;
                  }
                  JsonNode resources = statement.get("Resource");
                  for (JsonNode node : resources.isArray() ? resources : List.of(resources)) {
                    String resource = node.get("Fn::Sub").asText();
                    assertTrue(
                        resource.equals(BUCKET_ARN)
                            || resource.startsWith(BUCKET_ARN + "/")
                                && resource.endsWith("/*")
                                && !resource.equals(BUCKET_ARN + "/*"),
                        name + ": resource beyond the bucket prefixes: " + resource);
                    for (JsonNode action : statement.get("Action")) {
                      grants
                          .computeIfAbsent(name, k -> new TreeSet<>())
                          .add(action.asText() + " " + resource.substring(BUCKET_ARN.length()));
                    }
                  }
                }
              }
            });
    // The train function may start the Spark job's state machine and look up its executions, and
    // nothing else beyond S3; the other functions nothing beyond S3.
    assertEquals(
        Map.of(
            "TrainFunction",
            Set.of(
                "states:StartExecution {\"Ref\":\"SparkTrainStateMachine\"}",
                "states:DescribeExecution {\"Fn::Sub\":\"arn:${AWS::Partition}:states:${AWS::Region}"
                    + ":${AWS::AccountId}:execution:${SparkTrainStateMachine.Name}:*\"}")),
        otherGrants);
    assertEquals(
        Set.of(
            "s3:GetObject /exports/features/*",
            "s3:GetObjectVersion /exports/features/*",
            "s3:GetObject /exports/orders/*",
            "s3:GetObjectVersion /exports/orders/*",
            "s3:GetObject /models/*",
            "s3:PutObject /models/*",
            "s3:ListBucket "),
        grants.get("TrainFunction"));
    assertEquals(
        Set.of(
            "s3:GetObject /exports/score/*",
            "s3:GetObjectVersion /exports/score/*",
            "s3:GetObject /models/*",
            "s3:GetObject /scores/*",
            "s3:PutObject /scores/*",
            "s3:GetObject /lookup/*",
            "s3:PutObject /lookup/*",
            "s3:DeleteObject /lookup/*",
            "s3:ListBucket "),
        grants.get("BatchScoreFunction"));
    assertEquals("scores/", config.getProperty("retention.batch.output-prefix"));
    assertEquals("lookup/", config.getProperty("retention.lookup.prefix"));
    assertEquals(
        Set.of("s3:GetObject /models/*", "s3:GetObject /lookup/*", "s3:ListBucket "),
        grants.get("ScoreFunction"));
    assertEquals(config.getProperty("retention.model.prefix"), "models/");
  }

  @Test
  void packagingAndEnvironmentMatchTheBuildAndTheConfiguration() {
    JsonNode globals = template.get("Globals").get("Function");
    assertEquals("../target/function.zip", globals.get("CodeUri").asText());
    // Funqy's stream handler behind ours, which records the Lambda context's remaining time.
    assertEquals(
        "dev.retention.functions.RetentionHandler::handleRequest",
        globals.get("Handler").get("Fn::If").get(2).asText());
    assertTrue(
        io.quarkus.funqy.lambda.FunqyStreamHandler.class.isAssignableFrom(
            dev.retention.functions.RetentionHandler.class));
    assertEquals("JavaRuntime", globals.get("Runtime").get("Fn::If").get(2).get("Ref").asText());
    JsonNode runtimes = template.get("Parameters").get("JavaRuntime");
    assertEquals("java21", runtimes.get("Default").asText());
    assertEquals(
        List.of("java21", "java25"),
        java.util.stream.StreamSupport.stream(runtimes.get("AllowedValues").spliterator(), false)
            .map(JsonNode::asText)
            .toList());
    assertEquals("provided.al2023", globals.get("Runtime").get("Fn::If").get(1).asText());
    assertEquals("None", globals.get("SnapStart").get("ApplyOn").get("Fn::If").get(1).asText());
    functions()
        .forEach(
            (name, f) -> {
              Iterator<String> variables =
                  f.get("Properties").get("Environment").get("Variables").fieldNames();
              while (variables.hasNext()) {
                String variable = variables.next();
                if (variable.startsWith("RETENTION_")) {
                  assertTrue(
                      KnownSettings.keys().stream()
                          .anyMatch(key -> KnownSettings.envName(key).equals(variable)),
                      name + " sets " + variable + ", which is no known setting");
                }
              }
            });
    assertEquals(
        1,
        template
            .get("Resources")
            .get("TrainFunction")
            .get("Properties")
            .get("ReservedConcurrentExecutions")
            .asInt());
  }

  /**
   * Every alarm and dashboard metric of the functions' namespace is one the code emits (a metric
   * name the services pass to {@code EmfMetrics.Record.put}), so a renamed metric cannot leave an
   * alarm that never fires.
   */
  @Test
  void alarmsAndTheDashboardNameMetricsTheFunctionsEmit() throws IOException {
    Set<String> emitted = new TreeSet<>();
    java.util.regex.Pattern put = java.util.regex.Pattern.compile("\\.put\\(\\s*\"([A-Za-z]+)\"");
    try (var files =
        java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/dev/retention/service"))) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        java.util.regex.Matcher m = put.matcher(java.nio.file.Files.readString(file));
        while (m.find()) {
          emitted.add(m.group(1));
        }
      }
    }
    assertTrue(
        emitted.containsAll(List.of("HeldOutAuc", "RejectedShare", "Latency")), emitted.toString());
    Set<String> alarmed = new TreeSet<>();
    template
        .get("Resources")
        .properties()
        .forEach(
            e -> {
              JsonNode p = e.getValue().path("Properties");
              if (e.getValue().get("Type").asText().equals("AWS::CloudWatch::Alarm")
                  && p.path("Namespace").path("Ref").asText().equals("MetricsNamespace")) {
                alarmed.add(p.get("MetricName").asText());
              }
            });
    assertTrue(
        alarmed.containsAll(
            List.of("HeldOutAuc", "RejectedShare", "QualityGateHeld", "ModelIntegrityFailures")),
        alarmed.toString());
    assertTrue(emitted.containsAll(alarmed), "alarms on metrics nobody emits: " + alarmed);
    String dashboard =
        template
            .get("Resources")
            .get("Dashboard")
            .get("Properties")
            .get("DashboardBody")
            .get("Fn::Sub")
            .asText();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\[\"\\$\\{MetricsNamespace\\}\", \"([A-Za-z]+)\"")
            .matcher(dashboard);
    int count = 0;
    while (m.find()) {
      assertTrue(
          emitted.contains(m.group(1)), "the dashboard shows " + m.group(1) + ", never emitted");
      count++;
    }
    assertTrue(count >= 15, "dashboard metrics found: " + count);
    // The body is valid JSON once the substitutions are made.
    String body =
        dashboard
            .replaceAll("\\$\\{MinimumHeldOutAuc\\}", "0.65")
            .replaceAll("\\$\\{[A-Za-z:]+\\}", "x");
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
  }

  private static JsonNode resource(String name) {
    JsonNode r = template.get("Resources").get(name);
    assertTrue(r != null, "the template has " + name);
    return r;
  }

  private static List<JsonNode> list(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(out::add);
    } else {
      out.add(node);
    }
    return out;
  }

  /** {@code action resource} of every statement, resources as the template writes them. */
  private static Set<String> grants(JsonNode statements) {
    Set<String> out = new TreeSet<>();
    for (JsonNode statement : statements) {
      assertEquals("Allow", statement.get("Effect").asText(), statement.toString());
      for (JsonNode action : list(statement.get("Action"))) {
        assertFalse(action.asText().contains("*"), "wildcard action " + action);
        for (JsonNode resource : list(statement.get("Resource"))) {
          String text =
              resource.has("Fn::Sub")
                  ? resource.get("Fn::Sub").asText().replace(BUCKET_ARN, "<bucket>")
                  : resource.toString();
          assertFalse(text.equals("*"), "a resource of any name: " + statement);
          out.add(action.asText() + " " + text);
        }
      }
    }
    return out;
  }

  @Test
  void theSparkJobRoleIsAssumedByEmrServerlessOnlyAndReachesOnlyWhatTheJobNeeds() {
    JsonNode role = resource("SparkJobRole");
    assertEquals("AWS::IAM::Role", role.get("Type").asText());
    JsonNode p = role.get("Properties");
    assertFalse(p.has("ManagedPolicyArns"), "no managed policies");
    JsonNode trust = p.get("AssumeRolePolicyDocument").get("Statement");
    assertEquals(1, trust.size());
    assertEquals("Allow", trust.get(0).get("Effect").asText());
    assertEquals(
        "emr-serverless.amazonaws.com", trust.get(0).get("Principal").get("Service").asText());
    assertEquals("sts:AssumeRole", trust.get(0).get("Action").asText());
    Set<String> granted = new TreeSet<>();
    for (JsonNode policy : p.get("Policies")) {
      granted.addAll(grants(policy.get("PolicyDocument").get("Statement")));
    }
    assertEquals(
        Set.of(
            "s3:GetObject <bucket>/exports/features/*",
            "s3:GetObjectVersion <bucket>/exports/features/*",
            "s3:GetObject <bucket>/exports/orders/*",
            "s3:GetObjectVersion <bucket>/exports/orders/*",
            "s3:GetObject <bucket>/${SparkJobJarKey}",
            "s3:GetObject <bucket>/models/*",
            "s3:PutObject <bucket>/models/*",
            "s3:PutObject <bucket>/spark-logs/*",
            "s3:ListBucket <bucket>"),
        granted);
    // The jar's key is under jobs/ and names one file, so its grant never covers an export, a
    // model or another key.
    JsonNode jarKey = template.get("Parameters").get("SparkJobJarKey");
    assertEquals("jobs/retention-spark-job.jar", jarKey.get("Default").asText());
    Pattern allowed = Pattern.compile(jarKey.get("AllowedPattern").asText());
    assertTrue(allowed.matcher("jobs/retention-spark-job.jar").matches());
    for (String bad : List.of("models/x.jar", "jobs/*", "jobs/../models/a.jar", "exports/a.jar")) {
      assertFalse(allowed.matcher(bad).matches(), bad);
    }
    // Its logs go where it may write them, and expire.
    assertTrue(
        template.toString().contains("\"LogUri\":\"s3://${DataBucketName}/spark-logs/\""),
        "S3 monitoring under spark-logs/");
    boolean expires = false;
    for (JsonNode rule :
        resource("DataBucket").get("Properties").get("LifecycleConfiguration").get("Rules")) {
      expires |= rule.path("Prefix").asText().equals("spark-logs/") && rule.has("ExpirationInDays");
    }
    assertTrue(expires, "spark-logs/ expire");
  }

  @Test
  void theSparkApplicationRunsTheReleaseTheJobIsBuiltForAndStopsWhenIdle() {
    JsonNode app = resource("SparkApplication");
    assertEquals("AWS::EMRServerless::Application", app.get("Type").asText());
    JsonNode p = app.get("Properties");
    assertEquals("SPARK", p.get("Type").asText());
    assertEquals("SparkReleaseLabel", p.get("ReleaseLabel").get("Ref").asText());
    assertEquals(
        "emr-spark-8.0.0",
        template.get("Parameters").get("SparkReleaseLabel").get("Default").asText());
    assertTrue(p.get("AutoStartConfiguration").get("Enabled").asBoolean());
    assertTrue(p.get("AutoStopConfiguration").get("Enabled").asBoolean());
    assertTrue(p.get("AutoStopConfiguration").get("IdleTimeoutMinutes").asInt() > 0);
    assertTrue(p.get("MaximumCapacity").has("Cpu") && p.get("MaximumCapacity").has("Memory"));
  }

  @Test
  void theStateMachineRunsTheJobClassOnTheHandedOffArgumentsAndReportsFailuresToTheQueue() {
    JsonNode machine = resource("SparkTrainStateMachine");
    assertEquals("AWS::Serverless::StateMachine", machine.get("Type").asText());
    JsonNode p = machine.get("Properties");
    assertEquals("STANDARD", p.get("Type").asText(), "names are idempotent for Standard only");
    JsonNode definition = p.get("Definition");
    JsonNode states = definition.get("States");
    JsonNode run = states.get(definition.get("StartAt").asText());
    assertEquals("arn:aws:states:::emr-serverless:startJobRun.sync", run.get("Resource").asText());
    JsonNode parameters = run.get("Parameters");
    assertEquals("${SparkApplicationId}", parameters.get("ApplicationId").asText());
    assertEquals("${SparkJobRoleArn}", parameters.get("ExecutionRoleArn").asText());
    assertEquals("$$.Execution.Name", parameters.get("Name.$").asText());
    assertEquals("$$.Execution.Name", parameters.get("ClientToken.$").asText());
    JsonNode submit = parameters.get("JobDriver").get("SparkSubmit");
    assertEquals("s3://${DataBucketName}/${SparkJobJarKey}", submit.get("EntryPoint").asText());
    assertEquals("$.arguments", submit.get("EntryPointArguments.$").asText());
    assertTrue(
        submit
            .get("SparkSubmitParameters")
            .asText()
            .startsWith("--class dev.retention.spark.SparkTrainJob "),
        submit.toString());

    // Retries transient API faults only, never a job that ran and failed.
    for (JsonNode retry : run.get("Retry")) {
      for (JsonNode error : retry.get("ErrorEquals")) {
        assertTrue(error.asText().startsWith("EMRServerless."), "retried: " + error);
      }
    }
    // Any failure: to the train failure queue, then the execution fails.
    JsonNode caught = run.get("Catch").get(0);
    assertEquals("States.ALL", caught.get("ErrorEquals").get(0).asText());
    JsonNode report = states.get(caught.get("Next").asText());
    assertEquals("arn:aws:states:::sqs:sendMessage", report.get("Resource").asText());
    assertEquals("${TrainFailureQueueUrl}", report.get("Parameters").get("QueueUrl").asText());
    JsonNode body = report.get("Parameters").get("MessageBody");
    assertEquals("$.source", body.get("source.$").asText());
    assertEquals("$.modelVersion", body.get("modelVersion.$").asText());
    assertEquals("Fail", states.get(report.get("Next").asText()).get("Type").asText());

    // Every placeholder is substituted, each with what it names.
    Set<String> placeholders = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(definition.toString());
    while (m.find()) {
      placeholders.add(m.group(1));
    }
    JsonNode substitutions = p.get("DefinitionSubstitutions");
    assertEquals(names(substitutions), placeholders);
    assertEquals(
        List.of("SparkApplication", "ApplicationId"),
        List.of(
            substitutions.get("SparkApplicationId").get("Fn::GetAtt").get(0).asText(),
            substitutions.get("SparkApplicationId").get("Fn::GetAtt").get(1).asText()));
    assertEquals(
        "SparkJobRole", substitutions.get("SparkJobRoleArn").get("Fn::GetAtt").get(0).asText());
    assertEquals("SparkJobJarKey", substitutions.get("SparkJobJarKey").get("Ref").asText());
    assertEquals(
        "TrainFailureQueue", substitutions.get("TrainFailureQueueUrl").get("Ref").asText());
    assertEquals(
        BUCKET_ARN.substring("arn:${AWS::Partition}:s3:::".length()),
        substitutions.get("DataBucketName").get("Fn::Sub").asText());
    assertFalse(
        machine.toString().contains("\"Ref\":\"DataBucket\""),
        "a Ref of the bucket would close a dependency cycle through the train function");
    // Every Next names a state.
    states.forEach(
        state -> {
          if (state.has("Next")) {
            assertTrue(states.has(state.get("Next").asText()), state.toString());
          }
        });
  }

  @Test
  void theStateMachineMayRunWatchAndCancelItsJobPassItsRoleAndReportFailuresOnly() {
    JsonNode policies = resource("SparkTrainStateMachine").get("Properties").get("Policies");
    Set<String> granted = new TreeSet<>();
    for (JsonNode policy : policies) {
      assertTrue(policy.has("Statement"), "only inline statements, no policy templates");
      granted.addAll(grants(policy.get("Statement")));
      for (JsonNode statement : policy.get("Statement")) {
        if (list(statement.get("Action")).stream()
            .anyMatch(a -> a.asText().equals("iam:PassRole"))) {
          assertEquals(
              "emr-serverless.amazonaws.com",
              statement.get("Condition").get("StringEquals").get("iam:PassedToService").asText());
        }
      }
    }
    assertEquals(
        Set.of(
            "emr-serverless:StartJobRun {\"Fn::GetAtt\":[\"SparkApplication\",\"Arn\"]}",
            "emr-serverless:GetJobRun ${SparkApplication.Arn}/jobruns/*",
            "emr-serverless:CancelJobRun ${SparkApplication.Arn}/jobruns/*",
            "iam:PassRole {\"Fn::GetAtt\":[\"SparkJobRole\",\"Arn\"]}",
            "events:PutTargets arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}"
                + ":rule/StepFunctionsGetEventsForEMRServerlessJobRule",
            "events:PutRule arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}"
                + ":rule/StepFunctionsGetEventsForEMRServerlessJobRule",
            "events:DescribeRule arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}"
                + ":rule/StepFunctionsGetEventsForEMRServerlessJobRule",
            "sqs:SendMessage {\"Fn::GetAtt\":[\"TrainFailureQueue\",\"Arn\"]}"),
        granted);
  }

  @Test
  void theTrainFunctionKnowsItsTimeoutForRuntimesWithoutTheLambdaContext() {
    JsonNode variables =
        resource("TrainFunction").get("Properties").get("Environment").get("Variables");
    assertEquals(
        "${TrainTimeout}s",
        variables.get("RETENTION_INVOCATION_TIME_LIMIT").get("Fn::Sub").asText());
    assertTrue(KnownSettings.keys().contains("retention.invocation.time-limit"), "a known setting");
  }

  @Test
  void theTrainFunctionHandsOffThroughKnownSettingsAndTheOutputsNameTheRun() {
    JsonNode variables =
        resource("TrainFunction").get("Properties").get("Environment").get("Variables");
    assertEquals(
        "SparkTrainStateMachine",
        variables.get("RETENTION_SPARK_STATE_MACHINE_ARN").get("Ref").asText());
    assertEquals(
        "HandOffBytes", variables.get("RETENTION_SPARK_HAND_OFF_BYTES").get("Ref").asText());
    for (String variable :
        List.of("RETENTION_SPARK_STATE_MACHINE_ARN", "RETENTION_SPARK_HAND_OFF_BYTES")) {
      assertTrue(
          KnownSettings.keys().stream().anyMatch(k -> KnownSettings.envName(k).equals(variable)),
          variable);
    }
    assertEquals(
        config.getProperty("retention.spark.hand-off-bytes"),
        template.get("Parameters").get("HandOffBytes").get("Default").asText(),
        "the template's default is the function's");
    JsonNode outputs = template.get("Outputs");
    assertEquals(
        "SparkTrainStateMachine",
        outputs.get("SparkTrainStateMachineArn").get("Value").get("Ref").asText());
    assertEquals(
        "SparkApplication",
        outputs.get("SparkApplicationId").get("Value").get("Fn::GetAtt").get(0).asText());
  }

  private static Map<String, JsonNode> functions() {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    template
        .get("Resources")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().get("Type").asText().equals("AWS::Serverless::Function")) {
                out.put(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new HashSet<>();
    if (node != null) {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private interface Visitor {
    void visit(String key, JsonNode value);
  }

  private static void walk(JsonNode node, Visitor visitor) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                visitor.visit(e.getKey(), e.getValue());
                walk(e.getValue(), visitor);
              });
    } else if (node.isArray()) {
      node.forEach(child -> walk(child, visitor));
    }
  }
}
