package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The originating elements Gradle's incremental compilation sees (docs/processor.md, "Incremental
 * compilation"): a companion names its record, plus any record of the compilation that it reached
 * through a key; the registry and resources name every record.
 */
class OriginatingElementsTest {
  /** Records the originating elements of every file a processor creates, by file name. */
  static final class Recording implements Processor {
    final Processor delegate;
    final Map<String, List<String>> origins;

    Recording(Processor delegate, Map<String, List<String>> origins) {
      this.delegate = delegate;
      this.origins = origins;
    }

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
      Filer filer = env.getFiler();
      Filer recording = new Filer() {
        private <T> T record(String name, Element[] elements, T file) {
          List<String> names = new ArrayList<>();
          for (Element e : elements) {
            names.add(((TypeElement) e).getQualifiedName().toString());
          }
          origins.put(name, names);
          return file;
        }

        @Override
        public JavaFileObject createSourceFile(CharSequence name, Element... elements)
            throws IOException {
          return record(name.toString(), elements, filer.createSourceFile(name, elements));
        }

        @Override
        public JavaFileObject createClassFile(CharSequence name, Element... elements)
            throws IOException {
          return record(name.toString(), elements, filer.createClassFile(name, elements));
        }

        @Override
        public FileObject createResource(
            JavaFileManager.Location location,
            CharSequence moduleAndPkg,
            CharSequence relativeName,
            Element... elements)
            throws IOException {
          return record(
              relativeName.toString(),
              elements,
              filer.createResource(location, moduleAndPkg, relativeName, elements));
        }

        @Override
        public FileObject getResource(
            JavaFileManager.Location location, CharSequence moduleAndPkg, CharSequence relativeName)
            throws IOException {
          return filer.getResource(location, moduleAndPkg, relativeName);
        }
      };
      delegate.init(new ProcessingEnvironment() {
        @Override
        public Map<String, String> getOptions() {
          return env.getOptions();
        }

        @Override
        public Messager getMessager() {
          return env.getMessager();
        }

        @Override
        public Filer getFiler() {
          return recording;
        }

        @Override
        public Elements getElementUtils() {
          return env.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
          return env.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
          return env.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
          return env.getLocale();
        }
      });
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(
        Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
      return delegate.getCompletions(element, annotation, member, userText);
    }
  }

  private static Map<String, List<String>> origins(JavaFileObject... sources) {
    Map<String, List<String>> origins = new TreeMap<>();
    Compilation c = Compiler.javac()
        .withProcessors(
            new Recording(new FeatureProcessor(), origins),
            new Recording(new FeatureGraphProcessor(), origins))
        .compile(sources);
    assertThat(c).succeededWithoutWarnings();
    return origins;
  }

  @Test
  void companionsOfClassNamedUpstreamsHaveTheirRecordOnly() {
    Map<String, List<String>> origins =
        origins(TestSources.VIDEO, TestSources.CROP, TestSources.FACE_DETECTION);
    assertThat(origins.get("example.MetaxyVideo")).containsExactly("example.Video");
    assertThat(origins.get("example.MetaxyCrop")).containsExactly("example.Crop");
    assertThat(origins.get("example.MetaxyFaceDetection")).containsExactly("example.FaceDetection");
    // Aggregating: the registry and the resources name every record.
    List<String> all = List.of("example.Crop", "example.FaceDetection", "example.Video");
    assertThat(origins.get("example.MetaxyFeatureRegistry")).containsExactlyElementsIn(all);
    assertThat(origins.get("META-INF/services/io.metaxy.graph.FeatureRegistry"))
        .containsExactlyElementsIn(all);
    assertThat(origins.get("META-INF/metaxy/graph.json")).containsExactlyElementsIn(all);
  }

  @Test
  void recordsReachedThroughAKeyAreOriginatingElementsToo() {
    JavaFileObject cropByKey = TestSources.source("example.Crop", """
            package example;

            import io.metaxy.annotations.*;

            @Feature(key = "example/crop", idColumns = "video_id")
            @Dep(key = "example/video")
            @Field(key = "audio", codeVersion = "1")
            @Field(key = "frames", codeVersion = "1")
            public record Crop(String videoId, String path) {}
            """);
    Map<String, List<String>> origins =
        origins(TestSources.VIDEO, cropByKey, TestSources.FACE_DETECTION);
    assertThat(origins.get("example.MetaxyVideo")).containsExactly("example.Video");
    // Nothing in Crop's class file names Video: Gradle gets both, and recompiles everything.
    assertThat(origins.get("example.MetaxyCrop"))
        .containsExactly("example.Crop", "example.Video")
        .inOrder();
    // FaceDetection names Crop by class, but Video (upstream of Crop, by key) is upstream of it
    // too.
    assertThat(origins.get("example.MetaxyFaceDetection"))
        .containsExactly("example.FaceDetection", "example.Video")
        .inOrder();
  }
}
