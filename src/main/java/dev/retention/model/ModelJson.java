package dev.retention.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.retention.core.FeatureExpansion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads and writes {@link RetentionModel} as JSON.
 *
 * <p>Writing is deterministic: record components in declaration order, maps in insertion order,
 * doubles in Java's shortest round-trip form. Reading checks the major schema version first (an
 * unknown major is rejected with a clear error; unknown fields of the same major are ignored, so a
 * minor version may add fields), then the model's internal consistency, so a scorer never holds a
 * model it cannot score with.
 */
public final class ModelJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private ModelJson() {}

  /** The major schema version this reader understands. */
  public static final int SUPPORTED_MAJOR = 1;

  public static byte[] write(RetentionModel model) {
    validate(model);
    try {
      return MAPPER.writeValueAsBytes(model);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the model", e);
    }
  }

  public static String writeString(RetentionModel model) {
    return new String(write(model), StandardCharsets.UTF_8);
  }

  /**
   * Parses and validates a model.
   *
   * @throws ModelFormatException if the bytes are not JSON, the major version is unknown, or the
   *     model is inconsistent
   */
  public static RetentionModel read(byte[] json) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ModelFormatException("model file is not valid JSON: " + e.getMessage(), e);
    }
    return fromTree(tree);
  }

  public static RetentionModel read(InputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  private static RetentionModel fromTree(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw new ModelFormatException("model file must be a JSON object");
    }
    JsonNode version = tree.get("schemaVersion");
    if (version == null || !version.isTextual() || !version.asText().matches("\\d+\\.\\d+")) {
      throw new ModelFormatException(
          "model file has no valid schemaVersion (expected \"major.minor\", got "
              + (version == null ? "nothing" : version.toString())
              + ")");
    }
    int major = Integer.parseInt(version.asText().split("\\.")[0]);
    if (major != SUPPORTED_MAJOR) {
      throw new ModelFormatException(
          "model schemaVersion "
              + version.asText()
              + " is not supported: this reader understands "
              + SUPPORTED_MAJOR
              + ".x; deploy a matching scorer or retrain");
    }
    RetentionModel model;
    try {
      model = MAPPER.treeToValue(tree, RetentionModel.class);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          "model file does not match schema: " + e.getOriginalMessage(), e);
    }
    validate(model);
    return model;
  }

  /**
   * Checks that the parts of a model agree with each other.
   *
   * @throws ModelFormatException naming the first inconsistency
   */
  public static void validate(RetentionModel model) {
    require(model.features() != null && !model.features().isEmpty(), "model has no features");
    int d = model.features().size();
    Set<String> names = new HashSet<>();
    for (RetentionModel.Feature feature : model.features()) {
      require(
          feature.name() != null && names.add(feature.name()),
          "feature name missing or duplicated: " + feature.name());
      require(
          Double.isFinite(feature.mean()) && feature.std() > 0 && Double.isFinite(feature.std()),
          "feature '" + feature.name() + "' has an invalid mean/std");
    }
    RetentionModel.Segmentation seg = model.segmentation();
    require(seg != null && seg.k() >= 1, "model has no segmentation");
    require(
        seg.centresStandardized() != null && seg.centresStandardized().length == seg.k(),
        "segmentation.centresStandardized must have k = " + seg.k() + " rows");
    for (double[] centre : seg.centresStandardized()) {
      require(centre != null && centre.length == d, "every centre must have " + d + " coordinates");
      for (double v : centre) {
        require(Double.isFinite(v), "centre coordinates must be finite");
      }
    }
    require(
        model.segments() != null && model.segments().size() == seg.k(),
        "model must profile each of its " + seg.k() + " segments");
    RetentionModel.Classifier cls = model.classifier();
    require(cls != null, "model has no classifier");
    RetentionModel.CustomerValue value = model.customerValue();
    int columns = d;
    if (value != null) {
      require(
          value.bgNbd() != null && value.roles() != null && value.features() != null,
          "customerValue needs its roles, its BG/NBD fit and its features");
      for (RetentionModel.ValueFeature f : value.features()) {
        require(
            Double.isFinite(f.mean()) && f.std() > 0 && Double.isFinite(f.std()),
            "value feature '" + f.name() + "' has an invalid mean/std");
      }
      if (value.usedInClassifier()) {
        columns += value.features().size();
      }
    }
    int terms = new FeatureExpansion(cls.squares(), cls.interactions()).terms(columns);
    require(
        cls.coefficients() != null
            && cls.coefficients().length == terms
            && cls.terms() != null
            && cls.terms().size() == terms,
        "classifier must have "
            + terms
            + " coefficients and term names for "
            + columns
            + " features");
    require(Double.isFinite(cls.intercept()), "classifier intercept must be finite");
    for (double w : cls.coefficients()) {
      require(Double.isFinite(w), "classifier coefficients must be finite");
    }
    require(cls.threshold() > 0 && cls.threshold() < 1, "classifier threshold must be in (0, 1)");
    validateUplift(model);
  }

  /** An uplift part reads the model's own features and rebuilds into a scoring model. */
  private static void validateUplift(RetentionModel model) {
    RetentionModel.Uplift uplift = model.uplift();
    if (uplift == null) {
      return;
    }
    require(
        uplift.features() != null
            && uplift.parts() != null
            && uplift.candidates() != null
            && uplift.heldOut() != null
            && uplift.heldOut().curve() != null
            && uplift.deciles() != null
            && uplift.calibration() != null,
        "uplift needs its features, parts, candidates, held-out measures, deciles and calibration");
    require(
        uplift.features().stream()
            .map(RetentionModel.UpliftFeature::name)
            .toList()
            .equals(model.featureNames()),
        "uplift features must be the model's features, in order");
    require(
        uplift.orderValueFeature() == null
            || model.featureNames().contains(uplift.orderValueFeature()),
        "uplift's order value feature must be a feature of the model");
    for (RetentionModel.UpliftFeature f : uplift.features()) {
      require(
          Double.isFinite(f.mean()) && f.std() > 0 && Double.isFinite(f.std()),
          "uplift feature '" + f.name() + "' has an invalid mean/std");
    }
    for (RetentionModel.UpliftPart p : uplift.parts()) {
      require(p.coefficients() != null, "uplift part '" + p.role() + "' has no coefficients");
      require(Double.isFinite(p.intercept()), "uplift intercepts must be finite");
      for (double w : p.coefficients()) {
        require(Double.isFinite(w), "uplift coefficients must be finite");
      }
    }
    try {
      UpliftModel.of(uplift, 0);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("uplift: " + e.getMessage());
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ModelFormatException(message);
    }
  }

  /** The JSON Schema of the model file, from the class path. */
  public static InputStream schema() {
    InputStream in = ModelJson.class.getResourceAsStream("/model.schema.json");
    if (in == null) {
      throw new IllegalStateException("model.schema.json is missing from the class path");
    }
    return in;
  }
}
