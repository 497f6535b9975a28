/** Feature specs and definitions (fields, dependencies, lineage) as the Python reference serializes them. */
@NullMarked
package io.metaxy.spec;

import org.jspecify.annotations.NullMarked;
