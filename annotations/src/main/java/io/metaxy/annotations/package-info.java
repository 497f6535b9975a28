/**
 * The annotations that declare Metaxy features on Java records: {@link io.metaxy.annotations.Feature},
 * {@link io.metaxy.annotations.Field}, {@link io.metaxy.annotations.Dep} and their parts. The
 * annotation processor ({@code metaxy-processor}) validates them and generates the feature companions.
 */
package io.metaxy.annotations;
