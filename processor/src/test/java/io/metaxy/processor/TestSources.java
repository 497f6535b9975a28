package io.metaxy.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/** Test inputs and helpers shared by the processor tests. */
final class TestSources {
  private TestSources() {}

  static final JavaFileObject VIDEO = JavaFileObjects.forSourceString("example.Video", """
          package example;

          import io.metaxy.annotations.Feature;
          import io.metaxy.annotations.Field;

          @Feature(key = "example/video", idColumns = "video_id")
          @Field(key = "audio", codeVersion = "1")
          @Field(key = "frames", codeVersion = "1")
          public record Video(String videoId, String path, double durationSeconds) {}
          """);

  static final JavaFileObject CROP = JavaFileObjects.forSourceString("example.Crop", """
          package example;

          import io.metaxy.annotations.Dep;
          import io.metaxy.annotations.Feature;
          import io.metaxy.annotations.Field;

          @Feature(key = "example/crop", idColumns = "video_id")
          @Dep(Video.class)
          @Field(key = "audio", codeVersion = "1")
          @Field(key = "frames", codeVersion = "1")
          public record Crop(String videoId, String path) {}
          """);

  static final JavaFileObject FACE_DETECTION =
      JavaFileObjects.forSourceString("example.FaceDetection", """
          package example;

          import io.metaxy.annotations.Dep;
          import io.metaxy.annotations.Feature;
          import io.metaxy.annotations.Field;
          import io.metaxy.annotations.On;

          @Feature(key = "example/face_detection", idColumns = "video_id")
          @Dep(Crop.class)
          @Field(key = "faces", codeVersion = "1", dependsOn = @On(feature = Crop.class, fields = "frames"))
          public record FaceDetection(String videoId, int faceCount) {}
          """);

  static final JavaFileObject SPEECH_TO_TEXT =
      JavaFileObjects.forSourceString("example.SpeechToText", """
          package example;

          import io.metaxy.annotations.Dep;
          import io.metaxy.annotations.Feature;
          import io.metaxy.annotations.Field;
          import io.metaxy.annotations.On;

          @Feature(key = "example/stt", idColumns = "video_id")
          @Dep(Video.class)
          @Field(key = "transcription", codeVersion = "1", dependsOn = @On(feature = Video.class, fields = "audio"))
          public record SpeechToText(String videoId, String transcript) {}
          """);

  /** The overview graph of the brief / versioning spec §3.1. */
  static final List<JavaFileObject> OVERVIEW = List.of(VIDEO, CROP, FACE_DETECTION, SPEECH_TO_TEXT);

  /** A source file from its lines. */
  static JavaFileObject source(String name, String text) {
    return JavaFileObjects.forSourceString(name, text);
  }

  /** javac with both Metaxy processors. */
  static Compiler javac() {
    return Compiler.javac().withProcessors(new FeatureProcessor(), new FeatureGraphProcessor());
  }

  /** Writes every class file and resource a compilation produced under a new directory. */
  static Path writeOutput(Compilation c) {
    try {
      Path dir = Files.createTempDirectory("metaxy-processor-test");
      for (JavaFileObject f : c.generatedFiles()) {
        String uri = f.toUri().getPath();
        String marker = "/" + StandardLocation.CLASS_OUTPUT.getName() + "/";
        int at = uri.indexOf(marker);
        if (at < 0) {
          continue;
        }
        Path target = dir.resolve(uri.substring(at + marker.length()));
        Files.createDirectories(target.getParent());
        try (InputStream in = f.openInputStream()) {
          Files.write(target, in.readAllBytes());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A class loader over compiled output directories (first wins), child of the test class loader. */
  static URLClassLoader loader(Path... dirs) {
    URL[] urls = new URL[dirs.length];
    for (int i = 0; i < dirs.length; i++) {
      try {
        urls[i] = dirs[i].toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    return new URLClassLoader(urls, TestSources.class.getClassLoader());
  }
}
