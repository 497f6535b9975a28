package io.metaxy.spec;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.KeyParts;
import io.metaxy.MetaxyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Converts specs to and from JSON trees in the reference's {@code model_dump(mode="json")} shape, which
 * is what spec versions hash. Reading also accepts the compact shape (missing keys take defaults, plain
 * strings for fields and deps, {@code filters} for {@code sql_filters}, lineage names such as
 * {@code "aggregation"}).
 */
public final class SpecJson {
  /** The serialized form of "every upstream field". */
  public static final String ALL_DEP = "__METAXY_ALL_DEP__";

  private SpecJson() {}

  // ---------------------------------------------------------------- writing

  /** The {@code model_dump} tree of a spec. */
  public static Map<String, Object> toTree(FeatureSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", spec.key().toString());
    m.put("id_columns", new ArrayList<>(spec.idColumns()));
    List<Object> deps = new ArrayList<>();
    spec.deps().forEach(d -> deps.add(toTree(d)));
    m.put("deps", deps);
    List<Object> fields = new ArrayList<>();
    spec.fields().forEach(f -> fields.add(toTree(f)));
    m.put("fields", fields);
    m.put("metadata", new LinkedHashMap<>(spec.metadata()));
    m.put("description", spec.description());
    return m;
  }

  /** The {@code model_dump} tree of a feature dependency. */
  public static Map<String, Object> toTree(FeatureDep d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature", d.feature().toString());
    m.put("select", d.select() == null ? null : new ArrayList<>(d.select()));
    m.put("rename", d.rename() == null ? null : new LinkedHashMap<>(d.rename()));
    m.put("fields_mapping", Map.of("mapping", toTree(d.fieldsMapping())));
    m.put("sql_filters", d.sqlFilters() == null ? null : new ArrayList<>(d.sqlFilters()));
    m.put("lineage", Map.of("relationship", toTree(d.lineage())));
    m.put("optional", d.optional());
    return m;
  }

