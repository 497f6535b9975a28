package io.metaxy.cli;

import io.metaxy.cli.GraphData.FieldNode;
import io.metaxy.cli.GraphData.Node;
import io.metaxy.cli.GraphData.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The merged view of two snapshots (CLI spec §2.4). A feature only in TO is added, only in FROM removed.
 * A common feature is <em>changed</em> when its definition version or its feature version differs: the
 * reference looks at the definition version only, so a feature whose version moved because an upstream
 * changed showed as unchanged with a new version; here it is changed, which is what a user asking "what
 * must I recompute?" needs. Fields of a changed feature are added, removed, changed (new version) or
 * unchanged.
 */
final class GraphDiff {
  /** Case-insensitive key order, ties by exact key, so output is stable. */
  static final Comparator<String> KEY_ORDER = Comparator.comparing(
          (String k) -> k.toLowerCase(Locale.ROOT))
      .thenComparing(Comparator.naturalOrder());

  private GraphDiff() {}

  /** Every feature of both sides with its status, in topological order. */
  static GraphData merge(Snapshot from, Snapshot to) {
    TreeSet<String> keys = new TreeSet<>(KEY_ORDER);
    keys.addAll(from.features().keySet());
    keys.addAll(to.features().keySet());
    List<Node> nodes = new ArrayList<>();
    for (String key : keys) {
      Snapshot.Feature old = from.features().get(key);
      Snapshot.Feature now = to.features().get(key);
      if (old == null) {
        // The key is one of the two snapshots', and not the old one's.
        Snapshot.Feature added = Objects.requireNonNull(now);
        nodes.add(node(added, null, Status.ADDED, fields(added, Status.ADDED)));
      } else if (now == null) {
        nodes.add(node(old, null, Status.REMOVED, fields(old, Status.REMOVED)));
      } else if (changed(old, now)) {
        nodes.add(node(now, old.featureVersion(), Status.CHANGED, fieldChanges(old, now)));
      } else {
        nodes.add(node(now, null, Status.UNCHANGED, fields(now, Status.UNCHANGED)));
      }
    }
    return new GraphData(GraphData.topological(nodes), to.projectVersion(), from.projectVersion());
  }

  private static boolean changed(Snapshot.Feature old, Snapshot.Feature now) {
    return !Objects.equals(old.definitionVersion(), now.definitionVersion())
        || !old.featureVersion().equals(now.featureVersion());
  }

  private static Node node(
      Snapshot.Feature f, @Nullable String oldVersion, Status status, List<FieldNode> fields) {
    return new Node(
        f.key(), f.featureVersion(), oldVersion, fields, f.dependencies(), status, f.project());
  }

  private static List<FieldNode> fields(Snapshot.Feature f, Status status) {
    List<FieldNode> out = new ArrayList<>();
    f.fields()
        .forEach((k, v) -> out.add(new FieldNode(k, v, null, f.codeVersions().get(k), status)));
    return out;
  }

  /** TO's fields in spec order with their status, then FROM's removed fields. */
  private static List<FieldNode> fieldChanges(Snapshot.Feature old, Snapshot.Feature now) {
    List<FieldNode> out = new ArrayList<>();
    for (Map.Entry<String, String> e : now.fields().entrySet()) {
      String code = now.codeVersions().get(e.getKey());
      String before = old.fields().get(e.getKey());
      if (before == null) {
        out.add(new FieldNode(e.getKey(), e.getValue(), null, code, Status.ADDED));
      } else if (!before.equals(e.getValue())) {
        out.add(new FieldNode(e.getKey(), e.getValue(), before, code, Status.CHANGED));
      } else {
        out.add(new FieldNode(e.getKey(), e.getValue(), null, code, Status.UNCHANGED));
      }
    }
    for (Map.Entry<String, String> e : old.fields().entrySet()) {
      if (!now.fields().containsKey(e.getKey())) {
        out.add(new FieldNode(
            e.getKey(), e.getValue(), null, old.codeVersions().get(e.getKey()), Status.REMOVED));
      }
    }
    return out;
  }
}
