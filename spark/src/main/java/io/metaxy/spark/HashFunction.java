package io.metaxy.spark;

import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.hash.SampleHasher;
import java.util.Locale;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.jspecify.annotations.Nullable;

/**
 * One sample-level hash (versioning spec §4.1) as a Spark function of one string: the UTF-8 bytes of
 * the argument hashed by the runtime's own hasher and rendered as the embedded engine renders it,
 * untruncated; null for null.
 *
 * <p>Each algorithm is a subclass with a static {@code invoke} ("magic method"), so Spark's generated
 * code calls the hasher directly on the string's bytes, without a {@code String} per row.
 */
public abstract class HashFunction implements UnboundFunction, ScalarFunction<UTF8String> {
  private static final long serialVersionUID = 1L;

  private final HashAlgorithm algorithm;

  HashFunction(HashAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  /** The algorithm this function computes. */
  public HashAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public String name() {
    return algorithm.configName();
  }

  @Override
  public String description() {
    return name() + "(string): the Metaxy " + name() + " hash of the string's UTF-8 bytes, rendered"
        + " as sample-level versions are stored";
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    if (inputType.fields().length != 1
        || !(inputType.fields()[0].dataType() instanceof StringType)) {
      throw new UnsupportedOperationException(
          name() + " takes one string argument, got " + inputType.simpleString());
    }
    return this;
  }

  @Override
  public DataType[] inputTypes() {
    return new DataType[] {DataTypes.StringType};
  }

  @Override
  public DataType resultType() {
    return DataTypes.StringType;
  }

  @Override
  public String canonicalName() {
    return "metaxy." + name().toLowerCase(Locale.ROOT);
  }

  /** Hashes the bytes of {@code s} in place when they are on the heap (the usual case). */
  static @Nullable UTF8String hash(SampleHasher hasher, @Nullable UTF8String s) {
    if (s == null) {
      return null;
    }
    byte[] out = new byte[SampleHasher.MAX_LENGTH];
    int n;
    if (s.getBaseObject() instanceof byte[] bytes) {
      int off = Math.toIntExact(s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET);
      n = hasher.hash(bytes, off, s.numBytes(), out, 0);
    } else {
      byte[] bytes = s.getBytes();
      n = hasher.hash(bytes, 0, bytes.length, out, 0);
    }
    return UTF8String.fromBytes(out, 0, n);
  }

  /** XXH64, seed 0, unsigned decimal. */
  public static final class XxHash64 extends HashFunction {
    private static final long serialVersionUID = 1L;
    private static final SampleHasher HASHER = HashAlgorithm.XXHASH64.newHasher();

    /** The function (Spark instantiates it by name). */
    public XxHash64() {
      super(HashAlgorithm.XXHASH64);
    }

    /** The hash of {@code s}, or null. */
    public static @Nullable UTF8String invoke(@Nullable UTF8String s) {
      return hash(HASHER, s);
    }
  }

  /** XXH32, seed 0, unsigned decimal. */
  public static final class XxHash32 extends HashFunction {
    private static final long serialVersionUID = 1L;
    private static final SampleHasher HASHER = HashAlgorithm.XXHASH32.newHasher();

    /** The function (Spark instantiates it by name). */
    public XxHash32() {
      super(HashAlgorithm.XXHASH32);
    }

    /** The hash of {@code s}, or null. */
    public static @Nullable UTF8String invoke(@Nullable UTF8String s) {
      return hash(HASHER, s);
    }
  }

  /** wyhash v1, seed 0, unsigned decimal. */
  public static final class WyHash extends HashFunction {
    private static final long serialVersionUID = 1L;
    private static final SampleHasher HASHER = HashAlgorithm.WYHASH.newHasher();

    /** The function (Spark instantiates it by name). */
    public WyHash() {
      super(HashAlgorithm.WYHASH);
    }

    /** The hash of {@code s}, or null. */
    public static @Nullable UTF8String invoke(@Nullable UTF8String s) {
      return hash(HASHER, s);
    }
  }

  /** FarmHash Fingerprint64, signed decimal. */
  public static final class FarmHash extends HashFunction {
    private static final long serialVersionUID = 1L;
    private static final SampleHasher HASHER = HashAlgorithm.FARMHASH.newHasher();

    /** The function (Spark instantiates it by name). */
    public FarmHash() {
      super(HashAlgorithm.FARMHASH);
    }

    /** The hash of {@code s}, or null. */
    public static @Nullable UTF8String invoke(@Nullable UTF8String s) {
      return hash(HASHER, s);
    }
  }
}
