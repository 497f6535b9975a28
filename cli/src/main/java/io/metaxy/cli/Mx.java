package io.metaxy.cli;

import io.metaxy.MetaxyException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code mx} command line. Data (tables, renders, JSON, structured errors) goes to stdout; progress,
 * warnings and most errors go to stderr. Exit codes: 0 success, 1 a handled failure, 2 a usage error
 * (unknown option, bad option value).
 */
public final class Mx {
  /** Exit code of a handled failure. */
  public static final int FAILURE = 1;

  /** Exit code of a command line that cannot be parsed. */
  public static final int USAGE = 2;

  private Mx() {}

  /** Runs {@code mx} with the process environment and working directory, then exits. */
  public static void main(String[] args) {
    configureLogging();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    // Java 17 has no per-stream TTY check; a console means the process is attached to a terminal.
    int rc = run(
        args, out, err, System.getenv(), Path.of("").toAbsolutePath(), System.console() != null);
    System.exit(rc);
  }

  /**
   * Routes slf4j-simple to stderr at {@code METAXY_LOG_LEVEL} (default info), Arrow at warn. Must run
   * before anything logs: slf4j-simple reads its level once, when the first logger is created.
   */
  static void configureLogging() {
    String level = System.getenv("METAXY_LOG_LEVEL");
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty(
          "org.slf4j.simpleLogger.defaultLogLevel",
          level == null || level.isBlank() ? "info" : level.strip().toLowerCase(Locale.ROOT));
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    // Arrow announces its allocator at INFO on first use; that is noise on the message stream.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.arrow") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.arrow", "warn");
    }
  }

  /**
   * Runs {@code mx} in-process.
   *
   * @param args the command-line arguments (without the program name)
   * @param out the data stream
   * @param err the message stream
   * @param env the environment ({@code METAXY_*} option defaults); a {@code .env} file in {@code cwd}
   *     adds variables that are not already set
   * @param cwd the directory relative paths and {@code .env} are resolved against
   * @return the exit code
   */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path cwd) {
    return run(args, out, err, env, cwd, false);
  }

  private static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Path cwd,
      boolean interactive) {
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    try {
      Map<String, String> fullEnv = new LinkedHashMap<>(DotEnv.read(cwd));
      fullEnv.putAll(env);
      RootCommand root = new RootCommand(o, e, fullEnv, cwd);
      root.interactive(interactive);
      try {
        return commandLine(root).execute(dottedTags(args));
      } finally {
        root.close();
      }
    } finally {
      o.flush();
      e.flush();
    }
  }

  /**
   * Rewrites the reference's dict syntax {@code --tags.KEY VALUE} (and {@code --tags.KEY=VALUE}) of
   * {@code mx push} into picocli's {@code --tags KEY=VALUE}.
   */
  static String[] dottedTags(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--tags.") && a.length() > "--tags.".length()) {
        String rest = a.substring("--tags.".length());
        out.add("--tags");
        if (rest.contains("=")) {
          out.add(rest);
        } else {
          out.add(rest + "=" + (i + 1 < args.length ? args[++i] : ""));
        }
      } else {
        out.add(a);
      }
    }
    return out.toArray(new String[0]);
  }

  static CommandLine commandLine(RootCommand root) {
    CommandLine cl = Commands.build(root);
    cl.setOut(root.out());
    cl.setErr(root.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setDefaultValueProvider(new EnvDefaults(root.env()));
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof CliFailure f) {
        (f.toStdout() ? root.out() : root.err()).println(f.getMessage());
        return f.exitCode();
      }
      if (ex instanceof MetaxyException) {
        root.err().println("Error: " + ex.getMessage());
        return FAILURE;
      }
      StringWriter trace = new StringWriter();
      ex.printStackTrace(new PrintWriter(trace));
      root.err().println("Error: unexpected " + ex);
      root.err().print(trace);
      return FAILURE;
    });
    cl.setParameterExceptionHandler(Mx::usageError);
    return cl;
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("Error: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    return USAGE;
  }
}
