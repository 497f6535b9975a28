package io.metaxy.config;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.versioning.Truncation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the merged raw table into a validated {@link MetaxyConfig} (spec cli.md §3.5–§3.7). */
final class Binder {
  private static final Logger LOG = LoggerFactory.getLogger(Binder.class);

  private static final Pattern PROJECT = Pattern.compile("^[a-zA-Z0-9_-]+$");

  private Binder() {}

  static MetaxyConfig bind(
      Node.Table root, @Nullable Path configFile, List<Path> files, Path baseDirectory) {
    Values.checkKeys(root, "", Schema.TOP_LEVEL, "");

    String store = optString(root, "store", "dev");
    String extend = stringOrNull(root, "extend");
    List<String> entrypoints = root.get("entrypoints") == null
        ? List.of()
        : Values.stringList(root.get("entrypoints"), "entrypoints");
    String theme = optString(root, "theme", "default");

    int length = 8;
    Node lengthNode = root.get("hash_truncation_length");
    if (lengthNode != null) {
      long l = Values.integer(lengthNode, "hash_truncation_length");
      if (l < Truncation.MINIMUM || l > Integer.MAX_VALUE) {
        throw Values.error(
            lengthNode,
            "hash_truncation_length",
            "must be at least " + Truncation.MINIMUM + ", got " + l);
      }
      length = (int) l;
    }
    Truncation truncation = new Truncation(length);

    boolean enableMap = optBool(root, "enable_map_datatype", false);
    boolean autoCreate = optBool(root, "auto_create_tables", false);
    String project = null;
    Node projectNode = root.get("project");
    if (projectNode != null) {
      project = Values.string(projectNode, "project");
      checkProject(projectNode, project);
    }
    Boolean locked = root.get("locked") == null ? null : Values.bool(root.get("locked"), "locked");
    boolean sync = optBool(root, "sync", true);
    String lockPath = stringOrNull(root, "metaxy_lock_path");

    Map<String, StoreConfig> stores = stores(root.get("stores"), autoCreate, truncation);
    Map<String, PluginConfig> ext = plugins(root.get("ext"));
    List<FeatureSelection> extra = extraFeatures(root.get("extra_features"));

    List<String> classpath = List.of();
    String classpathSource = Node.Origin.DEFAULT.label();
    Node graphNode = root.get("graph");
    if (graphNode != null) {
      Node.Table graph = Values.table(graphNode, "graph");
      Values.checkKeys(graph, "graph", Schema.GRAPH_KEYS, "");
      Node cp = graph.get("classpath");
      if (cp != null) {
        classpath = Values.stringList(cp, "graph.classpath");
        classpathSource = cp.origin.label();
      }
    }

    return new MetaxyConfig(
        store,
        stores,
        extend,
        entrypoints,
        theme,
        ext,
        truncation,
        enableMap,
        autoCreate,
        project,
        locked,
        sync,
        extra,
        lockPath,
        classpath,
        classpathSource,
        configFile,
        files,
        baseDirectory);
  }

  private static String optString(Node.Table t, String key, String fallback) {
    Node n = t.get(key);
    return n == null ? fallback : Values.string(n, key);
  }

  private static @Nullable String stringOrNull(Node.Table t, String key) {
    Node n = t.get(key);
    return n == null ? null : Values.string(n, key);
  }

  private static boolean optBool(Node.Table t, String key, boolean fallback) {
    Node n = t.get(key);
    return n == null ? fallback : Values.bool(n, key);
  }

  private static void checkProject(Node node, String project) {
    if (project.isEmpty()) {
      throw Values.error(node, "project", "must not be empty");
    }
    if (project.contains("__")) {
      throw Values.error(node, "project", "must not contain '__', got \"" + project + "\"");
    }
    if (!PROJECT.matcher(project).matches()) {
      throw Values.error(
          node,
          "project",
          "may only contain letters, digits, '_' and '-', got \"" + project + "\"");
    }
  }

