package io.metaxy.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what CPython's json.dumps(obj, sort_keys=True) prints. */
class CanonicalJsonTest {
  @Test
  void sortsKeysAndUsesPythonSeparators() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1, "x", true));
    m.put("a", null);
    m.put("c", Map.of());
    assertEquals("{\"a\": null, \"b\": [1, \"x\", true], \"c\": {}}", CanonicalJson.write(m));
  }

  @Test
  void escapesLikeEnsureAscii() {
    assertEquals("\"\\u00fc\\u7248\\u672c\"", CanonicalJson.write("ü版本"));
    assertEquals("\"\\ud83c\\udfac\"", CanonicalJson.write("🎬"));
    assertEquals(
        "\"a/b \\\"q\\\" \\\\ \\n\\t\\u0001\\u007f\"",
        CanonicalJson.write("a/b \"q\" \\ \n\t\u0001\u007f"));
  }

  @Test
  void sortsKeysByCodePoint() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\uffff", 1); // BMP character above the surrogate range
    m.put("🎬", 2); // U+1F3AC, stored as surrogates 0xD83C 0xDFAC
    // Python orders by code point: U+FFFF < U+1F3AC; UTF-16 order would put the surrogate pair
    // first.
    assertEquals("{\"\\uffff\": 1, \"\\ud83c\\udfac\": 2}", CanonicalJson.write(m));
  }

  @Test
  void formatsFloatsLikePythonRepr() {
    List<Object[]> cases = Arrays.asList(
        new Object[] {1.5, "1.5"},
        new Object[] {1e20, "1e+20"},
        new Object[] {1e16, "1e+16"},
        new Object[] {1e15, "1000000000000000.0"},
        new Object[] {1e-5, "1e-05"},
        new Object[] {0.0001, "0.0001"},
        new Object[] {-0.0, "-0.0"},
        new Object[] {0.1 + 0.2, "0.30000000000000004"},
        new Object[] {2e-7, "2e-07"},
        new Object[] {123456789.125, "123456789.125"},
        new Object[] {1.7976931348623157e308, "1.7976931348623157e+308"},
        new Object[] {5e-324, "5e-324"},
        new Object[] {Double.NaN, "NaN"},
        new Object[] {Double.NEGATIVE_INFINITY, "-Infinity"});
    for (Object[] c : cases) {
      assertEquals(c[1], CanonicalJson.pythonFloatRepr((Double) c[0]), "repr of " + c[0]);
    }
  }

  @Test
  void prettyFormIsStableAndParsesBack() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of(1, 2));
    m.put("a", Map.of("k", "v"));
    String pretty = CanonicalJson.writePretty(m);
    assertEquals(
        "{\n  \"a\": {\n    \"k\": \"v\"\n  },\n  \"z\": [\n    1,\n    2\n  ]\n}\n", pretty);
    assertEquals(CanonicalJson.write(m), CanonicalJson.write(Json.parse(pretty, "test")));
  }
}
