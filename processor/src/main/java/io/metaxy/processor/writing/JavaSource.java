package io.metaxy.processor.writing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text of one generated compilation unit: a body written with plain string appends, the imports it
 * needs collected on the way. Generated code has a fixed shape, so this replaces a general code
 * generator (JavaPoet emitted every file twice, once to collect its imports, and was most of the
 * processor's own time).
 *
 * <p>A type is written by its simple name and imported unless that name is taken: by a type this file
 * declares or references by simple name (the record, its outer classes, the generated classes), or by
 * another import; then it is written fully qualified. {@code java.lang} types and types of the file's
 * own package need no import. Output carries no timestamp or environment data: the same input gives the
 * same bytes.
 */
final class JavaSource {
  private static final Set<String> JAVA_LANG = Set.of(
      "String",
      "Object",
      "Override",
      "SuppressWarnings",
      "Integer",
      "Long",
      "Double",
      "Float",
      "Boolean");

  private final String packageName;
  /** Simple names this file declares or uses for types of its own package. */
  private final Set<String> taken;
  /** Imported qualified name → simple name, sorted. */
  private final Map<String, String> imports = new TreeMap<>();
  /** Simple name → imported qualified name. */
  private final Map<String, String> importedBySimpleName = new HashMap<>();

  /**
   * @param packageName the file's package ({@code ""} for the unnamed package)
   * @param taken simple names of the types the file declares (top-level and nested) and of the
   *     top-level types of its package it references
   */
  JavaSource(String packageName, Set<String> taken) {
    this.packageName = packageName;
    this.taken = Set.copyOf(taken);
  }

  /**
   * How to write a type here: {@code qualifiedTopLevel} is its top-level type (e.g. {@code
   * io.metaxy.graph.FeatureRegistry}), {@code nested} the simple names of the nested types below it.
   */
  String type(String qualifiedTopLevel, String... nested) {
    int dot = qualifiedTopLevel.lastIndexOf('.');
    String pkg = dot < 0 ? "" : qualifiedTopLevel.substring(0, dot);
    String simple = qualifiedTopLevel.substring(dot + 1);
    String written;
    if (pkg.equals(packageName)) {
      written = simple;
    } else if (pkg.equals("java.lang")
        && JAVA_LANG.contains(simple)
        && !taken.contains(simple)
        && !importedBySimpleName.containsKey(simple)) {
      written = simple;
    } else if (qualifiedTopLevel.equals(importedBySimpleName.get(simple))) {
      written = simple;
    } else if (!taken.contains(simple)
        && !JAVA_LANG.contains(simple)
        && !importedBySimpleName.containsKey(simple)) {
      importedBySimpleName.put(simple, qualifiedTopLevel);
      imports.put(qualifiedTopLevel, simple);
      written = simple;
    } else {
      written = qualifiedTopLevel;
    }
    return nested.length == 0 ? written : written + "." + String.join(".", nested);
  }

  /** The file: package, imports, then the body. */
  String file(CharSequence body) {
    StringBuilder sb = new StringBuilder(body.length() + 64 * imports.size() + 64);
    if (!packageName.isEmpty()) {
      sb.append("package ").append(packageName).append(";\n\n");
    }
    for (String i : imports.keySet()) {
      sb.append("import ").append(i).append(";\n");
    }
    if (!imports.isEmpty()) {
      sb.append('\n');
    }
    return sb.append(body).toString();
  }

  /** A Java string literal, quotes included. */
  static String literal(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A Javadoc comment at this indentation; {@code text} may span lines. */
  static String javadoc(String indent, String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    if (lines.size() == 1) {
      return indent + "/** " + lines.get(0) + " */\n";
    }
    StringBuilder sb = new StringBuilder(indent).append("/**\n");
    for (String l : lines) {
      sb.append(indent).append(l.isEmpty() ? " *" : " * " + l).append('\n');
    }
    return sb.append(indent).append(" */\n").toString();
  }
}
