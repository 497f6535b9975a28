package io.metaxy.config;

import io.metaxy.MetaxyException;

/**
 * Invalid configuration (the reference's {@code InvalidConfigError}). The message starts with the file,
 * environment variable or argument at fault, then the dotted key, then the problem, e.g.
 * {@code /repo/metaxy.toml: stores.dev.config.database: expected a string, got an integer}.
 */
public class ConfigException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  /** An error whose message names the source and key at fault. */
  public ConfigException(String message) {
    super(message);
  }

  /** An error caused by {@code cause} (an unreadable file, for example). */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
