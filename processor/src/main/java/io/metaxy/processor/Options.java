package io.metaxy.processor;

import io.metaxy.processor.validation.Diagnostic;
import io.metaxy.processor.validation.Report;
import io.metaxy.versioning.Truncation;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import org.jspecify.annotations.Nullable;

/**
 * The processor options (all namespaced {@code metaxy.*}), parsed and validated.
 *
 * @param project the default project of features that do not name one
 * @param registry the registry class name, or {@code null} for the default
 * @param truncation the hash truncation
 */
record Options(String project, @Nullable String registry, Truncation truncation) {
  /** The option names. */
  enum Name {
    PROJECT("metaxy.project"),
    REGISTRY("metaxy.registry"),
    HASH_TRUNCATION_LENGTH("metaxy.hashTruncationLength");

    final String key;

    Name(String key) {
      this.key = key;
    }
  }

  /** Every option name, for {@code getSupportedOptions()}. */
  static Set<String> names() {
    return Arrays.stream(Name.values()).map(n -> n.key).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Parses the options; bad values are replaced by their defaults and, for the {@code owned} options
   * (each processor reports the options it uses, so each error appears once), reported.
   */
  static Options parse(Map<String, String> raw, Report report, Set<Name> owned) {
    String project = raw.getOrDefault(Name.PROJECT.key, "default");
    if (project.isBlank()) {
      fail(report, owned, Name.PROJECT, Diagnostic.BLANK_PROJECT_OPTION);
      project = "default";
    }
    String registry = raw.get(Name.REGISTRY.key);
    if (registry != null && !SourceVersion.isName(registry)) {
      fail(report, owned, Name.REGISTRY, Diagnostic.REGISTRY_OPTION_NOT_A_CLASS, registry);
      registry = null;
    }
    Truncation truncation = Truncation.DEFAULT;
    String length = raw.get(Name.HASH_TRUNCATION_LENGTH.key);
    if (length != null) {
      try {
        truncation = new Truncation(Integer.parseInt(length.strip()));
      } catch (IllegalArgumentException e) {
        fail(
            report,
            owned,
            Name.HASH_TRUNCATION_LENGTH,
            Diagnostic.TRUNCATION_OPTION_OUT_OF_RANGE,
            Truncation.MINIMUM,
            length);
      }
    }
    return new Options(project, registry, truncation);
  }

  /**
   * Reports a bad option value, when the option is {@code owned}.
   *
   * @param args the message's arguments after the option name
   */
  private static void fail(
      Report report, Set<Name> owned, Name name, Diagnostic diagnostic, @Nullable Object... args) {
    if (owned.contains(name)) {
      report.error(
          diagnostic,
          null,
          null,
          null,
          Stream.concat(Stream.of(name.key), Arrays.stream(args)).toArray());
    }
  }
}
