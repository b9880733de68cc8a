package dev.retention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.retention.data.ExportFormat;
import dev.retention.functions.BatchScoreFunction;
import dev.retention.functions.KnownSettings;
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
    functions()
        .forEach(
            (name, f) -> {
              for (JsonNode policy : f.get("Properties").get("Policies")) {
                assertTrue(
                    policy.has("Statement"),
                    name + ": only inline statements, no managed policies");
                for (JsonNode statement : policy.get("Statement")) {
                  assertEquals("Allow", statement.get("Effect").asText());
                  for (JsonNode action : statement.get("Action")) {
                    assertFalse(
                        action.asText().contains("*"), name + ": wildcard action " + action);
                    assertTrue(
                        action.asText().startsWith("s3:"), name + ": unexpected action " + action);
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
            "s3:PutObject /scores/*",
            "s3:ListBucket "),
        grants.get("BatchScoreFunction"));
    assertEquals("scores/", config.getProperty("retention.batch.output-prefix"));
    assertEquals(Set.of("s3:GetObject /models/*", "s3:ListBucket "), grants.get("ScoreFunction"));
    assertEquals(config.getProperty("retention.model.prefix"), "models/");
  }

  @Test
  void packagingAndEnvironmentMatchTheBuildAndTheConfiguration() {
    JsonNode globals = template.get("Globals").get("Function");
    assertEquals("../target/function.zip", globals.get("CodeUri").asText());
    assertEquals(
        "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest",
        globals.get("Handler").get("Fn::If").get(2).asText());
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
   * name the services pass to {@code Metrics.Record.put}), so a renamed metric cannot leave an
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
        alarmed.containsAll(List.of("HeldOutAuc", "RejectedShare", "QualityGateHeld")),
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
