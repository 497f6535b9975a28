package io.metaxy.cli;

import io.metaxy.cli.GraphData.Edge;
import io.metaxy.cli.GraphData.FieldNode;
import io.metaxy.cli.GraphData.Node;
import io.metaxy.cli.GraphData.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The diff-specific formats of {@code graph-diff render} (CLI spec §2.4): terminal, json, yaml and
 * mermaid. Like the reference they ignore the display options and always show every field with fixed
 * hash lengths (8 in text, 6 in Mermaid labels); cards and graphviz go through the generic renderers.
 */
final class DiffFormatter {
  private DiffFormatter() {}

  private static int rank(Status s) {
    return switch (s) {
      case UNCHANGED, NORMAL -> 0;
      case CHANGED -> 1;
      case ADDED -> 2;
      case REMOVED -> 3;
    };
  }

  /** The merged view as text: unchanged, changed, added, removed features, each group by key. */
  static String terminal(GraphData data) {
    if (data.isEmpty()) {
      return "Empty graph (no features)\n";
    }
    List<Node> nodes = new ArrayList<>(data.nodes());
    nodes.sort(Comparator.comparingInt((Node n) -> rank(n.status()))
        .thenComparing(Node::key, GraphDiff.KEY_ORDER));
    StringBuilder out = new StringBuilder("Feature Graph (merged view):\n");
    for (Node n : nodes) {
      out.append('\n').append(symbol(n.status())).append(' ').append(n.key());
      if (n.status() == Status.CHANGED
          || n.status() == Status.ADDED
          || n.status() == Status.REMOVED) {
        out.append(" (").append(n.status().name().toLowerCase(Locale.ROOT)).append(')');
      }
      out.append('\n');
      if (n.oldVersion() != null) {
        out.append("  version: ")
            .append(short8(n.oldVersion()))
            .append(" → ")
            .append(short8(n.version()))
            .append('\n');
      } else {
        out.append("  version: ").append(short8(n.version())).append('\n');
      }
      if (!n.dependencies().isEmpty()) {
        out.append("  depends on: ").append(String.join(", ", n.dependencies())).append('\n');
      }
      if (!n.fields().isEmpty()) {
        out.append("  fields:\n");
        for (FieldNode f : n.fields()) {
          // Fields of an added or removed feature carry its status but are listed plainly.
          Status s = n.status() == Status.CHANGED ? f.status() : Status.UNCHANGED;
          out.append("    ").append(symbol(s)).append(' ').append(f.key()).append(" (");
          if (s == Status.CHANGED) {
            // GraphDiff gives a changed field its old version.
            out.append(short8(Objects.requireNonNull(f.oldVersion())))
                .append(" → ")
                .append(short8(f.version()));
          } else {
            out.append(short8(f.version()));
          }
          out.append(")\n");
        }
      }
    }
    return out.toString();
  }

  private static String short8(String v) {
    return Text.hash(v, 8) + "...";
  }

  private static char symbol(Status s) {
    return switch (s) {
      case ADDED -> '+';
      case REMOVED -> '-';
      case CHANGED -> '~';
      default -> ' ';
    };
  }

  /** The merged view as a tree for JSON and YAML. */
  static Map<String, Object> tree(GraphData data) {
    Map<String, Object> nodes = new LinkedHashMap<>();
    List<Node> sorted = new ArrayList<>(data.nodes());
    sorted.sort(Comparator.comparing(Node::key, GraphDiff.KEY_ORDER));
    for (Node n : sorted) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", n.status().name().toLowerCase(Locale.ROOT));
      m.put(
          "old_version",
          switch (n.status()) {
            case ADDED -> null;
            case CHANGED -> n.oldVersion();
            default -> n.version();
          });
      m.put("new_version", n.status() == Status.REMOVED ? null : n.version());
      m.put("dependencies", n.dependencies());
      List<Object> changes = new ArrayList<>();
      if (n.status() == Status.CHANGED) {
        for (FieldNode f : n.fields()) {
          if (f.status() == Status.UNCHANGED) {
            continue;
          }
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("field_key", f.key());
          c.put(
              "old_version",
              switch (f.status()) {
                case ADDED -> null;
                case CHANGED -> f.oldVersion();
                default -> f.version();
              });
          c.put("new_version", f.status() == Status.REMOVED ? null : f.version());
          c.put("is_added", f.status() == Status.ADDED);
          c.put("is_removed", f.status() == Status.REMOVED);
          c.put("is_changed", f.status() == Status.CHANGED);
          changes.add(c);
        }
      }
      m.put("field_changes", changes);
      nodes.put(n.key(), m);
    }
    List<Object> edges = new ArrayList<>();
    for (Edge e : data.edges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", e.from());
      m.put("to", e.to());
      edges.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("nodes", nodes);
    root.put("edges", edges);
    return root;
  }

  static String json(GraphData data) {
    return JsonText.pretty(tree(data)) + "\n";
  }

  static String yaml(GraphData data) {
    return YamlText.write(tree(data));
  }

  /** The merged view as a Mermaid flowchart with coloured transitions and status styles. */
  static String mermaid(GraphData data) {
    StringBuilder out = new StringBuilder();
    MermaidRenderer.header(out, "Feature Graph Changes", "TB");
    out.append("    ").append(MermaidRenderer.INIT).append('\n');
    Map<String, String> ids = MermaidRenderer.ids(data.nodes(), false);
    for (Node n : data.nodes()) {
      List<String> lines = new ArrayList<>();
      lines.add("<b>" + MermaidRenderer.escape(n.key()) + "</b>");
      lines.add(MermaidRenderer.transition(n.oldVersion(), n.version(), 6));
      if (!n.fields().isEmpty()) {
        lines.add(MermaidRenderer.font("#999", "---"));
        for (FieldNode f : n.fields()) {
          Status s = n.status() == Status.CHANGED ? f.status() : Status.UNCHANGED;
          String name = MermaidRenderer.escape(f.key());
          String colour = MermaidRenderer.statusColour(s);
          if (colour != null) {
            name = MermaidRenderer.font(colour, name);
          }
          lines.add("- " + name + " (" + MermaidRenderer.transition(f.oldVersion(), f.version(), 6)
              + ")");
        }
      }
      String node = MermaidRenderer.node(
          MermaidRenderer.id(ids, n.key()), n.status(), MermaidRenderer.div(lines));
      out.append("    ").append(node).append('\n');
    }
    for (Edge e : data.edges()) {
      out.append("    ")
          .append(ids.get(e.from()))
          .append(" --> ")
          .append(ids.get(e.to()))
          .append('\n');
    }
    MermaidRenderer.styles(data.nodes(), ids, out);
    return out.toString();
  }
}