  private static Map<String, StoreConfig> stores(
      @Nullable Node node, boolean autoCreate, Truncation truncation) {
    Map<String, StoreConfig> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    Node.Table stores = Values.table(node, "stores");
    for (Map.Entry<String, Node> e : stores.entries.entrySet()) {
      String name = e.getKey();
      String path = "stores." + name;
      Node.Table entry = Values.table(e.getValue(), path);
      Node type = entry.get("type");
      if (type == null) {
        // Partial entries usually come from stray METAXY_STORES__X__CONFIG__... variables; the
        // reference drops them with this warning instead of failing.
        List<String> fields = new ArrayList<>();
        collectKeys(entry, "", fields);
        LOG.warn(
            "Ignoring incomplete store config '{}': missing required 'type' field{}. This is typically caused"
                + " by environment variables.",
            name,
            fields.isEmpty() ? "" : " (has fields: " + String.join(", ", fields) + ")");
        continue;
      }
      Values.checkKeys(
          entry, path, Schema.STORE_KEYS, "; store settings belong under [" + path + ".config]");
      Node configNode = entry.get("config");
      Node.Table config = configNode == null
          ? new Node.Table(type.origin)
          : Values.table(configNode, path + ".config");
      out.put(name, new StoreConfig(name, type, config, autoCreate, truncation));
    }
    return out;
  }

  private static void collectKeys(Node.Table t, String prefix, List<String> out) {
    for (Map.Entry<String, Node> e : t.entries.entrySet()) {
      String key = Node.join(prefix, e.getKey());
      out.add(key);
      if (e.getValue() instanceof Node.Table sub) {
        collectKeys(sub, key, out);
      }
    }
  }

  private static Map<String, PluginConfig> plugins(@Nullable Node node) {
    Map<String, PluginConfig> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    Node.Table ext = Values.table(node, "ext");
    for (Map.Entry<String, Node> e : ext.entries.entrySet()) {
      String path = "ext." + e.getKey();
      Node.Table plugin = Values.table(e.getValue(), path);
      boolean enable = false;
      Map<String, Object> options = new LinkedHashMap<>();
      for (Map.Entry<String, Node> o : plugin.entries.entrySet()) {
        if (o.getKey().equals("enable")) {
          enable = Values.bool(o.getValue(), path + ".enable");
        } else {
          options.put(o.getKey(), o.getValue().toPlain());
        }
      }
      out.put(e.getKey(), new PluginConfig(e.getKey(), enable, options));
    }
    return out;
  }

  private static List<FeatureSelection> extraFeatures(@Nullable Node node) {
    List<FeatureSelection> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    Node.Array array = Values.array(node, "extra_features");
    for (int i = 0; i < array.items.size(); i++) {
      String path = "extra_features[" + i + "]";
      Node.Table t = Values.table(array.items.get(i), path);
      Values.checkKeys(t, path, Schema.SELECTION_KEYS, "");
      List<String> projects = t.get("projects") == null
          ? null
          : Values.stringList(t.get("projects"), path + ".projects");
      List<FeatureKey> keys = null;
      if (t.get("keys") != null) {
        keys = new ArrayList<>();
        List<String> raw = Values.stringList(t.get("keys"), path + ".keys");
        for (int k = 0; k < raw.size(); k++) {
          try {
            keys.add(FeatureKey.of(raw.get(k)));
          } catch (MetaxyException ex) {
            throw Values.error(t.get("keys"), path + ".keys[" + k + "]", ex.getMessage());
          }
        }
      }
      Boolean all = t.get("all") == null ? null : Values.bool(t.get("all"), path + ".all");
      if (projects == null && keys == null && all == null) {
        throw Values.error(t, path, "needs at least one of projects, keys, all");
      }
      out.add(new FeatureSelection(projects, keys, all));
    }
    return out;
  }
}
