package media;

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
import java.time.LocalDate;
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
 * The Metaxy companion of {@link Outer.ClipStats}: feature {@code media/clip-stats}, its versions (computed at compile time),
 * plan, columns, schemas and codec.
 */
@SuppressWarnings("unchecked")
@Generated(
    value = "io.metaxy.processor.FeatureProcessor",
    comments = "Metaxy for Java; see docs/processor.md"
)
public final class MetaxyOuter_ClipStats implements FeatureCompanion<Outer.ClipStats> {
  /**
   * The feature key.
   */
  public static final String KEY = "media/clip-stats";

  /**
   * The project the feature belongs to.
   */
  public static final String PROJECT = "media";

  /**
   * The hash truncation the versions were computed with (0 = none).
   */
  public static final int HASH_TRUNCATION_LENGTH = 8;

  /**
   * {@code metaxy_feature_version}.
   */
  public static final String FEATURE_VERSION = "e674293b";

  /**
   * The feature code version (fields' code versions only).
   */
  public static final String FEATURE_CODE_VERSION = "16141e62";

  /**
   * The feature spec version (hash of the spec JSON).
   */
  public static final String FEATURE_SPEC_VERSION = "c166d4ec";

  /**
   * The definition (tracking) version: spec version and feature schema.
   */
  public static final String DEFINITION_VERSION = "d48e5c70";

  /**
   * The version of field {@code stats/audio}.
   */
  public static final String FIELD_STATS_AUDIO_VERSION = "e2142570";

  /**
   * The version of field {@code everything}.
   */
  public static final String FIELD_EVERYTHING_VERSION = "cedffe59";

  /**
   * Field key → field version, in spec field order.
   */
  public static final Map<String, String> FIELD_VERSIONS = CompanionSupport.orderedMap("stats/audio", FIELD_STATS_AUDIO_VERSION, "everything", FIELD_EVERYTHING_VERSION);

  /**
   * Field key → its parent fields (fully qualified, sorted), in spec field order.
   */
  public static final Map<String, List<String>> FIELD_PARENTS = CompanionSupport.orderedMap(
      "stats/audio", List.of("example/video.audio"),
      "everything", List.of("example/video.audio", "example/video.frames"));

  /**
   * The columns the prepared upstream frames are joined on.
   */
  public static final List<String> JOIN_COLUMNS = List.of("video_id");

  /**
   * Upstream feature key → lineage, in declaration order.
   */
  public static final Map<String, Lineage> DEP_LINEAGES = CompanionSupport.orderedMap(
      "example/video", new Lineage.Expansion(List.of("video_id"), null));

  /**
   * The name of the feature table.
   */
  public static final String TABLE_NAME = "media__clip_stats";

  /**
   * {@code CREATE TABLE IF NOT EXISTS} of the feature table (DuckDB): user columns, then system columns.
   */
  public static final String CREATE_TABLE_SQL = "CREATE TABLE IF NOT EXISTS \"media__clip_stats\" (\"video_id\" VARCHAR NOT NULL, \"clip\" INTEGER NOT NULL, \"frames\" BIGINT NOT NULL, \"score\" DOUBLE, \"ratio\" FLOAT NOT NULL, \"ok\" BOOLEAN NOT NULL, \"seen_at\" TIMESTAMPTZ, \"day\" DATE NOT NULL, \"thumbnail\" BLOB NOT NULL, \"labels\" VARCHAR[] NOT NULL, \"metaxy_provenance_by_field\" STRUCT(\"stats_audio\" VARCHAR, \"everything\" VARCHAR), \"metaxy_feature_version\" VARCHAR, \"metaxy_project_version\" VARCHAR, \"metaxy_provenance\" VARCHAR, \"metaxy_created_at\" TIMESTAMPTZ, \"metaxy_updated_at\" TIMESTAMPTZ, \"metaxy_deleted_at\" TIMESTAMPTZ, \"metaxy_materialization_id\" VARCHAR, \"metaxy_data_version_by_field\" STRUCT(\"stats_audio\" VARCHAR, \"everything\" VARCHAR), \"metaxy_data_version\" VARCHAR)";

