package io.metaxy.store.duckdb;

import io.metaxy.config.StoreConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** DuckDB settings from a store's configuration table (the DuckDB store's and the lakehouse stores'). */
public final class DuckDbSettings {
  private DuckDbSettings() {}

  /**
   * The settings in table {@code key} of the store's {@code config} (empty when absent), as strings;
   * a value that is not a string, number or boolean fails, naming {@code key.setting}.
   */
  public static Map<String, String> of(StoreConfig config, String key) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : config.table(key).orElse(Map.of()).entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw config.error(
            key + "." + e.getKey(),
            "must be a string, number or boolean (a DuckDB setting), got " + v);
      }
      settings.put(e.getKey(), String.valueOf(v));
    }
    return settings;
  }
}
