package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.filter.FilterSyntaxException;
import io.metaxy.filter.Filters;
import io.metaxy.json.CanonicalJson;
import io.metaxy.processor.model.FeatureModels;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationValue;
import org.jspecify.annotations.Nullable;

/** Reads the {@code @Dep}s of a feature record: upstream, lineage, filters and field mapping. */
final class DepReader {
  private DepReader() {}

  /**
   * The dependencies of a record.
   *
   * @param decls every {@code @Dep} whose upstream could be told, valid or not (the graph checks and
   *     the upstream resolution need them all)
   * @param deps the valid ones, for the model
   * @param unresolved names of upstream classes that did not resolve
   * @param blocked whether an upstream class has an invalid key of its own
   */
  record Deps(
      List<Declaration.DepDecl> decls,
      List<FeatureModels.Dep> deps,
      Set<String> unresolved,
      boolean blocked) {}

  static Deps read(FeatureContext ctx) {
    List<Declaration.DepDecl> decls = new ArrayList<>();
    List<FeatureModels.Dep> deps = new ArrayList<>();
    Set<String> unresolved = new TreeSet<>();
    boolean blocked = false;
    Set<FeatureKey> seen = new HashSet<>();
    for (Ann dep : Ann.findRepeated(ctx.type(), Ann.DEP, Ann.DEPS, ctx.elements())) {
      UpstreamTarget target = UpstreamTarget.read(ctx, dep, "value");
      if (target instanceof UpstreamTarget.Unresolved u) {
        unresolved.add(u.type());
      }
      if (!(target instanceof UpstreamTarget.Upstream upstream)) {
        continue;
      }
      blocked |= upstream.blocked();
      FeatureKey key = upstream.key();
      if (key != null && !seen.add(key)) {
        ctx.error(Diagnostic.DUPLICATE_DEP, dep, null, key, ctx.name());
      }
      Lineage lineage = lineage(ctx, dep, upstream.shown());
      checkFilters(ctx, dep, upstream.shown());
      Map<String, String> rename = new LinkedHashMap<>();
      for (Ann r : dep.annotations("rename", ctx.elements())) {
        rename.put(r.string("from"), r.string("to"));
      }
      FieldsMapping mapping = mapping(ctx, dep.annotation("mapping", ctx.elements()));
      decls.add(new Declaration.DepDecl(dep, key, upstream.type()));
      if (key != null && lineage != null && mapping != null) {
        deps.add(new FeatureModels.Dep(
            key,
            dep.strings("select"),
            rename,
            mapping,
            dep.strings("filters"),
            lineage,
            dep.bool("optional")));
      }
    }
    return new Deps(List.copyOf(decls), List.copyOf(deps), unresolved, blocked);
  }

  /** The lineage, or {@code null} when its {@code on} columns do not fit it (reported). */
  private static @Nullable Lineage lineage(FeatureContext ctx, Ann dep, String upstream) {
    List<String> on = dep.strings("on");
    switch (dep.enumName("lineage")) {
      case "AGGREGATION":
        return new Lineage.Aggregation(on.isEmpty() ? null : on);
      case "EXPANSION":
        if (on.isEmpty()) {
          ctx.error(Diagnostic.EXPANSION_WITHOUT_ON, dep, dep.explicitValue("lineage"), upstream);
          return null;
        }
        String pattern = dep.string("idGenerationPattern");
        return new Lineage.Expansion(on, pattern.isEmpty() ? null : pattern);
      default:
        if (!on.isEmpty()) {
          ctx.error(Diagnostic.ON_WITH_IDENTITY, dep, dep.value("on"), upstream);
          return null;
        }
        return Lineage.IDENTITY;
    }
  }

  private static void checkFilters(FeatureContext ctx, Ann dep, String upstream) {
    for (AnnotationValue f : dep.list("filters")) {
      String filter = String.valueOf(f.getValue());
      try {
        // The runtime's own parser, so a filter that compiles is one the stores accept.
        Filters.parse(filter);
      } catch (FilterSyntaxException e) {
        ctx.error(
            Diagnostic.INVALID_FILTER,
            dep,
            f,
            CanonicalJson.write(filter),
            upstream,
            e.position(),
            e.detail());
      }
    }
  }

  /** The field mapping, or {@code null} when it names an invalid field key (reported). */
  private static @Nullable FieldsMapping mapping(FeatureContext ctx, Ann mapping) {
    boolean valid = true;
    List<FieldKey> excluded = new ArrayList<>();
    for (AnnotationValue v : mapping.list("excludeFields")) {
      FieldKey k = Keys.fieldKey(ctx, mapping, v);
      valid &= k != null;
      excluded.add(k);
    }
    Map<FieldKey, List<FieldKey>> specific = new LinkedHashMap<>();
    for (Ann entry : mapping.annotations("specific", ctx.elements())) {
      FieldKey field = Keys.fieldKey(ctx, entry, entry.value("field"));
      List<FieldKey> from = new ArrayList<>();
      for (AnnotationValue v : entry.list("from")) {
        FieldKey k = Keys.fieldKey(ctx, entry, v);
        valid &= k != null;
        from.add(k);
      }
      valid &= field != null;
      if (field != null) {
        specific.put(field, from);
      }
    }
    if (!valid) {
      return null;
    }
    return switch (mapping.enumName("type")) {
      case "ALL" -> new FieldsMapping.All();
      case "NONE" -> new FieldsMapping.None();
      case "SPECIFIC" -> new FieldsMapping.Specific(specific);
      default -> new FieldsMapping.Default(mapping.bool("matchSuffix"), excluded);
    };
  }
}
