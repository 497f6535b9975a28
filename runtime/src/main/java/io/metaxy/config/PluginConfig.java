package io.metaxy.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code [ext.<name>]} table: whether the plugin is enabled, plus its other keys, kept as written
 * (plain values) because each plugin defines its own.
 *
 * @param name the plugin name
 * @param enable {@code enable}, false when unset
 * @param options every other key of the table
 */
public record PluginConfig(String name, boolean enable, Map<String, Object> options) {
  /** Copies {@code options}. */
  public PluginConfig {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }
}
