package io.metaxy.cli;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from {@code METAXY_<COMMAND_PATH>_<OPTION>}, e.g. {@code METAXY_LIST_FEATURES_FORMAT=json}
 * or {@code METAXY_GRAPH_RENDER_DIRECTION=LR} (upper case, {@code -} → {@code _}). Command-line tokens
 * win. Global options are not read from the environment.
 */
final class EnvDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public @Nullable String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)
        || arg.command() == null
        || arg.command().parent() == null) {
      return null;
    }
    String name = variable(arg.command().qualifiedName(" "), option.longestName());
    return env.get(name);
  }

  /** The variable for an option of a command, {@code path} being e.g. {@code "mx graph render"}. */
  static String variable(String path, String option) {
    String[] tokens = path.split(" ");
    StringBuilder b = new StringBuilder("METAXY");
    for (int i = 1; i < tokens.length; i++) {
      b.append('_').append(tokens[i]);
    }
    b.append('_').append(option.replaceFirst("^-+", ""));
    return b.toString().toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
