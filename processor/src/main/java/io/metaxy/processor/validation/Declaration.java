package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.processor.model.FeatureModel;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @Feature} record as read in one round: its annotations (kept for diagnostic positions),
 * what was wrong with it locally, and its model when it was valid. Never kept across rounds: elements
 * may change identity between rounds.
 *
 * @param type the record
 * @param feature its {@code @Feature}
 * @param report local problems (empty when valid)
 * @param unresolved names of types that did not resolve (the feature is then deferred)
 * @param blocked whether the model could not be built because an upstream class is itself invalid
 *     (that upstream reports its own error)
 * @param deps the {@code @Dep}s
 * @param fields the {@code @Field}s
 * @param model the model, or {@code null} when the declaration has problems, is blocked or unresolved
 */
public record Declaration(
    TypeElement type,
    Ann feature,
    Report report,
    Set<String> unresolved,
    boolean blocked,
    List<DepDecl> deps,
    List<FieldDecl> fields,
    @Nullable FeatureModel model) {

  /**
   * The model of a declaration the caller knows to be valid (it built one).
   *
   * @throws IllegalStateException when it did not
   */
  public FeatureModel validModel() {
    if (model == null) {
      throw new IllegalStateException(
          type + " has no model: it has problems, is blocked or unresolved");
    }
    return model;
  }

  /** The feature key, or {@code null} when it is invalid. */
  public @Nullable FeatureKey key() {
    return model != null ? model.definition().spec().key() : null;
  }

  /**
   * A {@code @Dep}.
   *
   * @param ann the annotation
   * @param upstream the upstream key, or {@code null} when it is invalid or unknown
   * @param upstreamType the upstream record when given by class, else {@code null}
   */
  public record DepDecl(
      Ann ann, @Nullable FeatureKey upstream, @Nullable TypeElement upstreamType) {}

  /**
   * A {@code @Field}.
   *
   * @param ann the annotation
   * @param key the field key, or {@code null} when it is invalid (reported)
   * @param ons its {@code dependsOn} entries
   */
  public record FieldDecl(Ann ann, @Nullable FieldKey key, List<OnDecl> ons) {}

  /**
   * An {@code @On}.
   *
   * @param ann the annotation
   * @param feature the upstream key
   * @param fields the upstream field keys, or {@code null} for every field
   */
  public record OnDecl(
      Ann ann, FeatureKey feature, @Nullable List<FieldKey> fields) {}
}
