package io.metaxy.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.metaxy.FieldKey;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.graph.GraphJson;
import io.metaxy.internal.ColumnType;
import io.metaxy.json.CanonicalJson;
import io.metaxy.processor.model.ColumnModel;
import io.metaxy.processor.model.CompiledFeature;
import io.metaxy.processor.model.FeatureModel;
import io.metaxy.processor.model.Names;
import io.metaxy.spec.Lineage;
import io.metaxy.versioning.FieldRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/** Generates the companion class of one feature record. */
public final class CompanionWriter {
  private static final Modifier[] CONSTANT = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};
  private static final ClassName STRING = ClassName.get(String.class);
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName MAP = ClassName.get(Map.class);
  private static final ClassName FEATURE_COMPANION =
      ClassName.get("io.metaxy.graph", "FeatureCompanion");
  private static final ClassName FEATURE_KEY = ClassName.get("io.metaxy", "FeatureKey");
  private static final ClassName COMPILED_VERSIONS =
      ClassName.get("io.metaxy.graph", "FeatureRegistry", "CompiledVersions");
  private static final ClassName FEATURE_DEFINITION =
      ClassName.get("io.metaxy.spec", "FeatureDefinition");
  private static final ClassName LINEAGE = ClassName.get("io.metaxy.spec", "Lineage");
  private static final ClassName COLUMN_DEF = ClassName.get("io.metaxy.internal", "ColumnDef");
  private static final ClassName COLUMN_TYPE = ClassName.get("io.metaxy.internal", "ColumnType");
  private static final ClassName ARROW_COLUMNS =
      ClassName.get("io.metaxy.internal", "ArrowColumns");
  private static final ClassName RECORD_CODEC = ClassName.get("io.metaxy.internal", "RecordCodec");
  private static final ClassName SUPPORT = ClassName.get("io.metaxy.internal", "CompanionSupport");
  private static final ClassName SCHEMA =
      ClassName.get("org.apache.arrow.vector.types.pojo", "Schema");
  private static final ClassName ALLOCATOR =
      ClassName.get("org.apache.arrow.memory", "BufferAllocator");
  private static final ClassName ROOT =
      ClassName.get("org.apache.arrow.vector", "VectorSchemaRoot");
  private static final ClassName DSL = ClassName.get("org.jooq.impl", "DSL");
  private static final ClassName SQL_DATA_TYPE = ClassName.get("org.jooq.impl", "SQLDataType");
  private static final ClassName JOOQ_FIELD = ClassName.get("org.jooq", "Field");
  private static final ClassName JOOQ_TABLE = ClassName.get("org.jooq", "Table");
  private static final ClassName JOOQ_RECORD = ClassName.get("org.jooq", "Record");
  private static final ClassName RESULT_SET = ClassName.get("java.sql", "ResultSet");
  private static final ClassName SQL_EXCEPTION = ClassName.get("java.sql", "SQLException");
  private static final ClassName FUNCTION = ClassName.get("java.util.function", "Function");

  private CompanionWriter() {}

  /** The record's class name. */
  static ClassName recordClass(FeatureModel m) {
    List<String> names = m.simpleNames();
    return ClassName.get(
        m.packageName(), names.get(0), names.subList(1, names.size()).toArray(String[]::new));
  }

  /** The companion's class name. */
  public static ClassName companionClass(FeatureModel m) {
    return ClassName.get(m.packageName(), m.companionSimpleName());
  }

  /** The companion type. */
  public static TypeSpec.Builder companion(CompiledFeature f) {
    FeatureModel m = f.model();
    ClassName record = recordClass(m);
    ClassName self = companionClass(m);
    String key = m.definition().spec().key().toString();
    TypeSpec.Builder t = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(FEATURE_COMPANION, record))
        .addJavadoc(
            "The Metaxy companion of {@link $T}: feature {@code $L}, its versions (computed at compile time),\n"
                + "plan, columns, schemas and codec.\n",
            record,
            key);

    constant(t, STRING, "KEY", CodeBlock.of("$S", key), "The feature key.");
    constant(
        t,
        STRING,
        "PROJECT",
        CodeBlock.of("$S", m.definition().project()),
        "The project the feature belongs to.");
    constant(
        t,
        TypeName.INT,
        "HASH_TRUNCATION_LENGTH",
        CodeBlock.of("$L", f.truncationLength()),
        "The hash truncation the versions were computed with (0 = none).");
    constant(
        t,
        STRING,
        "FEATURE_VERSION",
        CodeBlock.of("$S", f.featureVersion()),
        "{@code metaxy_feature_version}.");
    constant(
        t,
        STRING,
        "FEATURE_CODE_VERSION",
        CodeBlock.of("$S", f.codeVersion()),
        "The feature code version (fields' code versions only).");
    constant(
        t,
        STRING,
        "FEATURE_SPEC_VERSION",
        CodeBlock.of("$S", f.specVersion()),
        "The feature spec version (hash of the spec JSON).");
    constant(
        t,
        STRING,
        "DEFINITION_VERSION",
        CodeBlock.of("$S", f.definitionVersion()),
        "The definition (tracking) version: spec version and feature schema.");

    List<String> fieldKeys = new ArrayList<>(f.fieldVersions().keySet());
    List<String> fieldConstants = Names.constantNames(
        fieldKeys.stream().map(k -> FieldKey.of(k).structKey()).toList(), Set.of());
    CodeBlock.Builder versions = CodeBlock.builder().add("$T.orderedMap(", SUPPORT);
    for (int i = 0; i < fieldKeys.size(); i++) {
      String name = "FIELD_" + fieldConstants.get(i) + "_VERSION";
      constant(
          t,
          STRING,
          name,
          CodeBlock.of("$S", f.fieldVersions().get(fieldKeys.get(i))),
          "The version of field {@code " + fieldKeys.get(i) + "}.");
      versions.add(i == 0 ? "$S, $L" : ", $S, $L", fieldKeys.get(i), name);
    }
    constant(
        t,
        ParameterizedTypeName.get(MAP, STRING, STRING),
        "FIELD_VERSIONS",
        versions.add(")").build(),
        "Field key → field version, in spec field order.");

    plan(t, f.plan());

    constant(
        t,
        STRING,
        "TABLE_NAME",
        CodeBlock.of("$S", f.tableName()),
        "The name of the feature table.");
    constant(
        t,
        STRING,
        "CREATE_TABLE_SQL",
        CodeBlock.of("$S", f.ddl()),
        "{@code CREATE TABLE IF NOT EXISTS} of the feature table (DuckDB): user columns, then system columns.");
    t.addField(FieldSpec.builder(
            STRING, "DEFINITION_JSON", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$S", CanonicalJson.write(GraphJson.toTree(List.of(m.definition()))))
        .build());
    constant(
        t,
        FEATURE_DEFINITION,
        "DEFINITION",
        CodeBlock.of("$T.definition(DEFINITION_JSON, $T.class)", SUPPORT, record),
        "The feature's definition: spec, project and feature schema.");

    CodeBlock.Builder defs = CodeBlock.builder().add("$T.of($>$>", LIST);
    for (int i = 0; i < m.columns().size(); i++) {
      var d = m.columns().get(i).def();
      defs.add(i == 0 ? "\n" : ",\n")
          .add(
              "new $T($S, $T.$L, $L, $S)",
              COLUMN_DEF,
              d.name(),
              COLUMN_TYPE,
              d.type().name(),
              d.nullable(),
              d.description());
    }
    constant(
        t,
        ParameterizedTypeName.get(LIST, COLUMN_DEF),
        "COLUMN_DEFS",
        defs.add("$<$<)").build(),
        "The user columns, in component order.");
    constant(
        t,
        SCHEMA,
        "USER_SCHEMA",
        CodeBlock.of("$T.userSchema(COLUMN_DEFS)", ARROW_COLUMNS),
        "The Arrow schema of the user columns.");
    CodeBlock.Builder structKeys = CodeBlock.builder().add("$T.of(", LIST);
    for (int i = 0; i < fieldKeys.size(); i++) {
      structKeys.add(i == 0 ? "$S" : ", $S", FieldKey.of(fieldKeys.get(i)).structKey());
    }
    constant(
        t,
        SCHEMA,
        "TABLE_SCHEMA",
        CodeBlock.of(
            "$T.tableSchema(COLUMN_DEFS, $L)",
            ARROW_COLUMNS,
            structKeys.add(")").build()),
        "The Arrow schema of the feature table: user columns, then system columns.");
    constant(
        t,
        ParameterizedTypeName.get(JOOQ_TABLE, JOOQ_RECORD),
        "TABLE",
        CodeBlock.of("$T.table($T.name(TABLE_NAME))", DSL, DSL),
        "The feature table, for jOOQ queries.");
    t.addType(columns(m));

    CodeBlock.Builder accessors = CodeBlock.builder()
        .add("$T.<$T>of(", LIST, ParameterizedTypeName.get(FUNCTION, record, ClassName.OBJECT));
    CodeBlock.Builder args = CodeBlock.builder();
    for (int i = 0; i < m.columns().size(); i++) {
      ColumnModel c = m.columns().get(i);
      accessors.add(i == 0 ? "$T::$L" : ", $T::$L", record, c.component());
      args.add(i == 0 ? "($T) v[$L]" : ", ($T) v[$L]", castType(c), i);
    }
    t.addField(FieldSpec.builder(
            ParameterizedTypeName.get(RECORD_CODEC, record),
            "CODEC",
            Modifier.PRIVATE,
            Modifier.STATIC,
            Modifier.FINAL)
        .initializer(
            "new $T<>($S, COLUMN_DEFS, $L, v -> new $T($L))",
            RECORD_CODEC,
            record.simpleName(),
            accessors.add(")").build(),
            record,
            args.build())
        .build());
    constant(
        t,
        COMPILED_VERSIONS,
        "COMPILED_VERSIONS",
        CodeBlock.of(
            "new $T($T.of(KEY), HASH_TRUNCATION_LENGTH, FEATURE_VERSION, FEATURE_CODE_VERSION, FEATURE_SPEC_VERSION,"
                + " DEFINITION_VERSION, FIELD_VERSIONS, $S)",
            COMPILED_VERSIONS,
            FEATURE_KEY,
            m.companionQualifiedName()),
        "The versions compiled into this class, checked by {@code FeatureGraph.load()}.");
    constant(t, self, "COMPANION", CodeBlock.of("new $T()", self), "The companion instance.");
    t.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    if (m.columns().stream().anyMatch(c -> c.type() == ColumnType.STRING_LIST)) {
      // The codec hands values over as Object; a List<String> cast cannot be checked.
      t.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
          .addMember("value", "$S", "unchecked")
          .build());
    }

    t.addMethod(
        override("recordType", ParameterizedTypeName.get(ClassName.get(Class.class), record))
            .addStatement("return $T.class", record)
            .build());
    t.addMethod(override("definition", FEATURE_DEFINITION)
        .addStatement("return DEFINITION")
        .build());
    t.addMethod(
        override("userSchema", SCHEMA).addStatement("return USER_SCHEMA").build());
    t.addMethod(
        override("tableSchema", SCHEMA).addStatement("return TABLE_SCHEMA").build());
    t.addMethod(override("createTableSql", STRING)
        .addStatement("return CREATE_TABLE_SQL")
        .build());
    t.addMethod(override("toArrow", ROOT)
        .addParameter(ParameterizedTypeName.get(LIST, record), "records")
        .addParameter(ALLOCATOR, "allocator")
        .addStatement("return CODEC.toArrow(records, allocator)")
        .build());
    t.addMethod(override("fromArrow", record)
        .addParameter(ROOT, "batch")
        .addParameter(TypeName.INT, "row")
        .addStatement("return CODEC.fromArrow(batch, row)")
        .build());
    t.addMethod(override("fromResultSet", record)
        .addParameter(RESULT_SET, "rs")
        .addException(SQL_EXCEPTION)
        .addStatement("return CODEC.fromResultSet(rs)")
        .build());
    return t;
  }

  private static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(returns);
  }

  private static void constant(
      TypeSpec.Builder t, TypeName type, String name, CodeBlock init, String doc) {
    t.addField(FieldSpec.builder(type, name, CONSTANT)
        .addJavadoc(doc + "\n")
        .initializer(init)
        .build());
  }

  private static void plan(TypeSpec.Builder t, FeaturePlan plan) {
    CodeBlock.Builder parents = CodeBlock.builder().add("$T.orderedMap($>$>", SUPPORT);
    int i = 0;
    for (Map.Entry<FieldKey, List<FieldRef>> e : plan.parents().entrySet()) {
      CodeBlock.Builder list = CodeBlock.builder().add("$T.of(", LIST);
      for (int j = 0; j < e.getValue().size(); j++) {
        list.add(j == 0 ? "$S" : ", $S", e.getValue().get(j).fq());
      }
      parents.add(
          i++ == 0 ? "\n$S, $L" : ",\n$S, $L",
          e.getKey().toString(),
          list.add(")").build());
    }
    constant(
        t,
        ParameterizedTypeName.get(MAP, STRING, ParameterizedTypeName.get(LIST, STRING)),
        "FIELD_PARENTS",
        parents.add("$<$<)").build(),
        "Field key → its parent fields (fully qualified, sorted), in spec field order.");
    CodeBlock.Builder join = CodeBlock.builder().add("$T.of(", LIST);
    for (int j = 0; j < plan.joinColumns().size(); j++) {
      join.add(j == 0 ? "$S" : ", $S", plan.joinColumns().get(j));
    }
    constant(
        t,
        ParameterizedTypeName.get(LIST, STRING),
        "JOIN_COLUMNS",
        join.add(")").build(),
        "The columns the prepared upstream frames are joined on.");
    CodeBlock.Builder lineages = CodeBlock.builder().add("$T.orderedMap($>$>", SUPPORT);
    for (int j = 0; j < plan.deps().size(); j++) {
      FeaturePlan.DepPlan d = plan.deps().get(j);
      lineages.add(
          j == 0 ? "\n$S, $L" : ",\n$S, $L",
          d.dep().feature().toString(),
          lineage(d.dep().lineage()));
    }
    constant(
        t,
        ParameterizedTypeName.get(MAP, STRING, LINEAGE),
        "DEP_LINEAGES",
        lineages.add("$<$<)").build(),
        "Upstream feature key → lineage, in declaration order.");
  }

  private static CodeBlock lineage(Lineage l) {
    if (l instanceof Lineage.Aggregation a) {
      return a.on() == null
          ? CodeBlock.of("new $T.Aggregation(null)", LINEAGE)
          : CodeBlock.of("new $T.Aggregation($L)", LINEAGE, strings(a.on()));
    }
    if (l instanceof Lineage.Expansion e) {
      return CodeBlock.of(
          "new $T.Expansion($L, $S)", LINEAGE, strings(e.on()), e.idGenerationPattern());
    }
    return CodeBlock.of("$T.IDENTITY", LINEAGE);
  }

  private static CodeBlock strings(List<String> values) {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", LIST);
    for (int j = 0; j < values.size(); j++) {
      b.add(j == 0 ? "$S" : ", $S", values.get(j));
    }
    return b.add(")").build();
  }

  /** The nested {@code Columns} class: one jOOQ field per user and system column. */
  private static TypeSpec columns(FeatureModel m) {
    TypeSpec.Builder c = TypeSpec.classBuilder("Columns")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(
            "The feature table's columns as typed jOOQ fields: user columns, then system columns.\n")
        .addMethod(
            MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (ColumnModel col : m.columns()) {
      c.addField(FieldSpec.builder(
              ParameterizedTypeName.get(JOOQ_FIELD, javaType(col.type())),
              col.constantName(),
              CONSTANT)
          .addJavadoc("Column {@code $L}.\n", col.name())
          .initializer("$T.field($T.name($S), $L)", DSL, DSL, col.name(), sqlType(col.type()))
          .build());
    }
    for (SystemColumns.Column s : SystemColumns.COLUMNS) {
      TypeName type;
      CodeBlock sql;
      switch (s.kind()) {
        case BY_FIELD -> {
          type = WildcardTypeName.subtypeOf(Object.class);
          sql = CodeBlock.of("$T.OTHER", SQL_DATA_TYPE);
        }
        case TIMESTAMP -> {
          type = ClassName.get("java.time", "Instant");
          sql = CodeBlock.of("$T.INSTANT", SQL_DATA_TYPE);
        }
        default -> {
          type = STRING;
          sql = CodeBlock.of("$T.VARCHAR", SQL_DATA_TYPE);
        }
      }
      // A by-field map has no jOOQ data type of its own, so its field is untyped (Field<?>).
      c.addField(FieldSpec.builder(
              ParameterizedTypeName.get(JOOQ_FIELD, type),
              s.name().toUpperCase(Locale.ROOT),
              CONSTANT)
          .addJavadoc("System column {@code $L}.\n", s.name())
          .initializer("$T.field($T.name($S), $L)", DSL, DSL, s.name(), sql)
          .build());
    }
    return c.build();
  }

  /** The component's type, for the cast in the constructor lambda. */
  private static TypeName castType(ColumnModel c) {
    switch (c.javaType()) {
      case "int":
        return TypeName.INT;
      case "long":
        return TypeName.LONG;
      case "double":
        return TypeName.DOUBLE;
      case "float":
        return TypeName.FLOAT;
      case "boolean":
        return TypeName.BOOLEAN;
      default:
        if (c.type() == ColumnType.STRING_LIST) {
          return ParameterizedTypeName.get(LIST, STRING);
        }
        return javaType(c.type());
    }
  }

  private static TypeName javaType(ColumnType t) {
    return switch (t) {
      case STRING -> STRING;
      case INT -> ClassName.get(Integer.class);
      case LONG -> ClassName.get(Long.class);
      case DOUBLE -> ClassName.get(Double.class);
      case FLOAT -> ClassName.get(Float.class);
      case BOOLEAN -> ClassName.get(Boolean.class);
      case INSTANT -> ClassName.get("java.time", "Instant");
      case LOCAL_DATE -> ClassName.get("java.time", "LocalDate");
      case BYTES -> ArrayTypeName.of(TypeName.BYTE);
      case STRING_LIST -> ArrayTypeName.of(STRING);
    };
  }

  private static CodeBlock sqlType(ColumnType t) {
    String name = switch (t) {
      case STRING, STRING_LIST -> "VARCHAR";
      case INT -> "INTEGER";
      case LONG -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "REAL";
      case BOOLEAN -> "BOOLEAN";
      case INSTANT -> "INSTANT";
      case LOCAL_DATE -> "LOCALDATE";
      case BYTES -> "VARBINARY";
    };
    return t == ColumnType.STRING_LIST
        ? CodeBlock.of("$T.$L.array()", SQL_DATA_TYPE, name)
        : CodeBlock.of("$T.$L", SQL_DATA_TYPE, name);
  }
}
