package io.metaxy.processor.validation;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The message catalog stays a catalog of sentences, each under a documented ID. */
class DiagnosticTest {
  @Test
  void everyMessageIsASentenceOfItsOwn() {
    for (Diagnostic d : Diagnostic.values()) {
      // What is left without the placeholders must say something: a bare "%s", or "%s: %s", would
      // leave the sentence to the call site.
      String words = d.template().replaceAll("%(\\d+\\$)?[-#+ 0,(]*\\d*(\\.\\d+)?[a-zA-Z%]", " ");
      long count =
          Arrays.stream(words.split("[^A-Za-z]+")).filter(w -> !w.isEmpty()).count();
      assertWithMessage(d + ": " + d.template()).that(count).isAtLeast(2L);
    }
  }

  @Test
  void everyIdIsDocumented() throws IOException {
    String docs = Files.readString(Path.of("../docs/processor.md"));
    for (Diagnostic d : Diagnostic.values()) {
      assertWithMessage(d.name()).that(docs).contains("`" + d.id() + "`");
    }
  }
}
