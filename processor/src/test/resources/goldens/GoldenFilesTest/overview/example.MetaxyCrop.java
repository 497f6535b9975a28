package example;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureCompanion;
import io.metaxy.graph.FeatureRegistry;
import io.metaxy.internal.ArrowColumns;
import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;
import io.metaxy.internal.CompanionSupport;
import io.metaxy.internal.RecordCodec;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.Lineage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.annotation.processing.Generated;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The Metaxy companion of {@link Crop}: feature {@code example/crop}, its versions (computed at compile time),
 * plan, columns, schemas and codec.
 */
@Generated(
    value = "io.metaxy.processor.FeatureProcessor",
    comments = "Metaxy for Java; see docs/processor.md"
)
public final class MetaxyCrop implements FeatureCompanion<Crop> {
  /**
   * The feature key.
   */
  public static final String KEY = "example/crop";

  /**
   * The project the feature belongs to.
   */
  public static final String PROJECT = "default";

  /**
   * The hash truncation the versions were computed with (0 = none).
   */
  public static final int HASH_TRUNCATION_LENGTH = 8;

  /**
   * {@code metaxy_feature_version}.
   */
  public static final String FEATURE_VERSION = "34d75856";

  /**
   * The feature code version (fields' code versions only).
   */
  public static final String FEATURE_CODE_VERSION = "7957714b";

  /**
   * The feature spec version (hash of the spec JSON).
   */
  public static final String FEATURE_SPEC_VERSION = "6f1aa5c7";

  /**
   * The definition (tracking) version: spec version and feature schema.
   */
  public static final String DEFINITION_VERSION = "35297520";

  /**
   * The version of field {@code audio}.
   */
  public static final String FIELD_AUDIO_VERSION = "4c726c4b";

  /**
   * The version of field {@code frames}.
   */
  public static final String FIELD_FRAMES_VERSION = "2419e09d";

  /**
   * Field key → field version, in spec field order.
   */
  public static final Map<String, String> FIELD_VERSIONS = CompanionSupport.orderedMap("audio", FIELD_AUDIO_VERSION, "frames", FIELD_FRAMES_VERSION);

  /**
   * Field key → its parent fields (fully qualified, sorted), in spec field order.
   */
  public static final Map<String, List<String>> FIELD_PARENTS = CompanionSupport.orderedMap(
      "audio", List.of("example/video.audio"),
      "frames", List.of("example/video.frames"));

  /**
   * The columns the prepared upstream frames are joined on.
   */
  public static final List<String> JOIN_COLUMNS = List.of("video_id");

  /**
   * Upstream feature key → lineage, in declaration order.
   */
  public static final Map<String, Lineage> DEP_LINEAGES = CompanionSupport.orderedMap(
      "example/video", Lineage.IDENTITY);

  /**
   * The name of the feature table.
   */
  public static final String TABLE_NAME = "example__crop";

  /**
   * {@code CREATE TABLE IF NOT EXISTS} of the feature table (DuckDB): user columns, then system columns.
   */
  public static final String CREATE_TABLE_SQL = "CREATE TABLE IF NOT EXISTS \"example__crop\" (\"video_id\" VARCHAR NOT NULL, \"path\" VARCHAR NOT NULL, \"metaxy_provenance_by_field\" STRUCT(\"audio\" VARCHAR, \"frames\" VARCHAR), \"metaxy_feature_version\" VARCHAR, \"metaxy_project_version\" VARCHAR, \"metaxy_provenance\" VARCHAR, \"metaxy_created_at\" TIMESTAMPTZ, \"metaxy_updated_at\" TIMESTAMPTZ, \"metaxy_deleted_at\" TIMESTAMPTZ, \"metaxy_materialization_id\" VARCHAR, \"metaxy_data_version_by_field\" STRUCT(\"audio\" VARCHAR, \"frames\" VARCHAR), \"metaxy_data_version\" VARCHAR)";

