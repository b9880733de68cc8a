package dev.retention.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's package table is the rule: every import of every main source file, and every class
 * reference in its compiled class (so that a fully qualified name in the code cannot bypass it),
 * must be allowed by its package's "may import" cell. The table cannot drift from the code, and a
 * change that puts code in the wrong room (an AWS SDK import in a service, a report that reaches
 * into the core) fails here.
 */
class LayeringTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `(dev\\.retention[a-z.]*)` \\| [^|]+ \\| ([^|]+) \\|$");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)[.;]");

  /** Names the table uses for what lies outside the project, and their package prefixes. */
  private static final Map<String, List<String>> EXTERNAL =
      Map.of(
          "JDK only", List.of(),
          "Jackson", List.of("com.fasterxml.jackson."),
          "AWS SDK", List.of("software.amazon.awssdk."),
          "JBoss Logging", List.of("org.jboss.logging."),
          "Spark", List.of("org.apache.spark.", "org.apache.hadoop.", "scala."),
          // SmallRye Config implements the MicroProfile Config API its types come from.
          "SmallRye Config", List.of("io.smallrye.config.", "org.eclipse.microprofile.config."),
          "Quarkus",
              List.of(
                  "io.quarkus.",
                  "io.smallrye.",
                  "jakarta.",
                  "org.eclipse.microprofile.",
                  "org.crac."));

  private static Map<String, List<String>> table() throws IOException {
    Map<String, List<String>> rules = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher m = ROW.matcher(line.trim());
      if (m.matches()) {
        List<String> allowed = new ArrayList<>();
        for (String name : m.group(2).split(",")) {
          allowed.add(name.trim());
        }
        rules.put(m.group(1), allowed);
      }
    }
    return rules;
  }

  /** The table's row for a class's package: the longest listed package it is in. */
  private static String rowOf(String pkg, Map<String, List<String>> rules) {
    String best = null;
    for (String row : rules.keySet()) {
      if ((pkg.equals(row) || pkg.startsWith(row + "."))
          && (best == null || row.length() > best.length())) {
        best = row;
      }
    }
    return best;
  }

  private static boolean allowed(String imported, String row, Map<String, List<String>> rules) {
    if (imported.startsWith("java.")
        || imported.startsWith(row + ".")
        || imported.startsWith(row)) {
      return true;
    }
    for (String name : rules.get(row)) {
      List<String> prefixes = EXTERNAL.get(name);
      if (prefixes != null) {
        for (String prefix : prefixes) {
          if (imported.startsWith(prefix)) {
            return true;
          }
        }
      } else {
        String project = "dev.retention." + name;
        if (rules.containsKey(project)
            && (imported.startsWith(project + ".")
                && rowOf(packageOf(imported), rules).equals(project))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String packageOf(String imported) {
    // dev.retention.service.score.ScoreApi -> dev.retention.service.score (classes start
    // upper-case)
    String[] parts = imported.split("\\.");
    StringBuilder pkg = new StringBuilder();
    for (String part : parts) {
      if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
        break;
      }
      pkg.append(pkg.length() == 0 ? "" : ".").append(part);
    }
    return pkg.toString();
  }

  @Test
  void everyImportIsAllowedByTheReadmePackageTable() throws IOException {
    Map<String, List<String>> rules = table();
    assertTrue(rules.size() >= 10, "the README package table was not found: " + rules.keySet());
    for (List<String> names : rules.values()) {
      for (String name : names) {
        assertTrue(
            EXTERNAL.containsKey(name) || rules.containsKey("dev.retention." + name),
            "the package table names '" + name + "', which is neither a package nor a library");
      }
    }
    List<String> violations = new ArrayList<>();
    // The function's sources and the Spark job's (built only into the job jar, same rules).
    for (Path root : List.of(Path.of("src/main/java"), Path.of("src/spark/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
          String row = rowOf(pkg, rules);
          if (row == null) {
            violations.add(file + ": package " + pkg + " is not in the README's package table");
            continue;
          }
          for (String line : Files.readAllLines(file)) {
            Matcher m = IMPORT.matcher(line);
            if (m.find() && !allowed(m.group(1), row, rules)) {
              violations.add(file + " (" + row + ") imports " + m.group(1));
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  /**
   * The same rule on the compiled classes: a fully qualified name in the code (which no import
   * shows) or a type reached through a descriptor is a reference in the class file's constant pool.
   */
  @Test
  void everyClassReferenceInTheBytecodeIsAllowedByTheReadmePackageTable() throws IOException {
    Map<String, List<String>> rules = table();
    List<String> violations = new ArrayList<>();
    int checked = 0;
    for (Path classFile : productionClasses()) {
      byte[] bytes = Files.readAllBytes(classFile);
      String self = ClassReferences.thisClass(bytes).replace('/', '.');
      String row = rowOf(packageOf(self), rules);
      if (row == null) {
        violations.add(self + ": package is not in the README's package table");
        continue;
      }
      checked++;
      for (String referenced : ClassReferences.of(bytes)) {
        String name = referenced.replace('/', '.');
        if (!name.startsWith("javax.") && !allowed(name, row, rules)) {
          violations.add(self + " (" + row + ") refers to " + name);
        }
      }
    }
    assertTrue(checked > 100, "too few compiled classes found: " + checked);
    assertEquals(List.of(), violations);
  }

  /**
   * The function's compiled classes, and the Spark job's when it was built (its sources compile
   * with the tests: only the classes of files under {@code src/spark/java} are production code).
   */
  private static List<Path> productionClasses() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("target/classes"))) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(out::add);
    }
    Path sparkSources = Path.of("src/spark/java");
    Path compiled = Path.of("target/test-classes");
    try (Stream<Path> files = Files.walk(sparkSources)) {
      for (Path source : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = sparkSources.relativize(source);
        String simple = relative.getFileName().toString().replace(".java", "");
        Path dir = compiled.resolve(relative).getParent();
        if (!Files.isDirectory(dir)) {
          continue; // built with -Dno-spark
        }
        try (Stream<Path> classes = Files.list(dir)) {
          classes
              .filter(
                  c -> {
                    String n = c.getFileName().toString();
                    return n.equals(simple + ".class") || n.startsWith(simple + "$");
                  })
              .forEach(out::add);
        }
      }
    }
    return out;
  }
}
