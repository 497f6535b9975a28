package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, exit codes, option defaults from the environment, and the --graph sources. */
class EntryPointTest {
  @TempDir
  Path dir;

  MxHarness mx;

  @BeforeEach
  void setUp() {
    mx = new MxHarness(dir);
  }

  @Test
  void s01_noArgumentsIsAUsageErrorWithTheUsageOnStderr() {
    // The reference prints the help and exits 0; a script that lost its command should not pass.
    MxHarness.Result r = mx.run();
    assertEquals(Mx.USAGE, r.rc(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("Error: 'mx' needs a command.\nUsage: mx "), r.toString());
    for (String command :
        new String[] {"config", "list", "describe", "graph", "push", "history", "lock", "metadata"
        }) {
      assertTrue(r.err().contains("  " + command + " "), command + "\n" + r);
    }
    assertFalse(r.err().contains("graph-diff"), "graph-diff is hidden\n" + r);
  }

  @Test
  void s02_helpListsTheGlobalGroup() {
    MxHarness.Result r = mx.ok("--help");
    assertTrue(r.out().contains("Global:"), r.toString());
    for (String flag : new String[] {
      "--config-file", "--project", "--[no-]all-projects", "--[no-]sync", "--[no-]locked", "--graph"
    }) {
      assertTrue(r.out().contains(flag), flag);
    }
  }

  @Test
  void versionIsPrinted() {
    MxHarness.Result r = mx.ok("--version");
    assertTrue(r.out().strip().matches("\\d+\\.\\d+\\.\\d+.*"), r.toString());
  }

  @Test
  void groupWithoutSubcommandIsAUsageErrorToo() {
    MxHarness.Result r = mx.run("list");
    assertEquals(Mx.USAGE, r.rc(), r.toString());
    assertEquals("", r.out());
    assertTrue(
        r.err().startsWith("Error: 'mx list' needs a command.\nUsage: mx list "), r.toString());
    assertTrue(r.err().contains("features"), r.toString());
    assertTrue(
        mx.ok("list", "--help").out().contains("features"), "--help is the way to ask for it");
  }

  @Test
  void usageErrorsExitWithTwoOnStderr() {
    mx.fixture("f1.json");
    MxHarness.Result unknownOption = mx.run("--graph", "f1.json", "list", "features", "--foo");
    assertEquals(Mx.USAGE, unknownOption.rc());
    assertTrue(unknownOption.err().contains("Unknown option: '--foo'"), unknownOption.toString());
    assertEquals("", unknownOption.out());

    MxHarness.Result unknownCommand = mx.run("foo");
    assertEquals(Mx.USAGE, unknownCommand.rc());
    assertTrue(unknownCommand.err().contains("foo"), unknownCommand.toString());

    MxHarness.Result badValue = mx.run("--graph", "f1.json", "list", "features", "--format", "xml");
    assertEquals(Mx.USAGE, badValue.rc());
    assertTrue(badValue.err().contains("'xml'"), badValue.toString());
  }

  @Test
  void optionDefaultsComeFromMetaxyVariablesAndTokensWin() {
    mx.fixture("f1.json");
    mx.env("METAXY_LIST_FEATURES_FORMAT", "json");
    assertTrue(mx.ok("--graph", "f1.json", "list", "features").out().startsWith("{"));
    assertTrue(mx.ok("--graph", "f1.json", "list", "features", "--format", "plain")
        .out()
        .contains("Total: 1"));
  }

  @Test
  void negatableEnvDefault() {
    mx.fixture("f1.json");
    mx.env("METAXY_GRAPH_RENDER_SHOW_FIELDS", "false");
    MxHarness.Result r = mx.ok("--graph", "f1.json", "graph", "render");
    assertFalse(r.out().contains("fields"), r.toString());
    assertTrue(mx.ok("--graph", "f1.json", "graph", "render", "--show-fields")
        .out()
        .contains("🔧 fields"));
  }

  @Test
  void s05_dotEnvSuppliesVariablesButTheRealEnvironmentWins() throws IOException {
    mx.fixture("f1.json");
    Files.writeString(dir.resolve(".env"), "# comment\nMETAXY_LIST_FEATURES_FORMAT=\"json\"\n");
    assertTrue(mx.ok("--graph", "f1.json", "list", "features").out().startsWith("{"));
    mx.env("METAXY_LIST_FEATURES_FORMAT", "plain");
    assertTrue(
        mx.ok("--graph", "f1.json", "list", "features").out().contains("Total: 1 feature(s)"));
  }

  @Test
  void metaxyProjectVariableSetsTheProject() {
    mx.fixture("external.json");
    mx.env("METAXY_PROJECT", "other");
    MxHarness.Result r = mx.ok("--graph", "external.json", "list", "features");
    assertTrue(r.out().contains("other/thing"), r.toString());
    assertFalse(r.out().contains("local/feature"), r.toString());
  }

  @Test
  void graphFromClassesDirectoryAndJar() throws IOException {
    Path classes = dir.resolve("classes/META-INF/metaxy");
    Files.createDirectories(classes);
    Files.copy(mx.fixture("f2.json"), classes.resolve("graph.json"));
    assertTrue(mx.ok("--graph", "classes", "list", "features").out().contains("video/processing"));

    Path jar = dir.resolve("features.jar");
    try (OutputStream os = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("META-INF/metaxy/graph.json"));
      zip.write(Files.readAllBytes(classes.resolve("graph.json")));
      zip.closeEntry();
    }
    assertTrue(
        mx.ok("--graph", "features.jar", "list", "features").out().contains("video/processing"));
  }

