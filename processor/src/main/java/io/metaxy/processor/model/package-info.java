/**
 * The immutable model of a validated feature, handed from validation to code generation, and how it
 * is built: the spec and definition from the validated declarations ({@link
 * io.metaxy.processor.model.FeatureModels}), then plan and versions through the runtime's versioning
 * code ({@link io.metaxy.processor.model.CompiledFeatures}).
 */
@NullMarked
package io.metaxy.processor.model;

import org.jspecify.annotations.NullMarked;
