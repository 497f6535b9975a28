package io.metaxy.engine;

import io.metaxy.FeatureKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared upstream rows: the carried (user and id) columns and, per upstream feature, its data versions
 * by field flattened to one column per struct key. Values are views ({@link Col}) onto the caller's
 * batches or onto engine-owned scratch vectors.
 */
final class Frame {
  final int rows;
  final LinkedHashMap<String, Col> columns;
  final LinkedHashMap<FeatureKey, Map<String, Col>> dataVersions;

  Frame(
      int rows,
      LinkedHashMap<String, Col> columns,
      LinkedHashMap<FeatureKey, Map<String, Col>> dataVersions) {
    this.rows = rows;
    this.columns = columns;
    this.dataVersions = dataVersions;
  }
}
