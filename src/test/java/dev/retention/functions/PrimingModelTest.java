package dev.retention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.retention.core.FeatureMatrix;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.training.MinimumData;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled priming model ({@code priming-model.json}: trained on fixed synthetic rows, no
 * customer data) is a valid model of the current schema that scores. If the schema changes,
 * regenerate it: {@code ./mvnw -B test -Dtest=PrimingModelTest -Dpriming.regenerate=true}.
 */
class PrimingModelTest {

  private static final Path FILE = Path.of("src/main/resources/priming-model.json");

  /** What the file holds: a two-segment model of two synthetic features, timings removed. */
  static byte[] generate() throws Exception {
    int n = 600;
    double[] data = new double[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      data[2 * i] = i % 8;
      data[2 * i + 1] = (i * 7) % 11;
      labels[i] = (i % 8) + ((i * 7) % 11) > 8 ? 1 : 0;
    }
    RetentionModel model =
        new Trainer(
                TrainingOptions.defaults()
                    .withK(2)
                    .withKMeans(k -> k.withNInit(1))
                    .withNonLinear(o -> o.withMode(NonLinearOptions.Mode.OFF))
                    .withMinimum(new MinimumData(1, 1)))
            .train(
                Trainer.Input.of(new FeatureMatrix(List.of("a", "b"), data), labels, "label"),
                new Trainer.Identity("priming", "priming", Instant.EPOCH));
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode tree = (ObjectNode) mapper.readTree(ModelJson.write(model));
    ((ObjectNode) tree.get("provenance")).putObject("timingsMs");
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
  }

  @Test
  void theBundledPrimingModelIsACurrentValidModelThatScores() throws Exception {
    if (Boolean.getBoolean("priming.regenerate")) {
      Files.write(FILE, generate());
    }
    byte[] bundled = Files.readAllBytes(FILE);
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ModelJson.schema());
    assertEquals(java.util.Set.of(), schema.validate(new ObjectMapper().readTree(bundled)));
    RetentionModel model = ModelJson.read(bundled);
    assertEquals(RetentionModel.SCHEMA_VERSION, model.schemaVersion(), "regenerate the file");
    Priming.exerciseModelPath();
    assertTrue(new String(generate()).contains("\"modelName\" : \"priming\""));
  }
}
