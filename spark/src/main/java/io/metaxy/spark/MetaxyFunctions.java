package io.metaxy.spark;

import io.metaxy.versioning.HashAlgorithm;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.jspecify.annotations.Nullable;

/**
 * A Spark function catalog of the hash functions Spark lacks ({@code xxhash64}, {@code xxhash32},
 * {@code wyhash}, {@code farmhash}; Spark's own {@code xxhash64} uses seed 42 and returns a signed
 * number). Configured as {@code spark.sql.catalog.metaxy_functions=io.metaxy.spark.MetaxyFunctions},
 * the functions are called as {@code metaxy_functions.xxhash32(s)} in SQL; {@link #register} does that
 * for a session. The name is not {@code metaxy}: that is the embedded Iceberg store's default catalog
 * name, which a Spark Iceberg catalog sharing its tables must take.
 */
public final class MetaxyFunctions implements FunctionCatalog {
  /** The catalog name {@link #register} uses. */
  public static final String DEFAULT_NAME = "metaxy_functions";

  private static final Map<String, Supplier<HashFunction>> FUNCTIONS = Map.of(
      HashAlgorithm.XXHASH64.configName(), HashFunction.XxHash64::new,
      HashAlgorithm.XXHASH32.configName(), HashFunction.XxHash32::new,
      HashAlgorithm.WYHASH.configName(), HashFunction.WyHash::new,
      HashAlgorithm.FARMHASH.configName(), HashFunction.FarmHash::new);

  private @Nullable String name;

  /** The catalog (Spark instantiates it by class name). */
  public MetaxyFunctions() {}

  /**
   * Makes the functions callable in {@code spark} as {@code metaxy_functions.<name>}, unless a catalog
   * of that name is configured already (it must then be this class).
   *
   * @return the catalog name to call the functions by
   * @throws IllegalStateException when {@code metaxy_functions} names another catalog
   */
  public static String register(SparkSession spark) {
    String key = "spark.sql.catalog." + DEFAULT_NAME;
    String current = spark.conf().get(key, null);
    if (current == null) {
      spark.conf().set(key, MetaxyFunctions.class.getName());
    } else if (!current.equals(MetaxyFunctions.class.getName())) {
      throw new IllegalStateException("the Spark catalog '" + DEFAULT_NAME + "' is configured as "
          + current + "; Metaxy's hash functions need " + key + "="
          + MetaxyFunctions.class.getName());
    }
    return DEFAULT_NAME;
  }

  /** Whether Spark has to call this catalog for {@code algorithm} (md5 and sha256 are built in). */
  public static boolean provides(HashAlgorithm algorithm) {
    return FUNCTIONS.containsKey(algorithm.configName());
  }

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
  }

  @Override
  public String name() {
    return name == null ? DEFAULT_NAME : name;
  }

  @Override
  public Identifier[] listFunctions(String[] namespace) {
    if (namespace.length != 0) {
      return new Identifier[0];
    }
    return FUNCTIONS.keySet().stream()
        .sorted()
        .map(f -> Identifier.of(namespace, f))
        .toArray(Identifier[]::new);
  }

  @Override
  public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
    Supplier<HashFunction> f =
        ident.namespace().length == 0 ? FUNCTIONS.get(ident.name().toLowerCase(Locale.ROOT)) : null;
    if (f == null) {
      throw new NoSuchFunctionException(ident);
    }
    return f.get();
  }

  @Override
  public String toString() {
    return "MetaxyFunctions"
        + Arrays.toString(FUNCTIONS.keySet().stream().sorted().toArray());
  }
}