  private static final String DEFINITION_JSON = "{\"features\": [{\"class_name\": \"media.Outer$ClipStats\", \"feature_schema\": {\"additionalProperties\": false, \"description\": \"Per-clip statistics\", \"properties\": {\"clip\": {\"title\": \"Clip\", \"type\": \"integer\"}, \"day\": {\"format\": \"date\", \"title\": \"Day\", \"type\": \"string\"}, \"frames\": {\"title\": \"Frames\", \"type\": \"integer\"}, \"labels\": {\"description\": \"free tags\", \"items\": {\"type\": \"string\"}, \"title\": \"Labels\", \"type\": \"array\"}, \"metaxy_created_at\": {\"anyOf\": [{\"format\": \"date-time\", \"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Timestamp when the metadata row was created (UTC)\", \"title\": \"Metaxy Created At\"}, \"metaxy_data_version\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of metaxy_data_version_by_field\", \"title\": \"Metaxy Data Version\"}, \"metaxy_data_version_by_field\": {\"anyOf\": [{\"additionalProperties\": {\"type\": \"string\"}, \"type\": \"object\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Field-level data version hashes (maps field names to version hashes)\", \"title\": \"Metaxy Data Version By Field\"}, \"metaxy_feature_version\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of the feature definition (dependencies + fields + code_versions)\", \"title\": \"Metaxy Feature Version\"}, \"metaxy_materialization_id\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"External orchestration run ID (e.g., Dagster Run ID)\", \"title\": \"Metaxy Materialization Id\"}, \"metaxy_project_version\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of the entire feature graph project version\", \"title\": \"Metaxy Project Version\"}, \"metaxy_provenance\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"description\": \"Hash of metaxy_provenance_by_field\", \"title\": \"Metaxy Provenance\"}, \"metaxy_provenance_by_field\": {\"additionalProperties\": {\"type\": \"string\"}, \"description\": \"Field-level provenance hashes (maps field names to hashes)\", \"title\": \"Metaxy Provenance By Field\", \"type\": \"object\"}, \"ok\": {\"title\": \"Ok\", \"type\": \"boolean\"}, \"ratio\": {\"title\": \"Ratio\", \"type\": \"number\"}, \"score\": {\"anyOf\": [{\"type\": \"number\"}, {\"type\": \"null\"}], \"default\": null, \"title\": \"Score\"}, \"seen_at\": {\"anyOf\": [{\"format\": \"date-time\", \"type\": \"string\"}, {\"type\": \"null\"}], \"default\": null, \"title\": \"Seen At\"}, \"thumbnail\": {\"format\": \"binary\", \"title\": \"Thumbnail\", \"type\": \"string\"}, \"video_id\": {\"title\": \"Video Id\", \"type\": \"string\"}}, \"required\": [\"video_id\", \"clip\", \"frames\", \"ratio\", \"ok\", \"day\", \"thumbnail\", \"labels\"], \"title\": \"ClipStats\", \"type\": \"object\"}, \"project\": \"media\", \"spec\": {\"deps\": [{\"feature\": \"example/video\", \"fields_mapping\": {\"mapping\": {\"mapping\": {\"stats/audio\": [[\"audio\"]]}, \"type\": \"specific\"}}, \"lineage\": {\"relationship\": {\"id_generation_pattern\": null, \"on\": [\"video_id\"], \"type\": \"1:N\"}}, \"optional\": true, \"rename\": {\"path\": \"video_path\"}, \"select\": [\"video_id\", \"video_path\"], \"sql_filters\": [\"duration_seconds > 1\"]}], \"description\": \"Per-clip statistics\", \"fields\": [{\"code_version\": \"2\", \"deps\": [], \"key\": \"stats/audio\"}, {\"code_version\": \"__metaxy_initial__\", \"deps\": \"__METAXY_ALL_DEP__\", \"key\": \"everything\"}], \"id_columns\": [\"video_id\", \"clip\"], \"key\": \"media/clip-stats\", \"metadata\": {\"n\": [1, 2.5], \"owner\": \"vision\"}}}]}";

  /**
   * The feature's definition: spec, project and feature schema.
   */
  public static final FeatureDefinition DEFINITION = CompanionSupport.definition(DEFINITION_JSON, Outer.ClipStats.class);

  /**
   * The user columns, in component order.
   */
  public static final List<ColumnDef> COLUMN_DEFS = List.of(
      new ColumnDef("video_id", ColumnType.STRING, false, null),
      new ColumnDef("clip", ColumnType.INT, false, null),
      new ColumnDef("frames", ColumnType.LONG, false, null),
      new ColumnDef("score", ColumnType.DOUBLE, true, null),
      new ColumnDef("ratio", ColumnType.FLOAT, false, null),
      new ColumnDef("ok", ColumnType.BOOLEAN, false, null),
      new ColumnDef("seen_at", ColumnType.INSTANT, true, null),
      new ColumnDef("day", ColumnType.LOCAL_DATE, false, null),
      new ColumnDef("thumbnail", ColumnType.BYTES, false, null),
      new ColumnDef("labels", ColumnType.STRING_LIST, false, "free tags"));

