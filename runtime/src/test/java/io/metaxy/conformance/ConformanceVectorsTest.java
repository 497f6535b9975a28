package io.metaxy.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.json.CanonicalJson;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.SpecJson;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every ground-truth vector of the reference implementation (bundled, or the file named by
 * {@code -Dmetaxy.conformance.vectors=PATH}) and prints {@code conformance: N passed, M failed}.
 * Definition, spec and serialization vectors go through the class-free JSON path; sample vectors go
 * through {@link SampleVectors} once the engine handles them.
 */
class ConformanceVectorsTest {
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static final AtomicInteger SKIPPED = new AtomicInteger();

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> cases() throws IOException {
    String path = System.getProperty("metaxy.conformance.vectors", "");
    Object tree;
    if (path.isBlank() || path.startsWith("${")) {
      try (InputStream in = ConformanceVectorsTest.class.getResourceAsStream(
          "/conformance/versioning-vectors.json")) {
        tree = Json.parse(in, "bundled versioning-vectors.json");
      }
    } else {
      tree = Json.parse(Files.readString(Path.of(path)), path);
    }
    return (List<Map<String, Object>>) ((Map<String, Object>) tree).get("cases");
  }

  @TestFactory
  Stream<DynamicTest> vectors() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> c : cases()) {
      String name = c.get("kind") + ": " + c.get("name");
      tests.add(DynamicTest.dynamicTest(name, () -> run(c)));
    }
    return tests.stream();
  }

  private static void run(Map<String, Object> c) {
    List<String> errors;
    try {
      errors = switch ((String) c.get("kind")) {
        case "definition" -> checkDefinition(c);
        case "spec" -> checkSpec(c);
        case "serialization" -> checkSerialization(c);
        case "sample" -> SampleVectors.check(c);
        default -> List.of("unknown kind " + c.get("kind"));
      };
    } catch (SampleVectors.NotSupported e) {
      SKIPPED.incrementAndGet();
      Assumptions.abort(e.getMessage());
      return;
    } catch (RuntimeException e) {
      errors = List.of("threw " + e);
    }
    if (errors.isEmpty()) {
      PASSED.incrementAndGet();
    } else {
      FAILED.incrementAndGet();
    }
    String message = String.join("\n", errors);
    assertTrue(errors.isEmpty(), message);
  }

  @AfterAll
  static void summary() {
    System.out.println("conformance: " + PASSED.get() + " passed, " + FAILED.get() + " failed, "
        + SKIPPED.get() + " skipped");
  }

  static Truncation truncation(Map<String, Object> c) {
    Map<?, ?> config = (Map<?, ?>) c.getOrDefault("config", Map.of());
    if (!config.containsKey("hash_truncation_length")) {
      return Truncation.DEFAULT;
    }
    Object t = config.get("hash_truncation_length");
    return Truncation.of(t == null ? null : ((Number) t).intValue());
  }

  @SuppressWarnings("unchecked")
  private static List<String> checkDefinition(Map<String, Object> c) {
    FeatureGraph graph =
        FeatureGraph.of(GraphJson.fromTree(c.get("graph"), (String) c.get("name")));
    Truncation t = truncation(c);
    DefinitionVersions v = graph.versions(t);
    Map<String, Object> exp = (Map<String, Object>) c.get("expected");
    List<String> errors = new ArrayList<>();
    each(
        exp,
        "feature_versions",
        (k, e) ->
            cmp(errors, "feature_version[" + k + "]", e, () -> v.featureVersion(FeatureKey.of(k))));
    each(
        exp,
        "field_versions",
        (k, fields) -> ((Map<String, Object>) fields)
            .forEach((f, e) -> cmp(
                errors,
                "field_version[" + k + "." + f + "]",
                e,
                () -> v.fieldVersion(FeatureKey.of(k), FieldKey.of(f)))));
    each(
        exp,
        "feature_code_versions",
        (k, e) -> cmp(errors, "code_version[" + k + "]", e, () -> v.codeVersion(FeatureKey.of(k))));
    each(
        exp,
        "feature_spec_versions",
        (k, e) -> cmp(errors, "spec_version[" + k + "]", e, () -> v.specVersion(FeatureKey.of(k))));
    each(
        exp,
        "definition_versions",
        (k, e) -> cmp(
            errors,
            "definition_version[" + k + "]",
            e,
            () -> v.definitionVersion(FeatureKey.of(k))));
    each(
        exp,
        "project_versions",
        (p, e) -> cmp(errors, "project_version[" + p + "]", e, () -> graph.projectVersion(p, t)));
    each(
        exp,
        "spec_json",
        (k, e) -> cmp(
            errors,
            "spec_json[" + k + "]",
            CanonicalJson.write(e),
            () -> CanonicalJson.write(SpecJson.toTree(graph.spec(FeatureKey.of(k))))));
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static List<String> checkSpec(Map<String, Object> c) {
    FeatureSpec spec = SpecJson.specFromTree(c.get("spec"));
    Truncation t = truncation(c);
    Map<String, Object> exp = (Map<String, Object>) c.get("expected");
    List<String> errors = new ArrayList<>();
    if (exp.containsKey("feature_spec_version")) {
      cmp(
          errors,
          "feature_spec_version",
          exp.get("feature_spec_version"),
          () -> DefinitionVersions.specVersion(spec, t));
    }
    if (exp.containsKey("feature_code_version")) {
      cmp(
          errors,
          "feature_code_version",
          exp.get("feature_code_version"),
          () -> DefinitionVersions.codeVersion(spec, t));
    }
    if (exp.containsKey("spec_json")) {
      cmp(
          errors,
          "spec_json",
          CanonicalJson.write(exp.get("spec_json")),
          () -> CanonicalJson.write(SpecJson.toTree(spec)));
    }
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static List<String> checkSerialization(Map<String, Object> c) {
    Map<String, Object> input = (Map<String, Object>) c.get("input");
    Object value = input.get("value");
    Object got = switch ((String) input.get("kind")) {
      case "fields_mapping" ->
        Map.of("mapping", SpecJson.toTree(SpecJson.fieldsMappingFromTree(value)));
      case "fields_mapping_inner" -> SpecJson.toTree(SpecJson.fieldsMappingFromTree(value));
      case "feature_dep" -> SpecJson.toTree(SpecJson.depFromTree(value));
      default ->
        throw new IllegalArgumentException("unknown serialization kind " + input.get("kind"));
    };
    List<String> errors = new ArrayList<>();
    cmp(
        errors,
        "serialization",
        CanonicalJson.write(c.get("expected")),
        () -> CanonicalJson.write(got));
    return errors;
  }

  private static void each(Map<String, Object> exp, String member, BiConsumer<String, Object> f) {
    Object m = exp.get(member);
    if (m instanceof Map<?, ?> map) {
      map.forEach((k, v) -> f.accept((String) k, v));
    }
  }

  private static void cmp(
      List<String> errors, String label, Object expected, Supplier<String> got) {
    String value;
    try {
      value = got.get();
    } catch (RuntimeException e) {
      errors.add(label + ": expected " + expected + " but threw " + e);
      return;
    }
    if (!expected.equals(value)) {
      errors.add(label + ": expected " + expected + " got " + value);
    }
  }
}
