package io.metaxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.memory.InMemoryConnector;
import io.metaxy.store.memory.InMemoryMetadataStore;
import io.metaxy.store.memory.InMemoryStoreProvider;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.versioning.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store factory with the in-memory provider (the DuckDB provider is tested in its module). */
class StoresTest {
  @TempDir
  Path dir;

  private MetaxyConfig config(String toml) throws IOException {
    Files.writeString(dir.resolve("metaxy.toml"), toml);
    return MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
  }

  @Test
  void memoryProviderIsRegisteredUnderItsTypeAndClassName() {
    assertTrue(Stores.providers().stream().anyMatch(p -> p instanceof InMemoryStoreProvider));
    assertInstanceOf(InMemoryStoreProvider.class, Stores.provider("memory").orElseThrow());
    assertInstanceOf(InMemoryStoreProvider.class, Stores.provider("MEMORY").orElseThrow());
    assertInstanceOf(
        InMemoryStoreProvider.class,
        Stores.provider(InMemoryMetadataStore.class.getName()).orElseThrow());
    assertTrue(Stores.provider("com.example.Nope").isEmpty());
  }

  /** A store class named directly by {@code type}. */
  public static final class Plain extends MetadataStore {
    /** Built reflectively. */
    public Plain(StoreOptions options) {
      super(options, new PlainConnector("Plain()"));
    }
  }

  /** A connector class named directly by {@code type}: enough for a store without settings. */
  public static final class PlainConnector implements StoreConnector {
    private final String display;

    /** Built reflectively. */
    public PlainConnector() {
      this("PlainConnector()");
    }

    PlainConnector(String display) {
      this.display = display;
    }

    @Override
    public StoreBackend connect(ConnectRequest request) {
      throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public String display() {
      return display;
    }
  }

  @Test
  void aClassNameTypeLoadsThatStoreOrProvider() throws IOException {
    MetaxyConfig c = config("""
        [stores.byStore]
        type = "io.metaxy.store.memory.InMemoryMetadataStore"
        [stores.byProvider]
        type = "io.metaxy.store.memory.InMemoryStoreProvider"
        [stores.plain]
        type = "io.metaxy.store.StoresTest$Plain"
        [stores.connector]
        type = "io.metaxy.store.StoresTest$PlainConnector"
        [stores.notAStore]
        type = "java.lang.String"
        """);
    // A store from configuration is a MetadataStore on the adapter's connector.
    assertInstanceOf(InMemoryConnector.class, Stores.open(c, "byStore").connector());
    assertInstanceOf(InMemoryConnector.class, Stores.open(c, "byProvider").connector());
    assertEquals("[plain] Plain()", Stores.open(c, "plain").toString());
    assertInstanceOf(Plain.class, Stores.open(c, "plain"));
    assertEquals("[connector] PlainConnector()", Stores.open(c, "connector").toString());
    String m =
        assertThrows(ConfigException.class, () -> Stores.open(c, "notAStore")).getMessage();
    assertTrue(m.contains("java.lang.String is neither a io.metaxy.store.spi.StoreProvider, a"), m);
  }

  @Test
  void buildsStoreWithSharedSettingsAndFallbacks() throws IOException {
    MetaxyConfig c = config("""
        store = "dev"
        hash_truncation_length = 12
        [stores.dev]
        type = "memory"
        [stores.dev.config]
        fallback_stores = ["prod"]
        hash_algorithm = "sha256"
        materialization_id = "run-1"
        [stores.prod]
        type = "memory"
        [stores.prod.config]
        hash_algorithm = "sha256"
        """);
    MetadataStore s = Stores.openDefault(c, FeatureGraph.of(List.of()));
    assertInstanceOf(InMemoryConnector.class, s.connector());
    assertEquals("dev", s.name());
    assertEquals(HashAlgorithm.SHA256, s.hashAlgorithm());
    assertEquals(12, s.truncation().length());
    assertEquals("run-1", s.options().materializationId());
    assertEquals(1, s.fallbackStores().size());
    assertEquals("prod", s.fallbackStores().get(0).name());
    assertEquals("[dev] InMemoryMetadataStore(tables=0)", s.toString());
  }