  private static final String DEFINITION_JSON = "{\"features\": [{\"class_name\": \"example.Crop\", \"feature_schema\": {\"additionalProperties\": false, \"properties\": {\"metaxy_created_at\": {\"anyOf\": [{\"format\": \"date-time\", \"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Timestamp when the metadata row was created (UTC)\", \"title\": \"Metaxy Created At\"}, \"metaxy_data_version\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of metaxy_data_version_by_field\", \"title\": \"Metaxy Data Version\"}, \"metaxy_data_version_by_field\": {\"anyOf\": [{\"additionalProperties\": {\"type\": \"string\"}, \"type\": \"object\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Field-level data version hashes (maps field names to version hashes)\", \"title\": \"Metaxy Data Version By Field\"}, \"metaxy_feature_version\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of the feature definition (dependencies + fields + code_versions)\", \"title\": \"Metaxy Feature Version\"}, \"metaxy_materialization_id\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"External orchestration run ID (e.g., Dagster Run ID)\", \"title\": \"Metaxy Materialization Id\"}, \"metaxy_project_version\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of the entire feature graph project version\", \"title\": \"Metaxy Project Version\"}, \"metaxy_provenance\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of metaxy_provenance_by_field\", \"title\": \"Metaxy Provenance\"}, \"metaxy_provenance_by_field\": {\"additionalProperties\": {\"type\": \"string\"}, \"description\": \"Field-level provenance hashes (maps field names to hashes)\", \"title\": \"Metaxy Provenance By Field\", \"type\": \"object\"}, \"path\": {\"title\": \"Path\", \"type\": \"string\"}, \"video_id\": {\"title\": \"Video Id\", \"type\": \"string\"}}, \"required\": [\"video_id\", \"path\"], \"title\": \"Crop\", \"type\": \"object\"}, \"project\": \"default\", \"spec\": {\"deps\": [{\"feature\": \"example/video\", \"fields_mapping\": {\"mapping\": {\"exclude_fields\": [], \"match_suffix\": false, \"type\": \"default\"}}, \"lineage\": {\"relationship\": {\"type\": \"1:1\"}}, \"optional\": false, \"rename\": null, \"select\": null, \"sql_filters\": null}], \"description\": null, \"fields\": [{\"code_version\": \"1\", \"deps\": [], \"key\": \"audio\"}, {\"code_version\": \"1\", \"deps\": [], \"key\": \"frames\"}], \"id_columns\": [\"video_id\"], \"key\": \"example/crop\", \"metadata\": {}}}]}";

  /**
   * The feature's definition: spec, project and feature schema.
   */
  public static final FeatureDefinition DEFINITION = CompanionSupport.definition(DEFINITION_JSON, Crop.class);

  /**
   * The user columns, in component order.
   */
  public static final List<ColumnDef> COLUMN_DEFS = List.of(
      new ColumnDef("video_id", ColumnType.STRING, false, null),
      new ColumnDef("path", ColumnType.STRING, false, null));

  /**
   * The Arrow schema of the user columns.
   */
  public static final Schema USER_SCHEMA = ArrowColumns.userSchema(COLUMN_DEFS);

  /**
   * The Arrow schema of the feature table: user columns, then system columns.
   */
  public static final Schema TABLE_SCHEMA = ArrowColumns.tableSchema(COLUMN_DEFS, List.of("audio", "frames"));

  /**
   * The feature table, for jOOQ queries.
   */
  public static final Table<Record> TABLE = DSL.table(DSL.name(TABLE_NAME));

  private static final RecordCodec<Crop> CODEC = new RecordCodec<>("Crop", COLUMN_DEFS, List.<Function<Crop, Object>>of(Crop::videoId, Crop::path), v -> new Crop((String) v[0], (String) v[1]));

