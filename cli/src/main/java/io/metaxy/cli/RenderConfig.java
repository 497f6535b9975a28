package io.metaxy.cli;

/**
 * What the generic renderers show (CLI spec §1.6).
 *
 * @param showFields draw fields
 * @param showFeatureVersions feature versions
 * @param showFieldVersions field versions (only with fields)
 * @param showCodeVersions field code versions ({@code cv:})
 * @param showProjectVersion the {@code snapshot:} header
 * @param showProjects the project of each feature
 * @param hashLength characters of each hash shown, 0 for all
 * @param direction {@code TB} or {@code LR}
 * @param title the Mermaid title
 */
record RenderConfig(
    boolean showFields,
    boolean showFeatureVersions,
    boolean showFieldVersions,
    boolean showCodeVersions,
    boolean showProjectVersion,
    boolean showProjects,
    int hashLength,
    String direction,
    String title) {

  /** The defaults of {@code mx graph render}. */
  static RenderConfig defaults() {
    return new RenderConfig(true, true, true, false, true, true, 8, "TB", "Feature Graph");
  }

  /** {@code --minimal}: fields only, no versions. */
  RenderConfig minimal() {
    return new RenderConfig(
        true, false, false, false, false, showProjects, hashLength, direction, title);
  }

  /** {@code --verbose}: everything, full hashes. */
  RenderConfig verbose() {
    return new RenderConfig(true, true, true, true, true, showProjects, 0, direction, title);
  }

  /** A version cut to {@link #hashLength}. */
  String hash(String version) {
    return Text.hash(version, hashLength);
  }

  /** The header suffix {@code " (snapshot: v)"}, or empty when hidden. */
  String snapshotSuffix(GraphData data) {
    if (!showProjectVersion) {
      return "";
    }
    String v = data.projectVersion() == null ? "none" : hash(data.projectVersion());
    if (data.oldProjectVersion() != null
        && !data.oldProjectVersion().equals(data.projectVersion())) {
      v = hash(data.oldProjectVersion()) + " → " + v;
    }
    return " (snapshot: " + v + ")";
  }
}
