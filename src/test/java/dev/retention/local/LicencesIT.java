package dev.retention.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Supply chain: the CycloneDX SBOM the build writes ({@code target/bom.json}) covers every library
 * that ships in {@code function.zip}, every one has a licence, none is a copyleft licence that
 * would bind the function (GPL without the Classpath Exception, AGPL, SSPL), and the licence list
 * of what ships is written to {@code target/licences.md}.
 */
class LicencesIT {

  private static final List<String> FORBIDDEN = List.of("agpl", "sspl", "gpl");

  @Test
  void everyShippedLibraryIsInTheSbomWithAnAcceptableLicence() throws IOException {
    JsonNode bom = new ObjectMapper().readTree(Path.of("target/bom.json").toFile());
    TreeMap<String, String> licences = new TreeMap<>();
    for (JsonNode component : bom.get("components")) {
      List<String> names = new ArrayList<>();
      for (JsonNode entry : component.path("licenses")) {
        JsonNode licence = entry.path("license");
        String name =
            licence.hasNonNull("id")
                ? licence.get("id").asText()
                : licence.hasNonNull("name")
                    ? licence.get("name").asText()
                    : entry.path("expression").asText("");
        names.add(name);
      }
      String coordinate =
          component.get("group").asText()
              + "."
              + component.get("name").asText()
              + "-"
              + component.get("version").asText();
      licences.put(coordinate, String.join(" OR ", names));
    }
    TreeSet<String> shipped = new TreeSet<>();
    try (ZipFile zip = new ZipFile("target/function.zip")) {
      zip.stream()
          .map(e -> e.getName())
          .filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
          .forEach(n -> shipped.add(n.substring(4, n.length() - 4)));
    }
    assertTrue(shipped.size() > 50, "the zip's libraries: " + shipped.size());
    List<String> missing = shipped.stream().filter(j -> !licences.containsKey(j)).toList();
    assertEquals(List.of(), missing, "libraries in function.zip that the SBOM does not list");

    StringBuilder list =
        new StringBuilder("# Licences of what ships in function.zip\n\n")
            .append("From target/bom.json (CycloneDX). One row per library in lib/.\n\n")
            .append("| library | licence |\n| --- | --- |\n");
    for (String jar : shipped) {
      String licence = licences.get(jar);
      assertFalse(licence.isBlank(), jar + " has no licence in the SBOM");
      // Dual-licensed (EPL-2.0 OR GPL-2.0 with the Classpath Exception) is fine: EPL applies.
      boolean acceptable =
          List.of(licence.split(" OR ")).stream()
              .anyMatch(
                  l -> {
                    String lower = l.toLowerCase(Locale.ROOT);
                    return FORBIDDEN.stream().noneMatch(lower::contains)
                        || lower.contains("classpath");
                  });
      assertTrue(acceptable, jar + " is licensed only under " + licence);
      list.append("| ").append(jar).append(" | ").append(licence).append(" |\n");
    }
    Files.writeString(Path.of("target/licences.md"), list);
  }
}
