package io.metaxy.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic: the full message, the line it is reported on, and that it is the only
 * error.
 */
class NegativeTest {
  /** A record {@code bad.Bad} with the given annotations and components, compiled with the overview graph. */
  private static JavaFileObject bad(String annotations, String components) {
    return TestSources.source(
        "bad.Bad",
        "package bad;\n\n"
            + "import example.*;\n"
            + "import io.metaxy.annotations.*;\n\n"
            + annotations + "\n"
            + "public record Bad(" + components + ") {}\n");
  }

  private static Compilation compile(JavaFileObject... extra) {
    List<JavaFileObject> sources = new ArrayList<>(TestSources.OVERVIEW);
    sources.addAll(List.of(extra));
    return TestSources.javac().compile(sources);
  }

  private static void assertOnlyError(
      Compilation c, String message, JavaFileObject file, String line) {
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(message).inFile(file).onLineContaining(line);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void upstreamClassThatIsNotAFeature() {
    JavaFileObject f =
        bad("@Feature(key = \"bad/bad\", idColumns = \"id\")\n@Dep(String.class)", "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnknownUpstream] Bad depends on java.lang.String, which is not a @Feature record",
        f,
        "@Dep(String.class)");
  }

  @Test
  void upstreamKeyFoundNowhere() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")\n@Dep(key = \"nowhere/x\")", "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnknownUpstream] Bad depends on feature \"nowhere/x\", which is neither a @Feature of this"
            + " compilation nor in a META-INF/metaxy/graph.json resource on the class path",
        f,
        "nowhere/x");
  }

  @Test
  void unknownUpstreamFieldInOn() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(Video.class)\n"
            + "@Field(key = \"subs\", dependsOn = @On(feature = Video.class, fields = {\"audio\",\n  \"subtitles\"}))",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnknownUpstreamField] example/video has no field \"subtitles\" (its fields: [audio, frames])",
        f,
        "\"subtitles\"");
  }

  @Test
  void unknownUpstreamFieldInExcludeFields() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n"
            + "@Dep(value = Video.class, mapping = @Mapping(excludeFields = \"audio/fr\"))",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnknownUpstreamField] example/video has no field \"audio/fr\" (its fields: [audio, frames])",
        f,
        "excludeFields");
  }

  @Test
  void unknownUpstreamFieldInSpecificMapping() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n"
            + "@Dep(value = Video.class, mapping = @Mapping(type = MappingType.SPECIFIC,\n"
            + "    specific = @MapField(field = \"mix\", from = {\"audio\", \"music\"})))\n"
            + "@Field(key = \"mix\")",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnknownUpstreamField] example/video has no field \"music\" (its fields: [audio, frames])",
        f,
        "\"music\"");
  }

  @Test
  void expansionOnColumnMissingDownstream() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"frame_id\")\n"
            + "@Dep(value = Video.class, lineage = Lineage.EXPANSION, on = \"video_id\")",
        "String frameId");
    assertOnlyError(
        compile(f),
        "[Metaxy/LineageColumns] expansion dependency of Bad on example/video: \"on\" columns [video_id] are not"
            + " columns of Bad (each child row carries its parent's \"on\" values)",
        f,
        "Lineage.EXPANSION");
  }

  @Test
  void dependencyCycleIsReportedOnceOnTheFirstEdge() {
    JavaFileObject a = TestSources.source("cyc.A", """
            package cyc;

            import io.metaxy.annotations.*;

            @Feature(key = "cyc/a", idColumns = "id")
            @Dep(B.class)
            public record A(String id) {}
            """);
    JavaFileObject b = TestSources.source("cyc.B", """
            package cyc;

            import io.metaxy.annotations.*;

            @Feature(key = "cyc/b", idColumns = "id")
            @Dep(key = "cyc/a")
            public record B(String id) {}
            """);
    assertOnlyError(
        TestSources.javac().compile(a, b),
        "[Metaxy/DependencyCycle] dependency cycle: cyc/a -> cyc/b -> cyc/a",
        a,
        "@Dep(B.class)");
  }

  @Test
  void duplicateFeatureKey() {
    JavaFileObject f = bad("@Feature(key = \"example/video\", idColumns = \"id\")", "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/DuplicateFeatureKey] duplicate feature key \"example/video\": bad.Bad and example.Video both"
            + " declare it",
        TestSources.VIDEO,
        "example/video");
  }

  @Test
  void invalidFeatureKey() {
    JavaFileObject f = bad("@Feature(key = \"Bad/key\", idColumns = \"id\")", "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/InvalidKey] invalid feature key \"Bad/key\": part \"Bad\" has 'B'; parts may use only a-z, 0-9,"
            + " '_' and '-'",
        f,
        "Bad/key");
  }

  @Test
  void invalidFieldKey() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")\n@Field(key = \"audio__fr\")",
        "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/InvalidKey] invalid field key \"audio__fr\": part \"audio__fr\" contains \"__\", which is reserved",
        f,
        "audio__fr");
  }

  @Test
  void idColumnThatIsNotAColumn() {
    JavaFileObject f =
        bad("@Feature(key = \"bad/bad\", idColumns = \"videoId\")", "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnknownIdColumn] id column \"videoId\" is not a column of Bad (columns: [video_id]); did you mean"
            + " \"video_id\" (the column of component videoId)?",
        f,
        "idColumns = \"videoId\"");
  }

  @Test
  void aggregationOnColumnMissingUpstream() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"speaker\")\n"
            + "@Dep(value = Video.class, lineage = Lineage.AGGREGATION,\n    on = \"speaker\")",
        "String speaker");
    assertOnlyError(
        compile(f),
        "[Metaxy/LineageColumns] aggregation dependency of Bad on example/video: \"on\" columns [speaker] are not"
            + " columns of example/video (after rename: [duration_seconds, path, video_id])",
        f,
        "on = \"speaker\"");
  }

  @Test
  void identityWithIdColumnsThatDoNotLineUp() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"clip_id\")\n@Dep(Video.class)", "String clipId");
    assertOnlyError(
        compile(f),
        "[Metaxy/LineageColumns] identity dependency of Bad on example/video: the upstream id columns [video_id]"
            + " (after rename) must be the id columns of Bad [clip_id]; rename upstream columns, or use lineage"
            + " AGGREGATION or EXPANSION",
        f,
        "@Dep(Video.class)");
  }

  @Test
  void identityLinesUpAfterRename() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"clip_id\")\n"
            + "@Dep(value = Video.class, rename = @Rename(from = \"video_id\", to = \"clip_id\"))",
        "String clipId");
    assertThat(compile(f)).succeededWithoutWarnings();
  }

  @Test
  void reservedColumnPrefix() {
    JavaFileObject f =
        bad("@Feature(key = \"bad/bad\", idColumns = \"id\")", "String id,\n String metaxyNote");
    assertOnlyError(
        compile(f),
        "[Metaxy/ReservedColumn] column \"metaxy_note\" of Bad starts with \"metaxy_\", which is reserved for"
            + " Metaxy system columns",
        f,
        "String metaxyNote");
  }

  @Test
  void blankColumnName() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")",
        "String id,\n @Column(\" \") String note");
    assertOnlyError(
        compile(f),
        "[Metaxy/InvalidColumnName] component note of Bad has a blank @Column name",
        f,
        "String note");
  }

  @Test
  void twoComponentsWithOneColumnName() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")",
        "String videoId,\n @Column(\"video_id\") String other");
    assertOnlyError(
        compile(f),
        "[Metaxy/DuplicateColumn] components videoId and other of Bad both map to column \"video_id\"",
        f,
        "String other");
  }

  @Test
  void fieldKeysWithTheSameStructKey() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")\n@Field(key = \"a/b\")\n@Field(key = \"a_b\")",
        "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/FieldKeyCollision] fields \"a/b\" and \"a_b\" of Bad have the same struct key \"a_b\" (their name"
            + " inside metaxy_provenance_by_field); rename one",
        f,
        "@Field(key = \"a_b\")");
  }

  @Test
  void blankFilter() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(value = Video.class, filters = \"  \")",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/InvalidFilter] invalid filter \"  \" of the dependency on example/video at position 1: filter string cannot be empty",
        f,
        "filters");
  }

  @Test
  void malformedFilterNamesThePosition() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n"
            + "@Dep(value = Video.class, filters = {\"duration_seconds > 1\",\n  \"path = = 'x'\"})",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/InvalidFilter] invalid filter \"path = = 'x'\" of the dependency on example/video at position 8:"
            + " expected a value",
        f,
        "path = = 'x'");
  }

  @Test
  void codeVersionWithPipe() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")\n@Field(key = \"x\", codeVersion = \"1|2\")",
        "String id");
    assertOnlyError(
        compile(f),
        "[Metaxy/InvalidCodeVersion] invalid code version \"1|2\" of field \"x\": it contains '|', the separator of"
            + " provenance strings",
        f,
        "1|2");
  }

  @Test
  void codeVersionWithPaddingOrEmpty() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")\n@Field(key = \"x\", codeVersion = \" 1\")\n"
            + "@Field(key = \"y\", codeVersion = \"\")\n@Field(key = \"z\", codeVersion = \"a\\tb\")",
        "String id");
    Compilation c = compile(f);
    assertThat(c).hadErrorCount(3);
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/InvalidCodeVersion] invalid code version \" 1\" of field \"x\": it has leading or trailing"
                + " whitespace")
        .inFile(f)
        .onLineContaining("\" 1\"");
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/InvalidCodeVersion] invalid code version \"\" of field \"y\": it is empty")
        .inFile(f)
        .onLineContaining("key = \"y\"");
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/InvalidCodeVersion] invalid code version \"a\\tb\" of field \"z\": it contains the control"
                + " character U+0009")
        .inFile(f)
        .onLineContaining("key = \"z\"");
  }

  @Test
  void onThatIsNotADep() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(Video.class)\n"
            + "@Field(key = \"x\", dependsOn = @On(feature = Crop.class))",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/OnNotADep] field \"x\" depends on example/crop, which is not a @Dep of Bad; add @Dep(Crop.class)",
        f,
        "Crop.class");
  }

  @Test
  void depWithBothClassAndKey() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(value = Video.class, key = \"example/video\")",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/DepTarget] @Dep on Bad must give either the upstream feature class or key = \"...\", not both",
        f,
        "@Dep(value = Video.class");
  }

  @Test
  void onWithNeitherClassNorKey() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(Video.class)\n"
            + "@Field(key = \"x\", dependsOn = @On(fields = \"audio\"))",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/DepTarget] @On on Bad must give either the upstream feature class or key = \"...\"",
        f,
        "@On(fields");
  }

  @Test
  void onColumnsWithIdentityLineage() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(value = Video.class, on = \"video_id\")",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/OnWithIdentity] the dependency on example/video has identity lineage, which joins on the upstream"
            + " id columns; \"on\" is only for AGGREGATION or EXPANSION",
        f,
        "on = \"video_id\"");
  }

  @Test
  void expansionWithoutOn() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = {\"video_id\", \"n\"})\n"
            + "@Dep(value = Video.class, lineage = Lineage.EXPANSION)",
        "String videoId, int n");
    assertOnlyError(
        compile(f),
        "[Metaxy/ExpansionWithoutOn] the dependency on example/video has EXPANSION lineage, which needs \"on\" (the"
            + " parent columns)",
        f,
        "Lineage.EXPANSION");
  }

  @Test
  void unsupportedComponentType() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\")",
        "String id,\n java.util.Map<String, String> extra");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnsupportedType] component extra of Bad has type java.util.Map<java.lang.String,java.lang.String>,"
            + " which is not supported (supported: String, int/Integer, long/Long, double/Double, float/Float,"
            + " boolean/Boolean, java.time.Instant, java.time.LocalDate, byte[], List<String>)",
        f,
        "extra");
  }

  @Test
  void featureOnAClass() {
    JavaFileObject f = TestSources.source("bad.NotRecord", """
            package bad;

            import io.metaxy.annotations.*;

            @Feature(key = "bad/class", idColumns = "id")
            public class NotRecord {}
            """);
    assertOnlyError(
        TestSources.javac().compile(f),
        "[Metaxy/NotARecord] @Feature bad.NotRecord must be a record (its components are the feature's columns)",
        f,
        "@Feature");
  }

  @Test
  void invalidTruncationOption() {
    Compilation c = TestSources.javac()
        .withOptions("-Ametaxy.hashTruncationLength=5")
        .compile(TestSources.OVERVIEW);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/InvalidOption] processor option -Ametaxy.hashTruncationLength: expected 0 (no truncation) or an"
                + " integer of at least 8, found \"5\"");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void invalidRegistryOption() {
    Compilation c = TestSources.javac()
        .withOptions("-Ametaxy.registry=my-registry")
        .compile(TestSources.OVERVIEW);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/InvalidOption] processor option -Ametaxy.registry: \"my-registry\" is not a qualified Java class"
                + " name");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void mappingThatFindsNoUpstreamField() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n"
            + "@Dep(value = Video.class, mapping = @Mapping(type = MappingType.NONE))",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/UnresolvableFieldDeps] no upstream fields found for field bad/bad.default: the automatic mapping of"
            + " every dependency yields nothing; declare dependsOn explicitly or change the mapping",
        f,
        "@Feature");
  }

  @Test
  void sameUpstreamTwice() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(Video.class)\n@Dep(key = \"example/video\")",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/DuplicateDep] example/video is declared as a @Dep of Bad more than once",
        f,
        "@Dep(key = \"example/video\")");
  }

  @Test
  void dependsOnAndDependsOnAll() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"video_id\")\n@Dep(Video.class)\n"
            + "@Field(key = \"x\", dependsOnAll = true, dependsOn = @On(feature = Video.class))",
        "String videoId");
    assertOnlyError(
        compile(f),
        "[Metaxy/ConflictingFieldDeps] field \"x\" sets both dependsOnAll and dependsOn; keep one of them",
        f,
        "dependsOnAll = true");
  }

  @Test
  void metadataThatIsNotJson() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"id\",\n  metadata = @Meta(key = \"n\", value = \"{oops\", json = true))",
        "String id");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[Metaxy/InvalidMetadata] metadata \"n\" is not valid JSON: ")
        .inFile(f)
        .onLineContaining("{oops");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void everyErrorOfAFeatureIsReported() {
    JavaFileObject f = bad(
        "@Feature(key = \"bad/bad\", idColumns = \"nope\")\n@Field(key = \"x\", codeVersion = \"\")",
        "String id,\n String metaxyNote");
    Compilation c = compile(f);
    assertThat(c).hadErrorCount(3);
    assertThat(c)
        .hadErrorContaining("[Metaxy/ReservedColumn]")
        .inFile(f)
        .onLineContaining("metaxyNote");
    assertThat(c)
        .hadErrorContaining("[Metaxy/UnknownIdColumn]")
        .inFile(f)
        .onLineContaining("\"nope\"");
    assertThat(c)
        .hadErrorContaining("[Metaxy/InvalidCodeVersion]")
        .inFile(f)
        .onLineContaining("codeVersion");
  }
}
