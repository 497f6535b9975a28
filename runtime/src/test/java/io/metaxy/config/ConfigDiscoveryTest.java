package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the config file comes from (spec cli.md §3.2). */
class ConfigDiscoveryTest {
  @TempDir
  Path root;

  private MetaxyConfig load(Path cwd, Map<String, String> env) {
    return MetaxyConfig.loader().workingDirectory(cwd).environment(env).load();
  }

  @Test
  void findsMetaxyTomlInTheWorkingDirectory() throws Exception {
    Path file = write(root.resolve("metaxy.toml"), "project = \"here\"\n");
    MetaxyConfig c = load(root, Map.of());
    assertEquals(Optional.of("here"), c.project());
    assertEquals(Optional.of(file), c.configFile());
    assertEquals(List.of(file), c.files());
  }

  @Test
  void walksUpToTheNearestAncestorWithAConfig() throws Exception {
    write(root.resolve("metaxy.toml"), "project = \"top\"\n");
    Path mid = write(root.resolve("a/metaxy.toml"), "project = \"mid\"\n");
    Path deep = Files.createDirectories(root.resolve("a/b/c"));
    MetaxyConfig c = load(deep, Map.of());
    assertEquals(Optional.of("mid"), c.project());
    assertEquals(Optional.of(mid), c.configFile());
  }

  @Test
  void prefersMetaxyTomlOverPyprojectInTheSameDirectory() {
    write(root.resolve("pyproject.toml"), "[tool.metaxy]\nproject = \"py\"\n");
    write(root.resolve("metaxy.toml"), "project = \"mx\"\n");
    assertEquals(Optional.of("mx"), load(root, Map.of()).project());
  }

  @Test
  void readsOnlyToolMetaxyFromPyproject() {
    Path py = write(
        root.resolve("pyproject.toml"),
        "[project]\nname = \"demo\"\n[tool.other]\nx = 1\n[tool.metaxy]\nproject = \"py\"\nstore = \"prod\"\n");
    MetaxyConfig c = load(root, Map.of());
    assertEquals(Optional.of("py"), c.project());
    assertEquals("prod", c.store());
    assertEquals(Optional.of(py), c.configFile());
  }

  @Test
  void skipsPyprojectWithoutANonEmptyToolMetaxyTable() throws Exception {
    write(root.resolve("metaxy.toml"), "project = \"parent\"\n");
    write(root.resolve("child/pyproject.toml"), "[project]\nname = \"x\"\n[tool.metaxy]\n");
    assertEquals(Optional.of("parent"), load(root.resolve("child"), Map.of()).project());
  }

  @Test
  void withoutSearchParentsOnlyTheStartDirectoryCounts() throws Exception {
    write(root.resolve("metaxy.toml"), "project = \"parent\"\n");
    Path child = Files.createDirectories(root.resolve("child"));
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(child)
        .environment(Map.of())
        .searchParents(false)
        .load();
    assertEquals(Optional.empty(), c.configFile());
    assertEquals(Optional.empty(), c.project());
  }

  @Test
  void explicitFileWinsOverDiscovery() {
    write(root.resolve("metaxy.toml"), "project = \"discovered\"\n");
    Path other = write(root.resolve("conf/other.toml"), "project = \"explicit\"\n");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of())
        .configFile(Path.of("conf/other.toml"))
        .load();
    assertEquals(Optional.of("explicit"), c.project());
    assertEquals(Optional.of(other), c.configFile());
  }

  @Test
  void metaxyConfigVariableWinsEvenOverTheExplicitFile() {
    write(root.resolve("explicit.toml"), "project = \"explicit\"\n");
    write(root.resolve("from_env.toml"), "project = \"env\"\n");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of("METAXY_CONFIG", root.resolve("from_env.toml").toString()))
        .configFile(root.resolve("explicit.toml"))
        .load();
    assertEquals(Optional.of("env"), c.project());
  }

  @Test
  void missingExplicitFilesAreErrorsNamingThePath() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> MetaxyConfig.loader()
            .workingDirectory(root)
            .environment(Map.of())
            .configFile(Path.of("nope.toml"))
            .load());
    assertTrue(e.getMessage().contains("nope.toml"), e.getMessage());
    ConfigException env =
        assertThrows(ConfigException.class, () -> load(root, Map.of("METAXY_CONFIG", "gone.toml")));
    assertTrue(
        env.getMessage().startsWith("environment variable METAXY_CONFIG: "), env.getMessage());
    assertTrue(env.getMessage().contains("gone.toml"), env.getMessage());
  }

  @Test
  void noFileMeansDefaultsAndNoLockFile() throws Exception {
    Path empty = Files.createDirectories(root.resolve("empty"));
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(empty)
        .environment(Map.of())
        .searchParents(false)
        .load();
    assertEquals(Optional.empty(), c.configFile());
    assertEquals(Optional.empty(), c.lockFile());
    assertEquals("dev", c.store());
    assertEquals(8, c.hashTruncationLength());
    assertTrue(c.sync());
  }

  @Test
  void lockFileSitsNextToTheConfigFileUnlessConfigured() throws Exception {
    write(root.resolve("metaxy.toml"), "project = \"p\"\n");
    assertEquals(Optional.of(root.resolve("metaxy.lock")), load(root, Map.of()).lockFile());
    write(root.resolve("metaxy.toml"), "metaxy_lock_path = \"locks/x.lock\"\n");
    assertEquals(Optional.of(root.resolve("locks/x.lock")), load(root, Map.of()).lockFile());
    Path abs = root.resolve("elsewhere/abs.lock");
    Path empty = Files.createDirectories(root.resolve("sub/empty"));
    MetaxyConfig noFile = MetaxyConfig.loader()
        .workingDirectory(empty)
        .searchParents(false)
        .environment(Map.of("METAXY_METAXY_LOCK_PATH", abs.toString()))
        .load();
    assertEquals(Optional.of(abs), noFile.lockFile());
    MetaxyConfig relativeNoFile = MetaxyConfig.loader()
        .workingDirectory(empty)
        .searchParents(false)
        .environment(Map.of("METAXY_METAXY_LOCK_PATH", "rel.lock"))
        .load();
    assertEquals(Optional.empty(), relativeNoFile.lockFile());
  }

  @Test
  void tomlSyntaxErrorsNameTheFileAndLine() {
    Path file = write(root.resolve("metaxy.toml"), "project = \"p\"\nstore = \n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(root, Map.of()));
    assertTrue(e.getMessage().startsWith(file + ": line 2"), e.getMessage());
  }
}
