package dev.retention.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM YAML template into a JSON tree, mapping the short-form tags to their
 * long forms: {@code !Ref X} → {@code {"Ref": X}}, {@code !GetAtt A.B} → {@code {"Fn::GetAtt": [A,
 * B]}}, {@code !Sub}, {@code !If}, ... → {@code {"Fn::Sub": ...}}, {@code !Condition X} → {@code
 * {"Condition": X}}.
 */
final class CloudFormationYaml {

  private static final List<String> FUNCTIONS =
      List.of(
          "Base64",
          "Cidr",
          "Equals",
          "FindInMap",
          "GetAZs",
          "If",
          "ImportValue",
          "Join",
          "Length",
          "Not",
          "And",
          "Or",
          "Select",
          "Split",
          "Sub",
          "ToJsonString",
          "Transform");

  private CloudFormationYaml() {}

  static JsonNode read(Path template) throws IOException {
    LoaderOptions options = new LoaderOptions();
    Yaml yaml = new Yaml(new Constructor(options));
    try (Reader reader = Files.newBufferedReader(template)) {
      return new ObjectMapper().valueToTree(yaml.load(reader));
    }
  }

  private static final class Constructor extends SafeConstructor {
    Constructor(LoaderOptions options) {
      super(options);
      yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
      }
      yamlConstructors.put(
          new Tag("!GetAtt"),
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              if (node instanceof ScalarNode scalar) {
                String value = constructScalar(scalar);
                int dot = value.indexOf('.');
                return Map.of(
                    "Fn::GetAtt", Arrays.asList(value.substring(0, dot), value.substring(dot + 1)));
              }
              return Map.of("Fn::GetAtt", constructSequence((SequenceNode) node));
            }
          });
    }

    private final class LongForm extends AbstractConstruct {
      private final String key;

      LongForm(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        return Map.of(key, value);
      }
    }
  }
}
