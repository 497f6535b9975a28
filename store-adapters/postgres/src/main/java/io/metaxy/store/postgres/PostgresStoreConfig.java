package io.metaxy.store.postgres;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Connection settings of a {@link PostgresMetadataStore}: the {@code config} table of a
 * {@code type = "postgres"} store.
 *
 * @param connectionString a JDBC URL ({@code jdbc:postgresql://host:port/db?...}) or a libpq-style URL
 *     ({@code postgresql://user:password@host:port/db?...}); {@code null} to build one from
 *     {@code connectionParams}
 * @param connectionParams extra settings: {@code host}, {@code port}, {@code dbname} (or
 *     {@code database}) build the URL when there is no connection string; every other entry
 *     ({@code user}, {@code password}, {@code sslmode}, {@code currentSchema}, ...) is passed to the driver
 * @param tablePrefix prepended to every table name ({@code ""} for none)
 * @param autoCastStructForJsonb whether user struct, map and list columns are stored as JSONB (they
 *     read back as JSON text); when false such columns are rejected. By-field columns are always JSONB.
 */
public record PostgresStoreConfig(
    @Nullable String connectionString,
    Map<String, String> connectionParams,
    String tablePrefix,
    boolean autoCastStructForJsonb) {

  /** The backend keys {@link #from(StoreConfig)} accepts ({@code StoreKind.POSTGRES.backendKeys()}). */
  public static final List<String> KEYS =
      List.copyOf(new TreeSet<>(StoreKind.POSTGRES.backendKeys().orElseThrow()));

  /** Copies and checks. */
  public PostgresStoreConfig {
    connectionParams =
        connectionParams == null ? Map.of() : Map.copyOf(new TreeMap<>(connectionParams));
    tablePrefix = tablePrefix == null ? "" : tablePrefix;
    if (connectionString == null
        && !connectionParams.containsKey("host")
        && !connectionParams.containsKey("dbname")
        && !connectionParams.containsKey("database")) {
      throw new IllegalArgumentException(
          "PostgreSQL store: set connection_string, or connection_params with at least host or dbname");
    }
  }

  /** Settings for a connection string, no prefix, structs cast to JSONB. */
  public static PostgresStoreConfig of(String connectionString) {
    return new PostgresStoreConfig(connectionString, Map.of(), "", true);
  }

  /** With a table prefix. */
  public PostgresStoreConfig withTablePrefix(String prefix) {
    return new PostgresStoreConfig(
        connectionString, connectionParams, prefix, autoCastStructForJsonb);
  }

  /** With extra connection parameters (replacing the previous ones). */
  public PostgresStoreConfig withConnectionParams(Map<String, String> params) {
    return new PostgresStoreConfig(connectionString, params, tablePrefix, autoCastStructForJsonb);
  }

  /** With struct columns cast to JSONB, or rejected. */
  public PostgresStoreConfig withAutoCastStructForJsonb(boolean on) {
    return new PostgresStoreConfig(connectionString, connectionParams, tablePrefix, on);
  }

  /**
   * Reads {@code connection_string}, {@code connection_params}, {@code table_prefix} and
   * {@code auto_cast_struct_for_jsonb} (default true) from a store's config table.
   *
   * @throws io.metaxy.config.ConfigException naming the key for unknown keys or wrong types
   */
  public static PostgresStoreConfig from(StoreConfig config) {
    config.checkKeys(KEYS);
    Map<String, String> params = new TreeMap<>();
    config
        .table("connection_params")
        .ifPresent(m -> m.forEach((k, v) -> params.put(k, String.valueOf(v))));
    return new PostgresStoreConfig(
        config.string("connection_string").orElse(null),
        params,
        config.string("table_prefix").orElse(""),
        config.bool("auto_cast_struct_for_jsonb").orElse(true));
  }

  /** The JDBC URL without credentials. */
  String jdbcUrl() {
    if (connectionString == null) {
      String host = connectionParams.getOrDefault("host", "localhost");
      String port = connectionParams.getOrDefault("port", "5432");
      String db = connectionParams.getOrDefault(
          "dbname", connectionParams.getOrDefault("database", "postgres"));
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }
    if (connectionString.startsWith("jdbc:postgresql:")) {
      return connectionString;
    }
    URI uri = libpqUri(connectionString);
    StringBuilder url = new StringBuilder("jdbc:postgresql://")
        .append(
            uri.getHost() == null ? "localhost" : uri.getRawAuthority().replaceFirst("^.*@", ""));
    url.append(
        uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      url.append('?').append(uri.getRawQuery());
    }
    return url.toString();
  }

  /** Driver properties: user and password of a libpq URL, then the connection params. */
  Properties driverProperties() {
    Properties p = new Properties();
    if (connectionString != null && !connectionString.startsWith("jdbc:")) {
      String info = libpqUri(connectionString).getRawUserInfo();
      if (info != null) {
        int colon = info.indexOf(':');
        p.setProperty("user", decode(colon < 0 ? info : info.substring(0, colon)));
        if (colon >= 0) {
          p.setProperty("password", decode(info.substring(colon + 1)));
        }
      }
    }
    for (Map.Entry<String, String> e : connectionParams.entrySet()) {
      if (connectionString == null
          && List.of("host", "port", "dbname", "database").contains(e.getKey())) {
        continue;
      }
      p.setProperty(e.getKey(), e.getValue());
    }
    return p;
  }

  private static URI libpqUri(String url) {
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new IllegalArgumentException(
          "PostgreSQL connection_string must start with jdbc:postgresql:, postgresql:// or postgres://, got '"
              + redact(url) + "'");
    }
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "PostgreSQL connection_string '" + redact(url) + "' is not a valid URL: " + e.getReason(),
          e);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A URL with its password replaced by {@code ***}, for messages. */
  static String redact(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return "PostgresStoreConfig[connectionString="
        + (connectionString == null ? null : redact(connectionString))
        + ", connectionParams=" + connectionParams.keySet() + ", tablePrefix=" + tablePrefix
        + ", autoCastStructForJsonb=" + autoCastStructForJsonb + "]";
  }
}
