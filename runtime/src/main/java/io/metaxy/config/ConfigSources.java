package io.metaxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three raw sources of a configuration and how they combine (spec cli.md §3.1–§3.4): the TOML file
 * with its {@code extend} chain, {@code METAXY_*} environment variables, and explicit overrides.
 */
final class ConfigSources {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigSources.class);

  /** Environment variable naming the config file; it wins even over an explicit path (reference quirk). */
  static final String CONFIG_ENV = "METAXY_CONFIG";

  static final String ENV_PREFIX = "METAXY_";
  static final String ENV_DELIMITER = "__";

  /** The reference's templating pattern, kept verbatim so the same strings expand the same way. */
  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{([^}:]+)(?::-([^}]*))?\\}");

  private static final TomlMapper TOML = new TomlMapper();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private ConfigSources() {}

  // ---------------------------------------------------------------------------------------------
  // Discovery

  /**
   * The config file to read, or null for none: {@code METAXY_CONFIG}, else {@code explicit}, else the
   * first directory from {@code start} upwards that has {@code metaxy.toml} or a {@code pyproject.toml}
   * with a non-empty {@code [tool.metaxy]} table.
   */
  static @Nullable Path locate(
      @Nullable Path explicit, Path start, boolean searchParents, Map<String, String> env) {
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      Path p = start.resolve(fromEnv).toAbsolutePath().normalize();
      if (!Files.isRegularFile(p)) {
        throw new ConfigException(
            "environment variable " + CONFIG_ENV + ": config file does not exist: " + p);
      }
      return p;
    }
    if (explicit != null) {
      Path p = start.resolve(explicit).toAbsolutePath().normalize();
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("config file does not exist: " + p);
      }
      return p;
    }
    Path dir = start.toAbsolutePath().normalize();
    while (dir != null) {
      Path found = inDirectory(dir);
      if (found != null) {
        return found;
      }
      if (!searchParents) {
        break;
      }
      dir = dir.getParent();
    }
    return null;
  }

  private static @Nullable Path inDirectory(Path dir) {
    Path metaxyToml = dir.resolve("metaxy.toml");
    if (Files.isRegularFile(metaxyToml)) {
      return metaxyToml;
    }
    Path pyproject = dir.resolve("pyproject.toml");
    if (Files.isRegularFile(pyproject)) {
      Map<?, ?> data = parseToml(pyproject);
      if (data.get("tool") instanceof Map<?, ?> tool
          && tool.get("metaxy") instanceof Map<?, ?> metaxy
          && !metaxy.isEmpty()) {
        return pyproject;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Files and extend

  /** The directory of a config file, whose path {@link #locate} made absolute: never a root, so never null. */
  static Path directoryOf(Path file) {
    return Objects.requireNonNull(file.getParent(), "an absolute file path has a parent");
  }

  /** A file's table with its {@code extend} chain merged in, and the files read (child first). */
  record Resolved(Node.Table table, List<Path> files) {}

  /**
   * Reads {@code file} and its whole {@code extend} chain, merged child over parent. The {@code extend}
   * keys are consumed, as in the reference: the result is the flattened configuration.
   */
  static Resolved readResolved(Path file) {
    List<Path> chain = new ArrayList<>();
    Node.Table table = readResolved(file.toAbsolutePath().normalize(), chain);
    return new Resolved(table, List.copyOf(chain));
  }

  private static Node.Table readResolved(Path file, List<Path> chain) {
    chain.add(file);
    Node.Table data = readFile(file);
    Node extendNode = data.entries.remove("extend");
    if (extendNode == null) {
      return data;
    }
    if (!(extendNode instanceof Node.Scalar s) || !(s.value instanceof String extend)) {
      throw new ConfigException(file + ": extend: expected a string, got " + extendNode.typeName());
    }
    Path parent = directoryOf(file).resolve(extend).toAbsolutePath().normalize();
    if (!Files.isRegularFile(parent)) {
      throw new ConfigException("Config file referenced by 'extend' does not exist: " + parent
          + " (extended by " + file + ")");
    }
    for (Path seen : chain) {
      if (sameFile(seen, parent)) {
        StringBuilder cycle = new StringBuilder("Circular config inheritance detected: ");
        for (Path p : chain) {
          cycle.append(p).append(" -> ");
        }
        throw new ConfigException(cycle.append(parent).toString());
      }
    }
    return extendMerge(readResolved(parent, chain), data);
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.equals(b);
    }
  }

  /** One file's table (for {@code pyproject.toml}, only {@code [tool.metaxy]}). */
  static Node.Table readFile(Path file) {
    Map<?, ?> data = parseToml(file);
    Node.Origin origin = Node.Origin.file(file);
    if (file.getFileName().toString().equals("pyproject.toml")) {
      Object tool = data.get("tool");
      Object metaxy = tool instanceof Map<?, ?> t ? t.get("metaxy") : null;
      if (metaxy == null) {
        return new Node.Table(origin);
      }
      if (!(metaxy instanceof Map<?, ?> m)) {
        throw new ConfigException(file + ": tool.metaxy: expected a table");
      }
      data = m;
    }
    return (Node.Table) Node.fromPlain(data, origin, false, "");
  }

  private static Map<?, ?> parseToml(Path file) {
    try {
      Object value = TOML.readValue(file.toFile(), Object.class);
      return value instanceof Map<?, ?> m ? m : Map.of();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new ConfigException(file + ": " + where + "invalid TOML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code extend} merge of the reference, on raw tables: a key's scalar is replaced, a table is
   * merged one level deep only (a child {@code [stores.x]} replaces the parent's {@code stores.x}), and an
   * array is the parent's items followed by the child's.
   */
  static Node.Table extendMerge(Node.Table parent, Node.Table child) {
    Node.Table merged = parent.copy();
    for (Map.Entry<String, Node> e : child.entries.entrySet()) {
      Node p = parent.get(e.getKey());
      Node c = e.getValue();
      if (p instanceof Node.Table pt && c instanceof Node.Table ct) {
        Node.Table shallow = pt.copy();
        shallow.entries.putAll(ct.entries);
        merged.entries.put(e.getKey(), shallow);
      } else if (p instanceof Node.Array pa && c instanceof Node.Array ca) {
        List<Node> items = new ArrayList<>(pa.items);
        items.addAll(ca.items);
        merged.entries.put(e.getKey(), new Node.Array(ca.origin, items));
      } else {
        merged.entries.put(e.getKey(), c);
      }
    }
    return merged;
  }

  // ---------------------------------------------------------------------------------------------
  // Templating

  /** Expands {@code ${NAME}} and {@code ${NAME:-default}} in every string; unset without default → "". */
  static Node.Table template(Node.Table table, Map<String, String> env) {
    return table.mapStrings(s -> expand(s, env));
  }

  static String expand(String s, Map<String, String> env) {
    if (s.indexOf("${") < 0) {
      return s;
    }
    Matcher m = TEMPLATE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        value = m.group(2) != null ? m.group(2) : "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Environment and overrides

  /**
   * The {@code METAXY_*} variables that name a configuration field, as a table: the prefix is dropped,
   * names are lower-cased and split at {@code __}. Variables whose first part is not a field
   * ({@code METAXY_CONFIG}, {@code METAXY_LOG_LEVEL}, per-command CLI defaults...) are ignored, as
   * pydantic-settings ignores them. Applied in sorted name order so the result does not depend on map
   * iteration order.
   */
  static Node.Table fromEnvironment(Map<String, String> env) {
    Node.Table result = new Node.Table(Node.Origin.DEFAULT);
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.length() <= ENV_PREFIX.length()
          || !name.regionMatches(true, 0, ENV_PREFIX, 0, ENV_PREFIX.length())) {
        continue;
      }
      List<String> path = Arrays.asList(
          name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split(ENV_DELIMITER, -1));
      if (!Schema.TOP_LEVEL.contains(path.get(0))) {
        continue;
      }
      if (path.stream().anyMatch(String::isEmpty)) {
        LOG.debug("Ignoring environment variable {}: empty key part", name);
        continue;
      }
      Node.Origin origin = Node.Origin.env(name);
      Node leaf = envValue(e.getValue(), path, origin, name);
      result = deepMerge(result, nest(path, leaf, origin));
    }
    return result;
  }

  /**
   * Structured fields (lists, tables) take JSON in environment variables, as in the reference; everything
   * else stays text and is converted when bound to its field.
   */
  private static Node envValue(String value, List<String> path, Node.Origin origin, String name) {
    String trimmed = value.trim();
    if (Schema.isStructured(path) && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
      try {
        Object parsed = JSON.readValue(trimmed, Object.class);
        return Node.fromPlain(parsed, origin, false, String.join(".", path));
      } catch (JsonProcessingException ex) {
        throw new ConfigException(
            origin + ": " + String.join(".", path) + ": invalid JSON: " + ex.getOriginalMessage(),
            ex);
      }
    }
    return new Node.Scalar(origin, value, true);
  }

  /**
   * Explicit overrides (what the CLI passes): keys are dotted paths ({@code stores.dev.config.database})
   * or top-level names with nested maps as values; text values are converted like environment values.
   */
  static Node.Table fromOverrides(Map<String, ?> overrides) {
    Node.Table result = new Node.Table(Node.Origin.DEFAULT);
    for (Map.Entry<String, ?> e : overrides.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      List<String> path = Arrays.asList(e.getKey().split("\\.", -1));
      Node.Origin origin = Node.Origin.argument(e.getKey());
      if (path.stream().anyMatch(String::isEmpty)) {
        throw new ConfigException(origin + ": invalid key");
      }
      Node leaf = Node.fromPlain(e.getValue(), origin, true, e.getKey());
      result = deepMerge(result, nest(path, leaf, origin));
    }
    return result;
  }

  private static Node.Table nest(List<String> path, Node leaf, Node.Origin origin) {
    Node current = leaf;
    for (int i = path.size() - 1; i >= 0; i--) {
      Node.Table t = new Node.Table(origin);
      t.entries.put(path.get(i), current);
      current = t;
    }
    return (Node.Table) current;
  }

  /** {@code over} deep-merged into {@code base}: tables merge recursively, anything else is replaced. */
  static Node.Table deepMerge(Node.Table base, Node.Table over) {
    Node.Table merged = base.copy();
    for (Map.Entry<String, Node> e : over.entries.entrySet()) {
      Node b = base.get(e.getKey());
      if (b instanceof Node.Table bt && e.getValue() instanceof Node.Table ot) {
        merged.entries.put(e.getKey(), deepMerge(bt, ot));
      } else {
        merged.entries.put(e.getKey(), e.getValue());
      }
    }
    return merged;
  }
}
