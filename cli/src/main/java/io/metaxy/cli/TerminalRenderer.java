package io.metaxy.cli;

import io.metaxy.cli.GraphData.FieldNode;
import io.metaxy.cli.GraphData.Node;
import io.metaxy.cli.GraphData.Status;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code --format terminal --type graph}: a tree of features, their fields and their dependencies. */
final class TerminalRenderer {
  private TerminalRenderer() {}

  /** A labelled tree node. */
  private record Tree(String label, List<Tree> children) {
    Tree(String label) {
      this(label, new ArrayList<>());
    }
  }

  static String render(GraphData data, RenderConfig config) {
    Tree root = new Tree("📊 Graph" + config.snapshotSuffix(data));
    for (Node n : data.nodes()) {
      Tree feature = new Tree(featureLabel(n, config));
      if (config.showFields() && !n.fields().isEmpty()) {
        Tree fields = new Tree("🔧 fields");
        for (FieldNode f : n.fields()) {
          fields.children().add(new Tree(fieldLabel(f, config)));
        }
        feature.children().add(fields);
      }
      if (!n.dependencies().isEmpty()) {
        // Two spaces after the arrow emoji: terminals draw it wide but report it as one column.
        Tree deps = new Tree("⬅️  depends on");
        n.dependencies().forEach(d -> deps.children().add(new Tree(d)));
        feature.children().add(deps);
      }
      root.children().add(feature);
    }
    StringBuilder out = new StringBuilder(root.label()).append('\n');
    write(root.children(), "", out);
    return out.toString();
  }

  private static void write(List<Tree> children, String prefix, StringBuilder out) {
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      Tree t = children.get(i);
      out.append(prefix).append(last ? "└── " : "├── ").append(t.label()).append('\n');
      write(t.children(), prefix + (last ? "    " : "│   "), out);
    }
  }

  static String badge(Status status) {
    return switch (status) {
      case ADDED -> " [+]";
      case REMOVED -> " [-]";
      case CHANGED -> " [~]";
      default -> "";
    };
  }

  static String versionText(@Nullable String oldVersion, String version, RenderConfig config) {
    if (oldVersion != null && !oldVersion.equals(version)) {
      return config.hash(oldVersion) + " → " + config.hash(version);
    }
    return config.hash(version);
  }

  private static String featureLabel(Node n, RenderConfig config) {
    StringBuilder b = new StringBuilder(n.key()).append(badge(n.status()));
    if (config.showProjects() && n.project() != null) {
      b.append(" (project: ").append(n.project()).append(')');
    }
    if (config.showFeatureVersions()) {
      b.append(" (v: ").append(versionText(n.oldVersion(), n.version(), config)).append(')');
    }
    return b.toString();
  }

  private static String fieldLabel(FieldNode f, RenderConfig config) {
    StringBuilder b = new StringBuilder(f.key()).append(badge(f.status()));
    if (config.showFieldVersions()) {
      b.append(" (v: ").append(versionText(f.oldVersion(), f.version(), config)).append(')');
    }
    if (config.showCodeVersions() && f.codeVersion() != null) {
      b.append(" (cv: ").append(f.codeVersion()).append(')');
    }
    return b.toString();
  }
}
