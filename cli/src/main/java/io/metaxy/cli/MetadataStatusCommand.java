package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.ResolveProgress;
import io.metaxy.store.RowFilter;
import io.metaxy.store.support.ArrowBatches;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mx metadata status FEATURE... | --all-features}: per feature, how many samples are stored and how
 * many are missing, stale or orphaned compared with what the upstream features imply (CLI spec §1.11).
 * {@code --assert-in-sync} turns "something needs an update" into exit code 1. A feature that cannot be
 * checked is reported in one line below the table (its stack trace with {@code --verbose}) and fails the
 * command (exit 1), unlike the reference, which exits 0 after printing tracebacks.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Check which samples of features need (re)computing.")
final class MetadataStatusCommand implements Callable<Integer> {
  private static final int PREVIEW = 5;

  @Mixin
  MetadataOptions selection;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store (default: the default store).")
  @Nullable
  String store;

  @Option(
      names = "--filter",
      paramLabel = "SQL",
      description = "Filter on the feature's own rows (repeatable).")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--global-filter",
      paramLabel = "SQL",
      description = "Filter on the feature's and every upstream read (repeatable).")
  List<String> globalFilters = new ArrayList<>();

  @Option(
      names = "--stale-if",
      paramLabel = "SQL",
      description = "Stored rows matching this count as stale (repeatable).")
  List<String> staleIf = new ArrayList<>();

  @Option(
      names = "--snapshot-id",
      paramLabel = "VERSION",
      description = "Check against the graph of a pushed project version.")
  @Nullable
  String snapshotId;

  @Option(
      names = "--assert-in-sync",
      description = "Exit with code 1 when any feature needs an update.")
  boolean assertInSync;

  @Option(
      names = "--verbose",
      description =
          "Show up to 5 samples per category, and the stack trace of a feature that cannot be checked"
              + " (implies --progress).")
  boolean verbose;

  @Option(
      names = "--progress",
      description = "Show the percentage of upstream samples processed at least once.")
  boolean progress;

  @Option(
      names = "--allow-fallback-stores",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Read stored rows through fallback stores (default: true).")
  boolean allowFallback;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "plain",
      description = "plain or json (default: plain).")
  OutputFormat format;

  private final RootCommand root;

  MetadataStatusCommand(RootCommand root) {
    this.root = root;
  }

  /** The status of one feature; counts are null where they do not apply. */
  private static final class Status {
    final String key;
    // Every path of status(...) sets it; "error" stands for a check that has not finished.
    String status = "error";
    boolean needsUpdate;
    boolean exists;
    long rows;

    @Nullable
    Long missing;

    @Nullable
    Long stale;

    @Nullable
    Long orphaned;

    @Nullable
    String targetVersion;

    boolean root;

    @Nullable
    Double progress;

    boolean noInput;

    @Nullable
    String storeName;

    @Nullable
    Map<String, @Nullable Object> storeMetadata;

    @Nullable
    String error;
    /** Which resolve answered (full or incremental) and why; shown with --verbose. */
    @Nullable
    String resolution;

    /** Why the feature could not be checked; its stack trace is shown with --verbose. */
    @Nullable
    RuntimeException failure;
    /** Upstream features with no table: nothing can be computed from them yet. */
    @Nullable
    List<String> missingUpstream;

    Map<String, List<String>> samples = new LinkedHashMap<>();

    Status(String key) {
      this.key = key;
    }
  }

  @Override
  public Integer call() {
    boolean json = format == OutputFormat.JSON;
    FeatureGraph graph = root.graph().graph();
    List<RowFilter> target = MetadataOptions.filters(filters, "--filter");
    List<RowFilter> global = MetadataOptions.filters(globalFilters, "--global-filter");
    List<RowFilter> stalePredicates = MetadataOptions.filters(staleIf, "--stale-if");
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    // The selection's mistakes (flags, features of another project) are reported before the store
    // is opened, so that they are not hidden behind a store error; a snapshot's graph needs the
    // store.
    MetadataOptions.Selection early =
        snapshotId == null ? selection.select(root, graph, json, assertInSync) : null;
    try (MetadataStore s = root.store(store, graph);
        var scope = s.open(AccessMode.READ)) {
      if (snapshotId != null) {
        graph = Snapshots.graph(s, snapshotId, graph, json);
        s.useGraph(graph);
      }
      MetadataOptions.Selection sel =
          early != null ? early : selection.select(root, graph, json, assertInSync);
      if (!sel.missing().isEmpty() && !json) {
        out.println("Warning: Feature(s) not found: " + String.join(", ", sel.missing()));
      }
      if (sel.keys().isEmpty()) {
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("warning", "No valid features to check");
          m.put("features", Map.of());
          m.put("project_version", snapshotId);
          m.put("needs_update", false);
          out.println(JsonText.pretty(m));
        } else {
          out.println("Warning: No valid features to check.");
        }
        return 0;
      }
      List<Status> statuses = new ArrayList<>();
      try (Progress p =
          new Progress(err, "Checking status", sel.keys().size(), selection.bar(root))) {
        // Large features are resolved in id ranges: show them, or a 10M-sample feature looks stuck.
        Consumer<ResolveProgress> ranges =
            r -> p.within(r.feature().toString(), "id range " + r.partsDone() + "/" + r.parts());
        s.addProgressListener(ranges);
        try {
          for (FeatureKey key : sel.keys()) {
            Status st = status(s, key, target, global, stalePredicates);
            statuses.add(st);
            p.step(key.toString(), st.rows);
          }
        } finally {
          s.removeProgressListener(ranges);
        }
      }
      boolean needs = statuses.stream().anyMatch(x -> x.needsUpdate);
      if (json) {
        out.println(JsonText.pretty(json(statuses, sel.missing(), needs)));
      } else {
        plain(out, statuses);
      }
      List<Status> failed = statuses.stream().filter(x -> x.failure != null).toList();
      if (!failed.isEmpty()) {
        reportFailures(err, failed, statuses.size());
        return Mx.FAILURE;
      }
      return assertInSync && needs ? Mx.FAILURE : 0;
    }
  }

  private Status status(
      MetadataStore s,
      FeatureKey key,
      List<RowFilter> target,
      List<RowFilter> global,
      List<RowFilter> stalePredicates) {
    Status st = new Status(key.toString());
    try {
      FeatureSpec spec = s.graph().definition(key).spec();
      st.root = spec.isRoot();
      st.targetVersion = s.featureVersion(key);
      List<RowFilter> own = new ArrayList<>(target);
      own.addAll(global);
      // Counting needs the ids only: the scan then skips every other column.
      ReadOptions ro =
          ReadOptions.DEFAULT.filters(own).columns(spec.idColumns().toArray(String[]::new));
      try (VectorSchemaRoot rows =
          s.readWithStore(key, allowFallback ? ro : ro.noFallback()).batch()) {
        st.rows = rows.getRowCount();
        st.exists = true;
      } catch (FeatureNotFoundException e) {
        st.rows = 0;
      }
      st.storeMetadata = s.storeMetadata(key, allowFallback);
      if (st.storeMetadata.get("resolved_from") instanceof Map<?, ?> from) {
        st.storeName = String.valueOf(from.get("name"));
      }
      if (st.root) {
        st.status = st.exists ? "root_feature" : "missing";
        return st;
      }
      ResolveOptions opts = ResolveOptions.DEFAULT
          .targetFilters(target.toArray(RowFilter[]::new))
          .globalFilters(global.toArray(RowFilter[]::new))
          .stalenessPredicates(stalePredicates.toArray(RowFilter[]::new));
      Increment increment;
      try {
        increment = s.resolveUpdate(key, opts);
      } catch (FeatureNotFoundException e) {
        // An upstream that was never written is a state of the data, not a failure of the check:
        // nothing can be computed from it yet, and rows stored without it cannot be checked against
        // it.
        st.missingUpstream = e.keys().stream().map(FeatureKey::toString).toList();
        st.needsUpdate = st.exists;
        st.status = st.exists ? "needs_update" : "missing";
        return st;
      }
      OptionalDouble inputProgress = OptionalDouble.empty();
      try (Increment inc = increment) {
        if (progress || verbose) {
          // Asked only when shown: an incremental answer counts every upstream row for it.
          inputProgress = inc.inputProgress();
        }
        st.resolution = inc.resolution().toString();
        // Counts and previews from the increment's batches as they are: no copy of a large
        // increment.
        st.missing = inc.newCount();
        st.stale = inc.staleCount();
        st.orphaned = inc.orphanedCount();
        if (verbose) {
          st.samples.put("Missing samples", preview(inc.newBatches(), spec.idColumns()));
          st.samples.put("Stale samples", preview(inc.staleBatches(), spec.idColumns()));
          st.samples.put("Orphaned samples", preview(inc.orphanedBatches(), spec.idColumns()));
        }
      }
      st.needsUpdate = st.missing + st.stale + st.orphaned > 0;
      st.status = !st.exists ? "missing" : st.needsUpdate ? "needs_update" : "up_to_date";
      if (progress || verbose) {
        if (inputProgress.isPresent()) {
          st.progress = inputProgress.getAsDouble();
        } else {
          st.noInput = true;
        }
      }
    } catch (RuntimeException e) {
      st.status = "error";
      st.needsUpdate = false;
      st.missing = null;
      st.stale = null;
      st.orphaned = null;
      st.error = e.getMessage() == null ? e.toString() : e.getMessage();
      st.failure = e;
    }
    return st;
  }

  /** The id columns of the first {@link #PREVIEW} rows of the batches, then how many more there are. */
  private static List<String> preview(List<VectorSchemaRoot> batches, List<String> ids) {
    List<String> out = new ArrayList<>();
    long total = 0;
    for (VectorSchemaRoot batch : batches) {
      total += batch.getRowCount();
      List<FieldVector> cols = new ArrayList<>();
      for (String id : ids) {
        if (batch.getVector(id) != null) {
          cols.add(batch.getVector(id));
        }
      }
      for (int r = 0; r < batch.getRowCount() && out.size() < PREVIEW; r++) {
        List<String> cells = new ArrayList<>();
        for (FieldVector c : cols) {
          cells.add(c.getName() + "=" + ArrowBatches.value(c, r));
        }
        out.add(String.join(", ", cells));
      }
    }
    if (total > PREVIEW) {
      out.add("... and " + (total - PREVIEW) + " more");
    }
    return out;
  }

  private static String icon(String status) {
    return switch (status) {
      case "missing" -> "✗";
      case "root_feature" -> "○";
      case "needs_update" -> "⚠";
      case "up_to_date" -> "✓";
      default -> "!";
    };
  }

  private void plain(PrintWriter out, List<Status> statuses) {
    if (snapshotId != null) {
      out.println("Metadata status (snapshot " + snapshotId + ")");
    }
    Table t = new Table(
        null, "Status", "Feature", "Materialized", "Missing", "Stale", "Orphaned", "Info");
    for (Status st : statuses) {
      String cell = icon(st.status);
      if (st.noInput) {
        cell += " (no input)";
      } else if (st.progress != null) {
        cell += " (" + Math.round(st.progress) + "%)";
      }
      if (st.error != null) {
        // The message goes below the table whole: cut to a cell it lost the part that names the
        // cause.
        t.row(cell, st.key, "-", "-", "-", "-", "error: see below");
        continue;
      }
      boolean dash = st.root || st.noInput;
      t.row(
          cell,
          st.key,
          String.valueOf(st.rows),
          dash || st.missing == null ? "-" : String.valueOf(st.missing),
          dash || st.stale == null ? "-" : String.valueOf(st.stale),
          dash || st.orphaned == null ? "-" : String.valueOf(st.orphaned),
          st.missingUpstream != null
              ? "upstream not written: " + String.join(", ", st.missingUpstream)
              : st.storeName == null ? "-" : "store: " + st.storeName);
    }
    t.lines().forEach(out::println);
    if (verbose) {
      for (Status st : statuses) {
        if (st.samples.isEmpty()) {
          continue;
        }
        out.println();
        out.println("`" + st.key + "` preview");
        if (st.resolution != null) {
          out.println("Resolved by: " + st.resolution);
        }
        st.samples.forEach((label, rows) -> {
          out.println(label + ":");
          if (rows.isEmpty()) {
            out.println("  (none)");
          }
          rows.forEach(r -> out.println("  " + r));
        });
      }
    }
    if (statuses.stream().anyMatch(st -> st.error != null)) {
      out.println();
      out.println("Errors:");
      for (Status st : statuses) {
        if (st.error != null) {
          out.println("  " + st.key + ": " + oneLine(st.error));
        }
      }
    }
  }

  /** A message on one line: database errors often span several, which would break the list of errors. */
  static String oneLine(String message) {
    return String.join(
        " ",
        message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  /** The summary of the features that could not be checked on stderr; with --verbose, their stack traces first. */
  private void reportFailures(PrintWriter err, List<Status> failed, int checked) {
    if (verbose) {
      for (Status st : failed) {
        StringWriter trace = new StringWriter();
        Objects.requireNonNull(st.failure, "only failed statuses are reported")
            .printStackTrace(new PrintWriter(trace));
        err.println("Stack trace for " + st.key + ":");
        err.print(trace);
      }
    }
    err.println("Error: " + failed.size() + " of " + checked + " feature(s) could not be checked"
        + (verbose ? "." : " (--verbose shows the stack traces)."));
  }

  private Map<String, Object> json(
      List<Status> statuses, List<String> missingInGraph, boolean needs) {
    Map<String, Object> features = new LinkedHashMap<>();
    List<Object> errors = new ArrayList<>();
    for (Status st : statuses) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feature_key", st.key);
      m.put("status", st.status);
      m.put("needs_update", st.needsUpdate);
      m.put("metadata_exists", st.exists);
      m.put("store_rows", st.rows);
      putIf(m, "missing", st.missing);
      putIf(m, "stale", st.stale);
      putIf(m, "orphaned", st.orphaned);
      putIf(m, "target_version", st.targetVersion);
      m.put("is_root_feature", st.root);
      if (!st.samples.isEmpty()) {
        Map<String, Object> details = new LinkedHashMap<>();
        st.samples.forEach(
            (label, rows) -> details.put(label.toLowerCase(Locale.ROOT).replace(' ', '_'), rows));
        m.put("sample_details", details);
      }
      putIf(m, "store_metadata", st.storeMetadata);
      if (verbose) {
        putIf(m, "resolved_by", st.resolution); // ours: the reference has no incremental resolve
      }
      putIf(m, "error_message", st.error);
      putIf(m, "missing_upstream", st.missingUpstream);
      putIf(m, "progress_percentage", st.progress);
      features.put(st.key, m);
      if (st.error != null) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("feature", st.key);
        e.put("error", st.error);
        errors.add(e);
      }
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("project_version", snapshotId);
    tree.put("features", features);
    tree.put("needs_update", needs);
    Map<String, Object> warnings = new LinkedHashMap<>();
    if (!missingInGraph.isEmpty()) {
      warnings.put("missing_in_graph", missingInGraph);
    }
    if (!errors.isEmpty()) {
      warnings.put("errors", errors);
    }
    if (!warnings.isEmpty()) {
      tree.put("warnings", warnings);
    }
    return tree;
  }

  private static void putIf(Map<String, Object> m, String key, @Nullable Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
