package dev.retention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.retention.config.RetentionConfig;
import dev.retention.model.ModelOrder;
import dev.retention.model.RetentionModel;
import dev.retention.training.TrainingOptions;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 item 6: {@link NativeRegistrations} lists exactly the project's types that are read or
 * written by reflection, so the native image (which keeps reflection metadata only for registered
 * types) binds what the JVM binds. The set is derived from the code: every type reachable from
 *
 * <ul>
 *   <li>the Funqy functions' inputs and outputs (Jackson binds them),
 *   <li>the model JSON and the {@code latest.json} order (Jackson binds them in ModelJson and
 *       ModelStore),
 *   <li>the training options (SettingsBinder builds them through record components and canonical
 *       constructors),
 *   <li>the {@code retention.*} configuration mapping (SmallRye reads its interfaces' methods, and
 *       KnownSettings lists its keys from them at start),
 * </ul>
 *
 * through record components, interface methods and their generic arguments, and the custom Jackson
 * bindings ({@code using}) named on them. A type missing from the list fails naming it; so does a
 * listed type nothing reaches (a stale entry).
 */
class NativeRegistrationsTest {

  /** Registered by name: not the project's, but needed natively (see NativeRegistrations). */
  private static final Set<String> BY_NAME =
      Set.of("io.quarkus.amazon.lambda.runtime.FunctionError");

  @Test
  void everyTypeBoundByReflectionIsRegisteredAndNothingElse() {
    Set<String> needed = reachable();
    RegisterForReflection registration =
        NativeRegistrations.class.getAnnotation(RegisterForReflection.class);
    Set<String> registered =
        Arrays.stream(registration.targets())
            .map(Class::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>(needed);
    missing.removeAll(registered);
    Set<String> stale = new TreeSet<>(registered);
    stale.removeAll(needed);
    assertEquals(
        Set.of(),
        missing,
        "bound by reflection but not in NativeRegistrations (add them to its targets)");
    assertEquals(
        Set.of(),
        stale,
        "in NativeRegistrations but bound by nothing (remove them, or add their root here)");
    assertEquals(BY_NAME, Set.of(registration.classNames()));
  }

  @Test
  void theWalkFindsNestedRecordsEnumsAndConfigGroups() {
    Set<String> needed = reachable();
    // A record nested two levels in the model, an enum in an options record, a config group.
    assertTrue(needed.contains(RetentionModel.Segment.class.getName()), needed.toString());
    assertTrue(needed.contains("dev.retention.core.KMeansOptions$Algorithm"), needed.toString());
    assertTrue(needed.contains(RetentionConfig.Spark.class.getName()), needed.toString());
    assertTrue(needed.contains(S3Event.S3Object.class.getName()), needed.toString());
    // The score function's event binding, named by @JsonDeserialize / @JsonSerialize.
    assertTrue(needed.contains(HttpApiBinding.RequestReader.class.getName()), needed.toString());
    assertTrue(needed.contains(HttpApiBinding.ResponseWriter.class.getName()), needed.toString());
  }

  /** The project's types reachable from the roots the class javadoc names. */
  static Set<String> reachable() {
    Deque<Type> queue = new ArrayDeque<>();
    for (Class<?> function :
        List.of(TrainFunction.class, ScoreFunction.class, BatchScoreFunction.class)) {
      for (Method method : function.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Funq.class)) {
          queue.add(method.getGenericReturnType());
          queue.addAll(Arrays.asList(method.getGenericParameterTypes()));
        }
      }
    }
    queue.add(RetentionModel.class);
    queue.add(ModelOrder.class);
    queue.add(TrainingOptions.defaults().getClass());
    queue.add(RetentionConfig.class);
    Set<String> out = new TreeSet<>();
    while (!queue.isEmpty()) {
      Type type = queue.poll();
      if (type instanceof ParameterizedType parameterized) {
        queue.add(parameterized.getRawType());
        queue.addAll(Arrays.asList(parameterized.getActualTypeArguments()));
      } else if (type instanceof GenericArrayType array) {
        queue.add(array.getGenericComponentType());
      } else if (type instanceof WildcardType wildcard) {
        queue.addAll(Arrays.asList(wildcard.getUpperBounds()));
      } else if (type instanceof Class<?> c) {
        if (c.isArray()) {
          queue.add(c.getComponentType());
        } else if (c.getName().startsWith("dev.retention.") && out.add(c.getName())) {
          // A custom binding named on the type: Jackson constructs it by reflection.
          JsonDeserialize reader = c.getAnnotation(JsonDeserialize.class);
          if (reader != null && reader.using() != JsonDeserializer.None.class) {
            queue.add(reader.using());
          }
          JsonSerialize writer = c.getAnnotation(JsonSerialize.class);
          if (writer != null && writer.using() != JsonSerializer.None.class) {
            queue.add(writer.using());
          }
          if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
              queue.add(component.getGenericType());
            }
          } else if (c.isInterface()) {
            for (Method method : c.getDeclaredMethods()) {
              if (!method.isDefault()
                  && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                queue.add(method.getGenericReturnType());
              }
            }
          }
        }
      }
    }
    return out;
  }
}