  /**
   * The Arrow schema of the user columns.
   */
  public static final Schema USER_SCHEMA = ArrowColumns.userSchema(COLUMN_DEFS);

  /**
   * The Arrow schema of the feature table: user columns, then system columns.
   */
  public static final Schema TABLE_SCHEMA = ArrowColumns.tableSchema(COLUMN_DEFS, List.of("stats_audio", "everything"));

  /**
   * The feature table, for jOOQ queries.
   */
  public static final Table<Record> TABLE = DSL.table(DSL.name(TABLE_NAME));

  private static final RecordCodec<Outer.ClipStats> CODEC = new RecordCodec<>("ClipStats", COLUMN_DEFS, List.<Function<Outer.ClipStats, Object>>of(Outer.ClipStats::videoId, Outer.ClipStats::clip, Outer.ClipStats::frames, Outer.ClipStats::score, Outer.ClipStats::ratio, Outer.ClipStats::ok, Outer.ClipStats::seenAt, Outer.ClipStats::day, Outer.ClipStats::thumbnail, Outer.ClipStats::tags), v -> new Outer.ClipStats((String) v[0], (int) v[1], (long) v[2], (Double) v[3], (float) v[4], (boolean) v[5], (Instant) v[6], (LocalDate) v[7], (byte[]) v[8], (List<String>) v[9]));

  /**
   * The versions compiled into this class, checked by {@code FeatureGraph.load()}.
   */
  public static final FeatureRegistry.CompiledVersions COMPILED_VERSIONS = new FeatureRegistry.CompiledVersions(FeatureKey.of(KEY), HASH_TRUNCATION_LENGTH, FEATURE_VERSION, FEATURE_CODE_VERSION, FEATURE_SPEC_VERSION, DEFINITION_VERSION, FIELD_VERSIONS, "media.MetaxyOuter_ClipStats");

  /**
   * The companion instance.
   */
  public static final MetaxyOuter_ClipStats COMPANION = new MetaxyOuter_ClipStats();

  private MetaxyOuter_ClipStats() {
  }

  @Override
  public Class<Outer.ClipStats> recordType() {
    return Outer.ClipStats.class;
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
  public VectorSchemaRoot toArrow(List<Outer.ClipStats> records, BufferAllocator allocator) {
    return CODEC.toArrow(records, allocator);
  }

  @Override
  public Outer.ClipStats fromArrow(VectorSchemaRoot batch, int row) {
    return CODEC.fromArrow(batch, row);
  }

  @Override
  public Outer.ClipStats fromResultSet(ResultSet rs) throws SQLException {
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
     * Column {@code clip}.
     */
    public static final Field<Integer> CLIP = DSL.field(DSL.name("clip"), SQLDataType.INTEGER);

    /**
     * Column {@code frames}.
     */
    public static final Field<Long> FRAMES = DSL.field(DSL.name("frames"), SQLDataType.BIGINT);

    /**
     * Column {@code score}.
     */
    public static final Field<Double> SCORE = DSL.field(DSL.name("score"), SQLDataType.DOUBLE);

    /**
     * Column {@code ratio}.
     */
    public static final Field<Float> RATIO = DSL.field(DSL.name("ratio"), SQLDataType.REAL);

    /**
     * Column {@code ok}.
     */
    public static final Field<Boolean> OK = DSL.field(DSL.name("ok"), SQLDataType.BOOLEAN);

    /**
     * Column {@code seen_at}.
     */
    public static final Field<Instant> SEEN_AT = DSL.field(DSL.name("seen_at"), SQLDataType.INSTANT);

    /**
     * Column {@code day}.
     */
    public static final Field<LocalDate> DAY = DSL.field(DSL.name("day"), SQLDataType.LOCALDATE);

    /**
     * Column {@code thumbnail}.
     */
    public static final Field<byte[]> THUMBNAIL = DSL.field(DSL.name("thumbnail"), SQLDataType.VARBINARY);

    /**
     * Column {@code labels}.
     */
    public static final Field<String[]> LABELS = DSL.field(DSL.name("labels"), SQLDataType.VARCHAR.array());

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
