package io.metaxy.cli;

import io.metaxy.versioning.Truncation;

/**
 * What the commands need from the Metaxy configuration. Until {@code metaxy.toml} loading is wired in,
 * the values come from the {@code METAXY_PROJECT} and {@code METAXY_HASH_TRUNCATION_LENGTH} variables
 * (the reference's environment overrides of the same config fields).
 *
 * @param project the configured project, or {@code null}
 * @param truncation the hash truncation
 */
record Settings(String project, Truncation truncation) {

  static Settings load(RootCommand root) {
    if (root.globals().configFile != null) {
      throw CliFailure.error(
          "--config-file " + root.globals().configFile + ": metaxy.toml loading is not available in this version of mx yet.");
    }
    String project = root.env().get("METAXY_PROJECT");
    String length = root.env().get("METAXY_HASH_TRUNCATION_LENGTH");
    Truncation truncation = Truncation.DEFAULT;
    if (length != null && !length.isBlank()) {
      try {
        truncation = new Truncation(Integer.parseInt(length.strip()));
      } catch (IllegalArgumentException e) {
        throw CliFailure.error("METAXY_HASH_TRUNCATION_LENGTH=" + length + ": " + e.getMessage());
      }
    }
    return new Settings(project == null || project.isBlank() ? null : project, truncation);
  }
}
