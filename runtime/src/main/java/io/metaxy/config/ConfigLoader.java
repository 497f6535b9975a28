package io.metaxy.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a {@link MetaxyConfig}. Precedence, highest first: {@linkplain #override explicit overrides},
 * {@code METAXY_*} variables of the {@linkplain #environment environment}, the config file. The file is
 * {@code METAXY_CONFIG} if set, else {@link #configFile}, else found by walking up from the {@linkplain
 * #workingDirectory working directory}.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private Path workingDirectory = Path.of("").toAbsolutePath();
  private @Nullable Path configFile;
  private boolean searchParents = true;
  private Map<String, String> environment = System.getenv();
  private final Map<String, Object> overrides = new LinkedHashMap<>();

  ConfigLoader() {}

  /** Where discovery starts and relative paths resolve (default: the process working directory). */
  public ConfigLoader workingDirectory(Path dir) {
    this.workingDirectory = dir.toAbsolutePath().normalize();
    return this;
  }

  /** An explicit config file ({@code --config-file}); {@code METAXY_CONFIG} still wins, as in the reference. */
  public ConfigLoader configFile(Path file) {
    this.configFile = file;
    return this;
  }

  /** Whether discovery walks up past the working directory (default true). */
  public ConfigLoader searchParents(boolean search) {
    this.searchParents = search;
    return this;
  }

  /**
   * The environment to read {@code METAXY_*} variables, {@code METAXY_CONFIG} and {@code ${VAR}}
   * templates from (default: {@link System#getenv()}); tests pass a map instead.
   */
  public ConfigLoader environment(Map<String, String> env) {
    this.environment = Map.copyOf(env);
    return this;
  }

  /**
   * An explicit value, over the environment and the file: {@code key} is a dotted path
   * ({@code "project"}, {@code "stores.dev.config.database"}); the value is a string, number, boolean,
   * list or map. Text is converted to the field's type like an environment value.
   */
  public ConfigLoader override(String key, Object value) {
    overrides.put(key, value);
    return this;
  }

  /** {@link #override} for each entry, in the map's order. */
  public ConfigLoader overrides(Map<String, ?> values) {
    overrides.putAll(values);
    return this;
  }

  /**
   * Reads, merges and validates.
   *
   * @throws ConfigException naming the file, variable or argument and the key at fault
   */
  public MetaxyConfig load() {
    Path file = ConfigSources.locate(configFile, workingDirectory, searchParents, environment);
    Node.Table merged;
    List<Path> files;
    if (file != null) {
      ConfigSources.Resolved resolved = ConfigSources.readResolved(file);
      files = resolved.files();
      merged = ConfigSources.template(resolved.table(), environment);
      LOG.debug("Metaxy config file: {}", files);
    } else {
      files = List.of();
      merged = new Node.Table(Node.Origin.DEFAULT);
      LOG.debug("No Metaxy config file found from {}", workingDirectory);
    }
    merged = ConfigSources.deepMerge(merged, ConfigSources.fromEnvironment(environment));
    merged = ConfigSources.deepMerge(merged, ConfigSources.fromOverrides(overrides));
    Path base = file != null ? ConfigSources.directoryOf(file) : workingDirectory;
    return Binder.bind(merged, file, files, base);
  }
}
