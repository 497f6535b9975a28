package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;

import io.metaxy.processor.model.Names;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import javax.annotation.processing.Processor;
import org.junit.jupiter.api.Test;

/** How build tools find and classify the processors, and the naming rules. */
class RegistrationTest {
  @Test
  void bothProcessorsAreRegisteredWithAutoService() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(Processor.class, getClass().getClassLoader())
        .forEach(p -> names.add(p.getClass().getName()));
    assertThat(names)
        .containsAtLeast(FeatureProcessor.class.getName(), FeatureGraphProcessor.class.getName());
  }

  @Test
  void gradleIncrementalCategories() throws Exception {
    String text;
    try (InputStream in = getClass()
        .getClassLoader()
        .getResourceAsStream("META-INF/gradle/incremental.annotation.processors")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // Per-feature companions have exactly one originating element; the registry aggregates.
    assertThat(text.lines().toList())
        .containsExactly(
            FeatureProcessor.class.getName() + ",ISOLATING",
            FeatureGraphProcessor.class.getName() + ",AGGREGATING");
  }

  @Test
  void supportedOptionsAreNamespaced() {
    assertThat(new FeatureProcessor().getSupportedOptions())
        .containsExactly("metaxy.project", "metaxy.registry", "metaxy.hashTruncationLength");
  }

  @Test
  void namingRules() {
    assertThat(Names.companionSimpleName(List.of("Outer", "Inner"))).isEqualTo("MetaxyOuter_Inner");
    assertThat(Names.snakeCase("videoId")).isEqualTo("video_id");
    assertThat(Names.snakeCase("durationSeconds")).isEqualTo("duration_seconds");
    assertThat(Names.snakeCase("HTTPCode")).isEqualTo("http_code");
    assertThat(Names.snakeCase("frame2Index")).isEqualTo("frame2_index");
    assertThat(Names.defaultRegistryName(List.of("a.b.c", "a.b.d", "a.b")))
        .isEqualTo("a.b.MetaxyFeatureRegistry");
    assertThat(Names.defaultRegistryName(List.of("x", "y"))).isEqualTo("MetaxyFeatureRegistry");
    assertThat(Names.constantNames(List.of("a-b", "a_b", "1x"), Set.of()))
        .containsExactly("A_B", "A_B_2", "_1X");
  }
}
