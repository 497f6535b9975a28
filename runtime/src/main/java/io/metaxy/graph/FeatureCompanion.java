package io.metaxy.graph;

import io.metaxy.FeatureKey;
import io.metaxy.spec.FeatureDefinition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What the annotation processor generates for each {@code @Feature} record ({@code MetaxyCrop} for a
 * record {@code Crop}): the feature's definition, its table schema and a codec between records and
 * Arrow batches. The typed store API finds it through {@link FeatureCompanions#of(Class)}.
 *
 * <p>The generated class also has static constants (key, versions, columns, DDL); see
 * {@code docs/processor.md}.
 *
 * @param <T> the feature record type
 */
public interface FeatureCompanion<T extends Record> {
  /** The record class. */
  Class<T> recordType();

  /** The feature's definition (spec, project, schema JSON). */
  FeatureDefinition definition();

  /** The feature key. */
  default FeatureKey key() {
    return definition().spec().key();
  }

  /** The Arrow schema of the record's user columns only, in component order. */
  Schema userSchema();

  /**
   * The Arrow schema of the full feature table: the user columns, then the Metaxy system columns (see
   * {@code io.metaxy.engine}).
   */
  default Schema tableSchema() {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not describe its table schema");
  }

  /** {@code CREATE TABLE IF NOT EXISTS} of the feature table, DuckDB dialect. */
  default String createTableSql() {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not describe its table DDL");
  }

  /** Writes records into a new batch of {@link #userSchema()}; the caller closes it. */
  VectorSchemaRoot toArrow(List<T> records, BufferAllocator allocator);

  /**
   * Reads the record at {@code row}; the batch must have the user columns (by name), other columns are
   * ignored.
   */
  T fromArrow(VectorSchemaRoot batch, int row);

  /**
   * Reads the record at the current row of a JDBC result set (user columns by name, others ignored).
   *
   * @throws SQLException when the driver fails
   */
  default T fromResultSet(ResultSet rs) throws SQLException {
    throw new UnsupportedOperationException(getClass().getName() + " cannot read JDBC rows");
  }
}
