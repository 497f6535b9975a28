package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.KeyParts;
import io.metaxy.MetaxyException;
import io.metaxy.filter.FilterSyntaxException;
import io.metaxy.filter.Filters;
import io.metaxy.json.CanonicalJson;
import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;
import io.metaxy.internal.FeatureSchemas;
import io.metaxy.SystemColumns;
import io.metaxy.json.Json;
import io.metaxy.processor.model.ColumnModel;
import io.metaxy.processor.model.FeatureModel;
import io.metaxy.processor.model.Names;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads one {@code @Feature} record into a {@link Declaration}: every check that needs only the record
 * itself (and the {@code @Feature} keys of the classes it names), then the spec, schema and model.
 */
public final class FeatureReader {
  private final Elements elements;
  private final String defaultProject;

  /**
   * @param elements javac's element utilities
   * @param defaultProject the project of features that do not name one
   */
  public FeatureReader(Elements elements, String defaultProject) {
    this.elements = elements;
    this.defaultProject = defaultProject;
  }

  /** Reads a type annotated with {@code @Feature}. */
  public Declaration read(TypeElement type) {
    Ann feature = Ann.find(type, Ann.FEATURE, elements).orElseThrow();
    Report report = new Report();
    Set<String> unresolved = new TreeSet<>();
    if (type.getKind() != ElementKind.RECORD) {
      report.error(Diagnostic.NOT_A_RECORD, type, feature, null, type.getQualifiedName());
      return new Declaration(type, feature, report, unresolved, false, List.of(), List.of(), null);
    }
    String name = type.getSimpleName().toString();
    FeatureKey key = featureKey(feature, "key", type, report);
    List<ColumnModel> columns = columns(type, report, unresolved);
    List<String> idColumns = idColumns(type, feature, columns, report);
    Map<String, Object> metadata = metadata(type, feature, report);

    boolean[] blocked = {false};
    List<Declaration.DepDecl> depDecls = new ArrayList<>();
    List<FeatureDep> deps = deps(type, depDecls, report, unresolved, blocked);
    List<Declaration.FieldDecl> fieldDecls = new ArrayList<>();
    List<FieldSpec> fields = fields(type, depDecls, fieldDecls, report, unresolved, blocked);

    FeatureModel model = null;
    if (report.isClean() && unresolved.isEmpty() && !blocked[0]) {
      String description = feature.string("description");
      FeatureSpec spec =
          new FeatureSpec(key, idColumns, deps, fields, metadata, description.isEmpty() ? null : description);
      List<ColumnDef> defs = columns.stream().map(ColumnModel::def).toList();
      String project = feature.string("project").isEmpty() ? defaultProject : feature.string("project");
      String binaryName = elements.getBinaryName(type).toString();
      FeatureDefinition definition =
          new FeatureDefinition(
              spec,
              project,
              FeatureSchemas.featureSchema(name, spec.description(), defs),
              false,
              Map.of(),
              binaryName);
      model = new FeatureModel(packageName(type), simpleNames(type), binaryName, definition, columns);
    }
    return new Declaration(
        type, feature, report, unresolved, blocked[0], List.copyOf(depDecls), List.copyOf(fieldDecls), model);
  }

  // ------------------------------------------------------------------ keys

  private FeatureKey featureKey(Ann ann, String member, Element element, Report report) {
    String s = ann.string(member);
    String problem = KeyParts.problem(KeyParts.split(s));
    if (problem != null) {
      report.error(Diagnostic.INVALID_KEY, element, ann, ann.value(member), "feature key", s, problem);
      return null;
    }
    return FeatureKey.of(s);
  }

  private static FieldKey fieldKey(String s, Element e, Ann ann, AnnotationValue v, Report report) {
    String problem = KeyParts.problem(KeyParts.split(s));
    if (problem != null) {
      report.error(Diagnostic.INVALID_KEY, e, ann, v, "field key", s, problem);
      return null;
    }
    return FieldKey.of(s);
  }

  // ------------------------------------------------------------------ columns

