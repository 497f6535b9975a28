package io.metaxy.processor.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Every naming rule of the generated code, in one place. */
public final class Names {
  private Names() {}

  /**
   * The companion of a record: {@code Metaxy} + its simple names joined with {@code _} (the same rule
   * as {@code FeatureCompanions.companionName} at run time).
   */
  public static String companionSimpleName(List<String> simpleNames) {
    return "Metaxy" + String.join("_", simpleNames);
  }

  /** The default registry class of a compilation: {@code <common package>.MetaxyFeatureRegistry}. */
  public static String defaultRegistryName(List<String> packages) {
    List<String> common = null;
    for (String p : packages) {
      List<String> parts = p.isEmpty() ? List.of() : List.of(p.split("\\."));
      if (common == null) {
        common = new ArrayList<>(parts);
      } else {
        int n = 0;
        while (n < common.size() && n < parts.size() && common.get(n).equals(parts.get(n))) {
          n++;
        }
        common = new ArrayList<>(common.subList(0, n));
      }
    }
    String pkg = common == null ? "" : String.join(".", common);
    return pkg.isEmpty() ? "MetaxyFeatureRegistry" : pkg + ".MetaxyFeatureRegistry";
  }

  /**
   * A column name from a component name: snake_case ({@code videoId} → {@code video_id},
   * {@code HTTPCode} → {@code http_code}).
   */
  public static String snakeCase(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean afterLowerOrDigit = i > 0
            && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
        boolean endsAcronym = i > 0
            && Character.isUpperCase(name.charAt(i - 1))
            && i + 1 < name.length()
            && Character.isLowerCase(name.charAt(i + 1));
        if ((afterLowerOrDigit || endsAcronym)
            && sb.length() > 0
            && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Java constant names for a list of names (column names, field struct keys): upper case, anything
   * but letters and digits → {@code _}; a clash (e.g. {@code a-b} and {@code a_b}) gets a numeric
   * suffix, in list order, so the result is deterministic.
   */
  public static List<String> constantNames(List<String> names, Set<String> reserved) {
    Set<String> used = new HashSet<>(reserved);
    List<String> out = new ArrayList<>();
    for (String n : names) {
      StringBuilder sb = new StringBuilder();
      for (char c : n.toUpperCase(Locale.ROOT).toCharArray()) {
        sb.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
      }
      String base = sb.length() == 0 || Character.isDigit(sb.charAt(0)) ? "_" + sb : sb.toString();
      String candidate = base;
      for (int i = 2; !used.add(candidate); i++) {
        candidate = base + "_" + i;
      }
      out.add(candidate);
    }
    return out;
  }
}
