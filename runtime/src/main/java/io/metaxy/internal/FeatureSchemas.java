package io.metaxy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code feature_schema} of a feature record: the JSON schema pydantic would emit for a
 * Python feature class with the same columns (versioning spec §3.5), so that definition versions match
 * the reference. For generated code only (the processor runs it at compile time).
 *
 * <p>Deliberate deviation: the reference uses the class docstring as {@code description} when no
 * description is given; here only an explicit {@code @Feature(description)} is used, so that editing
 * Javadoc never changes a version.
 */
public final class FeatureSchemas {
  private FeatureSchemas() {}

  /**
   * The feature schema.
   *
   * @param title the record's simple name (pydantic's class name)
   * @param description the explicit feature description, or {@code null}
   * @param columns the user columns in declaration order
   */
  public static Map<String, Object> featureSchema(
      String title, @Nullable String description, List<ColumnDef> columns) {
    Map<String, Object> properties = new LinkedHashMap<>(systemProperties());
    List<String> required = new ArrayList<>();
    for (ColumnDef c : columns) {
      properties.put(c.name(), property(c));
      if (!c.nullable()) {
        required.add(c.name());
      }
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("additionalProperties", false);
    if (description != null) {
      schema.put("description", description);
    }
    schema.put("properties", properties);
    // pydantic leaves "required" out when no field is required.
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("title", title);
    schema.put("type", "object");
    return schema;
  }

  /** The schema of one user column: the type's shape, or {@code anyOf [shape, null]} with a null default. */
  static Map<String, Object> property(ColumnDef c) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (c.nullable()) {
      p.put("anyOf", List.of(c.type().jsonSchema(), Map.of("type", "null")));
      p.put("default", null);
    } else {
      p.putAll(c.type().jsonSchema());
    }
    if (c.description() != null) {
      p.put("description", c.description());
    }
    p.put("title", title(c.name()));
    return p;
  }

  /**
   * pydantic's humanized title of a field name: Python's {@code name.title().replace('_', ' ').strip()}
   * ({@code video_id} → {@code Video Id}, {@code n_frames} → {@code N Frames}).
   */
  public static String title(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    boolean previousCased = false;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      boolean cased =
          Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
      // str.title(): a cased character starts a word unless it follows another cased character.
      int out =
          cased ? (previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp)) : cp;
      sb.appendCodePoint(out);
      previousCased = cased;
      i += Character.charCount(cp);
    }
    return sb.toString().replace('_', ' ').strip();
  }

  private static Map<String, Object> systemProperties() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> pbf = new LinkedHashMap<>();
    pbf.put("additionalProperties", Map.of("type", "string"));
    pbf.put("description", "Field-level provenance hashes (maps field names to hashes)");
    pbf.put("title", "Metaxy Provenance By Field");
    pbf.put("type", "object");
    m.put("metaxy_provenance_by_field", pbf);
    m.put(
        "metaxy_provenance",
        optional(string(), "Hash of metaxy_provenance_by_field", "Metaxy Provenance"));
    m.put(
        "metaxy_feature_version",
        optional(
            string(),
            "Hash of the feature definition (dependencies + fields + code_versions)",
            "Metaxy Feature Version"));
    m.put(
        "metaxy_project_version",
        optional(
            string(),
            "Hash of the entire feature graph project version",
            "Metaxy Project Version"));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("additionalProperties", Map.of("type", "string"));
    map.put("type", "object");
    m.put(
        "metaxy_data_version_by_field",
        optional(
            map,
            "Field-level data version hashes (maps field names to version hashes)",
            "Metaxy Data Version By Field"));
    m.put(
        "metaxy_data_version",
        optional(string(), "Hash of metaxy_data_version_by_field", "Metaxy Data Version"));
    Map<String, Object> dateTime = new LinkedHashMap<>();
    dateTime.put("format", "date-time");
    dateTime.put("type", "string");
    m.put(
        "metaxy_created_at",
        optional(
            dateTime, "Timestamp when the metadata row was created (UTC)", "Metaxy Created At"));
    m.put(
        "metaxy_materialization_id",
        optional(
            string(),
            "External orchestration run ID (e.g., Dagster Run ID)",
            "Metaxy Materialization Id"));
    return m;
  }

  private static Map<String, Object> string() {
    return Map.of("type", "string");
  }

  private static Map<String, Object> optional(
      Map<String, Object> shape, String description, String title) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("anyOf", List.of(shape, Map.of("type", "null")));
    p.put("default", null);
    p.put("description", description);
    p.put("title", title);
    return p;
  }
}