  @Test
  void fallbackHashAlgorithmsMustAgree() throws IOException {
    MetaxyConfig c = config("""
        [stores.dev]
        type = "memory"
        [stores.dev.config]
        fallback_stores = ["prod"]
        [stores.prod]
        type = "memory"
        [stores.prod.config]
        hash_algorithm = "md5"
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> Stores.open(c, "dev"));
    assertTrue(e.getMessage().contains("stores.dev.config.hash_algorithm"), e.getMessage());
    assertTrue(e.getMessage().contains("'prod' uses md5"), e.getMessage());
    assertTrue(e.getMessage().contains("xxhash32"), e.getMessage());
    assertTrue(
        e.getMessage().contains("Config file: " + dir.resolve("metaxy.toml")), e.getMessage());
  }

  @Test
  void fallbackCycleAndUnknownFallbackAreNamed() throws IOException {
    MetaxyConfig cyclic = config("""
        [stores.a]
        type = "memory"
        [stores.a.config]
        fallback_stores = ["b"]
        [stores.b]
        type = "memory"
        [stores.b.config]
        fallback_stores = ["a"]
        """);
    assertTrue(assertThrows(ConfigException.class, () -> Stores.open(cyclic, "a"))
        .getMessage()
        .startsWith("Circular fallback_stores: a -> b -> a"));
    MetaxyConfig unknown = config("""
        [stores.a]
        type = "memory"
        [stores.a.config]
        fallback_stores = ["zzz"]
        """);
    String m =
        assertThrows(ConfigException.class, () -> Stores.open(unknown, "a")).getMessage();
    assertTrue(m.contains("stores.a.config.fallback_stores") && m.contains("'zzz'"), m);
  }

  @Test
  void unknownTypeUnknownKeyAndUnsupportedAlgorithm() throws IOException {
    MetaxyConfig c = config("""
        [stores.delta]
        type = "metaxy.ext.polars.handlers.delta.DeltaMetadataStore"
        [stores.typo]
        type = "io.metaxy.store.memory.InMemoryStoreProvider"
        [stores.typo.config]
        databse = "x"
        [stores.farm]
        type = "memory"
        [stores.farm.config]
        hash_algorithm = "farmhash"
        """);
    String m =
        assertThrows(ConfigException.class, () -> Stores.open(c, "delta")).getMessage();
    assertTrue(
        m.startsWith(
            "Failed to import store class 'metaxy.ext.polars.handlers.delta.DeltaMetadataStore'"
                + " for store 'delta': no store implementation of this type is on the class path"
                + " (add the io.metaxy:metaxy-store-delta artifact)"),
        m);
    // A class-name type has its keys checked by its provider when the store is built (a built-in
    // type already fails when the configuration loads, see BindingTest).
    m = assertThrows(ConfigException.class, () -> Stores.open(c, "typo")).getMessage();
    assertTrue(
        m.startsWith("Failed to validate config for store 'typo': " + dir.resolve("metaxy.toml")
            + ": stores.typo.config.databse: unknown key for a store of type"
            + " \"io.metaxy.store.memory.InMemoryStoreProvider\" (known keys: auto_create_tables, fallback_stores,"
            + " hash_algorithm, materialization_id, versioning_engine)\nConfig file: "),
        m);
    m = assertThrows(ConfigException.class, () -> Stores.open(c, "farm")).getMessage();
    assertTrue(m.contains("stores.farm.config.hash_algorithm") && m.contains("farmhash"), m);
    m = assertThrows(ConfigException.class, () -> Stores.open(c, "nope")).getMessage();
    assertTrue(
        m.startsWith(
            "Store 'nope' not found in config. Available stores: ['delta', 'typo', 'farm']"),
        m);
  }
}
