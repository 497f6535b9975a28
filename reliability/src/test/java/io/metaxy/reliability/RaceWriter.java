package io.metaxy.reliability;

import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A child of the concurrency test: one of two processes writing the same feature of one store at once.
 *
 * <p>Arguments: the store kind ({@link StoreKinds}) and its location, the first sample id, the number of rows, rows per batch. Opens the store,
 * prints {@code ready}, waits for {@code go} on stdin (so both children start writing together, while the
 * table does not exist yet), writes, prints {@code done} and exits with 0; a write that throws prints
 * {@code fail <message>} and exits with 3.
 */
public final class RaceWriter {
  private RaceWriter() {}

  @SuppressWarnings("try") // the scope keeps the store open while the batches are written
  public static void main(String[] args) throws Exception {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    long first = Long.parseLong(args[2]);
    int rows = Integer.parseInt(args[3]);
    int k = Integer.parseInt(args[4]);
    BufferAllocator allocator = new RootAllocator();
    MetadataStore store = StoreKinds.open(
        args[0], args[1], Map.of(), StoreOptions.of(Rows.graph()).allocator(allocator));
    try (var scope = store.open(AccessMode.WRITE)) {
      out.println("ready");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!"go".equals(in.readLine())) {
        System.exit(2);
      }
      for (long id = first; id < first + rows; id += k) {
        try (VectorSchemaRoot batch =
            Rows.batch(allocator, id, (int) Math.min(k, first + rows - id))) {
          store.write(Rows.ROOT, batch);
        } catch (RuntimeException e) {
          out.println("fail " + String.valueOf(e.getMessage()).replace('\n', ' '));
          e.printStackTrace();
          System.exit(3);
        }
      }
    }
    out.println("done");
  }
}
