package io.metaxy.cli;

import io.metaxy.config.MetaxyConfig;
import io.metaxy.config.StoreConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mx list stores}: the configured stores, the default first, then by name (CLI spec §1.3). Every
 * store is built (not opened), so a misconfigured store fails the command, as in the reference.
 */
@Command(
    name = "stores",
    mixinStandardHelpOptions = true,
    description = "List the configured metadata stores.")
final class ListStoresCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "plain",
      description = "plain or json (default: plain).")
  OutputFormat format;

  private final RootCommand root;

  ListStoresCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    MetaxyConfig config = root.settings().config();
    List<String> names = new ArrayList<>(config.stores().keySet());
    names.sort((a, b) -> {
      boolean da = a.equals(config.store());
      boolean db = b.equals(config.store());
      return da != db ? (da ? -1 : 1) : a.compareTo(b);
    });
    FeatureGraph empty = FeatureGraph.of(List.of());
    List<Map<String, Object>> stores = new ArrayList<>();
    for (String name : names) {
      StoreConfig sc = config.storeConfig(name);
      try (MetadataStore s = Stores.open(config, name, empty)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("is_default", name.equals(config.store()));
        m.put("info", s.display());
        m.put("fallbacks", sc.fallbackStores());
        stores.add(m);
      }
    }
    PrintWriter out = root.out();
    if (format == OutputFormat.JSON) {
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("default_store", config.store());
      tree.put("store_count", stores.size());
      tree.put("stores", stores);
      out.println(JsonText.pretty(tree));
      return 0;
    }
    if (stores.isEmpty()) {
      out.println("No stores configured.");
      return 0;
    }
    Table table = new Table("Metadata Stores", "Name", "Info", "Fallbacks");
    for (Map<String, Object> m : stores) {
      // Each map was filled above with every key read here.
      @SuppressWarnings("unchecked")
      List<String> fb = (List<String>) Objects.requireNonNull(m.get("fallbacks"));
      table.row(
          m.get("name") + (Boolean.TRUE.equals(m.get("is_default")) ? " (default)" : ""),
          (String) Objects.requireNonNull(m.get("info")),
          fb.isEmpty() ? "-" : String.join(", ", fb));
    }
    table.lines().forEach(out::println);
    out.println("Total: " + stores.size() + " store(s)");
    return 0;
  }
}
