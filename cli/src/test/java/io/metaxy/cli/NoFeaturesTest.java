package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three set-up mistakes that used to print "No features found in the current project." and exit 0
 * (no metaxy.toml, no graph configured, features of another project) each fail with what to fix; a
 * correctly configured project without features still prints that line and exits 0.
 */
class NoFeaturesTest {
  @TempDir
  Path dir;

  private static final String EMPTY_OUT = "No features found in the current project.\n";

  @Test
  void withoutMetaxyTomlEveryGraphCommandSaysSoAndFails() {
    MxHarness mx = new MxHarness(dir);
    String expected = "Error: No metaxy.toml found in " + dir
        + " or its parent directories, and no feature graph on"
        + " the class path. Run mx in your project (next to its metaxy.toml), or create a metaxy.toml with project ="
        + " \"<name>\" and [graph] classpath = [\"target/classes\"] (where your @Feature classes compile to), or pass"
        + " --config-file PATH or --graph PATH.\n";
    for (List<String> command : List.of(
        List.of("list", "features"),
        List.of("list", "features", "-f", "json"),
        List.of("describe", "features", "--all-features"),
        List.of("describe", "features", "video/files"),
        List.of("describe", "graph"),
        List.of("graph", "render"))) {
      MxHarness.Result r = mx.run(command.toArray(String[]::new));
      assertEquals(1, r.rc(), command + "\n" + r);
      assertEquals("", r.out(), command + "\n" + r);
      assertTrue(r.err().endsWith(expected), command + "\n" + r);
    }
  }

  @Test
  void withoutAGraphConfiguredTheMessageNamesTheFileAndTheSetting() throws IOException {
    Path toml = dir.resolve("metaxy.toml");
    Files.writeString(toml, "project = \"test\"\n");
    MxHarness.Result r = new MxHarness(dir).run("list", "features");
    assertEquals(1, r.rc(), r.toString());
    assertEquals(
        "Error: No feature graph configured: " + toml + " has no [graph] classpath, and no"
            + " META-INF/metaxy/graph.json is on the class path (MX_CLASSPATH). Add [graph] classpath = [\"target/classes\"]"
            + " (the directory or jar your @Feature classes compile to) to " + toml
            + ", or pass --graph PATH.\n",
        r.err());

    // A file written for Python Metaxy finds its features through entrypoints, which Java does not
    // read.
    Files.writeString(toml, "project = \"test\"\nentrypoints = [\"my_project.features\"]\n");
    MxHarness.Result python = new MxHarness(dir).run("list", "features");
    assertEquals(1, python.rc());
    assertTrue(
        python
            .err()
            .contains(
                "has no [graph] classpath (its entrypoints are read by Python Metaxy only), and no"),
        python.toString());
  }

  @Test
  void featuresOfAnotherProjectAreNamedWithWhereTheProjectWasSet() {
    StoreProject p = new StoreProject(dir);
    p.graph(
        feature("example", "example/video", List.of()), feature("other", "other/thing", List.of()));
    String projects =
        "No features of project 'test', but the feature graph has features of project(s) 'example', 'other'.";
    MxHarness.Result r = p.run("list", "features");
    assertEquals(1, r.rc(), r.toString());
    assertEquals(
        "Error: " + projects + " Set project in " + dir.resolve("metaxy.toml")
            + " to one of those, or use --all-projects for every project.\n",
        r.err());
    for (List<String> command : List.of(
        List.of("describe", "features", "--all-features"),
        List.of("describe", "graph"),
        List.of("graph", "render"),
        List.of("metadata", "status", "--all-features"),
        List.of("push"))) {
      MxHarness.Result same = p.run(command.toArray(String[]::new));
      assertEquals(1, same.rc(), command + "\n" + same);
      assertTrue(same.err().contains(projects), command + "\n" + same);
    }

    MxHarness.Result flag = p.run("--project", "nobody", "list", "features");
    assertEquals(1, flag.rc());
    assertTrue(
        flag.err().contains("'nobody'") && flag.err().contains("Pass one of those to --project"),
        flag.toString());
    p.mx.env("METAXY_PROJECT", "nobody");
    MxHarness.Result variable = p.run("list", "features");
    assertEquals(1, variable.rc());
    assertTrue(variable.err().contains("Set METAXY_PROJECT to one of those"), variable.toString());

    assertTrue(p.ok("--project", "example", "list", "features").out().contains("example/video"));
    assertTrue(p.ok("--all-projects", "list", "features").out().contains("other/thing"));
  }

  @Test
  void aConfiguredProjectWithoutFeaturesIsEmptyNotAnError() throws IOException {
    Files.createDirectories(dir.resolve("target/classes"));
    Files.writeString(
        dir.resolve("metaxy.toml"),
        "project = \"test\"\n[graph]\nclasspath = [\"target/classes\"]\n");
    MxHarness mx = new MxHarness(dir);
    MxHarness.Result r = mx.ok("list", "features");
    assertEquals(EMPTY_OUT, r.out());
    assertEquals(
        "Note: no META-INF/metaxy/graph.json in graph.classpath [target/classes]; the annotation processor"
            + " writes it when it compiles at least one @Feature class.\n",
        r.err());
    assertEquals(
        "{\n  \"feature_count\": 0,\n  \"features\": []\n}\n",
        mx.ok("list", "features", "-f", "json").out());

    // A compiled graph without features (here: one given with --graph) is empty too, without the
    // note.
    mx.fixture("empty.json");
    MxHarness.Result given = mx.ok("--graph", "empty.json", "list", "features");
    assertEquals(EMPTY_OUT, given.out());
    assertEquals("", given.err());
  }

  @Test
  void withoutMetaxyTomlTheClassPathGraphIsUsed() throws Exception {
    Path classes = dir.resolve("cp");
    Files.createDirectories(classes.resolve("META-INF/metaxy"));
    MxHarness mx = new MxHarness(dir);
    Files.copy(mx.fixture("f1.json"), classes.resolve("META-INF/metaxy/graph.json"));
    MxHarness.Result r = withClassPath(classes, () -> mx.ok("list", "features"));
    assertTrue(r.out().contains("video/files"), r.toString());

    Files.copy(
        mx.fixture("empty.json"),
        classes.resolve("META-INF/metaxy/graph.json"),
        StandardCopyOption.REPLACE_EXISTING);
    MxHarness.Result empty = withClassPath(classes, () -> mx.ok("list", "features"));
    assertEquals(EMPTY_OUT, empty.out());
  }

  /** Runs {@code body} with {@code entry} on the context class path, where mx looks for graphs without graph.classpath. */
  private static <T> T withClassPath(Path entry, Callable<T> body) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {entry.toUri().toURL()}, before)) {
      t.setContextClassLoader(cl);
      return body.call();
    } finally {
      t.setContextClassLoader(before);
    }
  }
}
