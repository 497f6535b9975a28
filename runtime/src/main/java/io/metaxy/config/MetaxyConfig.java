package io.metaxy.config;

import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The resolved, immutable Metaxy configuration (spec cli.md §3): {@code metaxy.toml} (or {@code
 * [tool.metaxy]} in {@code pyproject.toml}) with its {@code extend} chain, overridden by {@code METAXY_*}
 * environment variables, overridden by explicit arguments. Load it with {@link #load()} or {@link
 * #loader()}; {@link #defaults()} reads nothing.
 *
 * <p>Java additions to the reference's fields: {@code [graph] classpath}, where the compiled feature
 * graph ({@code META-INF/metaxy/graph.json}) is found. Python-only fields ({@code entrypoints}, {@code
 * theme}) are accepted and printed so that one file serves both implementations, but nothing in Java
 * acts on them.
 */
public final class MetaxyConfig {
  /** The default lock file name, next to the config file. */
  public static final String LOCK_FILE_NAME = "metaxy.lock";

  private final String store;
  private final Map<String, StoreConfig> stores;
  private final @Nullable String extend;
  private final List<String> entrypoints;
  private final String theme;
  private final Map<String, PluginConfig> ext;
  private final Truncation truncation;
  private final boolean enableMapDatatype;
  private final boolean autoCreateTables;
  private final @Nullable String project;
  private final @Nullable Boolean locked;
  private final boolean sync;
  private final List<FeatureSelection> extraFeatures;
  private final @Nullable String metaxyLockPath;
  private final List<String> graphClasspath;
  private final String graphClasspathSource;
  private final @Nullable Path configFile;
  private final List<Path> files;
  private final Path baseDirectory;

  // Package-private: only Binder builds configurations, after validating every value.
  MetaxyConfig(
      String store,
      Map<String, StoreConfig> stores,
      @Nullable String extend,
      List<String> entrypoints,
      String theme,
      Map<String, PluginConfig> ext,
      Truncation truncation,
      boolean enableMapDatatype,
      boolean autoCreateTables,
      @Nullable String project,
      @Nullable Boolean locked,
      boolean sync,
      List<FeatureSelection> extraFeatures,
      @Nullable String metaxyLockPath,
      List<String> graphClasspath,
      String graphClasspathSource,
      @Nullable Path configFile,
      List<Path> files,
      Path baseDirectory) {
    this.store = store;
    this.stores = Collections.unmodifiableMap(new LinkedHashMap<>(stores));
    this.extend = extend;
    this.entrypoints = List.copyOf(entrypoints);
    this.theme = theme;
    this.ext = Collections.unmodifiableMap(new LinkedHashMap<>(ext));
    this.truncation = truncation;
    this.enableMapDatatype = enableMapDatatype;
    this.autoCreateTables = autoCreateTables;
    this.project = project;
    this.locked = locked;
    this.sync = sync;
    this.extraFeatures = List.copyOf(extraFeatures);
    this.metaxyLockPath = metaxyLockPath;
    this.graphClasspath = List.copyOf(graphClasspath);
    this.graphClasspathSource = graphClasspathSource;
    this.configFile = configFile;
    this.files = List.copyOf(files);
    this.baseDirectory = baseDirectory;
  }

  /** Loads with the defaults: the working directory, the real environment, no overrides. */
  public static MetaxyConfig load() {
    return loader().load();
  }

  /** A loader to set the start directory, an explicit file, the environment or overrides. */
  public static ConfigLoader loader() {
    return new ConfigLoader();
  }

  /** The defaults alone: no file, no environment (unlike the reference's bare {@code MetaxyConfig()}). */
  public static MetaxyConfig defaults() {
    return Binder.bind(
        new Node.Table(Node.Origin.DEFAULT), null, List.of(), Path.of("").toAbsolutePath());
  }

  /** {@code store}: the default store's name, {@code "dev"} unless set. */
  public String store() {
    return store;
  }

  /** {@code stores}, in file order (entries added by environment variables follow, in name order). */
  public Map<String, StoreConfig> stores() {
    return stores;
  }

  /**
   * The named store's configuration.
   *
   * @throws ConfigException naming the available stores when there is no such store
   */
  public StoreConfig storeConfig(String name) {
    StoreConfig s = stores.get(name);
    if (s != null) {
      return s;
    }
    String message = stores.isEmpty()
        ? "No Metaxy stores available. They should be configured in metaxy.toml|pyproject.toml or via"
            + " environment variables."
        : "Store '" + name + "' not found in config. Available stores: "
            + stores.keySet().stream()
                .map(n -> "'" + n + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    StringBuilder full = new StringBuilder(message);
    if (configFile != null) {
      full.append("\nConfig file: ").append(configFile);
    }
    full.append("\nNote: METAXY_* environment variables can override config file settings");
    throw new ConfigException(full.toString());
  }

  /** The configuration of the default store ({@link #store()}). */
  public StoreConfig defaultStoreConfig() {
    return storeConfig(store);
  }

  /**
   * {@code extend} as set by an environment variable or argument. The files' own {@code extend} keys are
   * consumed while reading (as in the reference), so this is normally empty; see {@link #files()}.
   */
  public Optional<String> extend() {
    return Optional.ofNullable(extend);
  }

  /** {@code entrypoints}: Python module paths; kept for shared files, unused in Java. */
  public List<String> entrypoints() {
    return entrypoints;
  }

  /** {@code theme}: rendering theme, {@code "default"}; unused. */
  public String theme() {
    return theme;
  }

  /** {@code ext}: plugin tables by name. */
  public Map<String, PluginConfig> ext() {
    return ext;
  }

  /** The names of the enabled plugins, in {@link #ext()} order. */
  public List<String> plugins() {
    return ext.values().stream()
        .filter(PluginConfig::enable)
        .map(PluginConfig::name)
        .toList();
  }

  /** {@code hash_truncation_length} (default 8, at least 8). */
  public int hashTruncationLength() {
    return truncation.length();
  }

  /** {@link #hashTruncationLength()} as the versioning code takes it. */
  public Truncation truncation() {
    return truncation;
  }

  /**
   * {@code enable_map_datatype}: stores opened from this configuration create tables with by-field
   * columns as maps instead of the reference's default structs, where the backend has both (DuckDB; see
   * {@link io.metaxy.store.StoreOptions#enableMapDatatype()}). Set it here when the Python side sets it.
   */
  public boolean enableMapDatatype() {
    return enableMapDatatype;
  }

  /** {@code auto_create_tables}: create tables when stores open; a store's own setting wins. */
  public boolean autoCreateTables() {
    return autoCreateTables;
  }

  /** {@code project}: the current project, if set. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** {@code locked}: when true, an external-feature version mismatch on sync is an error. */
  public Optional<Boolean> locked() {
    return Optional.ofNullable(locked);
  }

  /** {@code sync}: sync external features on read and resolve_update (default true). */
  public boolean sync() {
    return sync;
  }

  /** {@code extra_features}, in order (a parent file's entries first). */
  public List<FeatureSelection> extraFeatures() {
    return extraFeatures;
  }

  /** {@code metaxy_lock_path} as written, if set. */
  public Optional<String> metaxyLockPath() {
    return Optional.ofNullable(metaxyLockPath);
  }

  /** {@code graph.classpath} as written. */
  public List<String> graphClasspath() {
    return graphClasspath;
  }

  /** The config file read, if any (the child file when it extends others). */
  public Optional<Path> configFile() {
    return Optional.ofNullable(configFile);
  }

  /** The directory relative paths in the configuration are resolved against: the config file's, else the working directory. */
  public Path baseDirectory() {
    return baseDirectory;
  }

  /** Every file read: the config file, then the files it extends, in order. Empty without a file. */
  public List<Path> files() {
    return files;
  }

  /**
   * The lock file: {@code metaxy_lock_path} relative to the config file's directory (or absolute), else
   * {@code metaxy.lock} next to the config file; empty when there is no config file and the path is
   * relative.
   */
  public Optional<Path> lockFile() {
    if (metaxyLockPath != null) {
      Path p = Path.of(metaxyLockPath);
      if (p.isAbsolute()) {
        return Optional.of(p.normalize());
      }
      return configFile == null
          ? Optional.empty()
          : Optional.of(ConfigSources.directoryOf(configFile).resolve(p).normalize());
    }
    return configFile == null
        ? Optional.empty()
        : Optional.of(ConfigSources.directoryOf(configFile).resolve(LOCK_FILE_NAME));
  }

  /**
   * The {@code graph.classpath} entries as paths: relative entries are resolved against the config
   * file's directory (or the working directory without a file), and an entry ending in {@code *} stands
   * for the {@code .jar} files of that directory, in name order, like Java's class-path wildcard.
   *
   * @throws ConfigException naming the entry when a path does not exist
   */
  public List<Path> graphClasspathEntries() {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < graphClasspath.size(); i++) {
      String entry = graphClasspath.get(i);
      String where = graphClasspathSource + ": graph.classpath[" + i + "]: ";
      if (entry.equals("*") || entry.endsWith("/*") || entry.endsWith("\\*")) {
        Path dir = baseDirectory.resolve(entry.substring(0, entry.length() - 1)).normalize();
        if (!Files.isDirectory(dir)) {
          throw new ConfigException(where + "directory does not exist: " + dir);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
          ds.forEach(jars::add);
        } catch (IOException e) {
          throw new ConfigException(where + "cannot list " + dir + ": " + e.getMessage(), e);
        }
        jars.sort(null);
        out.addAll(jars);
      } else {
        Path p = baseDirectory.resolve(entry).normalize();
        if (!Files.exists(p)) {
          throw new ConfigException(where + "does not exist: " + p);
        }
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The compiled feature graph: every {@code META-INF/metaxy/graph.json} in the {@code graph.classpath}
   * entries (and nowhere else), or, when none are configured, on the class path of the current thread.
   * No user class is loaded.
   */
  public FeatureGraph loadGraph() {
    List<Path> entries = graphClasspathEntries();
    if (entries.isEmpty()) {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      return FeatureGraph.fromClasspath(cl != null ? cl : MetaxyConfig.class.getClassLoader());
    }
    URL[] urls = new URL[entries.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = entries.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new ConfigException("graph.classpath: invalid entry " + entries.get(i), e);
      }
    }
    // The platform loader as parent keeps this tool's own class path out of the graph.
    try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      return FeatureGraph.fromClasspath(loader);
    } catch (IOException e) {
      throw new MetaxyException("cannot close the graph class loader: " + e.getMessage(), e);
    }
  }

  /**
   * The configuration as plain values in the order {@code mx config print} uses (spec cli.md §1.1);
   * {@code keepNulls} keeps unset optional fields as null (the JSON view) instead of dropping them.
   */
  public Map<String, @Nullable Object> toMap(boolean keepNulls) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("store", store);
    Map<String, Object> storesOut = new LinkedHashMap<>();
    stores.forEach((name, s) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", s.type());
      entry.put("config", s.config());
      storesOut.put(name, entry);
    });
    m.put("stores", storesOut);
    m.put("extend", extend);
    m.put("entrypoints", entrypoints);
    m.put("theme", theme);
    Map<String, Object> extOut = new LinkedHashMap<>();
    ext.forEach((name, p) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("enable", p.enable());
      entry.putAll(p.options());
      extOut.put(name, entry);
    });
    m.put("ext", extOut);
    m.put("hash_truncation_length", truncation.length());
    m.put("enable_map_datatype", enableMapDatatype);
    m.put("auto_create_tables", autoCreateTables);
    m.put("project", project);
    m.put("locked", locked);
    m.put("sync", sync);
    List<Object> selections = new ArrayList<>();
    for (FeatureSelection f : extraFeatures) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("projects", f.projects());
      entry.put(
          "keys",
          f.keys() == null ? null : f.keys().stream().map(Object::toString).toList());
      entry.put("all", f.all());
      selections.add(entry);
    }
    m.put("extra_features", selections);
    m.put("metaxy_lock_path", metaxyLockPath);
    m.put("graph", Map.of("classpath", graphClasspath));
    return keepNulls ? m : TomlWriter.withoutNulls(m);
  }

  /** The configuration as TOML, unset values left out; it parses back to the same configuration. */
  public String toToml() {
    return TomlWriter.write(toMap(false));
  }

  /** The configuration as JSON, indented by 2, unset values as null (like {@code model_dump_json}). */
  public String toJson() {
    return TomlWriter.json(toMap(true));
  }

  @Override
  public String toString() {
    return "MetaxyConfig[" + (configFile != null ? configFile : "no file") + "]";
  }
}
