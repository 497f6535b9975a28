package io.metaxy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mx config print}: the effective configuration as TOML or JSON (CLI spec §1.1). */
@Command(
    name = "print",
    mixinStandardHelpOptions = true,
    description = "Print the effective Metaxy configuration.")
final class ConfigPrintCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    TOML,
    JSON
  }

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "toml",
      description = "toml or json (default: toml).")
  Format format;

  private final RootCommand root;

  ConfigPrintCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    var config = root.settings().config();
    String text = format == Format.JSON ? config.toJson() : config.toToml();
    root.out().print(text.endsWith("\n") ? text : text + "\n");
    root.out().flush();
    return 0;
  }
}
