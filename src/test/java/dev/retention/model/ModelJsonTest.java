package dev.retention.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.retention.testing.ReferenceData;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static RetentionModel model;
  private static byte[] json;
  private static JsonSchema schema;

  @BeforeAll
  static void setUp() throws Exception {
    ReferenceData reference = ReferenceData.load();
    model =
        new Trainer(TrainingOptions.defaults().withK(4))
            .train(
                Trainer.Input.of(reference.features, reference.labels, "repurchased"),
                new Trainer.Identity("default", "v-json", Instant.parse("2026-11-28T00:00:00Z")));
    json = ModelJson.write(model);
    try (var in = ModelJson.schema()) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  @Test
  void writtenModelConformsToTheSchemaInTheRepo() throws Exception {
    Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(json));
    assertTrue(errors.isEmpty(), errors.toString());
    assertTrue(!new String(json, StandardCharsets.UTF_8).contains("Infinity"));
    assertTrue(!new String(json, StandardCharsets.UTF_8).contains("NaN"));
  }

  @Test
  void aSchema10FileStillReadsScoresAndReportsWithTheDefaultPlaybook() throws Exception {
    ObjectNode old = (ObjectNode) MAPPER.readTree(json);
    old.put("schemaVersion", "1.0");
    old.remove("playbook");
    old.remove("derivation");
    for (var segment : old.withArray("segments")) {
      ((ObjectNode) segment).remove(List.of("kind", "profileCovers", "actions"));
    }
    assertTrue(schema.validate(old).isEmpty(), schema.validate(old).toString());
    RetentionModel read = ModelJson.read(MAPPER.writeValueAsBytes(old));
    assertNull(read.playbook());
    double[] row = new double[read.features().size()];
    Scorer.Score score = Scorer.of(read).score(row);
    Playbook defaults = Playbook.of(0.33, 0.66, null);
    assertEquals(defaults.band(score.probability()), score.churnRiskBand());
    assertEquals(defaults.action("*", score.churnRiskBand()), score.suggestedAction());
    assertTrue(dev.retention.report.ReportHtml.render(read).contains("data-chart=\"roc\""));
  }

  @Test
  void schemaRejectsAModelMissingItsClassifierOrWithAnUnknownField() throws Exception {
    ObjectNode missing = (ObjectNode) MAPPER.readTree(json);
    missing.remove("classifier");
    assertTrue(!schema.validate(missing).isEmpty());
    ObjectNode extra = (ObjectNode) MAPPER.readTree(json);
    extra.put("customers", "C100000");
    assertTrue(!schema.validate(extra).isEmpty());
  }

  @Test
  void roundTripIsByteIdentical() {
    RetentionModel read = ModelJson.read(json);
    assertArrayEquals(json, ModelJson.write(read));
    assertEquals(model.classifier().intercept(), read.classifier().intercept());
  }

  @Test
  void unknownMajorVersionIsRejectedWithAClearError() throws Exception {
    ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
    tree.put("schemaVersion", "2.0");
    ModelFormatException e =
        assertThrows(
            ModelFormatException.class, () -> ModelJson.read(MAPPER.writeValueAsBytes(tree)));
    assertEquals(
        "model schemaVersion 2.0 is not supported: this reader understands 1.x; deploy a matching"
            + " scorer or retrain",
        e.getMessage());
  }

  @Test
  void newerMinorVersionWithExtraFieldsIsAccepted() throws Exception {
    ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
    tree.put("schemaVersion", "1.7");
    tree.put("somethingNew", true);
    RetentionModel read = ModelJson.read(MAPPER.writeValueAsBytes(tree));
    assertEquals("1.7", read.schemaVersion());
  }

  @Test
  void corruptOrInconsistentFilesAreRejected() throws Exception {
    ModelFormatException notJson =
        assertThrows(
            ModelFormatException.class,
            () -> ModelJson.read("{\"schemaVersion\": \"1.0\", ".getBytes(StandardCharsets.UTF_8)));
    assertTrue(
        notJson.getMessage().startsWith("model file is not valid JSON"), notJson.getMessage());

    ModelFormatException noVersion =
        assertThrows(
            ModelFormatException.class,
            () -> ModelJson.read("{}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(noVersion.getMessage().contains("no valid schemaVersion"), noVersion.getMessage());

    ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
    ((ArrayNode) tree.get("classifier").get("coefficients")).remove(0);
    ModelFormatException shortCoefficients =
        assertThrows(
            ModelFormatException.class, () -> ModelJson.read(MAPPER.writeValueAsBytes(tree)));
    assertEquals(
        "classifier must have 7 coefficients and term names for 7 features",
        shortCoefficients.getMessage());

    ObjectNode centres = (ObjectNode) MAPPER.readTree(json);
    JsonNode seg = centres.get("segmentation");
    ((ArrayNode) seg.get("centresStandardized")).remove(0);
    ModelFormatException missingCentre =
        assertThrows(
            ModelFormatException.class, () -> ModelJson.read(MAPPER.writeValueAsBytes(centres)));
    assertEquals(
        "segmentation.centresStandardized must have k = 4 rows", missingCentre.getMessage());
  }
}
