package io.metaxy.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Java types a feature record component may have, with the JSON schema shape the Python reference
 * (pydantic) emits for the equivalent Python type (their Arrow types are {@link ArrowColumns}'; SQL
 * types are the store adapters' business). For generated code only.
 */
public enum ColumnType {
  /** {@code String}: Arrow UTF-8. */
  STRING("string", null),
  /** {@code int}/{@code Integer}: Arrow int32. */
  INT("integer", null),
  /** {@code long}/{@code Long}: Arrow int64. */
  LONG("integer", null),
  /** {@code double}/{@code Double}: Arrow float64. */
  DOUBLE("number", null),
  /** {@code float}/{@code Float}: Arrow float32. */
  FLOAT("number", null),
  /** {@code boolean}/{@code Boolean}: Arrow bool. */
  BOOLEAN("boolean", null),
  /** {@code java.time.Instant}: Arrow timestamp(µs, UTC); pydantic {@code datetime}. */
  INSTANT("string", "date-time"),
  /** {@code java.time.LocalDate}: Arrow date32; pydantic {@code date}. */
  LOCAL_DATE("string", "date"),
  /** {@code byte[]}: Arrow binary; pydantic {@code bytes}. */
  BYTES("string", "binary"),
  /** {@code List<String>}: Arrow list of UTF-8; pydantic {@code list[str]}. */
  STRING_LIST("array", null);

  private final String jsonType;
  private final @Nullable String jsonFormat;

  ColumnType(String jsonType, @Nullable String jsonFormat) {
    this.jsonType = jsonType;
    this.jsonFormat = jsonFormat;
  }

  /** The JSON schema of a non-optional value of this type, e.g. {@code {"type": "string"}}. */
  public Map<String, Object> jsonSchema() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (this == STRING_LIST) {
      m.put("items", Map.of("type", "string"));
    }
    if (jsonFormat != null) {
      m.put("format", jsonFormat);
    }
    m.put("type", jsonType);
    return m;
  }

  /** The type of a Java type name (as javac prints it), or {@code null} when it is not supported. */
  public static @Nullable ColumnType ofJavaType(String typeName) {
    switch (typeName) {
      case "java.lang.String":
        return STRING;
      case "int":
      case "java.lang.Integer":
        return INT;
      case "long":
      case "java.lang.Long":
        return LONG;
      case "double":
      case "java.lang.Double":
        return DOUBLE;
      case "float":
      case "java.lang.Float":
        return FLOAT;
      case "boolean":
      case "java.lang.Boolean":
        return BOOLEAN;
      case "java.time.Instant":
        return INSTANT;
      case "java.time.LocalDate":
        return LOCAL_DATE;
      case "byte[]":
        return BYTES;
      case "java.util.List<java.lang.String>":
        return STRING_LIST;
      default:
        return null;
    }
  }

  /** The supported Java types, for error messages. */
  public static List<String> supportedJavaTypes() {
    return List.of(
        "String",
        "int/Integer",
        "long/Long",
        "double/Double",
        "float/Float",
        "boolean/Boolean",
        "java.time.Instant",
        "java.time.LocalDate",
        "byte[]",
        "List<String>");
  }
}
