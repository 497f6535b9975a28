package io.metaxy.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ValueVector;

/**
 * Vectors the engine allocates for one call and that die with it (aggregated data versions): the
 * result columns only point at them until the result vectors are built, so they are owned here rather
 * than by any batch, and closed when the call ends, successfully or not.
 */
final class ScratchVectors implements AutoCloseable {
  private final List<ValueVector> vectors = new ArrayList<>();

  /** Takes ownership of {@code v}; returns it. */
  <V extends ValueVector> V own(V v) {
    vectors.add(v);
    return v;
  }

  @Override
  public void close() {
    vectors.forEach(ValueVector::close);
  }
}
