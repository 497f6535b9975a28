package example;

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
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * The Metaxy companion of {@link Crop}: feature {@code example/crop}, its versions (computed at
 * compile time), plan, columns, schemas and codec.
 */
@Generated(
    value = "io.metaxy.processor.FeatureProcessor",
    comments = "Metaxy for Java; see docs/processor.md"
)
public final class MetaxyCrop extends GeneratedCompanion<Crop> {
  /** The feature key. */
  public static final String KEY = "example/crop";

  /** The project the feature belongs to. */
  public static final String PROJECT = "default";

  /** The hash truncation the versions were computed with (0 = none). */
  public static final int HASH_TRUNCATION_LENGTH = 8;

  /** {@code metaxy_feature_version}. */
  public static final String FEATURE_VERSION = "34d75856";

  /** The feature code version (fields' code versions only). */
  public static final String FEATURE_CODE_VERSION = "7957714b";

  /** The feature spec version (hash of the spec JSON). */
  public static final String FEATURE_SPEC_VERSION = "6f1aa5c7";

  /** The definition (tracking) version: spec version and feature schema. */
  public static final String DEFINITION_VERSION = "35297520";

  /** The version of field {@code audio}. */
  public static final String FIELD_AUDIO_VERSION = "4c726c4b";

  /** The version of field {@code frames}. */
  public static final String FIELD_FRAMES_VERSION = "2419e09d";

  /** The name of the feature table. */
  public static final String TABLE_NAME = "example__crop";

  /** The user columns, in component order. */
  public static final List<ColumnDef> COLUMN_DEFS = CompanionSupport.columns(
      new ColumnDef("video_id", ColumnType.STRING, false, null),
      new ColumnDef("path", ColumnType.STRING, false, null));

  /** The companion instance. */
  public static final MetaxyCrop COMPANION = new MetaxyCrop();

  /**
   * The feature's definition: spec, project and feature schema (built from the spec, the columns
   * and the record's name when the class initializes).
   */
  public static final FeatureDefinition DEFINITION = COMPANION.definition();

  /** Field key → field version, in spec field order. */
  public static final Map<String, String> FIELD_VERSIONS = CompanionSupport.fieldVersions(DEFINITION, FIELD_AUDIO_VERSION, FIELD_FRAMES_VERSION);

  /** Field key → its parent fields (fully qualified, sorted), in spec field order. */
  public static final Map<String, List<String>> FIELD_PARENTS = CompanionSupport.fieldParents(DEFINITION, "example/video.audio", "example/video.frames");

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
  public static final FeatureRegistry.CompiledVersions COMPILED_VERSIONS = new FeatureRegistry.CompiledVersions(FeatureKey.of(KEY), HASH_TRUNCATION_LENGTH, FEATURE_VERSION, FEATURE_CODE_VERSION, FEATURE_SPEC_VERSION, DEFINITION_VERSION, FIELD_VERSIONS, "example.MetaxyCrop");

  private MetaxyCrop() {
    super(Crop.class, PROJECT, "{\"deps\": [{\"feature\": \"example/video\", \"fields_mapping\": {\"mapping\": {\"exclude_fields\": [], \"match_suffix\": false, \"type\": \"default\"}}, \"lineage\": {\"relationship\": {\"type\": \"1:1\"}}, \"optional\": false, \"rename\": null, \"select\": null, \"sql_filters\": null}], \"description\": null, \"fields\": [{\"code_version\": \"1\", \"deps\": [], \"key\": \"audio\"}, {\"code_version\": \"1\", \"deps\": [], \"key\": \"frames\"}], \"id_columns\": [\"video_id\"], \"key\": \"example/crop\", \"metadata\": {}}", COLUMN_DEFS);
  }

  @Override
  protected Object value(Crop record, int column) {
    switch (column) {
      case 0:
        return record.videoId();
      default:
        return record.path();
    }
  }

  @Override
  protected Crop create(Object[] values) {
    return new Crop((String) values[0], (String) values[1]);
  }

  /**
   * The feature table's columns as typed jOOQ fields: the user columns, and the system columns
   * ({@code METAXY_PROVENANCE}, ...) inherited from {@link SystemColumnFields}.
   */
  public static final class Columns extends SystemColumnFields {
    /** Column {@code video_id}. */
    public static final Field<String> VIDEO_ID = JooqFields.ofString("video_id");

    /** Column {@code path}. */
    public static final Field<String> PATH = JooqFields.ofString("path");

    private Columns() {}
  }
}