  @Test
  void sourceOfClassFreeDefinitionsIsTheFileRead() throws IOException {
    Path classes = dir.resolve("classes/META-INF/metaxy");
    Files.createDirectories(classes);
    Files.copy(mx.fixture("diff/v1.json"), classes.resolve("graph.json"));
    assertTrue(mx.ok("--graph", "classes", "list", "features", "-f", "json")
        .out()
        .contains("\"source\": \"classes/META-INF/metaxy/graph.json\""));
    Path jar = dir.resolve("v1.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry("META-INF/metaxy/graph.json"));
      zip.write(Files.readAllBytes(classes.resolve("graph.json")));
      zip.closeEntry();
    }
    assertTrue(mx.ok("--graph", "v1.jar", "list", "features", "-f", "json")
        .out()
        .contains("\"source\": \"v1.jar!/META-INF/metaxy/graph.json\""));
  }

  @Test
  void severalGraphsAreMerged() {
    mx.fixture("f1.json");
    mx.fixture("f3.json");
    MxHarness.Result r =
        mx.ok("--graph", "f1.json", "--graph", "f3.json", "list", "features", "-f", "json");
    assertTrue(r.out().contains("\"feature_count\": 3"), r.toString());
  }

  @Test
  void unreadableGraphsNameThePath() throws IOException {
    MxHarness.Result missing = mx.run("--graph", "nope.json", "list", "features");
    assertEquals(Mx.FAILURE, missing.rc());
    assertTrue(missing.err().contains("nope.json does not exist"), missing.toString());

    Files.writeString(
        dir.resolve("broken.json"), "{\"features\": [{\"spec\": {\"key\": \"Bad Key\"}}]}");
    MxHarness.Result broken = mx.run("--graph", "broken.json", "list", "features");
    assertEquals(Mx.FAILURE, broken.rc());
    assertTrue(broken.err().contains("broken.json"), broken.toString());
    assertTrue(broken.err().contains("features[0]"), broken.toString());

    Files.createDirectories(dir.resolve("emptydir"));
    MxHarness.Result noGraph = mx.run("--graph", "emptydir", "list", "features");
    assertEquals(Mx.FAILURE, noGraph.rc());
    assertTrue(
        noGraph.err().contains("no feature graph in directory emptydir"), noGraph.toString());
  }

  @Test
  void storeDependentGlobalsFailClearly() {
    mx.fixture("f1.json");
    MxHarness.Result sync = mx.run("--sync", "--graph", "f1.json", "list", "features");
    assertEquals(Mx.FAILURE, sync.rc());
    assertTrue(sync.err().startsWith("Error: No Metaxy stores available."), sync.toString());

    MxHarness.Result config =
        mx.run("--config-file", "missing.toml", "--graph", "f1.json", "list", "features");
    assertEquals(Mx.FAILURE, config.rc());
    assertTrue(config.err().startsWith("Error: Invalid Metaxy configuration: "), config.toString());
    assertTrue(config.err().contains("missing.toml"), config.toString());
  }

  @Test
  void booleanGlobalsAcceptExplicitValues() {
    mx.fixture("external.json");
    mx.env("METAXY_PROJECT", "other");
    assertTrue(mx.ok("--all-projects=true", "--graph", "external.json", "list", "features")
        .out()
        .contains("local/feature"));
    assertFalse(mx.ok("--all-projects=false", "--graph", "external.json", "list", "features")
        .out()
        .contains("local/feature"));
    assertFalse(mx.ok("--no-all-projects", "--graph", "external.json", "list", "features")
        .out()
        .contains("local/feature"));
  }
}
