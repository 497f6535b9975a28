package io.metaxy.processor.validation;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Every message the processor reports, each a sentence with a stable ID printed as
 * {@code [Metaxy/Id]}. Several messages may share an ID (one problem, told differently for each way
 * to make it); IDs never change meaning, and docs/processor.md lists them. Arguments fill in names,
 * keys and values only; a reason that comes from the runtime (a key's syntax problem, a filter's parse
 * error, a versioning rule) is the one argument that is a clause of its own.
 */
public enum Diagnostic {
  /** {@code @Feature} on something that is not a record. */
  NOT_A_RECORD(
      "NotARecord", "@Feature %s must be a record (its components are the feature's columns)"),

  /** A feature key that breaks the key syntax: the key, then why. */
  INVALID_FEATURE_KEY("InvalidKey", "invalid feature key \"%s\": %s"),
  /** A field key that breaks the key syntax: the key, then why. */
  INVALID_FIELD_KEY("InvalidKey", "invalid field key \"%s\": %s"),

  /** Two features of one compilation with the same key. */
  DUPLICATE_FEATURE_KEY(
      "DuplicateFeatureKey", "duplicate feature key \"%s\": %s and %s both declare it"),

  /** An upstream class that is not a {@code @Feature} record. */
  UPSTREAM_NOT_A_FEATURE("UnknownUpstream", "%s depends on %s, which is not a @Feature record"),
  /** An upstream key found neither in this compilation nor on the class path. */
  UPSTREAM_KEY_NOT_FOUND(
      "UnknownUpstream",
      "%s depends on feature \"%s\", which is neither a @Feature of this compilation nor in a"
          + " META-INF/metaxy/graph.json resource on the class path"),

  /** An upstream field (in @On, excludeFields or specific) that the upstream feature does not have. */
  UNKNOWN_UPSTREAM_FIELD("UnknownUpstreamField", "%s has no field \"%s\" (its fields: %s)"),
  /** A dependency cycle between features, as a path {@code a -> b -> a}. */
  DEPENDENCY_CYCLE("DependencyCycle", "dependency cycle: %s"),

  /** {@code @Feature(idColumns = {})}. */
  NO_ID_COLUMN("UnknownIdColumn", "@Feature(idColumns) of %s must name at least one column"),
  /** An id column that is not a column of the record. */
  UNKNOWN_ID_COLUMN("UnknownIdColumn", "id column \"%s\" is not a column of %s (columns: %s)"),
  /** An id column that names a component rather than its column. */
  ID_COLUMN_NAMES_A_COMPONENT(
      "UnknownIdColumn",
      "id column \"%s\" is not a column of %s (columns: %s); did you mean \"%s\" (the column of component %s)?"),

  /** Identity lineage whose upstream id columns are not the downstream's. */
  IDENTITY_ID_COLUMNS(
      "LineageColumns",
      "identity dependency of %s on %s: the upstream id columns %s (after rename) must be the id columns of %s"
          + " %s; rename upstream columns, or use lineage AGGREGATION or EXPANSION"),
  /** Aggregation {@code on} columns that the upstream does not have. */
  AGGREGATION_ON_NOT_UPSTREAM(
      "LineageColumns",
      "aggregation dependency of %s on %s: \"on\" columns %s are not columns of %s (after rename: %s)"),
  /** Expansion {@code on} columns that the upstream does not have. */
  EXPANSION_ON_NOT_UPSTREAM(
      "LineageColumns",
      "expansion dependency of %s on %s: \"on\" columns %s are not columns of %s (after rename: %s)"),
  /** Expansion {@code on} columns that the downstream does not have. */
  EXPANSION_ON_NOT_DOWNSTREAM(
      "LineageColumns",
      "expansion dependency of %s on %s: \"on\" columns %s are not columns of %s (each child row carries its"
          + " parent's \"on\" values)"),

  /** A user column with the reserved {@code metaxy_} prefix. */
  RESERVED_COLUMN(
      "ReservedColumn",
      "column \"%s\" of %s starts with \"metaxy_\", which is reserved for Metaxy system columns"),
  /** A blank {@code @Column} name. */
  INVALID_COLUMN_NAME("InvalidColumnName", "component %s of %s has a blank @Column name"),
  /** Two components mapping to the same column name. */
  DUPLICATE_COLUMN("DuplicateColumn", "components %s and %s of %s both map to column \"%s\""),

  /** The same field key declared twice. */
  DUPLICATE_FIELD("FieldKeyCollision", "field \"%s\" is declared twice on %s"),
  /** Two field keys of one feature that give the same struct key. */
  FIELD_KEY_COLLISION(
      "FieldKeyCollision",
      "fields \"%s\" and \"%s\" of %s have the same struct key \"%s\" (their name inside"
          + " metaxy_provenance_by_field); rename one"),

  /** A filter string that does not parse: the filter, the upstream, the position, then the parser's reason. */
  INVALID_FILTER("InvalidFilter", "invalid filter %s of the dependency on %s at position %d: %s"),

