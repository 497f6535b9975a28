package io.metaxy.cli;

import io.metaxy.cli.GraphData.Edge;
import io.metaxy.cli.GraphData.FieldNode;
import io.metaxy.cli.GraphData.Node;
import io.metaxy.cli.GraphData.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code --format mermaid}: a Mermaid flowchart that pastes into a Markdown {@code ```mermaid} block.
 * Labels are HTML inside double-quoted strings, so they use single-quoted attributes and Mermaid
 * entities ({@code #quot;}) for characters that would end the string; node ids are derived from keys
 * but never contain {@code /} or {@code -}, never collide and never hit a Mermaid keyword.
 */
final class MermaidRenderer {
  static final String INIT =
      "%%{init: {'flowchart': {'htmlLabels': true, 'curve': 'basis'}, 'themeVariables': {'fontSize': '14px'}}}%%";

  /** Words the flowchart grammar treats specially when they stand alone as a node id. */
  private static final Set<String> KEYWORDS = Set.of(
      "end",
      "graph",
      "flowchart",
      "subgraph",
      "style",
      "classdef",
      "class",
      "click",
      "linkstyle",
      "default",
      "call",
      "href",
      "direction",
      "interpolate",
      "flowchart-elk");

  private static final Pattern SAFE_TITLE = Pattern.compile("[A-Za-z0-9 _.()/-]*");

  private MermaidRenderer() {}

  static String render(GraphData data, RenderConfig config) {
    StringBuilder out = new StringBuilder();
    header(out, config.title(), config.direction());
    if (config.showProjectVersion()) {
      out.append("    %% Snapshot version: ")
          .append(data.projectVersion() == null ? "none" : config.hash(data.projectVersion()))
          .append('\n');
    }
    out.append("    ").append(INIT).append('\n');
    Map<String, String> ids = ids(data.nodes(), true);
    for (Node n : data.nodes()) {
      out.append("    ")
          .append(node(id(ids, n.key()), n.status(), label(n, config)))
          .append('\n');
    }
    for (Edge e : data.edges()) {
      out.append("    ")
          .append(ids.get(e.from()))
          .append(" --> ")
          .append(ids.get(e.to()))
          .append('\n');
    }
    styles(data.nodes(), ids, out);
    return out.toString();
  }

  static void header(StringBuilder out, String title, String direction) {
    out.append("---\n").append("title: ").append(yamlTitle(title)).append("\n---\n");
    out.append("flowchart ").append(direction).append('\n');
  }

  /** Front-matter titles are YAML: plain when that is unambiguous, else double-quoted. */
  private static String yamlTitle(String title) {
    if (SAFE_TITLE.matcher(title).matches() && !title.isBlank()) {
      return title;
    }
    StringBuilder b = new StringBuilder();
    JsonText.string(title, b);
    return b.toString();
  }

  /** A node statement with the shape of its status: rectangle, round (added) or stadium (removed). */
  static String node(String id, Status status, String label) {
    String quoted = "\"" + label + "\"";
    return switch (status) {
      case ADDED -> id + "(" + quoted + ")";
      case REMOVED -> id + "([" + quoted + "])";
      default -> id + "[" + quoted + "]";
    };
  }

  static void styles(List<Node> nodes, Map<String, String> ids, StringBuilder out) {
    for (Node n : nodes) {
      String colour = statusColour(n.status());
      if (colour != null) {
        out.append("    style ")
            .append(ids.get(n.key()))
            .append(" stroke:")
            .append(colour)
            .append(",stroke-width:2px\n");
      }
    }
  }

  /** The id of a node, which {@link #ids} gave every node. */
  static String id(Map<String, String> ids, String key) {
    return Objects.requireNonNull(ids.get(key), key);
  }

  static @Nullable String statusColour(Status status) {
    return switch (status) {
      case ADDED -> Theme.ADDED;
      case REMOVED -> Theme.REMOVED;
      case CHANGED -> Theme.CHANGED;
      default -> null;
    };
  }

  /**
   * Node ids: the key with {@code /}, {@code -} and {@code __} replaced by {@code _} (lower-cased when
   * {@code lower}); a keyword gets a trailing {@code _}, a collision a numeric suffix.
   */
  static Map<String, String> ids(List<Node> nodes, boolean lower) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (Node n : nodes) {
      String base = n.key().replace("/", "_").replace("-", "_");
      while (base.contains("__")) {
        base = base.replace("__", "_");
      }
      if (lower) {
        base = base.toLowerCase(Locale.ROOT);
      }
      if (KEYWORDS.contains(base.toLowerCase(Locale.ROOT))) {
        base = base + "_";
      }
      String id = base;
      for (int i = 2; !used.add(id); i++) {
        id = base + "_" + i;
      }
      out.put(n.key(), id);
    }
    return out;
  }

  /** Text made safe inside a double-quoted HTML label. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("#quot;");
        case '<' -> b.append("#lt;");
        case '>' -> b.append("#gt;");
        case '&' -> b.append("#amp;");
        case '#' -> b.append("#35;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String font(String colour, String text) {
    return "<font color='" + colour + "'>" + text + "</font>";
  }

  static String div(List<String> lines) {
    return "<div style='text-align:left'>" + String.join("<br/>", lines) + "</div>";
  }

  private static String label(Node n, RenderConfig config) {
    List<String> lines = new ArrayList<>();
    String badge = TerminalRenderer.badge(n.status());
    lines.add("<b>" + escape(n.key()) + "</b>" + escape(badge));
    if (config.showProjects() && n.project() != null) {
      lines.add("<small>" + font("#666", "Project: " + escape(n.project())) + "</small>");
    }
    if (config.showFeatureVersions()) {
      lines.add(transition(n.oldVersion(), n.version(), config.hashLength()));
    }
    if (config.showFields() && !n.fields().isEmpty()) {
      lines.add(font("#999", "---"));
      for (FieldNode f : n.fields()) {
        List<String> parts = new ArrayList<>();
        if (config.showFieldVersions()) {
          parts.add(transition(f.oldVersion(), f.version(), config.hashLength()));
        }
        if (config.showCodeVersions() && f.codeVersion() != null) {
          parts.add("cv: " + escape(f.codeVersion()));
        }
        String name = escape(f.key()) + escape(TerminalRenderer.badge(f.status()));
        lines.add("- " + name + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")"));
      }
    }
    return div(lines);
  }

  /** {@code new}, or {@code old → new} in red and green when the version changed. */
  static String transition(@Nullable String oldVersion, String version, int length) {
    if (oldVersion != null && !oldVersion.equals(version)) {
      return font(Theme.REMOVED, Text.hash(oldVersion, length)) + " → "
          + font(Theme.ADDED, Text.hash(version, length));
    }
    return Text.hash(version, length);
  }
}
