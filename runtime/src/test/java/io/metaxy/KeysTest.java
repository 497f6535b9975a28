package io.metaxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.internal.Tables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void parsesAndPrintsKeys() {
    FeatureKey k = FeatureKey.of("video/raw");
    assertEquals(List.of("video", "raw"), k.parts());
    assertEquals("video/raw", k.toString());
    assertEquals("video_raw", k.underscored());
    assertEquals("__video_raw", k.columnSuffix());
    assertEquals("video/raw.audio/french", k.fq(FieldKey.of("audio/french")));
    assertEquals("audio_french", FieldKey.of("audio/french").structKey());
  }

  @Test
  void rejectsInvalidKeysWithTheReason() {
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> FeatureKey.of("Video/raw"));
    assertTrue(e.getMessage().contains("\"Video/raw\""), e.getMessage());
    assertTrue(e.getMessage().contains("'V'"), e.getMessage());
    assertThrows(InvalidKeyException.class, () -> FeatureKey.of("video//raw"));
    assertThrows(InvalidKeyException.class, () -> FeatureKey.of("1video"));
    assertThrows(InvalidKeyException.class, () -> FieldKey.of("a__b"));
    assertThrows(InvalidKeyException.class, () -> FieldKey.of(""));
    assertNull(KeyParts.problem(List.of("_private", "9-lives")));
  }

  @Test
  void featureKeysSortAsPartTuplesNotStrings() {
    // '-' (0x2D) sorts before '/' (0x2F) as a string, but the tuple ("a","b") sorts before ("a-b").
    FeatureKey ab = FeatureKey.of("a/b");
    FeatureKey aDashB = FeatureKey.of("a-b");
    assertTrue(ab.compareTo(aDashB) < 0);
    assertTrue(ab.toString().compareTo(aDashB.toString()) > 0);
    List<FeatureKey> keys = new ArrayList<>(List.of(aDashB, ab, FeatureKey.of("a")));
    keys.sort(null);
    assertEquals(List.of(FeatureKey.of("a"), ab, aDashB), keys);
  }

  @Test
  void oneTableNameRuleForStoresAndGeneratedCode() {
    for (String k : List.of("video/raw", "metaxy-system/feature_versions", "a-b/c_d/e")) {
      FeatureKey key = FeatureKey.of(k);
      assertEquals(Tables.tableName(key), key.tableName());
    }
    assertEquals(
        "metaxy_system__feature_versions",
        FeatureKey.of("metaxy-system/feature_versions").tableName());
    assertEquals("a_b__c_d__e", FeatureKey.of("a-b/c_d/e").tableName());
  }
}
