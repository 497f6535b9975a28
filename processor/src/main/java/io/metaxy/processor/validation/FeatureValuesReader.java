package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.json.Json;
import io.metaxy.processor.model.FeatureModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationValue;
import org.jspecify.annotations.Nullable;

/** Reads the values of {@code @Feature} itself: id columns, metadata, description and project. */
final class FeatureValuesReader {
  private FeatureValuesReader() {}

  /**
   * Reads the record's {@code @Feature}.
   *
   * @param key the feature key, already read ({@code null} when invalid)
   * @param columns the record's columns, which the id columns must name
   * @param defaultProject the project when {@code @Feature} names none
   */
  static FeatureModels.Feature read(
      FeatureContext ctx,
      @Nullable FeatureKey key,
      List<FeatureModels.Column> columns,
      String defaultProject) {
    List<String> idColumns = idColumns(ctx, columns);
    Map<String, Object> metadata = metadata(ctx);
    String project = ctx.feature().string("project");
    return new FeatureModels.Feature(
        key,
        idColumns,
        metadata,
        ctx.feature().string("description"),
        project.isEmpty() ? defaultProject : project);
  }

  private static List<String> idColumns(FeatureContext ctx, List<FeatureModels.Column> columns) {
    Ann feature = ctx.feature();
    List<String> ids = feature.strings("idColumns");
    if (ids.isEmpty()) {
      ctx.error(Diagnostic.NO_ID_COLUMN, feature, feature.value("idColumns"), ctx.name());
    }
    List<String> names = columns.stream().map(c -> c.def().name()).toList();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (names.contains(id)) {
        continue;
      }
      AnnotationValue value = feature.list("idColumns").get(i);
      // Users often write the component name; its column is then the likely fix.
      FeatureModels.Column component =
          columns.stream().filter(c -> c.component().equals(id)).findFirst().orElse(null);
      if (component == null) {
        ctx.error(Diagnostic.UNKNOWN_ID_COLUMN, feature, value, id, ctx.name(), names);
      } else {
        ctx.error(
            Diagnostic.ID_COLUMN_NAMES_A_COMPONENT,
            feature,
            value,
            id,
            ctx.name(),
            names,
            component.def().name(),
            id);
      }
    }
    return ids;
  }

  private static Map<String, Object> metadata(FeatureContext ctx) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Ann meta : ctx.feature().annotations("metadata", ctx.elements())) {
      String key = meta.string("key");
      Object value = meta.string("value");
      if (meta.bool("json")) {
        try {
          value = Json.parse((String) value, "@Meta(key = \"" + key + "\")");
        } catch (MetaxyException e) {
          ctx.error(Diagnostic.METADATA_NOT_JSON, meta, meta.value("value"), key, e.getMessage());
          continue;
        }
      }
      if (metadata.put(key, value) != null) {
        ctx.error(Diagnostic.DUPLICATE_METADATA_KEY, meta, meta.value("key"), key);
      }
    }
    return metadata;
  }
}
