package io.metaxy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of README.md and docs/*.md compiles against this build's artifacts (the stores
 * included), so an API change cannot leave a doc behind. Blocks of getting-started.md marked {@code
 * <!-- file: PATH -->} are whole files of examples/quickstart and are checked by {@link
 * GettingStartedDocTest}; the others are fragments. A fragment that declares types (records, classes)
 * becomes a source file of its own; any other is the body of a method, after the imports below and
 * the declarations of an optional {@code <!-- given: ... -->} comment right before the block (the
 * variables and helpers the fragment assumes, e.g. {@code VectorSchemaRoot videos;}). The blocks of one
 * doc compile together, so a fragment may use the records another one declares.
 */
class DocSnippetsTest {
  private static final String GIVEN = "<!-- given: ";
  private static final Pattern TYPE_DECLARATION =
      Pattern.compile("^(@|(public\\s+)?(final\\s+)?(record|class|interface|enum)\\s)");
  private static final List<String> IMPORTS = List.of(
      "io.metaxy.*",
      "io.metaxy.annotations.*",
      "io.metaxy.config.*",
      "io.metaxy.engine.*",
      "io.metaxy.graph.*",
      "io.metaxy.spec.*",
      "io.metaxy.store.*",
      "io.metaxy.store.delta.*",
      "io.metaxy.store.duckdb.*",
      "io.metaxy.store.iceberg.*",
      "io.metaxy.store.postgres.*",
      "io.metaxy.versioning.*",
      "java.nio.file.Path",
      "java.time.*",
      "java.util.*",
      "org.apache.arrow.memory.*",
      "org.apache.arrow.vector.*");

  /** A fenced Java block of a doc: where it starts, its lines, and what it is given. */
  record Block(Path doc, int line, List<String> lines, String given) {}

  static List<Block> fragments(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals("```java")) {
        continue;
      }
      String before = i > 0 ? lines.get(i - 1) : "";
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).equals("```")) {
        end++;
      }
      assertTrue(end < lines.size(), doc + ":" + (i + 1) + ": code block never closed");
      if (!before.startsWith("<!-- file: ")) {
        String given = before.startsWith(GIVEN) && before.endsWith(" -->")
            ? before.substring(GIVEN.length(), before.length() - " -->".length())
            : "";
        out.add(new Block(doc, i + 2, lines.subList(i + 1, end), given));
      }
      i = end;
    }
    return out;
  }

  /** The compilation units of a doc's fragments, as (class name, source). */
  static List<String[]> sources(List<Block> blocks) {
    List<String[]> out = new ArrayList<>();
    for (int n = 0; n < blocks.size(); n++) {
      Block b = blocks.get(n);
      String name = "Snippet" + (n + 1) + "_line" + b.line();
      StringBuilder imports = new StringBuilder("package snippets;\n");
      IMPORTS.forEach(i -> imports.append("import ").append(i).append(";\n"));
      List<String> body = new ArrayList<>();
      for (String l : b.lines()) {
        if (l.startsWith("import ")) {
          imports.append(l).append('\n');
        } else {
          body.add(l);
        }
      }
      String first = body.stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("//"))
          .findFirst()
          .orElse("");
      StringBuilder src = new StringBuilder(imports);
      // One line of marker per doc line keeps the compiler's line numbers easy to map back.
      src.append("// ")
          .append(b.doc().getFileName())
          .append(':')
          .append(b.line())
          .append('\n');
      if (TYPE_DECLARATION.matcher(first).find()) {
        // Top-level types of a doc are public in their own files; here they share this one.
        body.forEach(
            l -> src.append(l.replaceFirst("^public (record|class|interface|enum) ", "$1 "))
                .append('\n'));
        src.append("final class ").append(name).append(" {}\n");
      } else {
        src.append("final class ").append(name).append(" {\n").append(b.given()).append('\n');
        src.append("  @SuppressWarnings(\"unused\")\n  void run() throws Exception {\n");
        body.forEach(l -> src.append(l).append('\n'));
        src.append("  }\n}\n");
      }
      out.add(new String[] {name, src.toString()});
    }
    return out;
  }

  @Test
  void everyJavaBlockOfTheDocsCompiles(@TempDir Path tmp) throws IOException {
    Path root = GettingStartedDocTest.repoRoot();
    List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      // docs/spark.md needs Spark on the class path: the spark module's SparkDocTest compiles and
      // runs
      // its job.
      s.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !p.getFileName().toString().equals("spark.md"))
          .sorted()
          .forEach(docs::add);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> failures = new ArrayList<>();
    int compiled = 0;
    for (Path doc : docs) {
      List<Block> blocks = fragments(doc);
      if (blocks.isEmpty()) {
        continue;
      }
      Path dir = Files.createDirectories(tmp.resolve(doc.getFileName().toString()));
      List<Path> files = new ArrayList<>();
      for (String[] unit : sources(blocks)) {
        Path f = dir.resolve("snippets").resolve(unit[0] + ".java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, unit[1]);
        files.add(f);
      }
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager fm =
          javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
        List<String> options = List.of(
            "-proc:none",
            "--release",
            "17",
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            Files.createDirectories(dir.resolve("classes")).toString());
        StringWriter out = new StringWriter();
        boolean ok = javac
            .getTask(out, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files))
            .call();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          if (d.getKind() == Diagnostic.Kind.ERROR) {
            String source = d.getSource() == null
                ? "?"
                : Path.of(d.getSource().toUri()).getFileName().toString();
            failures.add(doc.getFileName() + " (" + source + " line " + d.getLineNumber() + "): "
                + d.getMessage(Locale.ROOT));
          }
        }
        if (!ok && failures.isEmpty()) {
          failures.add(doc.getFileName() + ": " + out);
        }
      }
      compiled += blocks.size();
    }
    assertEquals(List.of(), failures, "Java blocks of the docs that do not compile");
    assertTrue(compiled >= 10, "found only " + compiled + " Java blocks");
  }
}
