package io.metaxy.graph;

import io.metaxy.MetaxyException;
import io.metaxy.json.CanonicalJson;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.SpecJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The class-free JSON form of a feature graph, {@code {"features": [{"spec": ..., "project": ...,
 * "feature_schema": ..., "is_external": ..., "provenance_override": ..., "class_name": ...}]}}. The
 * processor writes it to {@code META-INF/metaxy/graph.json}; it is also the graph format of the
 * conformance vectors.
 */
public final class GraphJson {
  /** Where the processor puts the graph of a compilation, and where the runtime looks for graphs. */
  public static final String RESOURCE = "META-INF/metaxy/graph.json";

  private GraphJson() {}

  /** The JSON tree of a list of definitions. */
  public static Map<String, Object> toTree(List<FeatureDefinition> definitions) {
    List<Object> features = new ArrayList<>();
    for (FeatureDefinition d : definitions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spec", SpecJson.toTree(d.spec()));
      m.put("project", d.project());
      m.put("feature_schema", d.featureSchema());
      if (d.external()) {
        m.put("is_external", true);
      }
      if (!d.provenanceOverride().isEmpty()) {
        m.put("provenance_override", d.provenanceOverride());
      }
      if (d.className() != null) {
        m.put("class_name", d.className());
      }
      features.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("features", features);
    return root;
  }

  /** Pretty, deterministic JSON text of a list of definitions. */
  public static String write(List<FeatureDefinition> definitions) {
    return CanonicalJson.writePretty(toTree(definitions));
  }

  /** Reads definitions from JSON text; {@code source} names the text in errors. */
  public static List<FeatureDefinition> read(String json, String source) {
    return fromTree(Json.parse(json, source), source);
  }

  /** Reads definitions from a parsed tree (an object with {@code features}, or a bare list). */
  @SuppressWarnings("unchecked")
  public static List<FeatureDefinition> fromTree(@Nullable Object tree, String source) {
    Object features = tree instanceof Map<?, ?> m ? m.get("features") : tree;
    if (!(features instanceof List<?> list)) {
      throw new MetaxyException(source + ": expected {\"features\": [...]}");
    }
    List<FeatureDefinition> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> raw)) {
        throw new MetaxyException(source + ": features[" + i + "] is not an object");
      }
      Map<String, Object> f = (Map<String, Object>) raw;
      FeatureSpec spec;
      try {
        spec = SpecJson.specFromTree(f.containsKey("spec") ? f.get("spec") : f);
      } catch (MetaxyException e) {
        throw new MetaxyException(source + ": features[" + i + "]: " + e.getMessage(), e);
      }
      Object project = f.get("project");
      Object schema = f.get("feature_schema");
      Object override = f.get("provenance_override");
      Object className =
          f.containsKey("class_name") ? f.get("class_name") : f.get("python_class_name");
      out.add(new FeatureDefinition(
          spec,
          project == null ? "default" : project.toString(),
          schema instanceof Map<?, ?> sm ? (Map<String, Object>) sm : Map.of(),
          Boolean.TRUE.equals(f.get("is_external")),
          override instanceof Map<?, ?> om ? (Map<String, String>) om : Map.of(),
          className == null ? null : className.toString()));
    }
    return out;
  }
}
