package io.metaxy.cli;

import io.metaxy.cli.GraphData.Edge;
import io.metaxy.cli.GraphData.FieldNode;
import io.metaxy.cli.GraphData.Node;
import io.metaxy.cli.GraphData.Status;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code --format graphviz}: a {@code strict digraph} in DOT. Features are boxes (roots: double
 * octagons); fields are small ellipses {@code "feature::field"} hung off their feature by dashed edges
 * without arrowheads. Printed verbatim (the reference's stdout lost the attribute lists to Rich markup).
 */
final class GraphvizRenderer {
  private GraphvizRenderer() {}

  static String render(GraphData data, RenderConfig config) {
    StringBuilder out = new StringBuilder("strict digraph {\n");
    out.append("    rankdir=").append(config.direction()).append(";\n");
    out.append("    label=")
        .append(quote("Graph" + config.snapshotSuffix(data)))
        .append(";\n");
    out.append("    labelloc=t;\n    fontsize=14;\n    fontname=helvetica;\n");
    for (Node n : data.nodes()) {
      List<String> label = new ArrayList<>();
      label.add(n.key());
      if (config.showProjects() && n.project() != null) {
        label.add("project: " + n.project());
      }
      if (config.showFeatureVersions()) {
        label.add("v: " + TerminalRenderer.versionText(n.oldVersion(), n.version(), config));
      }
      String badge = badge(n.status());
      if (badge != null) {
        label.add(badge);
      }
      out.append("    ")
          .append(quote(n.key()))
          .append(" [label=")
          .append(quote(String.join("\n", label)))
          .append(", shape=")
          .append(shape(n))
          .append(", color=")
          .append(quote(colour(n.status(), Theme.FEATURE)))
          .append("];\n");
    }
    for (Edge e : data.edges()) {
      out.append("    ")
          .append(quote(e.from()))
          .append(" -> ")
          .append(quote(e.to()))
          .append(";\n");
    }
    if (config.showFields()) {
      for (Node n : data.nodes()) {
        for (FieldNode f : n.fields()) {
          String id = n.key() + "::" + f.key();
          List<String> label = new ArrayList<>();
          label.add(f.key());
          if (config.showFieldVersions()) {
            label.add("v: " + TerminalRenderer.versionText(f.oldVersion(), f.version(), config));
          }
          if (config.showCodeVersions() && f.codeVersion() != null) {
            label.add("cv: " + f.codeVersion());
          }
          String badge = badge(f.status());
          if (badge != null) {
            label.add(badge);
          }
          out.append("    ")
              .append(quote(id))
              .append(" [label=")
              .append(quote(String.join("\n", label)))
              .append(", shape=ellipse, fontsize=10, color=")
              .append(quote(colour(f.status(), Theme.FIELD)))
              .append("];\n");
          out.append("    ")
              .append(quote(n.key()))
              .append(" -> ")
              .append(quote(id))
              .append(" [style=dashed, arrowhead=none, color=")
              .append(quote(Theme.EDGE))
              .append("];\n");
        }
      }
    }
    return out.append("}\n").toString();
  }

  private static String shape(Node n) {
    return switch (n.status()) {
      case ADDED -> "oval";
      case REMOVED -> "octagon";
      default -> n.dependencies().isEmpty() ? "doubleoctagon" : "box";
    };
  }

  private static @Nullable String badge(Status status) {
    return switch (status) {
      case ADDED -> "[ADDED]";
      case REMOVED -> "[REMOVED]";
      case CHANGED -> "[CHANGED]";
      case UNCHANGED -> "[UNCHANGED]";
      default -> null;
    };
  }

  private static String colour(Status status, String normal) {
    return switch (status) {
      case ADDED -> Theme.ADDED;
      case REMOVED -> Theme.REMOVED;
      case CHANGED -> Theme.CHANGED;
      case UNCHANGED -> Theme.UNCHANGED;
      default -> normal;
    };
  }

  /** A DOT double-quoted string; newlines become the {@code \n} escape (centred line break). */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
