/**
 * The versioning as Apache Spark plans (docs/spark.md): the driver turns the runtime's
 * {@link io.metaxy.graph.FeaturePlan} into Spark column expressions, and executors evaluate them with the
 * runtime's own hash classes, so every value equals the embedded engine's.
 */
@NullMarked
package io.metaxy.spark;

import org.jspecify.annotations.NullMarked;