  private List<ColumnModel> columns(TypeElement type, Report report, Set<String> unresolved) {
    List<? extends RecordComponentElement> components = type.getRecordComponents();
    List<String> names = new ArrayList<>();
    List<ColumnModel> out = new ArrayList<>();
    Map<String, String> byColumn = new LinkedHashMap<>();
    List<Object[]> pending = new ArrayList<>();
    for (RecordComponentElement rc : components) {
      TypeMirror t = rc.asType();
      Element at = componentElement(type, rc);
      if (t.getKind() == TypeKind.ERROR) {
        unresolved.add(t.toString());
        continue;
      }
      String typeName = typeName(t);
      Optional<Ann> column = Ann.find(rc, Ann.COLUMN, elements);
      String columnName = column.map(c -> c.string("value")).orElse(Names.snakeCase(rc.getSimpleName().toString()));
      boolean nullable = isNullable(rc, t);
      ColumnType ct = ColumnType.ofJavaType(typeName);
      String component = rc.getSimpleName().toString();
      if (ct == null || (nullable && t.getKind().isPrimitive())) {
        String why = ct == null ? "" : " (a primitive cannot be @Nullable; use its wrapper type)";
        report.error(
            Diagnostic.UNSUPPORTED_TYPE, at, null, null, component, type.getSimpleName(), typeName, why,
            String.join(", ", ColumnType.supportedJavaTypes()));
        continue;
      }
      if (columnName.isBlank()) {
        report.error(
            Diagnostic.INVALID_COLUMN_NAME, at, column.orElse(null),
            column.map(c -> c.value("value")).orElse(null), component, type.getSimpleName());
        continue;
      }
      if (columnName.startsWith(SystemColumns.PREFIX)) {
        report.error(
            Diagnostic.RESERVED_COLUMN, at, column.orElse(null),
            column.map(c -> c.value("value")).orElse(null), columnName, type.getSimpleName());
        continue;
      }
      String previous = byColumn.putIfAbsent(columnName, component);
      if (previous != null) {
        report.error(
            Diagnostic.DUPLICATE_COLUMN, at, column.orElse(null), null, previous, component,
            type.getSimpleName(), columnName);
        continue;
      }
      String description = column.map(c -> c.string("description")).filter(d -> !d.isEmpty()).orElse(null);
      names.add(columnName);
      pending.add(new Object[] {component, javaSource(t), new ColumnDef(columnName, ct, nullable, description)});
    }
    // System column constants live in the same Columns class; a user column never takes their names.
    Set<String> reserved = new java.util.HashSet<>();
    SystemColumns.COLUMNS.forEach(c -> reserved.add(c.name().toUpperCase(java.util.Locale.ROOT)));
    List<String> constants = Names.constantNames(names, reserved);
    for (int i = 0; i < pending.size(); i++) {
      Object[] p = pending.get(i);
      out.add(new ColumnModel((String) p[0], (String) p[1], (ColumnDef) p[2], constants.get(i)));
    }
    return out;
  }

