package io.metaxy.versioning;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.FieldsMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Finds the parent fields of a field (versioning spec §2): the single rule used by the processor,
 * the graph and the engine.
 */
public final class FieldResolver {
  private FieldResolver() {}

  /**
   * The parents of {@code field} of {@code spec}, sorted by fully-qualified key and without
   * duplicates.
   *
   * @param lookup finds upstream specs; an upstream it cannot find is skipped by automatic mapping (as
   *     the reference does) and is an error for explicit dependencies
   * @throws MetaxyException when an explicit upstream or field does not exist, or automatic mapping
   *     finds nothing
   */
  public static List<FieldRef> parents(
      FeatureSpec spec, FieldSpec field, Function<FeatureKey, Optional<FeatureSpec>> lookup) {
    if (spec.deps().isEmpty()) {
      return List.of();
    }
    Set<FieldRef> result = new TreeSet<>();
    FieldDeps deps = field.deps();
    if (deps instanceof FieldDeps.AllUpstream) {
      for (FeatureDep d : spec.deps()) {
        for (FieldKey f : upstreamFields(spec, d.feature(), lookup)) {
          result.add(new FieldRef(d.feature(), f));
        }
      }
    } else if (deps instanceof FieldDeps.Explicit explicit) {
      for (FieldDep fd : explicit.deps()) {
        List<FieldKey> available = upstreamFields(spec, fd.feature(), lookup);
        if (fd.fields() == null) {
          available.forEach(f -> result.add(new FieldRef(fd.feature(), f)));
        } else {
          for (FieldKey f : fd.fields()) {
            if (!available.contains(f)) {
              throw new MetaxyException("field " + spec.key().fq(field.key()) + " depends on "
                  + fd.feature().fq(f) + ", but " + fd.feature() + " has no field \"" + f
                  + "\" (fields: " + available + ")");
            }
            result.add(new FieldRef(fd.feature(), f));
          }
        }
      }
    } else {
      boolean any = false;
      for (FeatureDep d : spec.deps()) {
        Optional<FeatureSpec> up = lookup.apply(d.feature());
        if (up.isEmpty()) {
          continue;
        }
        Set<FieldKey> mapped = map(d.fieldsMapping(), field.key(), fieldKeys(up.get()));
        if (!mapped.isEmpty()) {
          any = true;
          mapped.forEach(f -> result.add(new FieldRef(d.feature(), f)));
        }
      }
      if (!any) {
        throw new MetaxyException(
            "no upstream fields found for field " + spec.key().fq(field.key())
                + ": the automatic mapping of every dependency yields nothing; declare dependsOn"
                + " explicitly or change the mapping");
      }
    }
    return List.copyOf(result);
  }

  /** Applies one dependency's automatic mapping to a downstream field key. */
  public static Set<FieldKey> map(FieldsMapping mapping, FieldKey field, List<FieldKey> upstream) {
    Set<FieldKey> out = new LinkedHashSet<>();
    if (mapping instanceof FieldsMapping.All) {
      out.addAll(upstream);
    } else if (mapping instanceof FieldsMapping.None) {
      // nothing
    } else if (mapping instanceof FieldsMapping.Specific s) {
      for (FieldKey wanted : s.mapping().getOrDefault(field, List.of())) {
        if (upstream.contains(wanted)) {
          out.add(wanted);
        }
      }
    } else if (mapping instanceof FieldsMapping.Default d) {
      List<FieldKey> candidates = new ArrayList<>(upstream);
      candidates.removeAll(d.excludeFields());
      List<String> fparts = field.parts();
      for (FieldKey u : candidates) {
        if (u.equals(field)) {
          out.add(u);
        } else if (d.matchSuffix()) {
          List<String> uparts = u.parts();
          if (fparts.size() <= uparts.size()
              && uparts.subList(uparts.size() - fparts.size(), uparts.size()).equals(fparts)) {
            out.add(u);
          }
        }
      }
      if (out.isEmpty()) {
        // The reference's fallback: a field with no namesake upstream depends on all of it.
        out.addAll(candidates);
      }
    }
    return out;
  }

  private static List<FieldKey> upstreamFields(
      FeatureSpec spec, FeatureKey upstream, Function<FeatureKey, Optional<FeatureSpec>> lookup) {
    return fieldKeys(lookup
        .apply(upstream)
        .orElseThrow(() -> new MetaxyException(
            "feature " + spec.key() + " depends on unknown feature " + upstream)));
  }

  private static List<FieldKey> fieldKeys(FeatureSpec spec) {
    return spec.fields().stream().map(FieldSpec::key).toList();
  }
}
