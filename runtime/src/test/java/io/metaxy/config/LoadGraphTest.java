package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graph.classpath} and {@link MetaxyConfig#loadGraph()}. */
class LoadGraphTest {
  @TempDir
  Path root;

  private static String graph(String key, String project) {
    return """
        {"features": [{"spec": {"key": "%s", "id_columns": ["sample_uid"], "deps": [],
          "fields": [{"key": "default", "code_version": "1", "deps": []}], "metadata": {}, "description": null},
          "project": "%s", "feature_schema": {}}]}
        """.formatted(key, project);
  }

  private static void jar(Path file, String graphJson) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry(GraphJson.RESOURCE));
      jar.write(graphJson.getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
  }

  private MetaxyConfig load() {
    return MetaxyConfig.loader().workingDirectory(root).environment(Map.of()).load();
  }

  @Test
  void readsGraphsFromDirectoriesAndJarsRelativeToTheConfigFile() throws Exception {
    write(root.resolve("build/classes/" + GraphJson.RESOURCE), graph("video/files", "test"));
    jar(root.resolve("libs/features.jar"), graph("audio/clips", "other"));
    write(
        root.resolve("metaxy.toml"),
        "[graph]\nclasspath = [\"build/classes\", \"libs/features.jar\"]\n");
    Path sub = Files.createDirectories(root.resolve("deeper/dir"));
    MetaxyConfig c =
        MetaxyConfig.loader().workingDirectory(sub).environment(Map.of()).load();
    assertEquals(
        List.of(root.resolve("build/classes"), root.resolve("libs/features.jar")),
        c.graphClasspathEntries());
    FeatureGraph g = c.loadGraph();
    assertEquals(Set.of(FeatureKey.of("video/files"), FeatureKey.of("audio/clips")), g.keys());
    assertEquals(Set.of("test", "other"), g.projects());
  }

  @Test
  void wildcardTakesEveryJarOfADirectoryInNameOrder() throws Exception {
    jar(root.resolve("libs/b.jar"), graph("b/feature", "p"));
    jar(root.resolve("libs/a.jar"), graph("a/feature", "p"));
    write(root.resolve("libs/notes.txt"), "not a jar");
    write(root.resolve("metaxy.toml"), "[graph]\nclasspath = [\"libs/*\"]\n");
    MetaxyConfig c = load();
    assertEquals(
        List.of(root.resolve("libs/a.jar"), root.resolve("libs/b.jar")), c.graphClasspathEntries());
    assertEquals(
        Set.of(FeatureKey.of("a/feature"), FeatureKey.of("b/feature")),
        c.loadGraph().keys());
  }

  @Test
  void classpathFromTheEnvironment() throws Exception {
    write(root.resolve("classes/" + GraphJson.RESOURCE), graph("env/feature", "p"));
    write(root.resolve("metaxy.toml"), "project = \"p\"\n");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of("METAXY_GRAPH__CLASSPATH", "[\"classes\"]"))
        .load();
    assertEquals(Set.of(FeatureKey.of("env/feature")), c.loadGraph().keys());
  }

  @Test
  void missingEntriesAreErrorsNamingTheEntry() {
    write(root.resolve("metaxy.toml"), "[graph]\nclasspath = [\"ok\", \"missing/classes\"]\n");
    root.resolve("ok").toFile().mkdirs();
    ConfigException e = assertThrows(ConfigException.class, () -> load().loadGraph());
    assertEquals(
        root.resolve("metaxy.toml") + ": graph.classpath[1]: does not exist: "
            + root.resolve("missing/classes"),
        e.getMessage());
  }

  @Test
  void withoutAClasspathTheCurrentClassPathIsSearched() throws Exception {
    write(root.resolve("metaxy.toml"), "project = \"p\"\n");
    Path dir = write(root.resolve("ctx/" + GraphJson.RESOURCE), graph("ctx/feature", "p"))
        .getParent()
        .getParent()
        .getParent();
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      Thread.currentThread().setContextClassLoader(cl);
      assertEquals(Set.of(FeatureKey.of("ctx/feature")), load().loadGraph().keys());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
    assertTrue(load().graphClasspathEntries().isEmpty());
  }
}