  /** An empty code version. */
  EMPTY_CODE_VERSION("InvalidCodeVersion", "invalid code version %s of field \"%s\": it is empty"),
  /** A code version of whitespace only. */
  BLANK_CODE_VERSION("InvalidCodeVersion", "invalid code version %s of field \"%s\": it is blank"),
  /** A code version with leading or trailing whitespace. */
  PADDED_CODE_VERSION(
      "InvalidCodeVersion",
      "invalid code version %s of field \"%s\": it has leading or trailing whitespace"),
  /** A code version with a control character (given as its code point). */
  CODE_VERSION_CONTROL_CHARACTER(
      "InvalidCodeVersion",
      "invalid code version %s of field \"%s\": it contains the control character U+%04X"),
  /** A code version with {@code |}. */
  CODE_VERSION_SEPARATOR(
      "InvalidCodeVersion",
      "invalid code version %s of field \"%s\": it contains '|', the separator of provenance strings"),

  /** An @On naming, by class, a feature that is not a @Dep of the feature. */
  ON_NOT_A_DEP(
      "OnNotADep", "field \"%s\" depends on %s, which is not a @Dep of %s; add @Dep(%s.class)"),
  /** An @On naming, by key, a feature that is not a @Dep of the feature. */
  ON_KEY_NOT_A_DEP(
      "OnNotADep", "field \"%s\" depends on %s, which is not a @Dep of %s; add @Dep(key = \"%s\")"),

  /** A @Dep or @On giving both an upstream class and a key. */
  DEP_TARGET_BOTH(
      "DepTarget",
      "%s on %s must give either the upstream feature class or key = \"...\", not both"),
  /** A @Dep or @On giving neither an upstream class nor a key. */
  DEP_TARGET_NEITHER(
      "DepTarget", "%s on %s must give either the upstream feature class or key = \"...\""),

  /** {@code on} columns given for identity lineage. */
  ON_WITH_IDENTITY(
      "OnWithIdentity",
      "the dependency on %s has identity lineage, which joins on the upstream id columns; \"on\" is only for"
          + " AGGREGATION or EXPANSION"),
  /** Expansion lineage without {@code on} columns. */
  EXPANSION_WITHOUT_ON(
      "ExpansionWithoutOn",
      "the dependency on %s has EXPANSION lineage, which needs \"on\" (the parent columns)"),

  /** A record component type the processor cannot map to a column. */
  UNSUPPORTED_TYPE(
      "UnsupportedType", "component %s of %s has type %s, which is not supported (supported: %s)"),
  /** A {@code @Nullable} primitive component, which could never hold the null it promises. */
  NULLABLE_PRIMITIVE(
      "UnsupportedType",
      "component %s of %s is @Nullable but has the primitive type %s; use its wrapper type"),

  /** The same upstream declared twice. */
  DUPLICATE_DEP("DuplicateDep", "%s is declared as a @Dep of %s more than once"),

  /** {@code @Meta(json = true)} whose value does not parse: the key, then the parser's reason. */
  METADATA_NOT_JSON("InvalidMetadata", "metadata \"%s\" is not valid JSON: %s"),
  /** The same metadata key twice. */
  DUPLICATE_METADATA_KEY("InvalidMetadata", "metadata key \"%s\" is given twice"),

  /** dependsOn together with dependsOnAll. */
  CONFLICTING_FIELD_DEPS(
      "ConflictingFieldDeps",
      "field \"%s\" sets both dependsOnAll and dependsOn; keep one of them"),
  /**
   * Field parents that the runtime's versioning rules reject. Their reason comes first, as it names the
   * field and what to change.
   */
  UNRESOLVABLE_FIELD_DEPS(
      "UnresolvableFieldDeps",
      "%s (the versioning rules cannot resolve the field dependencies of %s)"),

  /** A META-INF/metaxy/graph.json on the class path that cannot be read: the reader's reason. */
  CLASSPATH_GRAPH("ClasspathGraph", "cannot read the feature graph resource on the class path: %s"),

  /** A blank {@code -Ametaxy.project}. */
  BLANK_PROJECT_OPTION(
      "InvalidOption", "processor option -A%s: the project name must not be blank"),
  /** A {@code -Ametaxy.registry} that is not a class name. */
  REGISTRY_OPTION_NOT_A_CLASS(
      "InvalidOption", "processor option -A%s: \"%s\" is not a qualified Java class name"),
  /** A {@code -Ametaxy.hashTruncationLength} that is not a valid truncation. */
  TRUNCATION_OPTION_OUT_OF_RANGE(
      "InvalidOption",
      "processor option -A%s: expected 0 (no truncation) or an integer of at least %d, found \"%s\""),

  /** A feature whose types never resolved. */
  UNDEFINED_TYPE(
      "UndefinedType",
      "did not generate the Metaxy companion of %s because it references undefined types (%s); if they are"
          + " generated, look above for the error that prevented it"),
  /** A bug in the processor: where, then the stack trace. */
  INTERNAL_ERROR(
      "InternalError", "the Metaxy processor failed on %s; please file a bug with this trace: %s");

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

  /** The sentence, with its {@link java.util.Formatter} placeholders. */
  String template() {
    return format;
  }

  /** The full message: {@code [Metaxy/Id] } followed by the formatted text. */
  public String format(@Nullable Object... args) {
    return "[" + id() + "] " + String.format(Locale.ROOT, format, args);
  }
}