  /** The inner tree of a fields mapping ({@code {"type": ...}}). */
  public static Map<String, Object> toTree(FieldsMapping mapping) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (mapping instanceof FieldsMapping.Default d) {
      m.put("type", "default");
      m.put("match_suffix", d.matchSuffix());
      m.put("exclude_fields", d.excludeFields().stream().map(FieldKey::toString).toList());
    } else if (mapping instanceof FieldsMapping.All) {
      m.put("type", "all");
    } else if (mapping instanceof FieldsMapping.None) {
      m.put("type", "none");
    } else if (mapping instanceof FieldsMapping.Specific s) {
      m.put("type", "specific");
      Map<String, Object> inner = new LinkedHashMap<>();
      s.mapping().forEach((down, ups) -> {
        // The reference stores the upstream keys as a set of part tuples, dumped sorted.
        List<List<String>> parts = new ArrayList<>();
        ups.stream().map(FieldKey::parts).distinct().forEach(parts::add);
        parts.sort(SpecJson::compareTuples);
        inner.put(down.toString(), parts);
      });
      m.put("mapping", inner);
    }
    return m;
  }

  /** The inner tree of a lineage ({@code {"type": "1:1"}} ...). */
  public static Map<String, Object> toTree(Lineage lineage) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (lineage instanceof Lineage.Identity) {
      m.put("type", "1:1");
    } else if (lineage instanceof Lineage.Aggregation a) {
      m.put("type", "N:1");
      m.put("on", a.on() == null ? null : new ArrayList<>(a.on()));
    } else if (lineage instanceof Lineage.Expansion e) {
      m.put("type", "1:N");
      m.put("on", new ArrayList<>(e.on()));
      m.put("id_generation_pattern", e.idGenerationPattern());
    }
    return m;
  }

  /** The {@code model_dump} tree of a field. */
  public static Map<String, Object> toTree(FieldSpec f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", f.key().toString());
    m.put("code_version", f.codeVersion());
    if (f.deps() instanceof FieldDeps.AllUpstream) {
      m.put("deps", ALL_DEP);
    } else if (f.deps() instanceof FieldDeps.Explicit e) {
      List<Object> deps = new ArrayList<>();
      for (FieldDep fd : e.deps()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("feature", fd.feature().toString());
        dm.put(
            "fields",
            fd.fields() == null
                ? ALL_DEP
                : fd.fields().stream().map(FieldKey::toString).toList());
        deps.add(dm);
      }
      m.put("deps", deps);
    } else {
      m.put("deps", List.of());
    }
    return m;
  }

  private static int compareTuples(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  // ---------------------------------------------------------------- reading

  /** Reads a spec from a full or compact tree; errors name the path of the bad value. */
  public static FeatureSpec specFromTree(@Nullable Object tree) {
    Reader r = new Reader("spec");
    Map<String, Object> m = r.object(tree);
    String key = r.string(m.get("key"), "key");
    Reader kr = r.at(key);
    FeatureKey featureKey = kr.featureKey(key, "key");
    List<String> idColumns = kr.strings(m.get("id_columns"), "id_columns");
    List<FeatureDep> deps = new ArrayList<>();
    Object rawDeps = m.get("deps");
    if (rawDeps != null) {
      List<Object> list = kr.list(rawDeps, "deps");
      for (int i = 0; i < list.size(); i++) {
        deps.add(depFromTree(list.get(i), kr.at("deps[" + i + "]")));
      }
    }
    List<FieldSpec> fields = new ArrayList<>();
    Object rawFields = m.get("fields");
    if (rawFields != null) {
      List<Object> list = kr.list(rawFields, "fields");
      for (int i = 0; i < list.size(); i++) {
        fields.add(fieldFromTree(list.get(i), kr.at("fields[" + i + "]")));
      }
    }
    Object metadata = m.get("metadata");
    Map<String, Object> meta = metadata == null ? Map.of() : kr.object(metadata);
    Object description = m.get("description");
    return new FeatureSpec(
        featureKey,
        idColumns,
        deps,
        fields,
        meta,
        description == null ? null : kr.string(description, "description"));
  }

  /** Reads a feature dependency from a full or compact tree (a plain string is a key). */
  public static FeatureDep depFromTree(@Nullable Object tree) {
    return depFromTree(tree, new Reader("dep"));
  }

  /** Reads the outer ({@code {"mapping": ...}}) or inner ({@code {"type": ...}}) fields-mapping tree. */
  public static FieldsMapping fieldsMappingFromTree(@Nullable Object tree) {
    return fieldsMappingFromTree(tree, new Reader("fields_mapping"));
  }

  private static FeatureDep depFromTree(@Nullable Object tree, Reader r) {
    if (tree instanceof String s) {
      return FeatureDep.on(r.featureKey(s, "feature"));
    }
    Map<String, Object> m = r.object(tree);
    FeatureKey feature = r.featureKey(r.string(m.get("feature"), "feature"), "feature");
    List<String> select = m.get("select") == null ? null : r.strings(m.get("select"), "select");
    Map<String, String> rename = null;
    if (m.get("rename") != null) {
      rename = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : r.object(m.get("rename")).entrySet()) {
        rename.put(e.getKey(), r.string(e.getValue(), "rename." + e.getKey()));
      }
    }
    Object rawFilters = m.containsKey("sql_filters") ? m.get("sql_filters") : m.get("filters");
    List<String> filters = rawFilters == null ? null : r.strings(rawFilters, "sql_filters");
    FieldsMapping mapping = m.get("fields_mapping") == null
        ? FieldsMapping.DEFAULT
        : fieldsMappingFromTree(m.get("fields_mapping"), r.at("fields_mapping"));
    Lineage lineage = m.get("lineage") == null
        ? Lineage.IDENTITY
        : lineageFromTree(m.get("lineage"), r.at("lineage"));
    boolean optional = m.get("optional") != null && r.bool(m.get("optional"), "optional");
    return new FeatureDep(feature, select, rename, mapping, filters, lineage, optional);
  }

  private static FieldsMapping fieldsMappingFromTree(@Nullable Object tree, Reader r) {
    Map<String, Object> m = r.object(tree);
    if (m.get("mapping") instanceof Map<?, ?> inner && inner.containsKey("type")) {
      return fieldsMappingFromTree(inner, r.at("mapping"));
    }
    String type = m.get("type") == null ? "default" : r.string(m.get("type"), "type");
    switch (type) {
      case "default":
        boolean suffix =
            m.get("match_suffix") != null && r.bool(m.get("match_suffix"), "match_suffix");
        List<FieldKey> excluded = new ArrayList<>();
        if (m.get("exclude_fields") != null) {
          for (Object o : r.list(m.get("exclude_fields"), "exclude_fields")) {
            excluded.add(r.fieldKeyOf(o, "exclude_fields"));
          }
        }
        return new FieldsMapping.Default(suffix, excluded);
      case "all":
        return new FieldsMapping.All();
      case "none":
        return new FieldsMapping.None();
      case "specific":
        Map<FieldKey, List<FieldKey>> map = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r.object(m.get("mapping")).entrySet()) {
          List<FieldKey> ups = new ArrayList<>();
          for (Object o : r.list(e.getValue(), "mapping." + e.getKey())) {
            ups.add(r.fieldKeyOf(o, "mapping." + e.getKey()));
          }
          map.put(r.fieldKey(e.getKey(), "mapping"), ups);
        }
        return new FieldsMapping.Specific(map);
      default:
        throw r.error(
            "type", "unknown fields mapping type \"" + type + "\" (default, all, none, specific)");
    }
  }

  private static Lineage lineageFromTree(@Nullable Object tree, Reader r) {
    Map<String, Object> m = r.object(tree);
    if (m.get("relationship") != null) {
      return lineageFromTree(m.get("relationship"), r.at("relationship"));
    }
    String type = r.string(m.get("type"), "type");
    List<String> on = m.get("on") == null ? null : r.strings(m.get("on"), "on");
    switch (type) {
      case "1:1":
      case "identity":
        return Lineage.IDENTITY;
      case "N:1":
      case "aggregation":
        return new Lineage.Aggregation(on);
      case "1:N":
      case "expansion":
        if (on == null) {
          throw r.error("on", "expansion lineage needs \"on\" columns");
        }
        Object pattern = m.get("id_generation_pattern");
        return new Lineage.Expansion(
            on, pattern == null ? null : r.string(pattern, "id_generation_pattern"));
      default:
        throw r.error("type", "unknown lineage \"" + type + "\" (1:1, N:1, 1:N)");
    }
  }

  private static FieldSpec fieldFromTree(@Nullable Object tree, Reader r) {
    if (tree instanceof String s) {
      return new FieldSpec(
          r.fieldKey(s, "key"), FieldSpec.INITIAL_CODE_VERSION, FieldDeps.AUTOMATIC);
    }
    Map<String, Object> m = r.object(tree);
    FieldKey key =
        m.get("key") == null ? FieldKey.DEFAULT : r.fieldKey(r.string(m.get("key"), "key"), "key");
    Object cv = m.get("code_version");
    String codeVersion = cv == null
        ? FieldSpec.INITIAL_CODE_VERSION
        : (cv instanceof String s ? s : String.valueOf(cv));
    Object rawDeps = m.get("deps");
    FieldDeps deps;
    if (rawDeps == null) {
      deps = FieldDeps.AUTOMATIC;
    } else if (ALL_DEP.equals(rawDeps)) {
      deps = FieldDeps.ALL_UPSTREAM;
    } else {
      List<Object> list = r.list(rawDeps, "deps");
      if (list.isEmpty()) {
        deps = FieldDeps.AUTOMATIC;
      } else {
        List<FieldDep> fds = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          Reader dr = r.at("deps[" + i + "]");
          Map<String, Object> dm = dr.object(list.get(i));
          FeatureKey feature = dr.featureKey(dr.string(dm.get("feature"), "feature"), "feature");
          Object fields = dm.get("fields");
          if (fields == null || ALL_DEP.equals(fields)) {
            fds.add(FieldDep.all(feature));
          } else {
            List<FieldKey> keys = new ArrayList<>();
            for (Object o : dr.list(fields, "fields")) {
              keys.add(dr.fieldKeyOf(o, "fields"));
            }
            fds.add(new FieldDep(feature, keys));
          }
        }
        deps = new FieldDeps.Explicit(fds);
      }
    }
    return new FieldSpec(key, codeVersion, deps);
  }

  /** Keeps the path of the value being read so errors can name it. */
  private record Reader(String path) {
    Reader at(String child) {
      return new Reader(path + "." + child);
    }

    MetaxyException error(String member, String message) {
      return new MetaxyException("invalid feature spec at " + path + "." + member + ": " + message);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(@Nullable Object o) {
      if (o instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
      throw new MetaxyException(
          "invalid feature spec at " + path + ": expected an object, got " + describe(o));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(@Nullable Object o, String member) {
      if (o instanceof List<?> l) {
        return (List<Object>) l;
      }
      throw error(member, "expected a list, got " + describe(o));
    }

    String string(@Nullable Object o, String member) {
      if (o instanceof String s) {
        return s;
      }
      throw error(member, "expected a string, got " + describe(o));
    }

    boolean bool(@Nullable Object o, String member) {
      if (o instanceof Boolean b) {
        return b;
      }
      throw error(member, "expected true or false, got " + describe(o));
    }

    List<String> strings(@Nullable Object o, String member) {
      List<String> out = new ArrayList<>();
      for (Object item : list(o, member)) {
        out.add(string(item, member));
      }
      return out;
    }

    FeatureKey featureKey(String s, String member) {
      String problem = KeyParts.problem(KeyParts.split(s));
      if (problem != null) {
        throw error(member, "invalid feature key \"" + s + "\": " + problem);
      }
      return FeatureKey.of(s);
    }

    FieldKey fieldKey(String s, String member) {
      String problem = KeyParts.problem(KeyParts.split(s));
      if (problem != null) {
        throw error(member, "invalid field key \"" + s + "\": " + problem);
      }
      return FieldKey.of(s);
    }

    /** A field key given as a string or as a list of parts. */
    FieldKey fieldKeyOf(@Nullable Object o, String member) {
      if (o instanceof List<?> parts) {
        return fieldKey(String.join("/", strings(parts, member)), member);
      }
      return fieldKey(string(o, member), member);
    }

    private static String describe(@Nullable Object o) {
      return o == null
          ? "null"
          : o instanceof String s ? "\"" + s + "\"" : o.getClass().getSimpleName();
    }
  }
}
