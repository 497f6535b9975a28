package io.metaxy.store.duckdb.ddl;

import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;
import io.metaxy.internal.GeneratedCompanion;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The companion of {@link Clip}, in the shape the processor generates (the parts the store uses). */
public final class MetaxyClip extends GeneratedCompanion<Clip> {
  static final String SPEC_JSON =
      "{\"deps\": [], \"description\": null, \"fields\": [{\"code_version\": \"1\", \"deps\": [],"
          + " \"key\": \"audio\"}, {\"code_version\": \"1\", \"deps\": [], \"key\": \"frames/raw\"}], \"id_columns\": [\"clip_id\"],"
          + " \"key\": \"media/clip\", \"metadata\": {}}";

  static final List<ColumnDef> COLUMN_DEFS = List.of(
      new ColumnDef("clip_id", ColumnType.STRING, false, null),
      new ColumnDef("frames", ColumnType.LONG, false, null),
      new ColumnDef("score", ColumnType.DOUBLE, true, null),
      new ColumnDef("ok", ColumnType.BOOLEAN, false, null),
      new ColumnDef("seen_at", ColumnType.INSTANT, true, null),
      new ColumnDef("day", ColumnType.LOCAL_DATE, false, null),
      new ColumnDef("thumbnail", ColumnType.BYTES, false, null),
      new ColumnDef("labels", ColumnType.STRING_LIST, false, null));

  /** Found by {@code FeatureCompanions.of}. */
  public static final MetaxyClip COMPANION = new MetaxyClip();

  private MetaxyClip() {
    super(Clip.class, "media", SPEC_JSON, COLUMN_DEFS);
  }

  @Override
  protected Object value(Clip record, int column) {
    switch (column) {
      case 0:
        return record.clipId();
      case 1:
        return record.frames();
      case 2:
        return record.score();
      case 3:
        return record.ok();
      case 4:
        return record.seenAt();
      case 5:
        return record.day();
      case 6:
        return record.thumbnail();
      default:
        return record.labels();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Clip create(Object[] values) {
    return new Clip(
        (String) values[0],
        (long) values[1],
        (Double) values[2],
        (boolean) values[3],
        (Instant) values[4],
        (LocalDate) values[5],
        (byte[]) values[6],
        (List<String>) values[7]);
  }
}
