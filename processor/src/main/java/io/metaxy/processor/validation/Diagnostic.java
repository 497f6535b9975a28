package io.metaxy.processor.validation;

import java.util.Locale;

/**
 * Every message the processor reports, with a stable ID printed as {@code [Metaxy/Id]}. IDs never
 * change meaning; docs/processor.md lists them.
 */
public enum Diagnostic {
  /** {@code @Feature} on something that is not a record. */
  NOT_A_RECORD("NotARecord", "@Feature %s must be a record (its components are the feature's columns)"),
  /** A feature or field key that breaks the key syntax. */
  INVALID_KEY("InvalidKey", "invalid %s \"%s\": %s"),
  /** Two features of one compilation with the same key. */
  DUPLICATE_FEATURE_KEY("DuplicateFeatureKey", "duplicate feature key \"%s\": %s and %s both declare it"),
  /** An upstream class that is not a feature, or an upstream key found nowhere. */
  UNKNOWN_UPSTREAM("UnknownUpstream", "%s"),
  /** An upstream field (in @On, excludeFields or specific) that the upstream feature does not have. */
  UNKNOWN_UPSTREAM_FIELD("UnknownUpstreamField", "%s has no field \"%s\" (its fields: %s)"),
  /** A dependency cycle between features. */
  DEPENDENCY_CYCLE("DependencyCycle", "dependency cycle: %s"),
  /** An id column that is not a column of the record. */
  UNKNOWN_ID_COLUMN("UnknownIdColumn", "%s"),
  /** Lineage columns that the upstream or downstream does not have. */
  LINEAGE_COLUMNS("LineageColumns", "%s"),
  /** A user column with the reserved {@code metaxy_} prefix. */
  RESERVED_COLUMN(
      "ReservedColumn", "column \"%s\" of %s starts with \"metaxy_\", which is reserved for Metaxy system columns"),
  /** A blank {@code @Column} name. */
  INVALID_COLUMN_NAME("InvalidColumnName", "component %s of %s has a blank @Column name"),
  /** Two components mapping to the same column name. */
  DUPLICATE_COLUMN("DuplicateColumn", "components %s and %s of %s both map to column \"%s\""),
  /** Two field keys of one feature that give the same struct key (or are equal). */
  FIELD_KEY_COLLISION("FieldKeyCollision", "%s"),
  /** A filter string that does not parse. */
  INVALID_FILTER("InvalidFilter", "invalid filter %s of the dependency on %s at position %d: %s"),
  /** A code version that is empty, padded, or has control characters or '|'. */
  INVALID_CODE_VERSION("InvalidCodeVersion", "invalid code version %s of field \"%s\": %s"),
  /** An @On naming a feature that is not a @Dep of the feature. */
  ON_NOT_A_DEP("OnNotADep", "field \"%s\" depends on %s, which is not a @Dep of %s; add @Dep(%s)"),
  /** Both or neither of class and key given in @Dep / @On. */
  DEP_TARGET("DepTarget", "%s"),
  /** {@code on} columns given for identity lineage. */
  ON_WITH_IDENTITY(
      "OnWithIdentity",
      "the dependency on %s has identity lineage, which joins on the upstream id columns; \"on\" is only for"
          + " AGGREGATION or EXPANSION"),
  /** Expansion lineage without {@code on} columns. */
  EXPANSION_WITHOUT_ON(
      "ExpansionWithoutOn", "the dependency on %s has EXPANSION lineage, which needs \"on\" (the parent columns)"),
  /** A record component type the processor cannot map to a column. */
  UNSUPPORTED_TYPE("UnsupportedType", "component %s of %s has type %s, which is not supported%s (supported: %s)"),
  /** The same upstream declared twice. */
  DUPLICATE_DEP("DuplicateDep", "%s is declared as a @Dep of %s more than once"),
  /** Invalid @Meta entries. */
  INVALID_METADATA("InvalidMetadata", "%s"),
  /** dependsOn together with dependsOnAll. */
  CONFLICTING_FIELD_DEPS(
      "ConflictingFieldDeps", "field \"%s\" sets both dependsOnAll and dependsOn; keep one of them"),
  /** Field parents that the versioning rules cannot resolve. */
  UNRESOLVABLE_FIELD_DEPS("UnresolvableFieldDeps", "%s"),
  /** A META-INF/metaxy/graph.json on the class path that cannot be read. */
  CLASSPATH_GRAPH("ClasspathGraph", "cannot read the feature graph resource on the class path: %s"),
  /** A processor option with a bad value. */
  INVALID_OPTION("InvalidOption", "processor option -A%s: %s"),
  /** A feature whose types never resolved. */
  UNDEFINED_TYPE(
      "UndefinedType",
      "did not generate the Metaxy companion of %s because it references undefined types (%s); if they are"
          + " generated, look above for the error that prevented it"),
  /** A bug in the processor. */
  INTERNAL_ERROR("InternalError", "the Metaxy processor failed on %s; please file a bug with this trace: %s");

  private final String id;
  private final String format;

  Diagnostic(String id, String format) {
    this.id = id;
    this.format = format;
  }

  /** The stable ID, e.g. {@code Metaxy/UnknownUpstream}. */
  public String id() {
    return "Metaxy/" + id;
  }

  /** The full message: {@code [Metaxy/Id] } followed by the formatted text. */
  public String format(Object... args) {
    return "[" + id() + "] " + String.format(Locale.ROOT, format, args);
  }
}
