package io.metaxy.processor.model;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.SystemColumns;
import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.FeatureSchemas;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import org.jspecify.annotations.Nullable;

/**
 * Builds the model of a feature record from its validated declarations: the spec, the definition with
 * its feature schema, and the names of the generated column constants. Validation has rejected
 * everything these steps cannot express, so nothing here reports.
 *
 * <p>Where the spec's conventions differ from the annotations', the declarations keep the annotations'
 * ({@code ""} for no description, {@code {"*"}} for every column, empty renames and filters for none)
 * and this class turns them into the spec's.
 */
public final class FeatureModels {
  private FeatureModels() {}

  /**
   * The values of {@code @Feature}.
   *
   * @param key the feature key, or {@code null} when it is invalid (reported; no model is built then)
   * @param idColumns the id columns
   * @param metadata metadata key → value (a string, or the parsed value of {@code json = true}), in
   *     declaration order
   * @param description the description, {@code ""} for none
   * @param project the project (the processor's default when {@code @Feature} names none)
   */
  public record Feature(
      @Nullable FeatureKey key,
      List<String> idColumns,
      Map<String, Object> metadata,
      String description,
      String project) {}

  /**
   * A record component that is a column.
   *
   * @param component the component name
   * @param javaType its Java type as source text
   * @param def the column definition
   */
  public record Column(String component, String javaType, ColumnDef def) {}

  /**
   * A {@code @Dep}.
   *
   * @param upstream the upstream key
   * @param select the selected upstream columns, {@code {"*"}} for every column
   * @param rename upstream column → downstream name, empty for none
   * @param mapping how downstream fields map to upstream fields
   * @param filters filter strings, empty for none
   * @param lineage the lineage
   * @param optional whether the dependency is optional
   */
  public record Dep(
      FeatureKey upstream,
      List<String> select,
      Map<String, String> rename,
      FieldsMapping mapping,
      List<String> filters,
      Lineage lineage,
      boolean optional) {}

  /**
   * A {@code @Field}.
   *
   * @param key the field key
   * @param codeVersion its code version
   * @param dependsOnAll whether it depends on every upstream field
   * @param dependsOn its explicit dependencies; with none (and not {@code dependsOnAll}) the dependency
   *     mappings decide
   */
  public record Field(FieldKey key, String codeVersion, boolean dependsOnAll, List<On> dependsOn) {}

  /**
   * An {@code @On}.
   *
   * @param feature the upstream key
   * @param fields the upstream field keys, or {@code null} for every field
   */
  public record On(FeatureKey feature, @Nullable List<FieldKey> fields) {}

  /**
   * Builds the model.
   *
   * @param type the record
   * @param binaryName the record's binary name ({@code Class.getName()})
   */
  public static FeatureModel build(
      TypeElement type,
      String binaryName,
      Feature feature,
      List<Column> columns,
      List<Dep> deps,
      List<Field> fields) {
    FeatureSpec spec = new FeatureSpec(
        Objects.requireNonNull(feature.key(), "a model is built only from a valid key"),
        feature.idColumns(),
        deps.stream().map(FeatureModels::dep).toList(),
        fields.stream().map(FeatureModels::field).toList(),
        feature.metadata(),
        feature.description().isEmpty() ? null : feature.description());
    List<ColumnDef> defs = columns.stream().map(Column::def).toList();
    FeatureDefinition definition = new FeatureDefinition(
        spec,
        feature.project(),
        FeatureSchemas.featureSchema(type.getSimpleName().toString(), spec.description(), defs),
        false,
        Map.of(),
        binaryName);
    return new FeatureModel(
        packageName(type), simpleNames(type), binaryName, definition, columnModels(columns));
  }

  private static FeatureDep dep(Dep d) {
    return new FeatureDep(
        d.upstream(),
        d.select().equals(List.of("*")) ? null : d.select(),
        d.rename().isEmpty() ? null : d.rename(),
        d.mapping(),
        d.filters().isEmpty() ? null : d.filters(),
        d.lineage(),
        d.optional());
  }

  private static FieldSpec field(Field f) {
    FieldDeps deps;
    if (f.dependsOnAll()) {
      deps = FieldDeps.ALL_UPSTREAM;
    } else if (f.dependsOn().isEmpty()) {
      deps = FieldDeps.AUTOMATIC;
    } else {
      deps = new FieldDeps.Explicit(f.dependsOn().stream()
          .map(on -> new FieldDep(on.feature(), on.fields()))
          .toList());
    }
    return new FieldSpec(f.key(), f.codeVersion(), deps);
  }

  private static List<ColumnModel> columnModels(List<Column> columns) {
    // System column constants live in the same Columns class; a user column never takes their
    // names.
    Set<String> reserved = new HashSet<>();
    SystemColumns.COLUMNS.forEach(c -> reserved.add(c.name().toUpperCase(Locale.ROOT)));
    List<String> constants =
        Names.constantNames(columns.stream().map(c -> c.def().name()).toList(), reserved);
    List<ColumnModel> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      out.add(new ColumnModel(c.component(), c.javaType(), c.def(), constants.get(i)));
    }
    return out;
  }

  private static String packageName(TypeElement type) {
    Element e = type;
    while (e.getKind() != ElementKind.PACKAGE) {
      e = Objects.requireNonNull(e.getEnclosingElement(), "a type is enclosed by its package");
    }
    return ((PackageElement) e).getQualifiedName().toString();
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
