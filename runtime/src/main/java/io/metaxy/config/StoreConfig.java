package io.metaxy.config;

import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@code [stores.<name>]} entry: which store implementation ({@link #kind()}), its {@code config}
 * table, and the settings every store shares, typed. Building the store is the store factory's job; it
 * reads backend settings through the typed getters ({@link #string}, {@link #bool}...), whose errors
 * name the file or environment variable and the key, and rejects settings it does not know with
 * {@link #checkKeys}.
 */
public final class StoreConfig {
  /** {@code config.fallback_stores}: names of stores read when a feature is missing here. */
  public static final String FALLBACK_STORES = "fallback_stores";
  /** {@code config.hash_algorithm}: the sample hash; all stores of a fallback chain must agree. */
  public static final String HASH_ALGORITHM = "hash_algorithm";
  /** {@code config.versioning_engine}: {@code auto}, {@code native} or {@code polars}. */
  public static final String VERSIONING_ENGINE = "versioning_engine";
  /** {@code config.auto_create_tables}: overrides the global setting for this store. */
  public static final String AUTO_CREATE_TABLES = "auto_create_tables";
  /** {@code config.materialization_id}: default value of the materialization id column. */
  public static final String MATERIALIZATION_ID = "materialization_id";

  /** The keys every store accepts. */
  public static final Set<String> COMMON_KEYS = Set.of(
      FALLBACK_STORES, HASH_ALGORITHM, VERSIONING_ENGINE, AUTO_CREATE_TABLES, MATERIALIZATION_ID);

  private static final Set<String> ENGINES = Set.of("auto", "native", "polars");

  private final String name;
  private final String type;
  private final StoreKind kind;
  private final Node.Table config;
  private final String source;
  private final List<String> fallbackStores;
  private final @Nullable HashAlgorithm hashAlgorithm;
  private final String versioningEngine;
  private final boolean autoCreateTables;
  private final @Nullable String materializationId;
  private final Truncation truncation;

  StoreConfig(
      String name,
      Node typeNode,
      Node.Table config,
      boolean globalAutoCreate,
      Truncation truncation) {
    this.name = name;
    this.type = Values.string(typeNode, path("type"));
    if (type.isBlank()) {
      throw Values.error(typeNode, path("type"), "must not be empty");
    }
    this.kind = StoreKind.of(type);
    this.config = config;
    this.source = typeNode.origin.label();
    this.truncation = truncation;
    // Like unknown top-level keys, a mistyped setting of a built-in store fails every command, not
    // only the ones that open the store; other types are checked by their provider when the store
    // is built.
    kind.backendKeys().ifPresent(this::checkKeys);
    this.fallbackStores = stringList(FALLBACK_STORES).orElse(List.of());
    this.hashAlgorithm = string(HASH_ALGORITHM).map(this::algorithm).orElse(null);
    this.versioningEngine = string(VERSIONING_ENGINE).orElse("auto");
    if (!ENGINES.contains(versioningEngine)) {
      throw Values.error(
          present(VERSIONING_ENGINE),
          configPath(VERSIONING_ENGINE),
          "expected one of auto, native, polars, got \"" + versioningEngine + "\"");
    }
    this.autoCreateTables = bool(AUTO_CREATE_TABLES).orElse(globalAutoCreate);
    this.materializationId = string(MATERIALIZATION_ID).orElse(null);
    checkKnownBackendTypes();
  }

  private HashAlgorithm algorithm(String value) {
    try {
      return HashAlgorithm.fromConfigName(value);
    } catch (IllegalArgumentException e) {
      throw Values.error(present(HASH_ALGORITHM), configPath(HASH_ALGORITHM), e.getMessage());
    }
  }

  /** The node of a key whose value was just read from it, for an error that points at it. */
  private Node present(String key) {
    return Objects.requireNonNull(config.get(key), key);
  }

  /**
   * Type-checks the well-known settings of the built-in kinds at load time, so that {@code mx config
   * print} already reports {@code database = 5}.
   */
  private void checkKnownBackendTypes() {
    switch (kind) {
      case DUCKDB -> {
        string("database");
        table("config");
        stringList("extensions");
        table("ducklake");
      }
      case POSTGRES -> {
        string("connection_string");
        table("connection_params");
        string("table_prefix");
        bool("auto_cast_struct_for_jsonb");
      }
      case ICEBERG -> {
        string("warehouse");
        string("namespace");
        string("catalog_name");
        table("catalog_properties");
        bool("auto_create_namespace");
      }
      case DELTA -> {
        string("root_path");
        table("storage_options");
        string("layout");
        table("delta_write_options");
      }
      default -> {}
    }
  }

  private String path(String key) {
    return "stores." + name + "." + key;
  }

  private String configPath(String key) {
    return "stores." + name + ".config." + key;
  }

  /** The store's name (the {@code <name>} of {@code [stores.<name>]}). */
  public String name() {
    return name;
  }

  /** The {@code type} string as written (printed back unchanged by {@code mx config print}). */
  public String type() {
    return type;
  }

  /** The implementation {@link #type()} names. */
  public StoreKind kind() {
    return kind;
  }

  /** For {@link StoreKind#CLASS}, the class name to load; otherwise empty. */
  public Optional<String> className() {
    return kind == StoreKind.CLASS ? Optional.of(type.trim()) : Optional.empty();
  }

  /**
   * The whole {@code config} table as plain values (String, Long, Double, Boolean, List, Map), including
   * the common keys. Values from environment variables are strings; use the typed getters to convert them.
   */
  public Map<String, Object> config() {
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) config.toPlain();
    return plain;
  }

  /** Where the entry's {@code type} came from (a file path or an environment variable), for messages. */
  public String source() {
    return source;
  }

  /** {@code config.fallback_stores}, in order; empty when unset. */
  public List<String> fallbackStores() {
    return fallbackStores;
  }

  /** {@code config.hash_algorithm}; empty means the backend's default. */
  public Optional<HashAlgorithm> hashAlgorithm() {
    return Optional.ofNullable(hashAlgorithm);
  }

  /** {@code config.versioning_engine}, {@code "auto"} when unset. */
  public String versioningEngine() {
    return versioningEngine;
  }

  /** {@code config.auto_create_tables}, or the global {@code auto_create_tables} when unset. */
  public boolean autoCreateTables() {
    return autoCreateTables;
  }

  /** {@code config.materialization_id}, if set. */
  public Optional<String> materializationId() {
    return Optional.ofNullable(materializationId);
  }

  /** The global {@code hash_truncation_length}, which every store applies. */
  public Truncation truncation() {
    return truncation;
  }

  /** {@code config.<key>} as a string. */
  public Optional<String> string(String key) {
    Node n = config.get(key);
    return n == null ? Optional.empty() : Optional.of(Values.string(n, configPath(key)));
  }

  /** {@code config.<key>} as an integer (text from the environment is parsed). */
  public Optional<Long> integer(String key) {
    Node n = config.get(key);
    return n == null ? Optional.empty() : Optional.of(Values.integer(n, configPath(key)));
  }

  /** {@code config.<key>} as a boolean (text from the environment is parsed). */
  public Optional<Boolean> bool(String key) {
    Node n = config.get(key);
    return n == null ? Optional.empty() : Optional.of(Values.bool(n, configPath(key)));
  }

  /** {@code config.<key>} as a list of strings (environment text: a JSON array or comma-separated). */
  public Optional<List<String>> stringList(String key) {
    Node n = config.get(key);
    return n == null ? Optional.empty() : Optional.of(Values.stringList(n, configPath(key)));
  }

  /** {@code config.<key>} as a table of plain values (environment text: a JSON object). */
  public Optional<Map<String, Object>> table(String key) {
    Node n = config.get(key);
    if (n == null) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> plain =
        (Map<String, Object>) Values.table(n, configPath(key)).toPlain();
    return Optional.of(plain);
  }

  /**
   * Rejects any {@code config} key that is neither common nor in {@code backendKeys}, naming it, the
   * store's type, its source (file, environment variable or argument), the known keys, and the closest
   * known key when the unknown one looks like a typo (the reference forbids unknown store settings).
   *
   * @throws ConfigException for the first unknown key, e.g. {@code /repo/metaxy.toml:
   *     stores.dev.config.databse: unknown key for a store of type "duckdb" (known keys: ...); did you
   *     mean "database"?}
   */
  public void checkKeys(Collection<String> backendKeys) {
    Set<String> allowed = new HashSet<>(COMMON_KEYS);
    allowed.addAll(backendKeys);
    String typeName = kind == StoreKind.CLASS ? type.trim() : kind.shortName();
    Values.checkKeys(
        config,
        "stores." + name + ".config",
        allowed,
        " for a store of type \"" + typeName + "\"",
        "");
  }

  /** An error about {@code config.<key>} that names its source, for the factory's own checks. */
  public ConfigException error(String key, String problem) {
    Node n = config.get(key);
    String where = n != null ? n.origin.label() : source;
    return new ConfigException(where + ": " + configPath(key) + ": " + problem);
  }

  @Override
  public String toString() {
    return "StoreConfig[" + name + ", " + type + "]";
  }
}
