package io.metaxy.benchmarks;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two graphs of the reference paper's benchmark, built class-free.
 *
 * <ul>
 *   <li>{@link #SIMPLE}: root {@code bench/video} (fields {@code audio}, {@code frames}) → leaf
 *       {@code bench/clip} with one field;
 *   <li>{@link #WIDE}: roots {@code bench/video} and {@code bench/sensor} with four fields each → leaf
 *       {@code bench/fusion} with two fields.
 * </ul>
 *
 * Every leaf field depends on every root field (automatic mapping, no namesake upstream field), and the
 * stale phase changes the {@code audio} field of {@code bench/video}.
 */
public enum Shape {
  /** One root with two fields, one one-field leaf. */
  SIMPLE,
  /** Two roots with four fields each, one two-field leaf. */
  WIDE;

  /** The id column of every feature. */
  public static final String ID = "sample_uid";

  /** The root whose field changes in the stale phase. */
  public static final FeatureKey VIDEO = FeatureKey.of("bench/video");

  /** The field that changes in the stale phase. */
  public static final String CHANGED_FIELD = "audio";

  /** The root features, in order. */
  public List<FeatureKey> roots() {
    return this == SIMPLE ? List.of(VIDEO) : List.of(VIDEO, FeatureKey.of("bench/sensor"));
  }

  /** The field keys of a root. */
  public List<String> rootFields(FeatureKey root) {
    if (this == SIMPLE) {
      return List.of("audio", "frames");
    }
    return root.equals(VIDEO)
        ? List.of("audio", "frames", "text", "depth")
        : List.of("imu", "gps", "lidar", "radar");
  }

  /** The leaf feature whose increment is resolved. */
  public FeatureKey leaf() {
    return this == SIMPLE ? FeatureKey.of("bench/clip") : FeatureKey.of("bench/fusion");
  }

  /** The leaf's field keys. */
  public List<String> leafFields() {
    return this == SIMPLE ? List.of("embedding") : List.of("embedding", "caption");
  }

  /** Built once per shape, so that building it is never part of a timed round. */
  private static final Map<Shape, FeatureGraph> GRAPHS = new ConcurrentHashMap<>();

  /** The feature graph (project {@code bench}); the same instance on every call. */
  public FeatureGraph graph() {
    return GRAPHS.computeIfAbsent(this, Shape::build);
  }

  private FeatureGraph build() {
    List<FeatureDefinition> defs = new ArrayList<>();
    FeatureSpec.Builder leaf = FeatureSpec.builder(leaf().toString(), ID);
    for (FeatureKey root : roots()) {
      FeatureSpec.Builder b = FeatureSpec.builder(root.toString(), ID);
      rootFields(root).forEach(f -> b.field(f, "1"));
      defs.add(FeatureDefinition.of(b.build(), "bench", Map.of()));
      leaf.dep(root.toString());
    }
    leafFields().forEach(f -> leaf.field(f, "1"));
    defs.add(FeatureDefinition.of(leaf.build(), "bench", Map.of()));
    return FeatureGraph.of(defs);
  }

  /** The lower-case name used on the command line and in file names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code simple} or {@code wide}. */
  public static Shape parse(String s) {
    for (Shape g : values()) {
      if (g.label().equalsIgnoreCase(s.trim())) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown graph \"" + s + "\" (one of simple, wide)");
  }
}
