package io.metaxy.internal;

import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureCompanion;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.SpecJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The part of every generated companion that is the same for all features, written once here instead
 * of once per feature: the definition, the schemas and the codec are built at class initialization
 * from what only the companion knows (record class, project, spec JSON, user columns). The companion
 * itself holds the compiled versions and the feature-specific constants, and implements {@link
 * #value} and {@link #create} with plain accessor and constructor calls. For generated code only.
 *
 * <p>The feature schema is not embedded in the companion: it is what {@link
 * FeatureSchemas#featureSchema} makes of the record's simple name, the spec's description and the user
 * columns, the same call the processor made when it computed {@code DEFINITION_VERSION}, which {@code
 * FeatureGraph.load()} checks against it.
 *
 * @param <T> the feature record type
 */
public abstract class GeneratedCompanion<T extends Record> implements FeatureCompanion<T> {
  private final Class<T> recordType;
  private final FeatureDefinition definition;
  private final Schema userSchema;
  private final Schema tableSchema;
  private final RecordCodec<T> codec;

  /**
   * @param recordType the record class
   * @param project the feature's project
   * @param specJson the canonical JSON of the feature spec ({@code SpecJson}'s full form)
   * @param columns the user columns, in component order (one per record component)
   * @throws MetaxyException when the spec JSON does not read (a processor bug)
   */
  protected GeneratedCompanion(
      Class<T> recordType, String project, String specJson, List<ColumnDef> columns) {
    this.recordType = recordType;
    String source = "the spec embedded in the companion of " + recordType.getName();
    FeatureSpec spec;
    try {
      spec = SpecJson.specFromTree(Json.parse(specJson, source));
    } catch (MetaxyException e) {
      throw new MetaxyException(source + ": " + e.getMessage(), e);
    }
    String name = recordType.getSimpleName();
    this.definition = new FeatureDefinition(
        spec,
        project,
        FeatureSchemas.featureSchema(name, spec.description(), columns),
        false,
        Map.of(),
        recordType.getName());
    List<String> structKeys = new ArrayList<>();
    for (FieldSpec f : spec.fields()) {
      structKeys.add(f.key().structKey());
    }
    this.userSchema = ArrowColumns.userSchema(columns);
    this.tableSchema = ArrowColumns.tableSchema(columns, structKeys);
    this.codec = new RecordCodec<>(name, columns, new RecordCodec.Access<>() {
      @Override
      public Object value(T record, int column) {
        return GeneratedCompanion.this.value(record, column);
      }

      @Override
      public T create(Object[] values) {
        return GeneratedCompanion.this.create(values);
      }
    });
  }

  /** The value of user column {@code column} (component order) of a record, boxed. */
  protected abstract Object value(T record, int column);

  /** Calls the record's canonical constructor with one value per user column. */
  protected abstract T create(Object[] values);

  @Override
  public final Class<T> recordType() {
    return recordType;
  }

  @Override
  public final FeatureDefinition definition() {
    return definition;
  }

  @Override
  public final Schema userSchema() {
    return userSchema;
  }

  @Override
  public final Schema tableSchema() {
    return tableSchema;
  }

  @Override
  public final VectorSchemaRoot toArrow(List<T> records, BufferAllocator allocator) {
    return codec.toArrow(records, allocator);
  }

  @Override
  public final T fromArrow(VectorSchemaRoot batch, int row) {
    return codec.fromArrow(batch, row);
  }

  @Override
  public final T fromResultSet(ResultSet rs) throws SQLException {
    return codec.fromResultSet(rs);
  }
}
