package io.metaxy;

import java.util.concurrent.ConcurrentHashMap;

/** Finds the generated companion of a feature record class. */
public final class FeatureCompanions {
  private static final ConcurrentHashMap<Class<?>, FeatureCompanion<?>> CACHE = new ConcurrentHashMap<>();

  private FeatureCompanions() {}

  /** The name of the generated companion class of a record: {@code Metaxy} + the flattened simple name. */
  public static String companionName(Class<?> recordType) {
    String pkg = recordType.getPackageName();
    String binary = recordType.getName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1);
    return (pkg.isEmpty() ? "" : pkg + ".") + "Metaxy" + binary.replace('$', '_');
  }

  /**
   * The companion of a {@code @Feature} record.
   *
   * @throws MetaxyException when the record was not compiled with the Metaxy processor
   */
  @SuppressWarnings("unchecked")
  public static <T extends Record> FeatureCompanion<T> of(Class<T> recordType) {
    return (FeatureCompanion<T>) CACHE.computeIfAbsent(recordType, FeatureCompanions::load);
  }

  private static FeatureCompanion<?> load(Class<?> recordType) {
    String name = companionName(recordType);
    try {
      Class<?> c = Class.forName(name, true, recordType.getClassLoader());
      return (FeatureCompanion<?>) c.getField("COMPANION").get(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new MetaxyException(
          "no Metaxy companion " + name + " for " + recordType.getName()
              + ": is it annotated with @Feature and compiled with metaxy-processor on the annotation processor path?",
          e);
    }
  }
}
