package io.metaxy.processor.writing;

import io.metaxy.FieldKey;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;
import io.metaxy.json.CanonicalJson;
import io.metaxy.processor.model.ColumnModel;
import io.metaxy.processor.model.CompiledFeature;
import io.metaxy.processor.model.FeatureModel;
import io.metaxy.processor.model.Names;
import io.metaxy.spec.SpecJson;
import io.metaxy.versioning.FieldRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the companion class of one feature record: only what is specific to the feature. What every
 * companion shares lives once in the runtime ({@code GeneratedCompanion} builds the definition, schemas
 * and codec at class initialization; {@code SystemColumnFields} holds the system columns' jOOQ fields),
 * and the code uses no lambdas, overloaded or generic calls that javac would have to resolve per
 * companion, so compiling the generated sources stays cheap (issue 16, item 5).
 */
public final class CompanionWriter {
  private static final String INTERNAL = "io.metaxy.internal.";

  private CompanionWriter() {}

  /** The companion's source. */
  public static String companion(CompiledFeature f, boolean generatedAnnotation) {
    FeatureModel m = f.model();
    String self = m.companionSimpleName();
    // Names of types this file declares or references by simple name in its own package.
    Set<String> taken = new HashSet<>(Set.of(self, "Columns", m.simpleNames().get(0)));
    JavaSource src = new JavaSource(m.packageName(), taken);
    String record = src.type(
        m.packageName().isEmpty()
            ? m.simpleNames().get(0)
            : m.packageName() + "." + m.simpleNames().get(0),
        m.simpleNames().subList(1, m.simpleNames().size()).toArray(String[]::new));
    String string = src.type("java.lang.String");
    String list = src.type("java.util.List");
    String map = src.type("java.util.Map");
    String key = m.definition().spec().key().toString();

    StringBuilder b = new StringBuilder(4096);
    b.append(JavaSource.javadoc(
        "",
        "The Metaxy companion of {@link " + record + "}: feature {@code " + key
            + "}, its versions (computed at\n"
            + "compile time), plan, columns, schemas and codec."));
    generated(b, src, generatedAnnotation, "io.metaxy.processor.FeatureProcessor");
    b.append("public final class ")
        .append(self)
        .append(" extends ")
        .append(src.type(INTERNAL + "GeneratedCompanion"))
        .append('<')
        .append(record)
        .append("> {\n");

    constant(b, "The feature key.", string, "KEY", JavaSource.literal(key));
    constant(
        b,
        "The project the feature belongs to.",
        string,
        "PROJECT",
        JavaSource.literal(m.definition().project()));
    constant(
        b,
        "The hash truncation the versions were computed with (0 = none).",
        "int",
        "HASH_TRUNCATION_LENGTH",
        Integer.toString(f.truncationLength()));
    constant(
        b,
        "{@code metaxy_feature_version}.",
        string,
        "FEATURE_VERSION",
        JavaSource.literal(f.featureVersion()));
    constant(
        b,
        "The feature code version (fields' code versions only).",
        string,
        "FEATURE_CODE_VERSION",
        JavaSource.literal(f.codeVersion()));
    constant(
        b,
        "The feature spec version (hash of the spec JSON).",
        string,
        "FEATURE_SPEC_VERSION",
        JavaSource.literal(f.specVersion()));
    constant(
        b,
        "The definition (tracking) version: spec version and feature schema.",
        string,
        "DEFINITION_VERSION",
        JavaSource.literal(f.definitionVersion()));

    List<String> fieldKeys = new ArrayList<>(f.fieldVersions().keySet());
    List<String> fieldConstants = Names.constantNames(
        fieldKeys.stream().map(k -> FieldKey.of(k).structKey()).toList(), Set.of());
    StringBuilder versions = new StringBuilder();
    for (int i = 0; i < fieldKeys.size(); i++) {
      String name = "FIELD_" + fieldConstants.get(i) + "_VERSION";
      constant(
          b,
          "The version of field {@code " + fieldKeys.get(i) + "}.",
          string,
          name,
          JavaSource.literal(f.fieldVersions().get(fieldKeys.get(i))));
      versions.append(", ").append(name);
    }
    constant(
        b,
        "The name of the feature table.",
        string,
        "TABLE_NAME",
        JavaSource.literal(f.tableName()));

    StringBuilder defs = new StringBuilder();
    String columnDef = src.type(INTERNAL + "ColumnDef");
    String columnType = src.type(INTERNAL + "ColumnType");
    for (ColumnModel c : m.columns()) {
      ColumnDef d = c.def();
      defs.append(defs.length() == 0 ? "\n      " : ",\n      ")
          .append("new ")
          .append(columnDef)
          .append('(')
          .append(JavaSource.literal(d.name()))
          .append(", ")
          .append(columnType)
          .append('.')
          .append(d.type().name())
          .append(", ")
          .append(d.nullable())
          .append(", ")
          .append(JavaSource.literal(d.description()))
          .append(')');
    }
    String support = src.type(INTERNAL + "CompanionSupport");
    constant(
        b,
        "The user columns, in component order.",
        list + "<" + columnDef + ">",
        "COLUMN_DEFS",
        support + ".columns(" + defs + ")");
    constant(b, "The companion instance.", self, "COMPANION", "new " + self + "()");
    constant(
        b,
        "The feature's definition: spec, project and feature schema (built from the spec, the columns\n"
            + "and the record's name when the class initializes).",
        src.type("io.metaxy.spec.FeatureDefinition"),
        "DEFINITION",
        "COMPANION.definition()");
    constant(
        b,
        "Field key → field version, in spec field order.",
        map + "<" + string + ", " + string + ">",
        "FIELD_VERSIONS",
        support + ".fieldVersions(DEFINITION" + versions + ")");
    plan(b, src, f.plan(), support, string, list, map);
    String schema = src.type("org.apache.arrow.vector.types.pojo.Schema");
    constant(
        b,
        "The Arrow schema of the user columns.",
        schema,
        "USER_SCHEMA",
        "COMPANION.userSchema()");
    constant(
        b,
        "The Arrow schema of the feature table: user columns, then system columns.",
        schema,
        "TABLE_SCHEMA",
        "COMPANION.tableSchema()");
    String jooqFields = src.type(INTERNAL + "JooqFields");
    constant(
        b,
        "The feature table, for jOOQ queries.",
        src.type("org.jooq.Table") + "<" + src.type("org.jooq.Record") + ">",
        "TABLE",
        jooqFields + ".table(TABLE_NAME)");
    String compiled = src.type("io.metaxy.graph.FeatureRegistry", "CompiledVersions");
    constant(
        b,
        "The versions compiled into this class, checked by {@code FeatureGraph.load()}.",
        compiled,
        "COMPILED_VERSIONS",
        "new " + compiled + "(" + src.type("io.metaxy.FeatureKey")
            + ".of(KEY), HASH_TRUNCATION_LENGTH, FEATURE_VERSION,"
            + " FEATURE_CODE_VERSION, FEATURE_SPEC_VERSION, DEFINITION_VERSION, FIELD_VERSIONS, "
            + JavaSource.literal(m.companionQualifiedName()) + ")");

    b.append("  private ")
        .append(self)
        .append("() {\n    super(")
        .append(record)
        .append(".class, PROJECT, ")
        .append(JavaSource.literal(
            CanonicalJson.write(SpecJson.toTree(m.definition().spec()))))
        .append(", COLUMN_DEFS);\n  }\n\n");
    codec(b, src, m, record, string, list);
    columns(b, src, m, jooqFields);
    b.append("}\n");
    return src.file(b);
  }

  /** {@code @Generated}, when the compilation's platform has it. */
  static void generated(StringBuilder b, JavaSource src, boolean available, String processor) {
    if (available) {
      b.append('@')
          .append(src.type("javax.annotation.processing.Generated"))
          .append("(\n    value = ")
          .append(JavaSource.literal(processor))
          .append(",\n    comments = ")
          .append(JavaSource.literal(SourceFileGenerator.DOCS))
          .append("\n)\n");
    }
  }

  private static void constant(StringBuilder b, String doc, String type, String name, String init) {
    b.append(JavaSource.javadoc("  ", doc))
        .append("  public static final ")
        .append(type)
        .append(' ')
        .append(name)
        .append(" = ")
        .append(init)
        .append(";\n\n");
  }

  /**
   * The plan's constants: what needs the upstream graph (parents, join columns) is compiled in, the
   * lineages are read from the spec.
   */
  private static void plan(
      StringBuilder b,
      JavaSource src,
      FeaturePlan plan,
      String support,
      String string,
      String list,
      String map) {
    StringBuilder parents = new StringBuilder();
    for (Map.Entry<FieldKey, List<FieldRef>> e : plan.parents().entrySet()) {
      List<String> fq = new ArrayList<>();
      for (FieldRef r : e.getValue()) {
        if (r.fq().contains(" ")) {
          throw new IllegalStateException("field key with a space: " + r.fq());
        }
        fq.add(r.fq());
      }
      parents.append(", ").append(JavaSource.literal(String.join(" ", fq)));
    }
    constant(
        b,
        "Field key → its parent fields (fully qualified, sorted), in spec field order.",
        map + "<" + string + ", " + list + "<" + string + ">>",
        "FIELD_PARENTS",
        support + ".fieldParents(DEFINITION" + parents + ")");
    StringBuilder join = new StringBuilder();
    for (String c : plan.joinColumns()) {
      join.append(join.length() == 0 ? "" : ", ").append(JavaSource.literal(c));
    }
    constant(
        b,
        "The columns the prepared upstream frames are joined on.",
        list + "<" + string + ">",
        "JOIN_COLUMNS",
        support + ".strings(" + join + ")");
    constant(
        b,
        "Upstream feature key → lineage, in declaration order.",
        map + "<" + string + ", " + src.type("io.metaxy.spec.Lineage") + ">",
        "DEP_LINEAGES",
        support + ".depLineages(DEFINITION)");
  }

  /** {@code value(record, column)}: one accessor call per column; {@code create(values)}: the canonical constructor. */
  private static void codec(
      StringBuilder b, JavaSource src, FeatureModel m, String record, String string, String list) {
    String override = src.type("java.lang.Override");
    List<ColumnModel> columns = m.columns();
    b.append("  @")
        .append(override)
        .append("\n  protected ")
        .append(src.type("java.lang.Object"))
        .append(" value(")
        .append(record)
        .append(" record, int column) {\n    switch (column) {\n");
    for (int i = 0; i < columns.size(); i++) {
      // The codec only asks for columns that exist: the last one is the default.
      b.append(i == columns.size() - 1 ? "      default:\n" : "      case " + i + ":\n")
          .append("        return record.")
          .append(columns.get(i).component())
          .append("();\n");
    }
    b.append("    }\n  }\n\n");
    boolean unchecked = columns.stream().anyMatch(c -> c.type() == ColumnType.STRING_LIST);
    b.append("  @").append(override).append('\n');
    if (unchecked) {
      // The codec hands values over as Object; a List<String> cast cannot be checked.
      b.append("  @").append(src.type("java.lang.SuppressWarnings")).append("(\"unchecked\")\n");
    }
    b.append("  protected ")
        .append(record)
        .append(" create(")
        .append(src.type("java.lang.Object"))
        .append("[] values) {\n    return new ")
        .append(record)
        .append('(');
    for (int i = 0; i < columns.size(); i++) {
      b.append(i == 0 ? "(" : ", (")
          .append(castType(src, columns.get(i), string, list))
          .append(") values[")
          .append(i)
          .append(']');
    }
    b.append(");\n  }\n\n");
  }

  /**
   * The nested {@code Columns} class: one jOOQ field per user column; the system columns' fields are
   * inherited from {@code SystemColumnFields}.
   */
  private static void columns(StringBuilder b, JavaSource src, FeatureModel m, String jooqFields) {
    String base = src.type(INTERNAL + "SystemColumnFields");
    b.append(JavaSource.javadoc(
        "  ",
        "The feature table's columns as typed jOOQ fields: the user columns, and the system columns\n"
            + "({@code METAXY_PROVENANCE}, ...) inherited from {@link " + base + "}."));
    b.append("  public static final class Columns extends ").append(base).append(" {\n");
    String field = src.type("org.jooq.Field");
    for (ColumnModel c : m.columns()) {
      b.append(JavaSource.javadoc("    ", "Column {@code " + c.name() + "}."))
          .append("    public static final ")
          .append(field)
          .append('<')
          .append(jooqType(src, c.type()))
          .append("> ")
          .append(c.constantName())
          .append(" = ")
          .append(jooqFields)
          .append('.')
          .append(factory(c.type()))
          .append('(')
          .append(JavaSource.literal(c.name()))
          .append(");\n\n");
    }
    b.append("    private Columns() {}\n  }\n");
  }

  /** The {@code JooqFields} factory of a column type. */
  private static String factory(ColumnType t) {
    return switch (t) {
      case STRING -> "ofString";
      case INT -> "ofInt";
      case LONG -> "ofLong";
      case DOUBLE -> "ofDouble";
      case FLOAT -> "ofFloat";
      case BOOLEAN -> "ofBoolean";
      case INSTANT -> "ofInstant";
      case LOCAL_DATE -> "ofLocalDate";
      case BYTES -> "ofBytes";
      case STRING_LIST -> "ofStringList";
    };
  }

  /** The component's type, for the cast in {@code create}. */
  private static String castType(JavaSource src, ColumnModel c, String string, String list) {
    return switch (c.javaType()) {
      case "int", "long", "double", "float", "boolean" -> c.javaType();
      default ->
        c.type() == ColumnType.STRING_LIST ? list + "<" + string + ">" : javaType(src, c.type());
    };
  }

  /** The boxed Java type of a column type. */
  private static String javaType(JavaSource src, ColumnType t) {
    return switch (t) {
      case STRING -> src.type("java.lang.String");
      case INT -> src.type("java.lang.Integer");
      case LONG -> src.type("java.lang.Long");
      case DOUBLE -> src.type("java.lang.Double");
      case FLOAT -> src.type("java.lang.Float");
      case BOOLEAN -> src.type("java.lang.Boolean");
      case INSTANT -> src.type("java.time.Instant");
      case LOCAL_DATE -> src.type("java.time.LocalDate");
      case BYTES -> "byte[]";
      case STRING_LIST -> src.type("java.lang.String") + "[]";
    };
  }

  /** The type argument of a column's jOOQ field. */
  private static String jooqType(JavaSource src, ColumnType t) {
    return javaType(src, t);
  }
}
