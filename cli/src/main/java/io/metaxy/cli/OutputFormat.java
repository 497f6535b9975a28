package io.metaxy.cli;

/** {@code -f/--format} of the listing commands. */
enum OutputFormat {
  PLAIN,
  JSON
}
