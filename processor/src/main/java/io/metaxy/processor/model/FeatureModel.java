package io.metaxy.processor.model;

import io.metaxy.spec.FeatureDefinition;
import java.util.List;

/**
 * A validated feature record, without versions.
 *
 * @param packageName the record's package ("" for the unnamed package)
 * @param simpleNames the record's simple name and those of its enclosing types, outermost first
 * @param binaryName the record's binary name ({@code Class.getName()})
 * @param definition its definition (spec, project, feature schema, class name)
 * @param columns its user columns, in component order
 */
public record FeatureModel(
    String packageName,
    List<String> simpleNames,
    String binaryName,
    FeatureDefinition definition,
    List<ColumnModel> columns) {
  /** Copies the lists. */
  public FeatureModel {
    simpleNames = List.copyOf(simpleNames);
    columns = List.copyOf(columns);
  }

  /** The generated companion's simple name. */
  public String companionSimpleName() {
    return Names.companionSimpleName(simpleNames);
  }

  /** The generated companion's qualified name. */
  public String companionQualifiedName() {
    return packageName.isEmpty()
        ? companionSimpleName()
        : packageName + "." + companionSimpleName();
  }
}
