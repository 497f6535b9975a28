package io.metaxy.store.delta;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.metaxy.FeatureKey;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.Stores;
import io.metaxy.store.TestGraphs;
import io.metaxy.testing.s3.S3Server;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta store on S3 (s3proxy on loopback) beyond the conformance suite: the S3 file access Kernel
 * relies on (conditional commit writes, listing from a key, ranged reads), concurrent writers, dropping
 * tables, and credentials kept out of messages.
 */
class DeltaS3Test {
  private static final FeatureKey VIDEO = FeatureKey.of("video/raw");

  @TempDir
  static Path tmp;

  private static S3Server server;
  private final BufferAllocator allocator = new RootAllocator();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(tmp.resolve("s3"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  private static String root(String name) {
    return "s3://" + S3Server.BUCKET + "/" + name + "-" + System.nanoTime();
  }

  private DeltaMetadataStore store(String root, Map<String, String> options) {
    return new DeltaMetadataStore(
        StoreOptions.of(TestGraphs.videoClip()).allocator(allocator),
        root,
        DeltaConnector.Layout.NESTED,
        options);
  }

  private DeltaMetadataStore store(String root) {
    return store(root, DeltaS3StoreTest.storageOptions(server));
  }

  private void writeVideo(DeltaMetadataStore s, String... ids) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String id : ids) {
      rows.add(row(
          "video_id",
          id,
          "metaxy_provenance_by_field",
          pbf("audio", "a" + id, "frames", "f" + id)));
    }
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      s.write(VIDEO, b);
    }
  }

  private static S3FileIO io(boolean unsafe) {
    Map<String, String> o = new HashMap<>(DeltaS3StoreTest.storageOptions(server));
    if (unsafe) {
      o.put("AWS_S3_ALLOW_UNSAFE_RENAME", "true");
    }
    return S3FileIO.open(S3Options.parse(o));
  }

  private static CloseableIterator<String> lines(String... lines) {
    Iterator<String> it = List.of(lines).iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public String next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  private static String read(S3FileIO io, String path) throws Exception {
    FileStatus s = io.getFileStatus(path);
    try (InputStream in = io.newInputFile(path, s.getSize()).newStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A commit file is written only if absent: s3proxy answers the second conditional PUT with 412,
   * and the first commit stays as written. Without this, two writers could both "win" a version.
   */
  @Test
  void commitFilesAreWrittenOnlyIfAbsent() throws Exception {
    for (boolean unsafe : new boolean[] {false, true}) {
      try (S3FileIO io = io(unsafe)) {
        String path = root("cond") + "/_delta_log/00000000000000000000.json";
        io.newOutputFile(path).writeAtomically(lines("{\"first\":1}"), false);
        assertThrows(
            FileAlreadyExistsException.class,
            () -> io.newOutputFile(path).writeAtomically(lines("{\"second\":2}"), false));
        assertEquals("{\"first\":1}\n", read(io, path));
        // Overwriting (e.g. _last_checkpoint) is a plain PUT.
        io.newOutputFile(path).writeAtomically(lines("{\"third\":3}"), true);
        assertEquals("{\"third\":3}\n", read(io, path));
      }
    }
  }

  /**
   * Racing commit writes to one key: exactly one wins, the others get FileAlreadyExistsException (the
   * test server makes conditional PUTs atomic per key, as S3 does; see {@link S3Server}).
   */
  @Test
  void racingCommitWritesHaveOneWinner() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (S3FileIO io = io(false)) {
      for (int round = 0; round < 10; round++) {
        String path = root("race") + "/_delta_log/00000000000000000000.json";
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          String line = "{\"writer\":" + t + "}";
          results.add(pool.submit(() -> {
            try {
              io.newOutputFile(path).writeAtomically(lines(line), false);
              return line;
            } catch (FileAlreadyExistsException e) {
              return "lost";
            }
          }));
        }
        List<String> winners = new ArrayList<>();
        for (Future<String> f : results) {
          if (!f.get().equals("lost")) {
            winners.add(f.get());
          }
        }
        assertEquals(1, winners.size(), "round " + round + ": " + winners);
        assertEquals(winners.get(0) + "\n", read(io, path));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Listing from a key: the key itself and every later key of the same directory, in order. */
  @Test
  void listFromStartsAtTheKeyAndStaysInTheDirectory() throws Exception {
    try (S3FileIO io = io(false)) {
      String log = root("list") + "/_delta_log/";
      for (String name : List.of(
          "00000000000000000000.json",
          "00000000000000000001.json",
          "00000000000000000001.crc",
          "00000000000000000002.json",
          "_staged_commits/00000000000000000003.x.json")) {
        io.newOutputFile(log + name).writeAtomically(lines("{}"), false);
      }
      List<String> names = new ArrayList<>();
      try (CloseableIterator<FileStatus> it = io.listFrom(log + "00000000000000000001")) {
        while (it.hasNext()) {
          names.add(it.next().getPath().substring(log.length()));
        }
      }
      assertEquals(
          List.of(
              "00000000000000000001.crc", "00000000000000000001.json", "00000000000000000002.json"),
          names);
      assertThrows(
          FileNotFoundException.class, () -> io.listFrom(root("none") + "/_delta_log/0000"));
    }
  }

  /** Ranged reads: seeks backwards and forwards within an object read the right bytes. */
  @Test
  void seeksReadTheRightBytes() throws Exception {
    try (S3FileIO io = io(false)) {
      String path = root("seek") + "/data.bin";
      byte[] data = new byte[1_000_000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 31 + 7);
      }
      try (var out = io.newOutputFile(path).create(true)) {
        out.write(data);
        assertEquals(data.length, out.getPos());
      }
      assertEquals(data.length, io.getFileStatus(path).getSize());
      try (var in = io.newInputFile(path, data.length).newStream()) {
        for (long at : new long[] {data.length - 8, 0, 500_000, 500_100, 10, 999_990}) {
          in.seek(at);
          byte[] got = new byte[8];
          int len = (int) Math.min(8, data.length - at);
          in.readFully(got, 0, len);
          for (int i = 0; i < len; i++) {
            assertEquals(data[(int) at + i], got[i], "byte " + (at + i));
          }
          assertEquals(at + len, in.getPos());
        }
      }
    }
  }

  /** Two stores, three threads each, appending to one S3 table: every row is there afterwards. */
  @Test
  void concurrentWritersOnOneTableLoseNothing() throws Exception {
    String root = root("concurrent");
    DeltaMetadataStore first = store(root);
    DeltaMetadataStore second = store(root);
    int threads = 3;
    int writes = 4;
    int rows = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
    try (var a = first.open(AccessMode.WRITE);
        var b = second.open(AccessMode.WRITE)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads * 2; t++) {
        DeltaMetadataStore s = t % 2 == 0 ? first : second;
        int thread = t;
        done.add(pool.submit(() -> {
          for (int w = 0; w < writes; w++) {
            String[] ids = new String[rows];
            for (int r = 0; r < rows; r++) {
              ids[r] = thread + "-" + w + "-" + r;
            }
            writeVideo(s, ids);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      try (VectorSchemaRoot r = first.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(threads * 2 * writes * rows, r.getRowCount());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Dropping a feature's table deletes its objects (log and data), not only its log. */
  @Test
  void droppingATableDeletesItsObjects() {
    String root = root("drop");
    String prefix = root.substring(("s3://" + S3Server.BUCKET + "/").length());
    DeltaMetadataStore s = store(root);
    try (var scope = s.open(AccessMode.WRITE)) {
      writeVideo(s, "v1", "v2");
      writeVideo(s, "v3");
      assertTrue(server.objects(prefix + "/video/raw.delta/") >= 4, "2 commits, 2 data files");
      assertTrue(s.hasFeature(VIDEO));
      s.dropFeatureMetadata(VIDEO);
      assertEquals(0, server.objects(prefix + "/video/raw.delta/"));
      assertFalse(s.hasFeature(VIDEO));
    }
  }

  /**
   * The S3 example of docs/stores.md, "Delta store" (the test server's endpoint and a fresh prefix
   * substituted), with the credentials left to the AWS default chain, here its system properties:
   * written through one store, read back through another.
   */
  @Test
  void theDocumentedS3ConfigurationOpensAWorkingStore(@TempDir Path dir) throws Exception {
    String root = root("documented");
    Files.writeString(dir.resolve("metaxy.toml"), """
        [stores.prod]
        type = "metaxy.ext.polars.handlers.delta.DeltaMetadataStore"

        [stores.prod.config]
        root_path = "s3://my-bucket/metaxy"
        layout = "nested"
        auto_create_tables = true

        [stores.prod.config.storage_options]
        AWS_ENDPOINT_URL = "http://127.0.0.1:9000"
        AWS_REGION = "us-east-1"
        AWS_ALLOW_HTTP = "true"
        """.replace("s3://my-bucket/metaxy", root)
        .replace("http://127.0.0.1:9000", server.endpoint()));
    System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    try {
      MetadataStore s = Stores.open(
          MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load(),
          "prod",
          TestGraphs.videoClip());
      assertEquals(root, ((DeltaConnector) s.connector()).root());
      try (var scope = s.open(AccessMode.WRITE)) {
        VectorSchemaRoot b = batch(
            allocator,
            row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a", "frames", "f")));
        try (b) {
          s.write(VIDEO, b);
        }
      }
      s.close();
      String prefix = root.substring(("s3://" + S3Server.BUCKET + "/").length());
      assertTrue(server.objects(prefix + "/video/raw.delta/_delta_log/") >= 1);
      MetadataStore again = Stores.open(
          MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load(),
          "prod",
          TestGraphs.videoClip());
      try (var scope = again.open(AccessMode.READ);
          VectorSchemaRoot r = again.read(VIDEO)) {
        assertEquals(1, r.getRowCount());
      } finally {
        again.close();
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  /** A wrong secret fails the connection with a message that names the root but not the secret. */
  @Test
  void aRefusedCredentialIsNotInTheMessage() {
    String secret = "wrong-secret-" + System.nanoTime();
    Map<String, String> o = new HashMap<>(DeltaS3StoreTest.storageOptions(server));
    o.put("AWS_SECRET_ACCESS_KEY", secret);
    DeltaMetadataStore s = store(root("denied"), o);
    StoreUnavailableException e =
        assertThrows(StoreUnavailableException.class, () -> s.open(AccessMode.WRITE));
    StringBuilder all = new StringBuilder(s.toString());
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append('\n').append(t);
    }
    assertTrue(all.toString().contains("s3://" + S3Server.BUCKET + "/denied"), all.toString());
    assertFalse(all.toString().contains(secret), all.toString());
    DeltaConnector c = (DeltaConnector) s.connector();
    assertEquals("****", c.storageOptions().get("AWS_SECRET_ACCESS_KEY"));
    assertFalse(c.display().contains(secret));
  }
}