  /**
   * The element to report a component problem on: the record's private field, which javac maps to
   * the component in the record header (a component element itself may have no source position).
   */
  private static Element componentElement(TypeElement type, RecordComponentElement rc) {
    for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (f.getSimpleName().equals(rc.getSimpleName())) {
        return f;
      }
    }
    return rc;
  }

  /** The erased-annotation type name ColumnType matches on, e.g. {@code java.util.List<java.lang.String>}. */
  static String typeName(TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return t.getKind().name().toLowerCase(java.util.Locale.ROOT);
    }
    if (t instanceof ArrayType a) {
      return typeName(a.getComponentType()) + "[]";
    }
    if (t instanceof DeclaredType d) {
      String base = ((TypeElement) d.asElement()).getQualifiedName().toString();
      if (d.getTypeArguments().isEmpty()) {
        return base;
      }
      List<String> args = new ArrayList<>();
      d.getTypeArguments().forEach(a -> args.add(typeName(a)));
      return base + "<" + String.join(",", args) + ">";
    }
    return t.toString();
  }

  /** The type as it is written in generated source (no type annotations). */
  private static String javaSource(TypeMirror t) {
    return typeName(t).replace(",", ", ");
  }

  /** Any annotation named {@code Nullable} (JSpecify, JSR-305, Checker, ...) makes a column optional. */
  private static boolean isNullable(RecordComponentElement rc, TypeMirror t) {
    List<AnnotationMirror> all = new ArrayList<>(rc.getAnnotationMirrors());
    all.addAll(t.getAnnotationMirrors());
    if (rc.getAccessor() != null) {
      all.addAll(rc.getAccessor().getAnnotationMirrors());
      all.addAll(rc.getAccessor().getReturnType().getAnnotationMirrors());
    }
    for (AnnotationMirror m : all) {
      if (m.getAnnotationType().asElement().getSimpleName().contentEquals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  private List<String> idColumns(TypeElement type, Ann feature, List<ColumnModel> columns, Report report) {
    List<String> ids = feature.strings("idColumns");
    List<String> names = columns.stream().map(ColumnModel::name).toList();
    if (ids.isEmpty()) {
      report.error(
          Diagnostic.UNKNOWN_ID_COLUMN, type, feature, feature.value("idColumns"),
          "@Feature(idColumns) of " + type.getSimpleName() + " must name at least one column");
    }
    List<AnnotationValue> values = feature.list("idColumns");
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (!names.contains(id)) {
        String hint = "";
        for (ColumnModel c : columns) {
          if (c.component().equals(id)) {
            hint = "; did you mean \"" + c.name() + "\" (the column of component " + id + ")?";
          }
        }
        report.error(
            Diagnostic.UNKNOWN_ID_COLUMN, type, feature, values.get(i),
            "id column \"" + id + "\" is not a column of " + type.getSimpleName() + " (columns: " + names + ")" + hint);
      }
    }
    return ids;
  }

  private Map<String, Object> metadata(TypeElement type, Ann feature, Report report) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Ann meta : feature.annotations("metadata", elements)) {
      String k = meta.string("key");
      Object value = meta.string("value");
      if (meta.bool("json")) {
        try {
          value = Json.parse((String) value, "@Meta(key = \"" + k + "\")");
        } catch (MetaxyException e) {
          report.error(
              Diagnostic.INVALID_METADATA, type, meta, meta.value("value"),
              "metadata \"" + k + "\" is not valid JSON: " + e.getMessage());
          continue;
        }
      }
      if (out.put(k, value) != null) {
        report.error(
            Diagnostic.INVALID_METADATA, type, meta, meta.value("key"),
            "metadata key \"" + k + "\" is given twice");
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ deps

  private List<FeatureDep> deps(
      TypeElement type, List<Declaration.DepDecl> decls, Report report, Set<String> unresolved,
      boolean[] blocked) {
    List<FeatureDep> out = new ArrayList<>();
    Set<FeatureKey> seen = new LinkedHashSet<>();
    for (Ann dep : Ann.findRepeated(type, Ann.DEP, Ann.DEPS, elements)) {
      Target target = target(type, dep, "value", "key", "@Dep", report, unresolved, blocked);
      if (target == null) {
        continue;
      }
      FeatureKey upstream = target.key();
      if (upstream != null && !seen.add(upstream)) {
        report.error(
            Diagnostic.DUPLICATE_DEP, type, dep, null, upstream, type.getSimpleName());
      }
      String shown = upstream != null ? upstream.toString() : target.shown();
      Lineage lineage = lineage(type, dep, shown, report);
      for (AnnotationValue f : dep.list("filters")) {
        String filter = String.valueOf(f.getValue());
        try {
          // The runtime's own parser, so a filter that compiles is one the stores accept.
          Filters.parse(filter);
        } catch (FilterSyntaxException e) {
          report.error(
              Diagnostic.INVALID_FILTER, type, dep, f, CanonicalJson.write(filter), shown, e.position(), e.detail());
        }
      }
      Map<String, String> rename = new LinkedHashMap<>();
      for (Ann r : dep.annotations("rename", elements)) {
        rename.put(r.string("from"), r.string("to"));
      }
      List<String> select = dep.strings("select");
      FieldsMapping mapping = mapping(type, dep.annotation("mapping", elements), report);
      decls.add(new Declaration.DepDecl(dep, upstream, target.type()));
      if (upstream == null || lineage == null || mapping == null) {
        continue;
      }
      List<String> filters = dep.strings("filters");
      out.add(
          new FeatureDep(
              upstream,
              select.equals(List.of("*")) ? null : select,
              rename.isEmpty() ? null : rename,
              mapping,
              filters.isEmpty() ? null : filters,
              lineage,
              dep.bool("optional")));
    }
    return out;
  }

  /**
   * The upstream named by a class member or a key member (exactly one of them).
   *
   * @param key the upstream key, or {@code null} when the class's own key is invalid (then
   *     {@code blocked}) or the target is in error (reported)
   */
  private record Target(FeatureKey key, TypeElement type, String shown) {}

  private Target target(
      TypeElement owner, Ann ann, String classMember, String keyMember, String what, Report report,
      Set<String> unresolved, boolean[] blocked) {
    TypeMirror cls = ann.type(classMember);
    if (cls == null || cls.getKind() == TypeKind.ERROR) {
      unresolved.add(cls == null ? String.valueOf(ann.value(classMember)) : cls.toString());
      return null;
    }
    boolean hasClass = cls.getKind() != TypeKind.VOID;
    String keyString = ann.string(keyMember);
    boolean hasKey = !keyString.isEmpty();
    if (hasClass == hasKey) {
      report.error(
          Diagnostic.DEP_TARGET, owner, ann, null,
          what + " on " + owner.getSimpleName() + " must give either the upstream feature class or "
              + keyMember + " = \"...\"" + (hasClass ? ", not both" : ""));
      return null;
    }
    if (hasKey) {
      String problem = KeyParts.problem(KeyParts.split(keyString));
      if (problem != null) {
        report.error(
            Diagnostic.INVALID_KEY, owner, ann, ann.value(keyMember), "feature key", keyString, problem);
        return null;
      }
      return new Target(FeatureKey.of(keyString), null, keyString);
    }
    if (!(cls instanceof DeclaredType dt)) {
      report.error(
          Diagnostic.UNKNOWN_UPSTREAM, owner, ann, ann.value(classMember),
          owner.getSimpleName() + " depends on " + cls + ", which is not a @Feature record");
      return null;
    }
    TypeElement upstream = (TypeElement) dt.asElement();
    Optional<Ann> upFeature = Ann.find(upstream, Ann.FEATURE, elements);
    if (upFeature.isEmpty()) {
      report.error(
          Diagnostic.UNKNOWN_UPSTREAM, owner, ann, ann.value(classMember),
          owner.getSimpleName() + " depends on " + upstream.getQualifiedName() + ", which is not a @Feature record");
      return null;
    }
    String upKey = upFeature.get().string("key");
    if (KeyParts.problem(KeyParts.split(upKey)) != null) {
      // The upstream reports its own invalid key; this feature just cannot be built.
      blocked[0] = true;
      return new Target(null, upstream, upstream.getSimpleName().toString());
    }
    return new Target(FeatureKey.of(upKey), upstream, upKey);
  }

  private Lineage lineage(TypeElement type, Ann dep, String upstream, Report report) {
    List<String> on = dep.strings("on");
    switch (dep.enumName("lineage")) {
      case "AGGREGATION":
        return new Lineage.Aggregation(on.isEmpty() ? null : on);
      case "EXPANSION":
        if (on.isEmpty()) {
          report.error(
              Diagnostic.EXPANSION_WITHOUT_ON, type, dep, dep.explicitValue("lineage"), upstream);
          return null;
        }
        String pattern = dep.string("idGenerationPattern");
        return new Lineage.Expansion(on, pattern.isEmpty() ? null : pattern);
      default:
        if (!on.isEmpty()) {
          report.error(Diagnostic.ON_WITH_IDENTITY, type, dep, dep.value("on"), upstream);
          return null;
        }
        return Lineage.IDENTITY;
    }
  }

  private FieldsMapping mapping(TypeElement type, Ann m, Report report) {
    boolean ok = true;
    List<FieldKey> excluded = new ArrayList<>();
    for (AnnotationValue v : m.list("excludeFields")) {
      FieldKey k = fieldKey(String.valueOf(v.getValue()), type, m, v, report);
      ok &= k != null;
      excluded.add(k);
    }
    Map<FieldKey, List<FieldKey>> specific = new LinkedHashMap<>();
    for (Ann entry : m.annotations("specific", elements)) {
      FieldKey down = fieldKey(entry.string("field"), type, entry, entry.value("field"), report);
      List<FieldKey> ups = new ArrayList<>();
      for (AnnotationValue v : entry.list("from")) {
        FieldKey k = fieldKey(String.valueOf(v.getValue()), type, entry, v, report);
        ok &= k != null;
        ups.add(k);
      }
      ok &= down != null;
      if (down != null) {
        specific.put(down, ups);
      }
    }
    if (!ok) {
      return null;
    }
    return switch (m.enumName("type")) {
      case "ALL" -> new FieldsMapping.All();
      case "NONE" -> new FieldsMapping.None();
      case "SPECIFIC" -> new FieldsMapping.Specific(specific);
      default -> new FieldsMapping.Default(m.bool("matchSuffix"), excluded);
    };
  }

  // ------------------------------------------------------------------ fields

  private List<FieldSpec> fields(
      TypeElement type, List<Declaration.DepDecl> deps, List<Declaration.FieldDecl> decls, Report report,
      Set<String> unresolved, boolean[] blocked) {
    List<FieldSpec> out = new ArrayList<>();
    Map<String, String> structKeys = new LinkedHashMap<>();
    for (Ann field : Ann.findRepeated(type, Ann.FIELD, Ann.FIELDS, elements)) {
      String keyString = field.string("key");
      FieldKey key = fieldKey(keyString, type, field, field.value("key"), report);
      if (key != null) {
        String previous = structKeys.putIfAbsent(key.structKey(), keyString);
        if (previous != null) {
          String message =
              previous.equals(keyString)
                  ? "field \"" + keyString + "\" is declared twice on " + type.getSimpleName()
                  : "fields \"" + previous + "\" and \"" + keyString + "\" of " + type.getSimpleName()
                      + " have the same struct key \"" + key.structKey()
                      + "\" (their name inside metaxy_provenance_by_field); rename one";
          report.error(Diagnostic.FIELD_KEY_COLLISION, type, field, field.value("key"), message);
        }
      }
      String codeVersion = field.string("codeVersion");
      String problem = codeVersionProblem(codeVersion);
      if (problem != null) {
        report.error(
            Diagnostic.INVALID_CODE_VERSION, type, field, field.value("codeVersion"),
            CanonicalJson.write(codeVersion), keyString, problem);
      }
      List<Declaration.OnDecl> ons = new ArrayList<>();
      List<FieldDep> fieldDeps = new ArrayList<>();
      for (Ann on : field.annotations("dependsOn", elements)) {
        Target target = target(type, on, "feature", "key", "@On", report, unresolved, blocked);
        if (target == null) {
          continue;
        }
        if (target.key() != null && deps.stream().noneMatch(d -> target.key().equals(d.upstream()))) {
          String fix = target.type() != null ? target.type().getSimpleName() + ".class" : "key = \"" + target.key() + "\"";
          report.error(
              Diagnostic.ON_NOT_A_DEP, type, on, on.explicitValue(target.type() != null ? "feature" : "key"),
              keyString, target.key(), type.getSimpleName(), fix);
        }
        List<FieldKey> keys = new ArrayList<>();
        boolean ok = true;
        for (AnnotationValue v : on.list("fields")) {
          FieldKey k = fieldKey(String.valueOf(v.getValue()), type, on, v, report);
          ok &= k != null;
          keys.add(k);
        }
        if (ok && target.key() != null) {
          List<FieldKey> fields = keys.isEmpty() ? null : keys;
          ons.add(new Declaration.OnDecl(on, target.key(), fields));
          fieldDeps.add(new FieldDep(target.key(), fields));
        }
      }
      boolean all = field.bool("dependsOnAll");
      if (all && !field.list("dependsOn").isEmpty()) {
        report.error(Diagnostic.CONFLICTING_FIELD_DEPS, type, field, field.value("dependsOnAll"), keyString);
      }
      decls.add(new Declaration.FieldDecl(field, key, List.copyOf(ons)));
      if (key != null && problem == null) {
        FieldDeps fd =
            all ? FieldDeps.ALL_UPSTREAM : fieldDeps.isEmpty() ? FieldDeps.AUTOMATIC : new FieldDeps.Explicit(fieldDeps);
        out.add(new FieldSpec(key, codeVersion, fd));
      }
    }
    return out;
  }

  /**
   * Why a code version is not allowed, or {@code null}. Code versions are joined with {@code |} in the
   * sample provenance strings, so a {@code |} (or invisible characters and padding, which make two
   * versions look equal) could make different inputs hash alike or confuse readers.
   */
  static String codeVersionProblem(String v) {
    if (v.isEmpty()) {
      return "it is empty";
    }
    if (v.isBlank()) {
      return "it is blank";
    }
    if (!v.strip().equals(v)) {
      return "it has leading or trailing whitespace";
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isISOControl(c)) {
        return String.format(java.util.Locale.ROOT, "it contains the control character U+%04X", (int) c);
      }
      if (c == '|') {
        return "it contains '|', the separator of provenance strings";
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ names

  private static String packageName(TypeElement type) {
    Element e = type;
    while (e.getKind() != ElementKind.PACKAGE) {
      e = e.getEnclosingElement();
    }
    return ((javax.lang.model.element.PackageElement) e).getQualifiedName().toString();
  }

  private static List<String> simpleNames(TypeElement type) {
    List<String> names = new ArrayList<>();
    Element e = type;
    while (e instanceof TypeElement t) {
      names.add(0, t.getSimpleName().toString());
      e = e.getEnclosingElement();
    }
    return names;
  }
}
