package io.metaxy.conformance;

import java.util.List;
import java.util.Map;

/** Sample-level vectors: upstream rows → expected provenance and data-version columns. */
final class SampleVectors {
  private SampleVectors() {}

  /** Thrown for vectors this build cannot run yet; they are counted as skipped. */
  static final class NotSupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSupported(String message) {
      super(message);
    }
  }

  static List<String> check(Map<String, Object> c) {
    throw new NotSupported("sample vectors need the sample-level engine");
  }
}
