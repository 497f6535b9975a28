package media;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureRegistry;
import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;
import io.metaxy.internal.CompanionSupport;
import io.metaxy.internal.GeneratedCompanion;
import io.metaxy.internal.JooqFields;
import io.metaxy.internal.SystemColumnFields;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.Lineage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * The Metaxy companion of {@link Outer.ClipStats}: feature {@code media/clip-stats}, its versions (computed at
 * compile time), plan, columns, schemas and codec.
 */
@Generated(
    value = "io.metaxy.processor.FeatureProcessor",
    comments = "Metaxy for Java; see docs/processor.md"
)
public final class MetaxyOuter_ClipStats extends GeneratedCompanion<Outer.ClipStats> {
  /** The feature key. */
  public static final String KEY = "media/clip-stats";

  /** The project the feature belongs to. */
  public static final String PROJECT = "media";

  /** The hash truncation the versions were computed with (0 = none). */
  public static final int HASH_TRUNCATION_LENGTH = 8;

  /** {@code metaxy_feature_version}. */
  public static final String FEATURE_VERSION = "e674293b";

  /** The feature code version (fields' code versions only). */
  public static final String FEATURE_CODE_VERSION = "16141e62";

  /** The feature spec version (hash of the spec JSON). */
  public static final String FEATURE_SPEC_VERSION = "c166d4ec";

  /** The definition (tracking) version: spec version and feature schema. */
  public static final String DEFINITION_VERSION = "d48e5c70";

  /** The version of field {@code stats/audio}. */
  public static final String FIELD_STATS_AUDIO_VERSION = "e2142570";

  /** The version of field {@code everything}. */
  public static final String FIELD_EVERYTHING_VERSION = "cedffe59";

  /** The name of the feature table. */
  public static final String TABLE_NAME = "media__clip_stats";

  /** The user columns, in component order. */
  public static final List<ColumnDef> COLUMN_DEFS = CompanionSupport.columns(
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

  /** The companion instance. */
  public static final MetaxyOuter_ClipStats COMPANION = new MetaxyOuter_ClipStats();

  /**
   * The feature's definition: spec, project and feature schema (built from the spec, the columns
   * and the record's name when the class initializes).
   */
  public static final FeatureDefinition DEFINITION = COMPANION.definition();

  /** Field key → field version, in spec field order. */
  public static final Map<String, String> FIELD_VERSIONS = CompanionSupport.fieldVersions(DEFINITION, FIELD_STATS_AUDIO_VERSION, FIELD_EVERYTHING_VERSION);

  /** Field key → its parent fields (fully qualified, sorted), in spec field order. */
  public static final Map<String, List<String>> FIELD_PARENTS = CompanionSupport.fieldParents(DEFINITION, "example/video.audio", "example/video.audio example/video.frames");

  /** The columns the prepared upstream frames are joined on. */
  public static final List<String> JOIN_COLUMNS = CompanionSupport.strings("video_id");

  /** Upstream feature key → lineage, in declaration order. */
  public static final Map<String, Lineage> DEP_LINEAGES = CompanionSupport.depLineages(DEFINITION);

  /** The Arrow schema of the user columns. */
  public static final Schema USER_SCHEMA = COMPANION.userSchema();

  /** The Arrow schema of the feature table: user columns, then system columns. */
  public static final Schema TABLE_SCHEMA = COMPANION.tableSchema();

  /** The feature table, for jOOQ queries. */
  public static final Table<Record> TABLE = JooqFields.table(TABLE_NAME);

  /** The versions compiled into this class, checked by {@code FeatureGraph.load()}. */
  public static final FeatureRegistry.CompiledVersions COMPILED_VERSIONS = new FeatureRegistry.CompiledVersions(FeatureKey.of(KEY), HASH_TRUNCATION_LENGTH, FEATURE_VERSION, FEATURE_CODE_VERSION, FEATURE_SPEC_VERSION, DEFINITION_VERSION, FIELD_VERSIONS, "media.MetaxyOuter_ClipStats");

  private MetaxyOuter_ClipStats() {
    super(Outer.ClipStats.class, PROJECT, "{\"deps\": [{\"feature\": \"example/video\", \"fields_mapping\": {\"mapping\": {\"mapping\": {\"stats/audio\": [[\"audio\"]]}, \"type\": \"specific\"}}, \"lineage\": {\"relationship\": {\"id_generation_pattern\": null, \"on\": [\"video_id\"], \"type\": \"1:N\"}}, \"optional\": true, \"rename\": {\"path\": \"video_path\"}, \"select\": [\"video_id\", \"video_path\"], \"sql_filters\": [\"duration_seconds > 1\"]}], \"description\": \"Per-clip statistics\", \"fields\": [{\"code_version\": \"2\", \"deps\": [], \"key\": \"stats/audio\"}, {\"code_version\": \"__metaxy_initial__\", \"deps\": \"__METAXY_ALL_DEP__\", \"key\": \"everything\"}], \"id_columns\": [\"video_id\", \"clip\"], \"key\": \"media/clip-stats\", \"metadata\": {\"n\": [1, 2.5], \"owner\": \"vision\"}}", COLUMN_DEFS);
  }

  @Override
  protected Object value(Outer.ClipStats record, int column) {
    switch (column) {
      case 0:
        return record.videoId();
      case 1:
        return record.clip();
      case 2:
        return record.frames();
      case 3:
        return record.score();
      case 4:
        return record.ratio();
      case 5:
        return record.ok();
      case 6:
        return record.seenAt();
      case 7:
        return record.day();
      case 8:
        return record.thumbnail();
      default:
        return record.tags();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Outer.ClipStats create(Object[] values) {
    return new Outer.ClipStats((String) values[0], (int) values[1], (long) values[2], (Double) values[3], (float) values[4], (boolean) values[5], (Instant) values[6], (LocalDate) values[7], (byte[]) values[8], (List<String>) values[9]);
  }

  /**
   * The feature table's columns as typed jOOQ fields: the user columns, and the system columns
   * ({@code METAXY_PROVENANCE}, ...) inherited from {@link SystemColumnFields}.
   */
  public static final class Columns extends SystemColumnFields {
    /** Column {@code video_id}. */
    public static final Field<String> VIDEO_ID = JooqFields.ofString("video_id");

    /** Column {@code clip}. */
    public static final Field<Integer> CLIP = JooqFields.ofInt("clip");

    /** Column {@code frames}. */
    public static final Field<Long> FRAMES = JooqFields.ofLong("frames");

    /** Column {@code score}. */
    public static final Field<Double> SCORE = JooqFields.ofDouble("score");

    /** Column {@code ratio}. */
    public static final Field<Float> RATIO = JooqFields.ofFloat("ratio");

    /** Column {@code ok}. */
    public static final Field<Boolean> OK = JooqFields.ofBoolean("ok");

    /** Column {@code seen_at}. */
    public static final Field<Instant> SEEN_AT = JooqFields.ofInstant("seen_at");

    /** Column {@code day}. */
    public static final Field<LocalDate> DAY = JooqFields.ofLocalDate("day");

    /** Column {@code thumbnail}. */
    public static final Field<byte[]> THUMBNAIL = JooqFields.ofBytes("thumbnail");

    /** Column {@code labels}. */
    public static final Field<String[]> LABELS = JooqFields.ofStringList("labels");

    private Columns() {}
  }
}
