package io.metaxy.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A raw configuration value before binding: a TOML table, array or scalar that remembers where it came
 * from, so that a type error found after merging files, environment and arguments still names the right
 * file or variable.
 */
abstract class Node {
  final Origin origin;

  private Node(Origin origin) {
    this.origin = Objects.requireNonNull(origin);
  }

  /** The user-facing name of this value's type, as used in "expected a string, got an integer". */
  abstract String typeName();

  /** The value as plain Java objects (LinkedHashMap, List, String, Long, Double, Boolean). */
  abstract Object toPlain();

  /** A copy whose strings went through {@code f} (templating). */
  abstract Node mapStrings(UnaryOperator<String> f);

  /** Where a value came from: a file, an environment variable or an explicit argument. */
  record Origin(String label) {
    static Origin file(Path path) {
      return new Origin(path.toString());
    }

    static Origin env(String variable) {
      return new Origin("environment variable " + variable);
    }

    static Origin argument(String key) {
      return new Origin("explicit argument '" + key + "'");
    }

    static final Origin DEFAULT = new Origin("defaults");

    @Override
    public String toString() {
      return label;
    }
  }

  /** A table; iteration follows insertion (file) order. */
  static final class Table extends Node {
    final LinkedHashMap<String, Node> entries = new LinkedHashMap<>();

    Table(Origin origin) {
      super(origin);
    }

    @Nullable
    Node get(String key) {
      return entries.get(key);
    }

    @Override
    String typeName() {
      return "a table";
    }

    @Override
    Object toPlain() {
      Map<String, Object> out = new LinkedHashMap<>();
      entries.forEach((k, v) -> out.put(k, v.toPlain()));
      return Collections.unmodifiableMap(out);
    }

    @Override
    Table mapStrings(UnaryOperator<String> f) {
      Table t = new Table(origin);
      entries.forEach((k, v) -> t.entries.put(k, v.mapStrings(f)));
      return t;
    }

    /** A shallow copy (the map is new, the values are shared; nodes are never mutated after merging). */
    Table copy() {
      Table t = new Table(origin);
      t.entries.putAll(entries);
      return t;
    }
  }

  /** An array. */
  static final class Array extends Node {
    final List<Node> items;

    Array(Origin origin, List<Node> items) {
      super(origin);
      this.items = List.copyOf(items);
    }

    @Override
    String typeName() {
      return "an array";
    }

    @Override
    Object toPlain() {
      List<Object> out = new ArrayList<>();
      items.forEach(i -> out.add(i.toPlain()));
      return Collections.unmodifiableList(out);
    }

    @Override
    Array mapStrings(UnaryOperator<String> f) {
      List<Node> out = new ArrayList<>();
      items.forEach(i -> out.add(i.mapStrings(f)));
      return new Array(origin, out);
    }
  }

  /**
   * A string, integer, float, boolean or date-time. A <em>lenient</em> scalar is text from an environment
   * variable or a CLI argument: it is converted to the type the field needs ("8" to 8, "true" to true),
   * as pydantic-settings does, instead of being rejected as a string.
   */
  static final class Scalar extends Node {
    final Object value;
    final boolean lenient;

    Scalar(Origin origin, Object value, boolean lenient) {
      super(origin);
      this.value = Objects.requireNonNull(value);
      this.lenient = lenient;
    }

    @Override
    String typeName() {
      if (value instanceof String) {
        return "a string";
      } else if (value instanceof Boolean) {
        return "a boolean";
      } else if (value instanceof Long) {
        return "an integer";
      } else if (value instanceof Double) {
        return "a float";
      }
      return "a date-time";
    }

    @Override
    Object toPlain() {
      return value;
    }

    @Override
    Scalar mapStrings(UnaryOperator<String> f) {
      return value instanceof String s ? new Scalar(origin, f.apply(s), lenient) : this;
    }
  }

  /**
   * Converts a plain Java tree (as Jackson reads TOML or JSON, or as a caller passes overrides) into
   * nodes of one origin.
   *
   * @param path the dotted key, for the error when a value has no TOML equivalent
   */
  static Node fromPlain(Object value, Origin origin, boolean lenientStrings, String path) {
    if (value instanceof Map<?, ?> map) {
      Table t = new Table(origin);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (e.getValue() == null) {
          continue; // TOML has no null; a null override or JSON null means "not set"
        }
        t.entries.put(key, fromPlain(e.getValue(), origin, lenientStrings, join(path, key)));
      }
      return t;
    }
    if (value instanceof List<?> list) {
      List<Node> items = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        if (item == null) {
          throw new ConfigException(
              origin + ": " + path + "[" + i + "]: null is not a valid value");
        }
        items.add(fromPlain(item, origin, lenientStrings, path + "[" + i + "]"));
      }
      return new Array(origin, items);
    }
    if (value instanceof String s) {
      return new Scalar(origin, s, lenientStrings);
    }
    if (value instanceof Boolean b) {
      return new Scalar(origin, b, false);
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return new Scalar(origin, ((Number) value).longValue(), false);
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() >= 64) {
        throw new ConfigException(origin + ": " + path + ": integer out of range: " + big);
      }
      return new Scalar(origin, big.longValue(), false);
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return new Scalar(origin, ((Number) value).doubleValue(), false);
    }
    if (value instanceof Temporal) {
      return new Scalar(origin, value, false);
    }
    if (value instanceof Path p) {
      return new Scalar(origin, p.toString(), false);
    }
    throw new ConfigException(
        origin + ": " + path + ": unsupported value of type " + value.getClass().getName());
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
