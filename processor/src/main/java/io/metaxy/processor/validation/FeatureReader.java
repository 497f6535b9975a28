package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.processor.model.FeatureModel;
import io.metaxy.processor.model.FeatureModels;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Reads one {@code @Feature} record into a {@link Declaration}. Each reader checks what needs only the
 * record itself (and the {@code @Feature} keys of the classes it names) and returns what it read; a
 * record with no problems then gets its model from {@link FeatureModels}.
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
    FeatureContext ctx = new FeatureContext(type, feature, elements, new Report());
    if (type.getKind() != ElementKind.RECORD) {
      ctx.error(Diagnostic.NOT_A_RECORD, feature, null, type.getQualifiedName());
      return new Declaration(
          type, feature, ctx.report(), Set.of(), false, List.of(), List.of(), null);
    }
    // Diagnostics are printed in the order found, so the readers run in a fixed order: the key, the
    // components, the rest of @Feature, the deps, the fields.
    FeatureKey key = Keys.featureKey(ctx, feature, "key");
    ColumnReader.Columns columns = ColumnReader.read(ctx);
    FeatureModels.Feature values =
        FeatureValuesReader.read(ctx, key, columns.columns(), defaultProject);
    DepReader.Deps deps = DepReader.read(ctx);
    FieldReader.Fields fields = FieldReader.read(ctx, deps.decls());

    Set<String> unresolved = new TreeSet<>(columns.unresolved());
    unresolved.addAll(deps.unresolved());
    unresolved.addAll(fields.unresolved());
    boolean blocked = deps.blocked() || fields.blocked();
    FeatureModel model = null;
    if (ctx.report().isClean() && unresolved.isEmpty() && !blocked) {
      model = FeatureModels.build(
          type,
          elements.getBinaryName(type).toString(),
          values,
          columns.columns(),
          deps.deps(),
          fields.fields());
    }
    return new Declaration(
        type, feature, ctx.report(), unresolved, blocked, deps.decls(), fields.decls(), model);
  }
}
