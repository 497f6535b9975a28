package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.SystemColumns;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * Checks of a feature against its upstream definitions: upstream fields named in {@code @On} and
 * mappings exist, and lineage columns line up.
 *
 * <p>Lineage rules (upstream columns are taken after {@code rename}; an upstream whose schema lists no
 * columns, e.g. an external feature, is not checked):
 * <ul>
 *   <li>identity: the upstream's id columns, renamed, must be exactly the downstream's id columns (as
 *       sets), since identity joins one upstream row to the downstream row with the same id;
 *   <li>aggregation: every {@code on} column (default: the downstream id columns) must be an upstream
 *       column, since upstream rows are grouped by them;
 *   <li>expansion: every {@code on} column must be an upstream column and a downstream column, since
 *       each child row carries its parent's {@code on} values.
 * </ul>
 */
public final class UpstreamValidator {
  private final Elements elements;

  /** @param elements javac's element utilities */
  public UpstreamValidator(Elements elements) {
    this.elements = elements;
  }

  /** Checks a valid declaration against its resolved upstream definitions. */
  public Report check(Declaration d, Map<FeatureKey, FeatureDefinition> upstream) {
    Report report = new Report();
    FeatureSpec spec = d.validModel().definition().spec();
    for (Declaration.FieldDecl field : d.fields()) {
      for (Declaration.OnDecl on : field.ons()) {
        FeatureDefinition up = upstream.get(on.feature());
        if (up == null || on.fields() == null) {
          continue;
        }
        List<AnnotationValue> values = on.ann().list("fields");
        for (int i = 0; i < on.fields().size(); i++) {
          checkField(d, on.ann(), values.get(i), up, on.fields().get(i), report);
        }
      }
    }
    for (int i = 0; i < d.deps().size(); i++) {
      Declaration.DepDecl decl = d.deps().get(i);
      FeatureKey upKey = decl.upstream();
      FeatureDefinition up = upKey == null ? null : upstream.get(upKey);
      if (upKey == null || up == null) {
        continue;
      }
      Ann mapping = decl.ann().annotation("mapping", elements);
      List<AnnotationValue> excluded = mapping.list("excludeFields");
      for (AnnotationValue v : excluded) {
        checkField(d, mapping, v, up, FieldKey.of(String.valueOf(v.getValue())), report);
      }
      for (Ann entry : mapping.annotations("specific", elements)) {
        for (AnnotationValue v : entry.list("from")) {
          checkField(d, entry, v, up, FieldKey.of(String.valueOf(v.getValue())), report);
        }
      }
      FeatureDep dep = spec.dep(upKey).orElse(null);
      if (dep != null) {
        checkLineage(d, decl, dep, up, report);
      }
    }
    return report;
  }

  private static void checkField(
      Declaration d,
      Ann ann,
      AnnotationValue value,
      FeatureDefinition up,
      FieldKey field,
      Report report) {
    List<FieldKey> available = up.spec().fields().stream().map(FieldSpec::key).toList();
    if (!available.contains(field)) {
      report.error(
          Diagnostic.UNKNOWN_UPSTREAM_FIELD,
          d.type(),
          ann,
          value,
          up.spec().key(),
          field,
          available.stream().map(FieldKey::toString).toList());
    }
  }

  private static void checkLineage(
      Declaration d,
      Declaration.DepDecl decl,
      FeatureDep dep,
      FeatureDefinition up,
      Report report) {
    List<String> upColumns = columns(up);
    if (upColumns == null) {
      return;
    }
    Set<String> renamed = new HashSet<>();
    upColumns.forEach(c -> renamed.add(dep.renamed(c)));
    FeatureSpec spec = d.validModel().definition().spec();
    List<String> downColumns = columns(d.validModel().definition());
    String name = d.type().getSimpleName().toString();
    Ann ann = decl.ann();
    Lineage lineage = dep.lineage();
    if (lineage instanceof Lineage.Identity) {
      List<String> upIds = up.spec().idColumns().stream().map(dep::renamed).toList();
      if (!new HashSet<>(upIds).equals(new HashSet<>(spec.idColumns()))) {
        report.error(
            Diagnostic.IDENTITY_ID_COLUMNS,
            d.type(),
            ann,
            ann.explicitValue("rename"),
            name,
            up.spec().key(),
            upIds,
            name,
            spec.idColumns());
      }
      return;
    }
    List<String> on = lineage.onColumns().isEmpty() ? spec.idColumns() : lineage.onColumns();
    List<String> missingUp = new ArrayList<>();
    List<String> missingDown = new ArrayList<>();
    for (String c : on) {
      if (!renamed.contains(c)) {
        missingUp.add(c);
      }
      if (lineage instanceof Lineage.Expansion && downColumns != null && !downColumns.contains(c)) {
        missingDown.add(c);
      }
    }
    if (!missingUp.isEmpty()) {
      Diagnostic notUpstream = lineage instanceof Lineage.Expansion
          ? Diagnostic.EXPANSION_ON_NOT_UPSTREAM
          : Diagnostic.AGGREGATION_ON_NOT_UPSTREAM;
      report.error(
          notUpstream,
          d.type(),
          ann,
          ann.explicitValue("on"),
          name,
          up.spec().key(),
          missingUp,
          up.spec().key(),
          new TreeSet<>(renamed));
    }
    if (!missingDown.isEmpty()) {
      report.error(
          Diagnostic.EXPANSION_ON_NOT_DOWNSTREAM,
          d.type(),
          ann,
          ann.explicitValue("on"),
          name,
          up.spec().key(),
          missingDown,
          name);
    }
  }

  /** The user columns a definition's schema lists, or {@code null} when it lists none. */
  static @Nullable List<String> columns(FeatureDefinition def) {
    Object props = def.featureSchema().get("properties");
    if (!(props instanceof Map<?, ?> m) || m.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object k : m.keySet()) {
      if (!String.valueOf(k).startsWith(SystemColumns.PREFIX)) {
        out.add(String.valueOf(k));
      }
    }
    return out;
  }
}
