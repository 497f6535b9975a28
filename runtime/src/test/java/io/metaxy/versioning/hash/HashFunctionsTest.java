package io.metaxy.versioning.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.versioning.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashFunctionsTest {
  /** 122 ASCII bytes; prefixes of it exercise every length branch of every function. */
  private static final String MSG =
      "The quick brown fox jumps over the lazy dog, then naps; a second sentence makes it longer than 64 bytes"
          + " for good measure!!";

  private static final int[] LENGTHS = {
    0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100, 122
  };

  // Values from reference_check.py's pure-Python ports (themselves cross-checked against
  // python-xxhash).
  private static final long[] XXH32 = {
    46947589L,
    1306257776L,
    3570264112L,
    79577984L,
    4281683995L,
    488687030L,
    3853776307L,
    619968178L,
    1829974777L,
    3573198769L,
    4125116392L,
    3133108961L,
    2294526721L,
    3045577644L,
    2239796683L,
    2615517747L,
    213001153L,
    2970467945L,
    595516528L,
    948340166L
  };
  private static final String[] XXH64 = {
    "17241709254077376921",
    "6579032219474710395",
    "4686269239494003989",
    "14839706335899230223",
    "17354519656004109955",
    "14338592424043022665",
    "15022663274251762443",
    "11318131744367836265",
    "6466916397171375512",
    "1116443012856259345",
    "7780105293259205914",
    "4579480958629128153",
    "16337873158372173038",
    "7895652573388462897",
    "6348560918576317679",
    "834225509843165130",
    "10126921557753351432",
    "15175430323390137963",
    "4907138703288631852",
    "16990592737757852531"
  };
  private static final String[] WYHASH = {
    "17969918002310452037",
    "15802331627926927055",
    "17796095401359250348",
    "11933890666372974526",
    "256928422422715695",
    "16887227980513160264",
    "6954635303171075609",
    "18363174415143893347",
    "6795297130902709972",
    "3715257623156576647",
    "1088408660918943650",
    "3920029585161001397",
    "2480550679099986802",
    "8879000419674861988",
    "11736574061243635957",
    "16251482992787034815",
    "4600112853584771883",
    "14613137453410358538",
    "16793666025638155029",
    "11667908886452891968"
  };
  // Guava 33.4 Hashing.farmHashFingerprint64(), which reproduces the BigQuery values below.
  private static final long[] FARM = {
    -7286425919675154353L,
    1366698271136253306L,
    -8824672173256051715L,
    -797828528184215899L,
    8805132910519014279L,
    -343606922379908217L,
    5102859526078303239L,
    5536152759197313107L,
    9032017524180936103L,
    4320848957565769301L,
    -4061352233596342851L,
    -8963653081731734701L,
    -5307099777350626718L,
    -981808865693223978L,
    -6553412831608575839L,
    -6558264865946575159L,
    -1033014241411349135L,
    9028296585419528899L,
    7758760798565516897L,
    3947752565697197295L
  };

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void xxh32PublishedValues() {
    assertEquals(0x02CC5D05, XxHash32.hash(new byte[0], 0, 0));
    assertEquals(0x32D153FF, XxHash32.hash(utf8("abc"), 0, 3));
  }

  @Test
  void xxh64PublishedValues() {
    assertEquals(0xEF46DB3751D8E999L, XxHash64.hash(new byte[0], 0, 0));
    assertEquals(0x44BC2CF5AD770999L, XxHash64.hash(utf8("abc"), 0, 3));
  }

  @Test
  void wyhashCrateExamples() {
    assertEquals(0xB0F941520B1AD95DL, WyHash.hash(new byte[] {0, 1, 2}, 0, 3, 3));
    assertEquals(0x8C73A8AB46596AE4L, WyHash.hash(new byte[] {0}, 0, 1, 0));
  }

  @Test
  void farmFingerprintBigQueryAndRedshiftDocumentedValues() {
    assertEquals("-1541654101129638711", HashAlgorithm.FARMHASH.hash("1footrue"));
    assertEquals("2794438866806483259", HashAlgorithm.FARMHASH.hash("2applefalse"));
    assertEquals("-4880158226897771312", HashAlgorithm.FARMHASH.hash("3true"));
    assertEquals("-2427165924636348523", HashAlgorithm.FARMHASH.hash("alphabet"));
    assertEquals("8085098817162212970", HashAlgorithm.FARMHASH.hash("Amazon Redshift"));
  }

  @Test
  void everyLengthBranchMatchesReferenceValues() {
    byte[] all = utf8(MSG);
    for (int i = 0; i < LENGTHS.length; i++) {
      int n = LENGTHS[i];
      // Hash a range in the middle of a larger buffer to check offsets are honoured.
      byte[] padded = new byte[n + 10];
      System.arraycopy(all, 0, padded, 5, n);
      String at = "length " + n;
      assertEquals(XXH32[i], XxHash32.hash(padded, 5, n) & 0xFFFFFFFFL, at);
      assertEquals(XXH64[i], Long.toUnsignedString(XxHash64.hash(padded, 5, n)), at);
      assertEquals(WYHASH[i], Long.toUnsignedString(WyHash.hash(padded, 5, n)), at);
      assertEquals(FARM[i], FarmHashFingerprint64.hash(padded, 5, n), at);
      assertEquals(String.valueOf(XXH32[i]), HashAlgorithm.XXHASH32.hash(padded, 5, n), at);
      assertEquals(XXH64[i], HashAlgorithm.XXHASH64.hash(padded, 5, n), at);
      assertEquals(WYHASH[i], HashAlgorithm.WYHASH.hash(padded, 5, n), at);
      assertEquals(Long.toString(FARM[i]), HashAlgorithm.FARMHASH.hash(padded, 5, n), at);
    }
  }

  @Test
  void versioningSpecSampleExamples() {
    assertEquals(
        "8475109261492640533", HashAlgorithm.XXHASH64.hash("derived|1|parent.value|fv_p1"));
    assertEquals(
        "2450396770",
        HashAlgorithm.XXHASH32.hash(
            "predictions|__metaxy_initial__|examples/parent.embeddings|v1"));
  }

  @Test
  void digestsAreLowercaseHex() {
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", HashAlgorithm.MD5.hash(""));
    assertEquals("900150983cd24fb0d6963f7d28e17f72", HashAlgorithm.MD5.hash("abc"));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HashAlgorithm.SHA256.hash("abc"));
    // A reused hasher must not leak state between calls.
    SampleHasher h = HashAlgorithm.SHA256.newHasher();
    byte[] out = new byte[SampleHasher.MAX_LENGTH];
    h.hash(utf8("xyz"), 0, 3, out, 0);
    int n = h.hash(utf8("abc"), 0, 3, out, 0);
    assertEquals(
        HashAlgorithm.SHA256.hash("abc"), new String(out, 0, n, StandardCharsets.US_ASCII));
  }

  @Test
  void decimalRenderingCoversExtremes() {
    byte[] out = new byte[32];
    for (long v : new long[] {
      0, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, -1, -10, 1_000_000_000_000_000_000L
    }) {
      int n = Render.unsignedDecimal(v, out, 3);
      assertEquals(Long.toUnsignedString(v), new String(out, 3, n, StandardCharsets.US_ASCII));
      n = Render.signedDecimal(v, out, 1);
      assertEquals(Long.toString(v), new String(out, 1, n, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void nonAsciiInputIsHashedAsUtf8() {
    byte[] b = utf8("🎬é");
    assertEquals(
        Long.toUnsignedString(XxHash64.hash(b, 0, b.length)), HashAlgorithm.XXHASH64.hash("🎬é"));
  }
}
