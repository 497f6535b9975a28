package io.metaxy.internal;

import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small helpers the generated companions call while initializing: they key compile-time values by the
 * definition's spec, so a companion passes only the values (plain strings, no generic calls for javac
 * to infer). For generated code only.
 */
public final class CompanionSupport {
  private CompanionSupport() {}

  /** An unmodifiable list of the user columns (a non-generic {@code List.of}: nothing for javac to infer). */
  public static List<ColumnDef> columns(ColumnDef... columns) {
    return List.of(columns);
  }

  /** An unmodifiable list of strings (a non-generic {@code List.of}: nothing for javac to infer). */
  public static List<String> strings(String... values) {
    return List.of(values);
  }

  /**
   * Field key → field version, in spec field order.
   *
   * @param versions one version per field of the spec, in spec field order
   * @throws MetaxyException when the counts differ (a processor bug)
   */
  public static Map<String, String> fieldVersions(
      FeatureDefinition definition, String... versions) {
    List<FieldSpec> fields = fields(definition, versions.length);
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < versions.length; i++) {
      m.put(fields.get(i).key().toString(), versions[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Field key → its parent fields, in spec field order.
   *
   * @param parents one entry per field of the spec, in spec field order: its parents' fully qualified
   *     keys separated by single spaces ({@code ""} for none); keys never contain spaces
   * @throws MetaxyException when the counts differ (a processor bug)
   */
  public static Map<String, List<String>> fieldParents(
      FeatureDefinition definition, String... parents) {
    List<FieldSpec> fields = fields(definition, parents.length);
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < parents.length; i++) {
      m.put(
          fields.get(i).key().toString(),
          parents[i].isEmpty() ? List.of() : List.of(parents[i].split(" ")));
    }
    return Collections.unmodifiableMap(m);
  }

  /** Upstream feature key → lineage, in the spec's dependency order. */
  public static Map<String, Lineage> depLineages(FeatureDefinition definition) {
    Map<String, Lineage> m = new LinkedHashMap<>();
    for (FeatureDep d : definition.spec().deps()) {
      m.put(d.feature().toString(), d.lineage());
    }
    return Collections.unmodifiableMap(m);
  }

  private static List<FieldSpec> fields(FeatureDefinition definition, int values) {
    List<FieldSpec> fields = definition.spec().fields();
    if (fields.size() != values) {
      throw new MetaxyException("the companion of " + definition.spec().key() + " passes " + values
          + " values for " + fields.size() + " fields");
    }
    return fields;
  }
}
