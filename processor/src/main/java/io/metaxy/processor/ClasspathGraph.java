package io.metaxy.processor;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.GraphJson;
import io.metaxy.spec.FeatureDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/** Reads the feature graph resource of the compile class path. */
final class ClasspathGraph {
  private ClasspathGraph() {}

  /**
   * The definitions of the {@code META-INF/metaxy/graph.json} resource on the class path. The
   * {@link Filer} API gives only the first such resource, so only one upstream module's graph is seen
   * (documented limitation); an absent resource gives an empty map.
   *
   * @throws MetaxyException when the resource exists but is not a valid graph
   */
  static Map<FeatureKey, FeatureDefinition> read(Filer filer) {
    Map<FeatureKey, FeatureDefinition> out = new LinkedHashMap<>();
    String text;
    FileObject file;
    try {
      file = filer.getResource(StandardLocation.CLASS_PATH, "", GraphJson.RESOURCE);
      try (InputStream in = file.openInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException e) {
      return out;
    }
    for (FeatureDefinition d : GraphJson.read(text, file.toUri().toString())) {
      out.putIfAbsent(d.spec().key(), d);
    }
    return out;
  }
}
