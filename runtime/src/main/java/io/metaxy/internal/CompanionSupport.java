package io.metaxy.internal;

import io.metaxy.MetaxyException;
import io.metaxy.graph.GraphJson;
import io.metaxy.spec.FeatureDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers the generated companions call while initializing. For generated code only. */
public final class CompanionSupport {
  private CompanionSupport() {}

  /**
   * Reads the definition a companion embeds as canonical graph JSON (one feature).
   *
   * @throws MetaxyException when the JSON is not a single feature (a processor bug)
   */
  public static FeatureDefinition definition(String graphJson, Class<?> recordType) {
    List<FeatureDefinition> defs = GraphJson.read(
        graphJson, "the definition embedded in the companion of " + recordType.getName());
    if (defs.size() != 1) {
      throw new MetaxyException(
          "the companion of " + recordType.getName() + " embeds " + defs.size() + " definitions");
    }
    return defs.get(0);
  }

  /** An unmodifiable map in argument order from alternating keys and values. */
  @SuppressWarnings("unchecked")
  public static <V> Map<String, V> orderedMap(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate");
    }
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
