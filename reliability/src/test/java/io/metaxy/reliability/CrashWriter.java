package io.metaxy.reliability;

import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The child of the crash tests: writes batches of {@code rel/root} in a loop until it is killed.
 *
 * <p>Arguments: the store kind ({@link StoreKinds}) and its location, the first batch number, rows per
 * batch, the most batches to write, the most seconds to run, then DuckDB settings as {@code key=value}.
 * Prints {@code ready} once the store is open, {@code begin B} before writing batch B and {@code ok B}
 * after its write returned; a write that throws prints {@code fail B <message>} and exits with 3. Exits
 * with 2 as soon as stdin closes.
 */
public final class CrashWriter {
  private CrashWriter() {}

  @SuppressWarnings("try") // the scope keeps the store open while the batches are written
  public static void main(String[] args) throws Exception {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    Thread watchdog = new Thread(
        () -> {
          try {
            while (System.in.read() >= 0) {
              // the parent never sends anything; EOF means it is gone
            }
          } catch (IOException ignored) {
            // same as EOF
          }
          Runtime.getRuntime().halt(2);
        },
        "stdin-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    String kind = args[0];
    String location = args[1];
    long first = Long.parseLong(args[2]);
    int k = Integer.parseInt(args[3]);
    long maxBatches = Long.parseLong(args[4]);
    long deadline = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 6; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    BufferAllocator allocator = new RootAllocator();
    StoreOptions options = StoreOptions.of(Rows.graph()).allocator(allocator);
    MetadataStore store = StoreKinds.open(kind, location, settings, options);
    try (var scope = store.open(AccessMode.WRITE)) {
      out.println("ready");
      for (long b = first; b < first + maxBatches && System.nanoTime() < deadline; b++) {
        out.println("begin " + b);
        try (VectorSchemaRoot batch = Rows.batch(allocator, b * k, k)) {
          store.write(Rows.ROOT, batch);
        } catch (RuntimeException e) {
          out.println("fail " + b + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
          e.printStackTrace();
          System.exit(3);
        }
        out.println("ok " + b);
      }
    }
    out.println("done");
  }
}
