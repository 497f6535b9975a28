/**
 * The annotations that declare Metaxy features on Java records: {@link io.metaxy.annotations.Feature},
 * {@link io.metaxy.annotations.Field}, {@link io.metaxy.annotations.Dep} and their parts. The
 * annotation processor ({@code metaxy-processor}) validates them and generates the feature companions.
 *
 * <p>This module has no dependencies at all, so it is not {@code @NullMarked} like the other modules'
 * packages: no annotation element here can be null anyway, since Java forbids null annotation values.
 */
package io.metaxy.annotations;
