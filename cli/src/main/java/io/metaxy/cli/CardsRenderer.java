package io.metaxy.cli;

import io.metaxy.cli.GraphData.Edge;
import io.metaxy.cli.GraphData.FieldNode;
import io.metaxy.cli.GraphData.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format terminal --type cards}: the dependency list, then one bordered card per feature, laid
 * out in equal-width columns that fit {@value #WIDTH} columns (a fixed width keeps output reproducible).
 */
final class CardsRenderer {
  static final int WIDTH = 120;

  private CardsRenderer() {}

  static String render(GraphData data, RenderConfig config) {
    StringBuilder out =
        new StringBuilder("📊 Graph").append(config.snapshotSuffix(data)).append("\n\n");
    out.append("Dependencies:\n");
    List<Edge> edges = data.edges();
    if (edges.isEmpty()) {
      out.append("  (none)\n");
    }
    for (Edge e : edges) {
      out.append("  ").append(e.from()).append(" → ").append(e.to()).append('\n');
    }
    out.append("\nFeatures:\n");
    List<List<String>> cards = new ArrayList<>();
    int inner = 0;
    for (Node n : data.nodes()) {
      List<String> lines = card(n, config);
      for (String l : lines) {
        inner = Math.max(inner, Text.width(l));
      }
      cards.add(lines);
    }
    int cardWidth = inner + 4;
    int perRow = Math.max(1, (WIDTH + 1) / (cardWidth + 1));
    for (int start = 0; start < cards.size(); start += perRow) {
      List<List<String>> row = cards.subList(start, Math.min(cards.size(), start + perRow));
      int height = row.stream().mapToInt(List::size).max().orElse(0);
      List<StringBuilder> lines = new ArrayList<>();
      for (int i = 0; i < height + 2; i++) {
        lines.add(new StringBuilder());
      }
      for (int c = 0; c < row.size(); c++) {
        List<String> card = row.get(c);
        String sep = c == 0 ? "" : " ";
        lines.get(0).append(sep).append('╭').append("─".repeat(inner + 2)).append('╮');
        for (int i = 0; i < height; i++) {
          String text = i < card.size() ? card.get(i) : "";
          lines
              .get(i + 1)
              .append(sep)
              .append("│ ")
              .append(Text.pad(text, inner))
              .append(" │");
        }
        lines
            .get(height + 1)
            .append(sep)
            .append('╰')
            .append("─".repeat(inner + 2))
            .append('╯');
      }
      lines.forEach(l -> out.append(l).append('\n'));
    }
    return out.toString();
  }

  private static List<String> card(Node n, RenderConfig config) {
    List<String> lines = new ArrayList<>();
    lines.add(n.key() + TerminalRenderer.badge(n.status()));
    if (config.showProjects() && n.project() != null) {
      lines.add("project: " + n.project());
    }
    if (config.showFeatureVersions()) {
      lines.add("v: " + TerminalRenderer.versionText(n.oldVersion(), n.version(), config));
    }
    if (config.showFields() && !n.fields().isEmpty()) {
      lines.add("Fields:");
      for (FieldNode f : n.fields()) {
        StringBuilder b =
            new StringBuilder("  • ").append(f.key()).append(TerminalRenderer.badge(f.status()));
        if (config.showFieldVersions()) {
          b.append(" (v: ")
              .append(TerminalRenderer.versionText(f.oldVersion(), f.version(), config))
              .append(')');
        }
        if (config.showCodeVersions() && f.codeVersion() != null) {
          b.append(" (cv: ").append(f.codeVersion()).append(')');
        }
        lines.add(b.toString());
      }
    }
    return lines;
  }
}
