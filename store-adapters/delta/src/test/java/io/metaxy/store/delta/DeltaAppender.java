package io.metaxy.store.delta;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;

import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A writer process for {@code DeltaProcessesTest}: appends {@code count} batches of {@value #ROWS}
 * rows ({@code <name>-<batch>-<row>}) to table {@code t} under {@code root}, printing {@code committed
 * <n>} after each commit. Arguments: root, name, count.
 */
public final class DeltaAppender {
  /** Rows per batch. */
  static final int ROWS = 10;

  private DeltaAppender() {}

  /** Runs the writer. */
  public static void main(String[] args) {
    String root = args[0];
    String name = args[1];
    int count = Integer.parseInt(args[2]);
    DeltaConnector connector = new DeltaConnector(root, DeltaConnector.Layout.NESTED, Map.of());
    try (BufferAllocator allocator = new RootAllocator();
        StoreBackend backend =
            connector.connect(new ConnectRequest(false, null, false, allocator))) {
      for (int b = 0; b < count; b++) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
          rows.add(row("id", name + "-" + b + "-" + r, "pbf", pbf("a", "x")));
        }
        try (VectorSchemaRoot batch = batch(allocator, rows)) {
          backend.append("t", batch);
        }
        System.out.println("committed " + (b + 1));
        System.out.flush();
      }
    }
  }
}
