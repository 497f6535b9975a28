package io.metaxy.store;

import io.metaxy.graph.FeatureCompanion;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** What the processor would generate for {@link Crop}: written by hand for the store tests. */
public final class MetaxyCrop implements FeatureCompanion<Crop> {
  /** Found by {@link io.metaxy.graph.FeatureCompanions#of}. */
  public static final MetaxyCrop COMPANION = new MetaxyCrop();

  static final FeatureDefinition DEFINITION = FeatureDefinition.of(
      FeatureSpec.builder("example/crop", "video_id")
          .dep("example/video")
          .field("frames", "1")
          .build(),
      "typed",
      Map.of());

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
    return new Schema(List.of(
        Field.nullable("video_id", ArrowType.Utf8.INSTANCE),
        Field.nullable("width", new ArrowType.Int(64, true))));
  }

  @Override
  public VectorSchemaRoot toArrow(List<Crop> records, BufferAllocator allocator) {
    List<FieldVector> vs = new ArrayList<>();
    vs.add(
        ArrowBatches.strings("video_id", records.stream().map(Crop::video_id).toList(), allocator));
    BigIntVector w = new BigIntVector("width", allocator);
    w.allocateNew(records.size());
    for (int i = 0; i < records.size(); i++) {
      w.set(i, records.get(i).width());
    }
    vs.add(w);
    return ArrowBatches.of(vs, records.size());
  }

  @Override
  public Crop fromArrow(VectorSchemaRoot batch, int row) {
    Object width = ArrowBatches.value(ArrowBatches.column(batch, "width", "Crop batch"), row);
    return new Crop(
        (String) ArrowBatches.value(ArrowBatches.column(batch, "video_id", "Crop batch"), row),
        width == null ? 0 : (Long) width);
  }
}