  /**
   * The versions compiled into this class, checked by {@code FeatureGraph.load()}.
   */
  public static final FeatureRegistry.CompiledVersions COMPILED_VERSIONS = new FeatureRegistry.CompiledVersions(FeatureKey.of(KEY), HASH_TRUNCATION_LENGTH, FEATURE_VERSION, FEATURE_CODE_VERSION, FEATURE_SPEC_VERSION, DEFINITION_VERSION, FIELD_VERSIONS, "example.MetaxyCrop");

  /**
   * The companion instance.
   */
  public static final MetaxyCrop COMPANION = new MetaxyCrop();

  private MetaxyCrop() {
  }

  @Override
  public Class<Crop> recordType() {
    return Crop.class;
  }

  @Override
  public FeatureDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Schema userSchema() {
    return USER_SCHEMA;
  }

  @Override
  public Schema tableSchema() {
    return TABLE_SCHEMA;
  }

  @Override
  public String createTableSql() {
    return CREATE_TABLE_SQL;
  }

  @Override
  public VectorSchemaRoot toArrow(List<Crop> records, BufferAllocator allocator) {
    return CODEC.toArrow(records, allocator);
  }

  @Override
  public Crop fromArrow(VectorSchemaRoot batch, int row) {
    return CODEC.fromArrow(batch, row);
  }

  @Override
  public Crop fromResultSet(ResultSet rs) throws SQLException {
    return CODEC.fromResultSet(rs);
  }

  /**
   * The feature table's columns as typed jOOQ fields: user columns, then system columns.
   */
  public static final class Columns {
    /**
     * Column {@code video_id}.
     */
    public static final Field<String> VIDEO_ID = DSL.field(DSL.name("video_id"), SQLDataType.VARCHAR);

    /**
     * Column {@code path}.
     */
    public static final Field<String> PATH = DSL.field(DSL.name("path"), SQLDataType.VARCHAR);

    /**
     * System column {@code metaxy_provenance_by_field}.
     */
    public static final Field<?> METAXY_PROVENANCE_BY_FIELD = DSL.field(DSL.name("metaxy_provenance_by_field"), SQLDataType.OTHER);

    /**
     * System column {@code metaxy_feature_version}.
     */
    public static final Field<String> METAXY_FEATURE_VERSION = DSL.field(DSL.name("metaxy_feature_version"), SQLDataType.VARCHAR);

    /**
     * System column {@code metaxy_project_version}.
     */
    public static final Field<String> METAXY_PROJECT_VERSION = DSL.field(DSL.name("metaxy_project_version"), SQLDataType.VARCHAR);

    /**
     * System column {@code metaxy_provenance}.
     */
    public static final Field<String> METAXY_PROVENANCE = DSL.field(DSL.name("metaxy_provenance"), SQLDataType.VARCHAR);

    /**
     * System column {@code metaxy_created_at}.
     */
    public static final Field<Instant> METAXY_CREATED_AT = DSL.field(DSL.name("metaxy_created_at"), SQLDataType.INSTANT);

    /**
     * System column {@code metaxy_updated_at}.
     */
    public static final Field<Instant> METAXY_UPDATED_AT = DSL.field(DSL.name("metaxy_updated_at"), SQLDataType.INSTANT);

    /**
     * System column {@code metaxy_deleted_at}.
     */
    public static final Field<Instant> METAXY_DELETED_AT = DSL.field(DSL.name("metaxy_deleted_at"), SQLDataType.INSTANT);

    /**
     * System column {@code metaxy_materialization_id}.
     */
    public static final Field<String> METAXY_MATERIALIZATION_ID = DSL.field(DSL.name("metaxy_materialization_id"), SQLDataType.VARCHAR);

    /**
     * System column {@code metaxy_data_version_by_field}.
     */
    public static final Field<?> METAXY_DATA_VERSION_BY_FIELD = DSL.field(DSL.name("metaxy_data_version_by_field"), SQLDataType.OTHER);

    /**
     * System column {@code metaxy_data_version}.
     */
    public static final Field<String> METAXY_DATA_VERSION = DSL.field(DSL.name("metaxy_data_version"), SQLDataType.VARCHAR);

    private Columns() {
    }
  }
}
