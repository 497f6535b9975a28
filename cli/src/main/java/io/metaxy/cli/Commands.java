package io.metaxy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Assembles the command tree; every command gets the shared {@link RootCommand} in its constructor. */
final class Commands {
  private Commands() {}

  /** A command group: called without a subcommand it is a usage error, like {@code mx} alone. */
  @Command(mixinStandardHelpOptions = true)
  static final class Group implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      return missingCommand(spec);
    }
  }

  /** Prints that {@code spec} needs a subcommand, then its usage, on stderr; returns {@link Mx#USAGE}. */
  static int missingCommand(CommandSpec spec) {
    CommandLine cl = spec.commandLine();
    cl.getErr().println("Error: '" + spec.qualifiedName() + "' needs a command.");
    cl.usage(cl.getErr());
    return Mx.USAGE;
  }

  static CommandLine build(RootCommand root) {
    CommandLine mx = new CommandLine(root);

    CommandLine config = group("Show the Metaxy configuration.");
    config.addSubcommand("print", new CommandLine(new ConfigPrintCommand(root)));
    mx.addSubcommand("config", config);

    CommandLine list = group("List features or metadata stores.");
    list.addSubcommand("features", new CommandLine(new ListFeaturesCommand(root)));
    list.addSubcommand("feature", hidden(new CommandLine(new ListFeaturesCommand(root))));
    list.addSubcommand("stores", new CommandLine(new ListStoresCommand(root)));
    list.addSubcommand("store", hidden(new CommandLine(new ListStoresCommand(root))));
    mx.addSubcommand("list", list);

    CommandLine describe = group("Describe the feature graph or individual features.");
    describe.addSubcommand("graph", new CommandLine(new DescribeGraphCommand(root)));
    describe.addSubcommand("features", new CommandLine(new DescribeFeaturesCommand(root)));
    describe.addSubcommand("feature", hidden(new CommandLine(new DescribeFeaturesCommand(root))));
    mx.addSubcommand("describe", describe);

    CommandLine graph = group("Render the feature graph.");
    graph.addSubcommand("render", new CommandLine(new GraphRenderCommand(root)));
    mx.addSubcommand("graph", graph);

    CommandLine diff = hidden(group("Compare two feature graph snapshots."));
    diff.addSubcommand("render", new CommandLine(new GraphDiffRenderCommand(root)));
    mx.addSubcommand("graph-diff", diff);

    mx.addSubcommand("push", new CommandLine(new PushCommand(root)));
    mx.addSubcommand("history", new CommandLine(new HistoryCommand(root)));
    mx.addSubcommand("lock", new CommandLine(new LockCommand(root)));

    CommandLine metadata = group("Inspect and maintain feature metadata in a store.");
    metadata.addSubcommand("status", new CommandLine(new MetadataStatusCommand(root)));
    metadata.addSubcommand("delete", new CommandLine(new MetadataDeleteCommand(root)));
    metadata.addSubcommand("rebase", new CommandLine(new MetadataRebaseCommand(root)));
    metadata.addSubcommand("copy", new CommandLine(new MetadataCopyCommand(root)));
    metadata.addSubcommand(
        "convert-layout", new CommandLine(new MetadataConvertLayoutCommand(root)));
    mx.addSubcommand("metadata", metadata);
    return mx;
  }

  private static CommandLine group(String description) {
    CommandLine cl = new CommandLine(new Group());
    cl.getCommandSpec().usageMessage().description(description);
    return cl;
  }

  private static CommandLine hidden(CommandLine cl) {
    cl.getCommandSpec().usageMessage().hidden(true);
    return cl;
  }
}
