package io.metaxy.store;

import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Builds metadata stores from the configuration (the reference's {@code MetaxyConfig.get_store}): finds
 * the {@link StoreProvider} for an entry's {@code type}, builds its fallback stores by name, and checks
 * that every store of a fallback chain uses the same hash algorithm. Stores come back unopened.
 *
 * <p>Errors are {@link ConfigException}s whose message names the store, the key at fault and the config
 * file.
 */
public final class Stores {
  private Stores() {}

  /**
   * Every provider visible to the context class loader and this class's loader, by type name (the first
   * of a type wins, so a class path cannot register a type twice by accident).
   */
  public static List<StoreProvider> providers() {
    Map<String, StoreProvider> byType = new LinkedHashMap<>();
    List<ClassLoader> loaders = new ArrayList<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      loaders.add(context);
    }
    loaders.add(Stores.class.getClassLoader());
    for (ClassLoader cl : loaders) {
      for (StoreProvider p : ServiceLoader.load(StoreProvider.class, cl)) {
        byType.putIfAbsent(p.type().toLowerCase(Locale.ROOT), p);
      }
    }
    List<StoreProvider> out = new ArrayList<>(byType.values());
    out.sort(Comparator.comparing(StoreProvider::type));
    return out;
  }

  /**
   * The provider for a {@code type} string: a registered provider whose short name (case-insensitive)
   * or alias (exact) matches; else, for a class name, that class itself when it is a {@link
   * StoreProvider}, or a {@link MetadataStore} with a public {@code (StoreOptions)} constructor (a store
   * without settings of its own).
   */
  public static Optional<StoreProvider> provider(String type) {
    String t = type.trim();
    StoreKind kind = StoreKind.of(t);
    for (StoreProvider p : providers()) {
      if (p.type().equalsIgnoreCase(t) || p.aliases().contains(t)) {
        return Optional.of(p);
      }
      if (kind != StoreKind.CLASS && p.type().equalsIgnoreCase(kind.shortName())) {
        return Optional.of(p);
      }
    }
    return kind == StoreKind.CLASS ? byClassName(t) : Optional.empty();
  }

  /** Which artifact brings a built-in kind's provider, for the error when it is missing. */
  private static String moduleHint(StoreKind kind) {
    return kind == StoreKind.CLASS || kind == StoreKind.MEMORY
        ? ""
        : " (add the io.metaxy:metaxy-store-" + kind.shortName() + " artifact)";
  }

  private static Optional<StoreProvider> byClassName(String name) {
    Class<?> c;
    try {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      c = Class.forName(name, true, cl != null ? cl : Stores.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
    try {
      if (StoreProvider.class.isAssignableFrom(c)) {
        return Optional.of((StoreProvider) c.getConstructor().newInstance());
      }
      if (StoreConnector.class.isAssignableFrom(c)) {
        Constructor<?> ctor = c.getConstructor();
        return Optional.of(new ClassProvider(
            name, options -> new MetadataStore(options, (StoreConnector) newInstance(ctor))));
      }
      if (MetadataStore.class.isAssignableFrom(c)) {
        Constructor<?> ctor = c.getConstructor(StoreOptions.class);
        return Optional.of(
            new ClassProvider(name, options -> (MetadataStore) newInstance(ctor, options)));
      }
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(
          "store class " + name + " cannot be instantiated: it needs a public no-argument"
              + " constructor (StoreProvider, StoreConnector) or a public (StoreOptions) constructor (MetadataStore): "
              + e);
    }
    throw new ConfigException(
        "store class " + name + " is neither a " + StoreProvider.class.getName() + ", a "
            + StoreConnector.class.getName() + " nor a " + MetadataStore.class.getName());
  }

  private static Object newInstance(Constructor<?> ctor, Object... args) {
    try {
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r
          ? r
          : new IllegalStateException(String.valueOf(cause), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e.toString(), e);
    }
  }

  /**
   * A store class named directly by {@code type}: it takes no settings, and {@link #create(StoreConfig,
   * FeatureGraph, Path, List, BufferAllocator, boolean)} builds that class itself, so a {@link
   * MetadataStore} subclass stays one.
   */
  private static final class ClassProvider implements StoreProvider {
    private final String name;
    private final Function<StoreOptions, MetadataStore> factory;

    ClassProvider(String name, Function<StoreOptions, MetadataStore> factory) {
      this.name = name;
      this.factory = factory;
    }

    @Override
    public String type() {
      return name;
    }

    @Override
    public Set<String> aliases() {
      return Set.of();
    }

    @Override
    public Set<String> configKeys() {
      return Set.of();
    }

    @Override
    public StoreConnector create(StoreConfig config, Path baseDirectory) {
      return factory.apply(StoreOptions.of(FeatureGraph.of(List.of()))).connector();
    }
  }

  /** The named store over an empty feature graph (enough for system tables: push needs a real graph). */
  public static MetadataStore open(MetaxyConfig config, String name) {
    return open(config, name, FeatureGraph.of(List.of()));
  }

  /**
   * The named store (and its fallback stores) from the configuration, for {@code graph}.
   *
   * @throws ConfigException when the store is not configured, its type has no provider, a setting is
   *     invalid, the fallback chain is cyclic or mixes hash algorithms
   */
  public static MetadataStore open(MetaxyConfig config, String name, FeatureGraph graph) {
    return open(config, name, graph, null);
  }

  /**
   * {@link #open(MetaxyConfig, String, FeatureGraph)} with every store of the chain allocating from
   * {@code allocator} (owned by the caller), or from store-owned allocators when null. Stores that
   * exchange batches (a copy between stores) need allocators with a common root.
   */
  public static MetadataStore open(
      MetaxyConfig config, String name, FeatureGraph graph, @Nullable BufferAllocator allocator) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(graph, "graph");
    return build(config, name, graph, allocator, new ArrayList<>());
  }

  /** The default store ({@code store} in the configuration) for {@code graph}. */
  public static MetadataStore openDefault(MetaxyConfig config, FeatureGraph graph) {
    return open(config, config.store(), graph);
  }

  private static MetadataStore build(
      MetaxyConfig config,
      String name,
      FeatureGraph graph,
      @Nullable BufferAllocator allocator,
      List<String> chain) {
    if (chain.contains(name)) {
      List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
      cycle.add(name);
      throw new ConfigException(
          withNote(config, "Circular fallback_stores: " + String.join(" -> ", cycle)));
    }
    StoreConfig sc = config.storeConfig(name);
    chain.add(name);
    List<MetadataStore> fallbacks = new ArrayList<>();
    for (String fb : sc.fallbackStores()) {
      if (!config.stores().containsKey(fb)) {
        throw sc.error(
            StoreConfig.FALLBACK_STORES,
            "fallback store '" + fb + "' of store '" + name + "' is not configured (available: "
                + config.stores().keySet() + ")");
      }
      fallbacks.add(build(config, fb, graph, allocator, chain));
    }
    chain.remove(chain.size() - 1);
    try {
      return create(
          sc, graph, config.baseDirectory(), fallbacks, allocator, config.enableMapDatatype());
    } catch (ConfigException e) {
      throw new ConfigException(withNote(config, e.getMessage()), e);
    }
  }

  private static String withNote(MetaxyConfig config, @Nullable String message) {
    // A caught exception's message: null would make StringBuilder throw instead of reporting the
    // error.
    StringBuilder b = new StringBuilder(String.valueOf(message));
    config.configFile().ifPresent(f -> b.append("\nConfig file: ").append(f));
    b.append("\nNote: METAXY_* environment variables can override config file settings");
    return b.toString();
  }

  /**
   * One store from its entry, with fallbacks already built.
   *
   * @param baseDirectory what relative paths in the entry are relative to
   * @throws ConfigException as {@link #open(MetaxyConfig, String, FeatureGraph)}
   */
  public static MetadataStore create(
      StoreConfig config, FeatureGraph graph, Path baseDirectory, List<MetadataStore> fallbacks) {
    return create(config, graph, baseDirectory, fallbacks, null);
  }

  /** {@link #create(StoreConfig, FeatureGraph, Path, List)} allocating from {@code allocator} (null: its own). */
  public static MetadataStore create(
      StoreConfig config,
      FeatureGraph graph,
      Path baseDirectory,
      List<MetadataStore> fallbacks,
      @Nullable BufferAllocator allocator) {
    return create(config, graph, baseDirectory, fallbacks, allocator, false);
  }

  /**
   * {@link #create(StoreConfig, FeatureGraph, Path, List, BufferAllocator)} with the configuration's
   * top-level {@code enable_map_datatype} ({@link StoreOptions#enableMapDatatype()}).
   */
  public static MetadataStore create(
      StoreConfig config,
      FeatureGraph graph,
      Path baseDirectory,
      List<MetadataStore> fallbacks,
      @Nullable BufferAllocator allocator,
      boolean enableMapDatatype) {
    StoreProvider provider = provider(config.type())
        .orElseThrow(() -> new ConfigException("Failed to import store class '" + config.type()
            + "' for store '" + config.name() + "': no store"
            + " implementation of this type is on the class path" + moduleHint(config.kind())
            + " (known types: " + providers().stream().map(StoreProvider::type).toList()
            + "; defined in " + config.source() + ")"));
    try {
      config.checkKeys(provider.configKeys());
    } catch (ConfigException e) {
      throw new ConfigException(
          "Failed to validate config for store '" + config.name() + "': " + e.getMessage(), e);
    }
    StoreOptions options = new StoreOptions(
        config.name(),
        graph,
        config.hashAlgorithm().orElse(null),
        config.truncation(),
        config.materializationId().orElse(null),
        config.autoCreateTables(),
        fallbacks,
        allocator,
        enableMapDatatype);
    MetadataStore store;
    try {
      store = provider instanceof ClassProvider classProvider
          ? classProvider.factory.apply(options)
          : new MetadataStore(options, provider.create(config, baseDirectory));
    } catch (ConfigException e) {
      throw new ConfigException(
          "Failed to validate config for store '" + config.name() + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ConfigException(
          "Failed to instantiate store '" + config.name() + "' (" + provider.type() + "): "
              + e.getMessage(),
          e);
    }
    if (!store.connector().supportsHashAlgorithm(store.hashAlgorithm())) {
      throw config.error(
          StoreConfig.HASH_ALGORITHM,
          "store '" + config.name() + "' (" + store.display() + ") does not support hash algorithm "
              + store.hashAlgorithm().configName());
    }
    for (MetadataStore fb : fallbacks) {
      if (fb.hashAlgorithm() != store.hashAlgorithm()) {
        throw config.error(
            StoreConfig.HASH_ALGORITHM,
            "store '" + config.name() + "' uses hash algorithm "
                + store.hashAlgorithm().configName()
                + " but its fallback store '" + fb.name() + "' uses "
                + fb.hashAlgorithm().configName()
                + "; every store of a fallback chain must use the same hash_algorithm");
      }
    }
    return store;
  }
}
